#!/usr/bin/python3
"""Reads record files with the Python package's framing reader and protobuf wire-format parser (python/, which share no
code with the C# library; every record's masked CRC-32C is checked here as well), and prints what the tests compare:

    records_check.py sequence FILE          one JSON line per SequenceExample: context values, feature list lengths,
                                            int64 lists, and each FORWARD_FLOW image decoded by Pillow (mode, size,
                                            mean of each channel)
    records_check.py same PLAIN PACKED      "same N" when both files hold the same N records byte for byte (a
                                            compressed file read through Python's gzip or zlib), else what differs
"""

import io
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from video2tfrecord_net._reader import raw_features, serialized_records  # noqa: E402
from PIL import Image  # noqa: E402

# CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord framing masks it.
CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    CRC_TABLE.append(c)


def masked_crc(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path, verify=True):
    """(offset, serialized) for each record of one file; with ``verify`` the framing's two CRCs are checked from the
    file's bytes (gzip and zlib through Python's own modules)."""
    import gzip
    import struct
    import zlib
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    elif path.endswith(".zz"):
        raw = zlib.decompress(raw)
    records = [data for _, _, data in serialized_records(path)]
    pos = 0
    for data in records:
        (length,) = struct.unpack("<Q", raw[pos:pos + 8])
        (length_crc,) = struct.unpack("<I", raw[pos + 8:pos + 12])
        body = raw[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", raw[pos + 12 + length:pos + 16 + length])
        if verify and (masked_crc(raw[pos:pos + 8]) != length_crc or masked_crc(body) != data_crc):
            raise ValueError(f"{path}: bad CRC in the record at offset {pos}")
        if body != data:
            raise ValueError(f"{path}: the package's reader and the file's bytes disagree at offset {pos}")
        yield pos, data
        pos += 16 + length
    if pos != len(raw):
        raise ValueError(f"{path}: {len(raw) - pos} bytes after the last record")


def value(feature):
    kind, values = feature
    if kind == "bytes":
        return [v.decode("utf-8", "replace") for v in values]
    if kind in ("float", "int64"):
        return [v.item() if hasattr(v, "item") else v for v in values]
    return None


def image_summary(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    bands = image.split()
    return {"format": image.format, "mode": image.mode, "size": list(image.size),
            "means": [round(sum(b.getdata()) / (image.size[0] * image.size[1]), 2) for b in bands]}


def sequence(path):
    for _, data in read_records(path, verify=True):
        context, lists = raw_features(data)
        print(json.dumps({
            "context": {k: value(f) for k, f in sorted(context.items()) if not k.endswith("/encoded")},
            "lists": {k: len(v) for k, v in sorted(lists.items())},
            "int64_lists": {k: [value(f)[0] for f in v] for k, v in sorted(lists.items()) if k.endswith("timestamp")},
            "flow": [image_summary(f[1][0]) for f in lists["FORWARD_FLOW/image/encoded"]],
        }, sort_keys=True))


def same(plain, packed):
    a = [data for _, data in read_records(plain, verify=True)]
    b = [data for _, data in read_records(packed, verify=True)]
    if a == b:
        print(f"same {len(a)}")
    else:
        print(f"differ: {len(a)} and {len(b)} records; first different: {next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), None)}")


if __name__ == "__main__":
    {"sequence": sequence, "same": same}[sys.argv[1]](*sys.argv[2:])
