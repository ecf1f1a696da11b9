#!/usr/bin/python3
"""Checks a --layout tfds output folder the way TFDS reads it, without TensorFlow: dataset_info.json and features.json
parsed strictly (unknown fields refused, as TFDS's json_format.Parse does) against TFDS's proto messages
(tfds_subset.proto), the record files TFDS's default template names, and every record's keys and value kinds against
what TFDS's example parser expects for each declared feature. Prints "ok" and a JSON summary, or raises."""

import glob
import importlib
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROTOS = os.path.join(HERE, "..", "..", "src", "Video2TfRecord", "Protos")


def compile_protos(out):
    subprocess.run(["protoc", f"-I{HERE}", f"--python_out={out}", "tfds_subset.proto"], check=True)
    subprocess.run(["protoc", f"-I{PROTOS}", f"--python_out={out}", "feature.proto", "example.proto"], check=True)
    sys.path.insert(0, out)
    return importlib.import_module("tfds_subset_pb2"), importlib.import_module("example_pb2")


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack_from("<Q", data, pos)
        yield data[pos + 12:pos + 12 + length]
        pos += 12 + length + 4


def main(folder):
    from google.protobuf import json_format

    with tempfile.TemporaryDirectory() as out:
        tfds, tf = compile_protos(out)
        with open(os.path.join(folder, "dataset_info.json")) as f:
            info = json_format.Parse(f.read(), tfds.DatasetInfo())
        with open(os.path.join(folder, "features.json")) as f:
            features = json_format.Parse(f.read(), tfds.Feature())

        assert info.version == "1.0.0" and info.file_format == "tfrecord", info
        assert features.WhichOneof("content") == "features_dict", features
        declared = features.features_dict.features
        split = info.splits[0]
        num_shards = len(split.shard_lengths)
        # naming.py: '{DATASET}-{SPLIT}.{FILEFORMAT}-{SHARD_X_OF_Y}', at least 5 digits.
        digits = max(5, len(str(num_shards)))
        expected = [f"{info.name}-{split.name}.tfrecord-{i:0{digits}d}-of-{num_shards:0{digits}d}" for i in range(num_shards)]
        found = sorted(os.path.basename(p) for p in glob.glob(os.path.join(folder, f"{info.name}-{split.name}.tfrecord-*")))
        assert found == expected, (found, expected)

        classes = None
        if "label" in declared:
            classes = declared["label"].class_label.num_classes
            with open(os.path.join(folder, "label.labels.txt")) as f:
                names = [n.strip() for n in f.read().split("\n") if n.strip()]
            assert len(names) == classes, (names, classes)

        kinds = {"video": "bytes_list", "text": "bytes_list", "tensor": "int64_list", "class_label": "int64_list"}
        total_bytes, counts = 0, []
        for name, length in zip(expected, split.shard_lengths):
            count = 0
            for record in records(os.path.join(folder, name)):
                total_bytes += len(record)
                count += 1
                example = tf.Example.FromString(record)
                keys = set(example.features.feature.keys())
                assert keys == set(declared.keys()), (keys, set(declared.keys()))
                for key, feature in declared.items():
                    content = feature.WhichOneof("content")
                    value = example.features.feature[key]
                    assert value.WhichOneof("kind") == kinds[content], (key, value.WhichOneof("kind"))
                    values = getattr(value, kinds[content]).value
                    if content == "video" or (content == "tensor" and feature.tensor.shape.dimensions):
                        dims = (feature.video if content == "video" else feature.tensor).shape.dimensions
                        assert dims[0] in (-1, len(values)), (key, dims[0], len(values))
                    elif content != "video":
                        assert len(values) == 1, (key, len(values))
                    if content == "class_label":
                        assert -1 <= values[0] < classes, (key, values[0], classes)
            assert count == length, (name, count, length)
            counts.append(count)
        assert total_bytes == split.num_bytes, (total_bytes, split.num_bytes)
        print("ok")
        print(json.dumps({"name": info.name, "shards": counts, "features": sorted(declared.keys()), "classes": classes}))


if __name__ == "__main__":
    main(sys.argv[1])
