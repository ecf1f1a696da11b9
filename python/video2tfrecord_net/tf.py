"""tf.data parse functions for converted records (TensorFlow is needed only when a function here is called).

    import tensorflow as tf
    from video2tfrecord_net.tf import parse_fn
    files = tf.io.gfile.glob("out/*.tfrecord")
    ds = tf.data.TFRecordDataset(files).map(parse_fn(layout="example", frames=16))
    # each element: {"frames": uint8 [16, H, W, C], "indices", "timestamps_us", "label", "label_text", "id", ...}

``feature_spec`` says which keys are parsed, with which type and count, without TensorFlow; the package's tests check
it against real records with the package's own reader (TensorFlow cannot be installed where this is built).
"""


def feature_spec(layout="example", frames=32, labels=False, flow=False, audio=False):
    """What parse_fn parses, without TensorFlow: (context {key: (dtype, count, default)}, sequence {key: (dtype,
    values per entry)}). count None = any number (VarLenFeature); default None = the key must be there, else the value a
    record without it gets (the original tool's records have no frames/index, video/id or labels).

    layout: "example" or "sequence". frames: the run's --frames (the example layout has one key per frame).
    labels, flow (xy flow), audio: whether the run had --labels, --flow, --audio.
    """
    if layout == "example":
        context = {f"blob/{i}": ("string", 1, None) for i in range(frames)}
        context.update({"height": ("int64", 1, None), "width": ("int64", 1, None), "depth": ("int64", 1, None),
                        "video/id": ("string", 1, ""), "frames/index": ("int64", frames, [-1] * frames),
                        "frames/timestamp_us": ("int64", frames, [-1] * frames)})
        if labels:
            context.update({"label/index": ("int64", 1, -1), "label/text": ("string", 1, "")})
        if flow:
            context.update({f"flow/{axis}/{i}": ("string", 1, None) for axis in "xy" for i in range(frames)})
            context["flow/bound"] = ("float", 1, None)
        if audio:
            context.update({"audio/samples": ("float", None, None), "audio/channels": ("int64", 1, None)})
        return context, {}
    if layout != "sequence":
        raise ValueError(f"layout: expected example or sequence, got {layout!r}")
    context = {"example/id": ("string", 1, ""), "image/height": ("int64", 1, None), "image/width": ("int64", 1, None),
               "image/channels": ("int64", 1, None), "frames/index": ("int64", None, None)}
    sequence = {"image/encoded": ("string", 1), "image/timestamp": ("int64", 1)}
    if labels:
        context.update({"clip/label/index": ("int64", 1, -1), "clip/label/text": ("string", 1, "")})
    if flow:
        context["FORWARD_FLOW/image/saturation"] = ("float", 1, None)
        sequence["FORWARD_FLOW/image/encoded"] = ("string", 1)
    if audio:
        context["WAVEFORM/feature/num_channels"] = ("int64", 1, None)
        sequence["WAVEFORM/feature/floats"] = ("float", None)
    return context, sequence


def parse_fn(layout="example", frames=32, labels=False, flow=False, audio=False, image_format="JPEG", dtype="uint8"):
    """A function for ``tf.data.Dataset.map`` that turns one serialized record into a dict of tensors.

    image_format: the run's image/format (JPEG, PNG or RAW; RAW only in the example layout); dtype: uint8 or uint16.
    The result holds frames [T, H, W, C], indices, timestamps_us, id, and label/label_text, flow (float32
    [T, H, W, 2], pixels per frame), audio (float32 [S, C]) when asked for.
    """
    import tensorflow as tf

    types = {"string": tf.string, "int64": tf.int64, "float": tf.float32}
    context_keys, sequence_keys = feature_spec(layout, frames, labels, flow, audio)

    def spec(dtype_name, count, default):
        if count is None:
            return tf.io.VarLenFeature(types[dtype_name])
        return tf.io.FixedLenFeature([count] if count > 1 else [], types[dtype_name], default_value=default)

    context_spec = {key: spec(*value) for key, value in context_keys.items()}
    sequence_spec = {key: tf.io.FixedLenSequenceFeature([], types[kind]) if count == 1 else tf.io.VarLenFeature(types[kind])
                     for key, (kind, count) in sequence_keys.items()}
    out_dtype = tf.uint16 if dtype == "uint16" else tf.uint8
    top = 65535.0 if dtype == "uint16" else 255.0

    def decode(images, height, width, channels):
        if image_format == "RAW":
            pixels = tf.io.decode_raw(images, out_dtype, little_endian=True)
            return tf.reshape(pixels, [-1, height, width, channels])
        if image_format == "PNG":
            return tf.map_fn(lambda b: tf.io.decode_png(b, channels=0, dtype=out_dtype), images, fn_output_signature=out_dtype)
        return tf.map_fn(lambda b: tf.io.decode_jpeg(b), images, fn_output_signature=tf.uint8)

    def to_pixels(quantized, bound):
        return tf.cast(quantized, tf.float32) * (2.0 * bound / top) - bound

    def parse_example(serialized):
        f = tf.io.parse_single_example(serialized, context_spec)
        height, width, depth = f["height"], f["width"], f["depth"]
        out = {"frames": decode(tf.stack([f[f"blob/{i}"] for i in range(frames)]), height, width, depth),
               "indices": f["frames/index"], "timestamps_us": f["frames/timestamp_us"], "id": f["video/id"]}
        if labels:
            out["label"], out["label_text"] = f["label/index"], f["label/text"]
        if flow:
            axes = [decode(tf.stack([f[f"flow/{axis}/{i}"] for i in range(frames)]), height, width, 1) for axis in "xy"]
            out["flow"] = to_pixels(tf.concat(axes, axis=-1), f["flow/bound"])
        if audio:
            out["audio"] = tf.reshape(tf.sparse.to_dense(f["audio/samples"]), [-1, f["audio/channels"]])
        return out

    def parse_sequence(serialized):
        ctx, seq = tf.io.parse_single_sequence_example(serialized, context_spec, sequence_spec)
        height, width, channels = ctx["image/height"], ctx["image/width"], ctx["image/channels"]
        out = {"frames": decode(seq["image/encoded"], height, width, channels),
               "indices": tf.sparse.to_dense(ctx["frames/index"]), "timestamps_us": seq["image/timestamp"],
               "id": ctx["example/id"]}
        if labels:
            out["label"], out["label_text"] = ctx["clip/label/index"], ctx["clip/label/text"]
        if flow:
            images = decode(seq["FORWARD_FLOW/image/encoded"], height, width, 3)
            out["flow"] = to_pixels(images[..., :2], ctx["FORWARD_FLOW/image/saturation"])
        if audio:
            out["audio"] = tf.reshape(tf.sparse.to_dense(seq["WAVEFORM/feature/floats"]), [-1, ctx["WAVEFORM/feature/num_channels"]])
        return out

    return parse_example if layout == "example" else parse_sequence


def describe(source):
    """What a run's records hold, from its first record, read without TensorFlow: the parse_fn arguments
    (layout, frames, labels, flow, audio, image_format, dtype) and the files' compression_type."""
    from ._reader import record_files, serialized_records, raw_features

    files = record_files(source)
    if not files:
        raise ValueError(f"no record files in {source!r}")
    path, _, first = next(iter(serialized_records(files[0])))
    context, lists = raw_features(first)

    def text(key, default):
        kind, values = context.get(key, ("bytes", []))
        return values[0].decode() if values else default

    if "image/encoded" in lists:
        blob0 = lists["image/encoded"][0][1][0]
        info = dict(layout="sequence", frames=len(lists["image/encoded"]), labels="clip/label/index" in context,
                    flow="FORWARD_FLOW/image/encoded" in lists, audio="WAVEFORM/feature/floats" in lists)
    else:
        blob0 = context.get("blob/0", ("bytes", [b""]))[1][0]
        info = dict(layout="example", frames=sum(1 for key in context if key.startswith("blob/")),
                    labels="label/index" in context, flow="flow/x/0" in context, audio="audio/samples" in context)
    sniffed = "JPEG" if blob0[:2] == b"\xff\xd8" else "PNG" if blob0[:8] == b"\x89PNG\r\n\x1a\n" else "RAW"
    info.update(image_format=text("image/format", sniffed), dtype=text("image/dtype", "uint8"))
    with open(path, "rb") as f:
        magic = f.read(2)
    compression = "GZIP" if magic == b"\x1f\x8b" else "ZLIB" if path.endswith(".zz") else ""
    return info, files, compression


def dataset(source):
    """A tf.data.Dataset of parse_fn's dicts over the record files of one run (a folder, a glob, files), its layout,
    frame count, encoding, labels, flow and audio read from the first record."""
    import tensorflow as tf

    info, files, compression = describe(source)
    records = tf.data.TFRecordDataset(files, compression_type=compression)
    return records.map(parse_fn(**info), num_parallel_calls=tf.data.AUTOTUNE)
