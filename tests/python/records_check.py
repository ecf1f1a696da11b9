#!/usr/bin/python3
"""Reads record files with examples/pytorch_dataset.py's own framing reader (CRCs checked) and message classes, which
share no code with the C# library, and prints what the tests compare:

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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples"))
from pytorch_dataset import SequenceExample, read_records  # noqa: E402
from PIL import Image  # noqa: E402


def value(feature):
    kind = feature.WhichOneof("kind")
    if kind == "bytes_list":
        return [v.decode("utf-8", "replace") for v in feature.bytes_list.value]
    if kind == "float_list":
        return list(feature.float_list.value)
    if kind == "int64_list":
        return list(feature.int64_list.value)
    return None


def image_summary(data):
    image = Image.open(io.BytesIO(data))
    image.load()
    bands = image.split()
    return {"format": image.format, "mode": image.mode, "size": list(image.size),
            "means": [round(sum(b.getdata()) / (image.size[0] * image.size[1]), 2) for b in bands]}


def sequence(path):
    for _, data in read_records(path, verify=True):
        record = SequenceExample()
        record.ParseFromString(data)
        lists = record.feature_lists.feature_list
        print(json.dumps({
            "context": {k: value(f) for k, f in sorted(record.context.feature.items()) if not k.endswith("/encoded")},
            "lists": {k: len(v.feature) for k, v in sorted(lists.items())},
            "int64_lists": {k: [value(f)[0] for f in v.feature] for k, v in sorted(lists.items()) if k.endswith("timestamp")},
            "flow": [image_summary(f.bytes_list.value[0]) for f in lists["FORWARD_FLOW/image/encoded"].feature],
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
