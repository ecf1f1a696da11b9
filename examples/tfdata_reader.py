#!/usr/bin/env python3
"""Read video2tfrecord output with tf.data, through the Python package's parse functions (docs/python.md).

    from video2tfrecord_net.tf import dataset, parse_fn
    ds = dataset("out/example")     # a folder, a glob, or files of one run: layout, frames, labels, flow, audio and
                                    # encoding are read from its first record
    for item in ds.take(1):
        item["frames"]              # [N, H, W, C] uint8 (uint16 with --dtype uint16), RGB or 1 gray channel
        item["flow"]                # [N, H, W, 2] float32 dx, dy in pixels per frame (--flow ... with --flow-format xy)
        item["indices"], item["timestamps_us"], item["id"], item["label"], item["label_text"], item["audio"]

or, knowing the run: tf.data.TFRecordDataset(files).map(parse_fn(layout="sequence", frames=16, labels=True)).
The example layout needs the same N in every record (--frames N); for --frames all use --layout sequence. Records of
the original Python tool (blob/i, height, width, depth only) are read too.

TensorFlow is not installable where this project is built, so this reader is written against TensorFlow's documented
API (parse_single_example, parse_single_sequence_example, decode_jpeg, decode_png, decode_raw) and not run there; the
tests check its feature spec against real records with the package's own reader.

DMVR and MediaSequence (--layout sequence, JPEG frames): DMVR's modalities.add_image parses the feature list
`image/encoded` and add_label reads `clip/label/index` (and `clip/label/text`); flow is MediaSequence's
FORWARD_FLOW/image/encoded with the bound in FORWARD_FLOW/image/saturation (docs/format.md).

Without the package installed, this file uses the copy in this repository's python/ folder (reading needs no .NET).
"""

import os
import sys

try:
    from video2tfrecord_net.tf import dataset, describe
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from video2tfrecord_net.tf import dataset, describe  # noqa: E402


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tfdata_reader.py FOLDER|FILE|GLOB")
    print(describe(sys.argv[1])[0])
    for item in dataset(sys.argv[1]):
        flow = f", flow {tuple(item['flow'].shape)}" if "flow" in item else ""
        label = f", label {int(item['label'])}" if "label" in item else ""
        print(f"{item['id'].numpy().decode()}: frames {tuple(item['frames'].shape)} {item['frames'].dtype.name}{flow}, "
              f"source frames {item['indices'].numpy().tolist()}{label}")
