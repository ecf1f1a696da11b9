#!/usr/bin/python3
"""Writes golden TFRecord files with an implementation independent of this project's C# code: CRC-32C and the
framing written out here in plain Python, the Example serialized by Debian's python3-protobuf from the same
public .proto files (compiled with Debian's protoc). The outputs are committed; the C# reader must read them exactly.

Usage (from the repository root): tests/data/golden/make_golden.py
"""
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import zlib


def crc32c(data):
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFF
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def frame(record):
    length = struct.pack("<Q", len(record))
    return length + struct.pack("<I", masked(length)) + record + struct.pack("<I", masked(record))


def example_bytes():
    protos = os.path.join(os.path.dirname(__file__), "..", "..", "..", "src", "Video2TfRecord", "Protos")
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["protoc", f"-I{protos}", f"--python_out={out}", "feature.proto", "example.proto"], check=True)
        sys.path.insert(0, out)
        import example_pb2  # noqa: E402  (generated just above)
        example = example_pb2.Example()
        feature = example.features.feature
        feature["blob/0"].bytes_list.value.append(b"\x00\x01\x02golden")
        feature["height"].int64_list.value.append(2)
        feature["width"].int64_list.value.append(3)
        feature["depth"].int64_list.value.append(1)
        feature["video/fps"].float_list.value.append(29.97)
        feature["frames/index"].int64_list.value.extend([0, 5, -1, 1 << 40])
        feature["video/id"].bytes_list.value.append("dir/clip ü".encode())
        return example.SerializeToString(deterministic=True)


def main():
    assert crc32c(b"123456789") == 0xE3069283
    records = [b"hello", b"", bytes(i % 251 for i in range(70000)), example_bytes()]
    data = b"".join(frame(r) for r in records)
    here = os.path.dirname(__file__)
    with open(os.path.join(here, "golden.tfrecord"), "wb") as f:
        f.write(data)
    with open(os.path.join(here, "golden.tfrecord.gz"), "wb") as f:
        f.write(gzip.compress(data, mtime=0))
    with open(os.path.join(here, "golden.tfrecord.zz"), "wb") as f:
        f.write(zlib.compress(data))
    with open(os.path.join(here, "example.pb"), "wb") as f:
        f.write(records[3])


if __name__ == "__main__":
    main()
