"""Reading converted records back: ``read(path_or_paths)`` yields one dict of numpy arrays per record."""

import glob
import gzip
import io
import os
import zlib

import numpy as np

from . import _images, _wire


def record_files(source):
    """The record files of a folder (every *.tfrecord* in it), a glob, a file, or a list of those; sorted by name."""
    sources = [source] if isinstance(source, (str, bytes, os.PathLike)) else list(source)
    files = []
    for s in map(os.fsdecode, sources):
        if os.path.isdir(s):
            files += [f for f in glob.glob(os.path.join(s, "*.tfrecord*")) if not f.endswith((".idx", ".partial"))]
        else:
            matches = glob.glob(s)
            if not matches and not os.path.exists(s):
                raise FileNotFoundError(f"{s}: no such record file, folder or glob match")
            files += matches or [s]
    return sorted(files)


def _open(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    if path.endswith(".zz"):
        with open(path, "rb") as f:
            return io.BytesIO(zlib.decompress(f.read()))
    return open(path, "rb")


def serialized_records(source):
    """(file, offset, serialized record) for every record of the files ``source`` names, in file order."""
    for path in record_files(source):
        with _open(path) as stream:
            for offset, data in _wire.read_framed(stream, path):
                yield path, offset, data


def raw_features(serialized):
    """A record's features as protobuf gives them: (context {key: (kind, values)}, feature lists {key: [...]})."""
    return _wire.parse(serialized)


def read(source):
    """Every record of ``source`` (a record file, a folder of them, a glob, or a list of those; any compression), as
    one dict per record. See docs/python.md for the keys."""
    for _, _, data in serialized_records(source):
        yield parse(data)


def _one(features, key, default=None):
    kind, values = features.get(key, ("none", []))
    if len(values) == 0:
        return default
    value = values[0]
    if kind == "bytes":
        return value.decode("utf-8")
    if kind == "float":
        return float(value)
    return int(value)


def _ints(features, key):
    return np.asarray(features.get(key, ("int64", []))[1], dtype=np.int64)


def _bytes_of(feature):
    return feature[1][0]


def parse(serialized):
    """One serialized record of either layout as a dict of numpy arrays and values."""
    context, lists = _wire.parse(serialized)
    sequence = "image/encoded" in lists
    if sequence:
        shape = (_one(context, "image/height"), _one(context, "image/width"), _one(context, "image/channels"))
        images = [_bytes_of(f) for f in lists["image/encoded"]]
        timestamps = np.asarray([f[1][0] for f in lists.get("image/timestamp", [])], dtype=np.int64)
        item = dict(id=_one(context, "example/id"), path=_one(context, "clip/data_path"),
                    label=_one(context, "clip/label/index"), label_text=_one(context, "clip/label/string"),
                    caption=_one(context, "caption/string"), source_id=_one(context, "clip/media_id"))
        image_format = _one(context, "image/format", "JPEG")
    else:
        shape = (_one(context, "height"), _one(context, "width"), _one(context, "depth"))
        count = sum(1 for key in context if key.startswith("blob/"))
        images = [_bytes_of(context[f"blob/{i}"]) for i in range(count)]
        timestamps = _ints(context, "frames/timestamp_us")
        item = dict(id=_one(context, "video/id"), path=_one(context, "video/path"), label=_one(context, "label/index"),
                    label_text=_one(context, "label/text"), caption=_one(context, "caption/text"),
                    source_id=_one(context, "video/source_id", _one(context, "video/id")))
        # The original tool's records carry no image/format: raw bytes, or JPEG where blob/0 is one.
        image_format = _one(context, "image/format") or ("JPEG" if images and images[0][:2] == b"\xff\xd8" else "RAW")
    dtype = _one(context, "image/dtype", "uint8")
    frames = [_images.decode(b, image_format, dtype, *shape) for b in images]
    item["frames"] = np.stack(frames) if frames else np.zeros((0,) + tuple(shape), np.uint16 if dtype == "uint16" else np.uint8)
    item["indices"] = _ints(context, "frames/index")
    item["timestamps_us"] = timestamps
    item["frame_count"] = _one(context, "video/frame_count")
    item["fps"] = _one(context, "video/fps", _one(context, "image/frame_rate"))
    item["layout"] = "sequence" if sequence else "example"
    item["image_format"] = image_format
    start, end = _one(context, "clip/start/timestamp"), _one(context, "clip/end/timestamp")
    # A whole video in the sequence layout also has a window (its first and last stored frame); only a clip's id differs
    # from its video's.
    item["clip_us"] = (start, end) if start is not None and item["source_id"] != item["id"] else None
    if item["clip_us"] is None:
        item["source_id"] = None
    item["flow"], item["flow_bound"] = _flow(context, lists, sequence, dtype, shape)
    item["audio"], item["audio_rate"], item["audio_start_us"] = _audio(context, lists, sequence)
    return item


def _flow(context, lists, sequence, dtype, shape):
    """Flow as float32 [T, H, W, 2] (dx, dy in pixels per frame) and its bound, or (None, None)."""
    top = 65535.0 if dtype == "uint16" else 255.0
    if sequence and "FORWARD_FLOW/image/encoded" in lists:
        bound = _one(context, "FORWARD_FLOW/image/saturation")
        flow_format = _one(context, "FORWARD_FLOW/image/format", "JPEG")
        flow_shape = (_one(context, "FORWARD_FLOW/image/height"), _one(context, "FORWARD_FLOW/image/width"), 3)
        images = [_images.decode(_bytes_of(f), flow_format, dtype, *flow_shape)[..., :2] for f in lists["FORWARD_FLOW/image/encoded"]]
    elif not sequence and "flow/x/0" in context:
        bound = _one(context, "flow/bound")
        flow_format = _one(context, "flow/image_format", "RAW")
        count = sum(1 for key in context if key.startswith("flow/x/"))
        plane = (shape[0], shape[1], 1)
        images = [np.concatenate([_images.decode(_bytes_of(context[f"flow/{axis}/{i}"]), flow_format, dtype, *plane)
                                  for axis in ("x", "y")], axis=2) for i in range(count)]
    else:
        return None, None
    quantized = np.stack(images).astype(np.float32)
    return quantized * np.float32(2 * bound / top) - np.float32(bound), bound


def _audio(context, lists, sequence):
    """Audio as float32 [S, C] in [-1, 1], its rate and its first sample's time in µs, or (None, None, None)."""
    if sequence and "WAVEFORM/feature/floats" in lists:
        samples = lists["WAVEFORM/feature/floats"][0][1]
        channels = _one(context, "WAVEFORM/feature/num_channels", 1)
        rate = _one(context, "WAVEFORM/feature/sample_rate")
        stamps = lists.get("WAVEFORM/feature/timestamp", [])
        start = int(stamps[0][1][0]) if stamps else None
    elif not sequence and "audio/samples" in context:
        samples = context["audio/samples"][1]
        channels = _one(context, "audio/channels", 1)
        rate = _one(context, "audio/sample_rate")
        start = _one(context, "audio/timestamp_us")
    else:
        return None, None, None
    return np.asarray(samples, dtype=np.float32).reshape(-1, int(channels)), int(rate), start
