#!/usr/bin/env python3
"""Read video2tfrecord output with tf.data: both layouts (example, sequence), any encoding, optional optical flow.

TensorFlow is not installable on the machines this project is built on (no PyPI access), so this file is written
against TensorFlow's documented API (tf.io.parse_single_example, parse_single_sequence_example, decode_jpeg,
decode_png, decode_raw) and docs/format.md, and is not run in CI; only its syntax is checked
(python3 -m py_compile). examples/pytorch_dataset.py is the reader that is tested.

    import tfdata_reader
    ds = tfdata_reader.dataset("out/example")          # a folder, a glob, or a list of files of one run
    for item in ds.take(1):
        item["frames"]          # [N, H, W, C] uint8 (uint16 with --dtype uint16), RGB or 1 gray channel
        item["flow"]            # [N, H, W, 2] float32 dx, dy in pixels per frame (--flow ... with --flow-format xy)
        item["frame_indices"], item["timestamps_us"], item["label"], item["label_text"], item["id"]
        item["caption"]         # "" without one (--clips or --labels with a caption column)
        item["clip_us"]         # [start, end) µs on the video's clock for a clip (--clips, --clip-length); -1 otherwise
        item["audio"]           # [samples, channels] float32 in [-1, 1] (--audio), item["audio_rate"] its rate

Layout, frame count, encoding and flow keys are read from the first record (every record of one run shares them).
The example layout needs the same N in every record (--frames N); for --frames all use --layout sequence.
Records of the original Python tool (blob/i, height, width, depth only) are read too: raw uint8, or JPEG if blob/0 is.

DMVR and MediaSequence (--layout sequence, JPEG frames, the default encoding):
  - DMVR's modalities.add_image parses the feature list `image/encoded` of a SequenceExample
    (builders.SequenceExampleParserBuilder) and decodes it with tf.image.decode_jpeg; modalities.add_label reads the
    context `clip/label/index` and, with add_label_name=True, `clip/label/text`. MediaSequence's own name for the
    label text is `clip/label/string`; these records carry both.
  - Flow uses MediaSequence's FORWARD_FLOW prefix: feature lists `FORWARD_FLOW/image/encoded` and
    `FORWARD_FLOW/image/timestamp`, context `FORWARD_FLOW/image/format|channels|height|width|frame_rate`, and
    `FORWARD_FLOW/image/saturation` (MediaSequence's key for the bound the values were clipped to) = b.
    In DMVR: add_image(..., input_feature_name="FORWARD_FLOW/image/encoded", output_feature_name="flow",
    is_flow=True, is_rgb=None, zero_centering_image=True) keeps R, G as q*2/255 - 1 clipped to [-1, 1];
    multiply by b for pixels per frame.
"""

import os
import sys

import tensorflow as tf


def record_files(source):
    """Sorted record files of a folder, a glob, a file, or a list of them (index files left out)."""
    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    files = []
    for s in map(str, sources):
        pattern = os.path.join(s, "*.tfrecord*") if tf.io.gfile.isdir(s) else s
        files += [f for f in tf.io.gfile.glob(pattern) if not f.endswith(".idx")]
    return sorted(files)


def compression_of(path):
    return "GZIP" if path.endswith(".gz") else "ZLIB" if path.endswith(".zz") else ""


def _first_value(features, key, default=None):
    if key not in features:
        return default
    feature = features[key]
    kind = feature.WhichOneof("kind")
    values = getattr(feature, kind).value if kind else []
    return values[0] if len(values) else default


def describe(path):
    """What a run's records hold, from the first record of `path` (parsed eagerly with tf.train protos)."""
    first = next(iter(tf.data.TFRecordDataset(path, compression_type=compression_of(path)).take(1))).numpy()
    # An Example parses as a SequenceExample whose context is its features (both are field 1), as in pytorch_dataset.py.
    sequence = tf.train.SequenceExample.FromString(first)
    ctx, lists = sequence.context.feature, sequence.feature_lists.feature_list
    text = lambda key, default: _first_value(ctx, key, default.encode()).decode()
    if "image/encoded" in lists:
        info = dict(layout="sequence", frames=len(lists["image/encoded"].feature),
                    channels=_first_value(ctx, "image/channels"),
                    flow="FORWARD_FLOW/image/encoded" in lists,
                    flow_image_format=text("FORWARD_FLOW/image/format", "JPEG"))
    else:
        frames = sum(1 for key in ctx if key.startswith("blob/"))
        info = dict(layout="example", frames=frames, channels=_first_value(ctx, "depth"),
                    flow="flow/x/0" in ctx, flow_image_format=text("flow/image_format", "RAW"))
    blob0 = lists["image/encoded"].feature[0].bytes_list.value[0] if info["layout"] == "sequence" else \
        _first_value(ctx, "blob/0", b"")
    sniffed = "JPEG" if blob0[:2] == b"\xff\xd8" else "PNG" if blob0[:8] == b"\x89PNG\r\n\x1a\n" else "RAW"
    info.update(image_format=text("image/format", sniffed), dtype=text("image/dtype", "uint8"),
                flow_format=text("flow/format", "xy"),
                audio="audio/samples" in ctx or "WAVEFORM/feature/floats" in lists)
    return info


def _decoder(image_format, dtype, channels):
    """bytes, shape [H, W, C] -> uint8/uint16 image [H, W, C] (the shape is used by RAW only)."""
    tf_dtype = tf.uint16 if dtype == "uint16" else tf.uint8
    if image_format == "JPEG":
        return lambda data, shape: tf.io.decode_jpeg(data, channels=channels)
    if image_format == "PNG":
        return lambda data, shape: tf.io.decode_png(data, channels=channels, dtype=tf_dtype)
    # RAW: row-major H x W x C samples, little-endian, no header.
    return lambda data, shape: tf.reshape(tf.io.decode_raw(data, tf_dtype, little_endian=True), shape)


def _to_pixels(q, bound, dtype):
    """Quantized flow q -> pixels per frame: v = q*2b/M - b, M = 255 (uint8) or 65535 (uint16)."""
    m = 65535.0 if dtype == "uint16" else 255.0
    return tf.cast(q, tf.float32) * (2.0 * bound / m) - bound


def _example_parser(info):
    n = info["frames"]
    keys = {
        "height": tf.io.FixedLenFeature([], tf.int64),
        "width": tf.io.FixedLenFeature([], tf.int64),
        "depth": tf.io.FixedLenFeature([], tf.int64),
        "video/id": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "frames/index": tf.io.FixedLenFeature([n], tf.int64, default_value=[-1] * n),
        "frames/timestamp_us": tf.io.FixedLenFeature([n], tf.int64, default_value=[-1] * n),
        "label/index": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "label/text": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "caption/text": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "clip/start/timestamp": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "clip/end/timestamp": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        **{f"blob/{i}": tf.io.FixedLenFeature([], tf.string) for i in range(n)},
    }
    if info["audio"]:
        # audio/samples: every sample, interleaved; a record of a video without audio has none (--audio optional).
        keys["audio/samples"] = tf.io.VarLenFeature(tf.float32)
        keys["audio/sample_rate"] = tf.io.FixedLenFeature([], tf.int64, default_value=0)
        keys["audio/channels"] = tf.io.FixedLenFeature([], tf.int64, default_value=1)
    flow = info["flow"] and info["flow_format"] == "xy"
    if flow:
        keys["flow/bound"] = tf.io.FixedLenFeature([], tf.float32)
        for i in range(n):
            keys[f"flow/x/{i}"] = tf.io.FixedLenFeature([], tf.string)
            keys[f"flow/y/{i}"] = tf.io.FixedLenFeature([], tf.string)
    decode = _decoder(info["image_format"], info["dtype"], info["channels"])
    decode_flow = _decoder(info["flow_image_format"], info["dtype"], 1)

    def parse(serialized):
        ex = tf.io.parse_single_example(serialized, keys)
        shape = tf.stack([ex["height"], ex["width"], ex["depth"]])
        item = {
            "frames": tf.stack([decode(ex[f"blob/{i}"], shape) for i in range(n)]),
            "frame_indices": ex["frames/index"], "timestamps_us": ex["frames/timestamp_us"],
            "label": ex["label/index"], "label_text": ex["label/text"], "id": ex["video/id"],
            "caption": ex["caption/text"], "clip_us": tf.stack([ex["clip/start/timestamp"], ex["clip/end/timestamp"]]),
        }
        if info["audio"]:
            item["audio"] = tf.reshape(tf.sparse.to_dense(ex["audio/samples"]), [-1, ex["audio/channels"]])
            item["audio_rate"] = ex["audio/sample_rate"]
        if flow:
            # flow/x/i and flow/y/i: one-channel images of entry i (H x W samples when RAW).
            flow_shape = tf.stack([ex["height"], ex["width"], 1])
            q = tf.stack([tf.concat([decode_flow(ex[f"flow/x/{i}"], flow_shape),
                                     decode_flow(ex[f"flow/y/{i}"], flow_shape)], axis=-1) for i in range(n)])
            item["flow"] = _to_pixels(q, ex["flow/bound"], info["dtype"])
        return item

    return parse


def _sequence_parser(info):
    context = {
        "example/id": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "clip/label/index": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "clip/label/text": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "frames/index": tf.io.VarLenFeature(tf.int64),
        # The name DMVR reads captions by (modalities.add_text's default input_feature_name).
        "caption/string": tf.io.FixedLenFeature([], tf.string, default_value=""),
        "clip/start/timestamp": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
        "clip/end/timestamp": tf.io.FixedLenFeature([], tf.int64, default_value=-1),
    }
    sequence = {
        "image/encoded": tf.io.FixedLenSequenceFeature([], tf.string),
        "image/timestamp": tf.io.FixedLenSequenceFeature([], tf.int64),
    }
    if info["audio"]:
        # WAVEFORM/feature/floats: one step holding every sample (what DMVR's add_audio reads), interleaved.
        context["WAVEFORM/feature/sample_rate"] = tf.io.FixedLenFeature([], tf.float32, default_value=0.0)
        context["WAVEFORM/feature/num_channels"] = tf.io.FixedLenFeature([], tf.int64, default_value=1)
        sequence["WAVEFORM/feature/floats"] = tf.io.VarLenFeature(tf.float32)
    if info["flow"]:
        context["FORWARD_FLOW/image/saturation"] = tf.io.FixedLenFeature([], tf.float32)
        sequence["FORWARD_FLOW/image/encoded"] = tf.io.FixedLenSequenceFeature([], tf.string)
    out_dtype = tf.uint16 if info["dtype"] == "uint16" else tf.uint8
    decode = _decoder(info["image_format"], info["dtype"], info["channels"])
    decode_flow = _decoder(info["flow_image_format"], info["dtype"], 3)

    def parse(serialized):
        ctx, seq = tf.io.parse_single_sequence_example(serialized, context, sequence)
        item = {
            "frames": tf.map_fn(lambda b: decode(b, None), seq["image/encoded"], fn_output_signature=out_dtype),
            "frame_indices": tf.sparse.to_dense(ctx["frames/index"]), "timestamps_us": seq["image/timestamp"],
            "label": ctx["clip/label/index"], "label_text": ctx["clip/label/text"], "id": ctx["example/id"],
            "caption": ctx["caption/string"], "clip_us": tf.stack([ctx["clip/start/timestamp"], ctx["clip/end/timestamp"]]),
        }
        if info["audio"]:
            samples = tf.sparse.to_dense(seq["WAVEFORM/feature/floats"])
            item["audio"] = tf.reshape(samples, [-1, ctx["WAVEFORM/feature/num_channels"]])
            item["audio_rate"] = ctx["WAVEFORM/feature/sample_rate"]
        if info["flow"]:
            # FORWARD_FLOW/image/encoded: 3-channel images, R = dx, G = dy, B = 0.
            q = tf.map_fn(lambda b: decode_flow(b, None), seq["FORWARD_FLOW/image/encoded"],
                          fn_output_signature=out_dtype)
            item["flow"] = _to_pixels(q[..., :2], ctx["FORWARD_FLOW/image/saturation"], info["dtype"])
        return item

    return parse


def dataset(source, info=None):
    """A tf.data.Dataset of dicts (see the module's docstring) over the record files of one run."""
    files = record_files(source)
    if not files:
        raise ValueError(f"no record files in {source!r}")
    info = info or describe(files[0])
    parse = _sequence_parser(info) if info["layout"] == "sequence" else _example_parser(info)
    records = tf.data.TFRecordDataset(files, compression_type=compression_of(files[0]))
    return records.map(parse, num_parallel_calls=tf.data.AUTOTUNE)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tfdata_reader.py FOLDER|FILE|GLOB")
    print(describe(record_files(sys.argv[1])[0]))
    for item in dataset(sys.argv[1]):
        flow = f", flow {tuple(item['flow'].shape)}" if "flow" in item else ""
        print(f"{item['id'].numpy().decode()}: frames {tuple(item['frames'].shape)} {item['frames'].dtype.name}{flow}, "
              f"source frames {item['frame_indices'].numpy().tolist()}, label {int(item['label'])}")
