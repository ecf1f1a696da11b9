"""tf.train.Example and SequenceExample read straight from protobuf's wire format.

Only the five messages TensorFlow's example.proto and feature.proto declare are read (field numbers from those files),
so the package needs no protobuf runtime and works with whatever protobuf version TensorFlow or PyTorch brought along.
A feature is returned as ("bytes", [b"..."]), ("float", ndarray float32) or ("int64", [int, ...]).
"""

import struct

import numpy as np


def _varint(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise ValueError("malformed record: a varint longer than 10 bytes")


def fields(data):
    """(field number, wire type, value) of one message: ints for varints, memoryviews for the rest."""
    data = memoryview(data)
    pos, end = 0, len(data)
    while pos < end:
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > end:
                raise ValueError("malformed record: a field runs past the end of its message")
            value, pos = data[pos:pos + length], pos + length
        elif wire == 5:
            value, pos = data[pos:pos + 4], pos + 4
        elif wire == 1:
            value, pos = data[pos:pos + 8], pos + 8
        else:
            raise ValueError(f"malformed record: wire type {wire}")
        yield number, wire, value


def _signed(value):
    return value - (1 << 64) if value >= 1 << 63 else value


def feature(data):
    """One tf.train.Feature: (kind, values)."""
    for number, _, value in fields(data):
        if number == 1:
            return "bytes", [bytes(v) for n, _, v in fields(value) if n == 1]
        if number == 2:
            floats = []
            for n, wire, v in fields(value):
                if n == 1:  # packed (wire type 2) or one fixed32 (5): little-endian float32 either way
                    floats.append(np.frombuffer(v, dtype="<f4"))
            return "float", np.concatenate(floats).astype(np.float32) if floats else np.zeros(0, np.float32)
        if number == 3:
            ints = []
            for n, wire, v in fields(value):
                if n != 1:
                    continue
                if wire == 0:
                    ints.append(_signed(v))
                else:
                    pos = 0
                    while pos < len(v):
                        item, pos = _varint(v, pos)
                        ints.append(_signed(item))
            return "int64", ints
    return "none", []


def _map(data, value_reader):
    out = {}
    for number, _, entry in fields(data):
        if number != 1:
            continue
        key, value = "", None
        for n, _, v in fields(entry):
            if n == 1:
                key = bytes(v).decode("utf-8")
            elif n == 2:
                value = v
        out[key] = value_reader(value if value is not None else b"")
    return out


def features(data):
    """tf.train.Features: {key: (kind, values)}."""
    return _map(data, feature)


def _feature_list(data):
    return [feature(v) for n, _, v in fields(data) if n == 1]


def parse(serialized):
    """A record as (context features, feature lists): an Example gives its features and {}, a SequenceExample its
    context and {key: [(kind, values), ...]} (both have the features/context at field 1)."""
    context, lists = {}, {}
    for number, _, value in fields(serialized):
        if number == 1:
            context = features(value)
        elif number == 2:
            lists = _map(value, _feature_list)
    return context, lists


def read_framed(stream, name):
    """(offset, serialized) for each record of a TFRecord stream; offsets count the uncompressed bytes."""
    offset = 0
    while True:
        header = stream.read(12)
        if not header:
            return
        if len(header) < 12:
            raise ValueError(f"{name}: truncated record length at offset {offset}")
        (length,) = struct.unpack("<Q", header[:8])
        data = stream.read(length)
        footer = stream.read(4)
        if len(data) < length or len(footer) < 4:
            raise ValueError(f"{name}: truncated record data at offset {offset}")
        yield offset, data
        offset += 16 + length
