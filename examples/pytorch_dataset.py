#!/usr/bin/python3
"""Read video2tfrecord output in PyTorch, without TensorFlow.

Needs numpy, torch, protobuf and Pillow; on Debian 12:
    apt-get install python3-torch python3-protobuf python3-pil

    from pytorch_dataset import VideoRecordDataset, VideoRecordStream
    data = VideoRecordDataset("out/")                 # uncompressed files, random access
    frames = data[0]["frames"]                        # uint8/uint16 tensor [T, H, W, C], RGB (or 1 gray channel)
    loader = torch.utils.data.DataLoader(VideoRecordStream("out/"), batch_size=8)   # any compression, streamed

Both layouts (`--layout example` and `--layout sequence`) and every encoding (JPEG, PNG, RAW) are read. Each item is a
dict: frames, frame_indices, timestamps_us (int64 tensors), label (int, -1 without labels), label_text, id, path,
caption ("" without one); a clip (--clips, --clip-length) also has source_id and clip_us (start, end: its window on
the video's clock); with --audio, audio (float32 tensor [samples, channels] in [-1, 1]), audio_rate and
audio_start_us (the first sample's time on the frames' clock).

Run it on a folder to see what it reads:  python3 examples/pytorch_dataset.py out/
"""

import glob
import gzip
import io
import os
import struct
import sys
import zlib

import numpy as np
import torch
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from PIL import Image


# --- tf.train.Example / SequenceExample, declared here (TensorFlow's public field numbers) so no protoc is needed ---

def _message_classes():
    T = descriptor_pb2.FieldDescriptorProto
    proto = descriptor_pb2.FileDescriptorProto(name="video2tfrecord_reader/example.proto", package="tensorflow",
                                               syntax="proto3")

    def message(name, fields, nested=()):
        m = proto.message_type.add(name=name)
        for n in nested:
            m.nested_type.append(n)
        for number, field_name, kind, label, type_name, oneof in fields:
            f = m.field.add(name=field_name, number=number, type=kind, label=label)
            if type_name:
                f.type_name = type_name
            if oneof is not None:
                f.oneof_index = oneof
        return m

    repeated, optional = T.LABEL_REPEATED, T.LABEL_OPTIONAL
    message("BytesList", [(1, "value", T.TYPE_BYTES, repeated, None, None)])
    message("FloatList", [(1, "value", T.TYPE_FLOAT, repeated, None, None)])
    message("Int64List", [(1, "value", T.TYPE_INT64, repeated, None, None)])
    feature = message("Feature", [(1, "bytes_list", T.TYPE_MESSAGE, optional, ".tensorflow.BytesList", 0),
                                  (2, "float_list", T.TYPE_MESSAGE, optional, ".tensorflow.FloatList", 0),
                                  (3, "int64_list", T.TYPE_MESSAGE, optional, ".tensorflow.Int64List", 0)])
    feature.oneof_decl.add(name="kind")

    def map_entry(name, value_type):
        entry = descriptor_pb2.DescriptorProto(name=name)
        entry.field.add(name="key", number=1, type=T.TYPE_STRING, label=optional)
        entry.field.add(name="value", number=2, type=T.TYPE_MESSAGE, label=optional, type_name=value_type)
        entry.options.map_entry = True
        return entry

    message("Features", [(1, "feature", T.TYPE_MESSAGE, repeated, ".tensorflow.Features.FeatureEntry", None)],
            [map_entry("FeatureEntry", ".tensorflow.Feature")])
    message("FeatureList", [(1, "feature", T.TYPE_MESSAGE, repeated, ".tensorflow.Feature", None)])
    message("FeatureLists", [(1, "feature_list", T.TYPE_MESSAGE, repeated,
                              ".tensorflow.FeatureLists.FeatureListEntry", None)],
            [map_entry("FeatureListEntry", ".tensorflow.FeatureList")])
    message("Example", [(1, "features", T.TYPE_MESSAGE, optional, ".tensorflow.Features", None)])
    message("SequenceExample", [(1, "context", T.TYPE_MESSAGE, optional, ".tensorflow.Features", None),
                                (2, "feature_lists", T.TYPE_MESSAGE, optional, ".tensorflow.FeatureLists", None)])

    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)

    def cls(name):
        descriptor = pool.FindMessageTypeByName("tensorflow." + name)
        if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
            return message_factory.GetMessageClass(descriptor)
        return message_factory.MessageFactory(pool).GetPrototype(descriptor)  # Debian 12's 3.21

    return cls("Example"), cls("SequenceExample")


Example, SequenceExample = _message_classes()


# --- TFRecord framing ---

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc32c_table()


def masked_crc32c(data):
    """TFRecord's masked CRC-32C (pure Python: slow, ~1 MB/s; reading checks lengths and leaves CRCs to `verify`)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    crc ^= 0xFFFFFFFF
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _open(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".zz"):
        with open(path, "rb") as f:
            return io.BytesIO(zlib.decompress(f.read()))
    return open(path, "rb")


def read_records(path, verify=False):
    """Yields (offset, serialized record) of a .tfrecord[.gz|.zz] file; offsets are in the uncompressed stream."""
    with _open(path) as f:
        offset = 0
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise ValueError(f"{path}: truncated record length at offset {offset}")
            (length,) = struct.unpack("<Q", header[:8])
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                raise ValueError(f"{path}: truncated record data at offset {offset}")
            if verify and (struct.unpack("<I", header[8:])[0] != masked_crc32c(header[:8])
                           or struct.unpack("<I", footer)[0] != masked_crc32c(data)):
                raise ValueError(f"{path}: checksum mismatch in the record at offset {offset}")
            yield offset, data
            offset += 16 + length


def record_files(source):
    """The record files a folder, a glob, a file or a list of those names, sorted."""
    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    files = []
    for s in map(str, sources):
        if os.path.isdir(s):
            files += [f for f in glob.glob(os.path.join(s, "*.tfrecord*")) if not f.endswith(".idx")]
        else:
            files += glob.glob(s) or [s]
    return sorted(files)


# --- decoding one record ---

def _values(feature):
    kind = feature.WhichOneof("kind")
    return list(getattr(feature, kind).value) if kind else []


def _one(features, key, default=None):
    values = _values(features[key]) if key in features else []
    return values[0] if values else default


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _decode_image(data, image_format, dtype, height, width, channels):
    if image_format == "RAW":
        array = np.frombuffer(data, dtype="<u2" if dtype == "uint16" else np.uint8)
        return array.reshape(height, width, channels)
    image = Image.open(io.BytesIO(data))
    if dtype == "uint16" and channels == 3:
        # Pillow reduces 16-bit color PNGs to 8 bits; refuse instead of returning wrong values.
        raise ValueError("16-bit RGB PNG needs a 16-bit color decoder (Pillow has none): convert with "
                         "--encoding raw, or decode with cv2.imdecode(..., cv2.IMREAD_UNCHANGED)")
    array = np.array(image)
    if dtype == "uint16":
        array = array.astype(np.uint16)
    return array.reshape(height, width, channels)


def parse_record(serialized):
    """A record of either layout as a dict of tensors and values (see the module's docstring)."""
    sequence = SequenceExample.FromString(serialized)
    lists = sequence.feature_lists.feature_list
    if "image/encoded" in lists:
        ctx = sequence.context.feature
        images = [_values(f)[0] for f in lists["image/encoded"].feature]
        timestamps = [_values(f)[0] for f in lists["image/timestamp"].feature] if "image/timestamp" in lists else []
        shape = (_one(ctx, "image/height"), _one(ctx, "image/width"), _one(ctx, "image/channels"))
        info = dict(id=_one(ctx, "example/id"), path=_one(ctx, "clip/data_path"),
                    label=_one(ctx, "clip/label/index", -1), label_text=_one(ctx, "clip/label/text"),
                    indices=_values(ctx["frames/index"]) if "frames/index" in ctx else [],
                    caption=_one(ctx, "caption/string"), source=_one(ctx, "clip/media_id"))
        # MediaSequence's WAVEFORM: one feature-list entry holding every sample, interleaved.
        if "WAVEFORM/feature/floats" in lists:
            info["audio"] = (_values(lists["WAVEFORM/feature/floats"].feature[0]), _one(ctx, "WAVEFORM/feature/sample_rate"),
                             _one(ctx, "WAVEFORM/feature/num_channels"), _values(lists["WAVEFORM/feature/timestamp"].feature[0])[0])
    else:
        features = Example.FromString(serialized).features.feature
        count = sum(1 for key in features if key.startswith("blob/"))
        images = [_values(features[f"blob/{i}"])[0] for i in range(count)]
        timestamps = _values(features["frames/timestamp_us"]) if "frames/timestamp_us" in features else []
        shape = (_one(features, "height"), _one(features, "width"), _one(features, "depth"))
        ctx = features
        info = dict(id=_one(ctx, "video/id"), path=_one(ctx, "video/path"), label=_one(ctx, "label/index", -1),
                    label_text=_one(ctx, "label/text"),
                    indices=_values(ctx["frames/index"]) if "frames/index" in ctx else [],
                    caption=_one(ctx, "caption/text"), source=_one(ctx, "video/source_id"))
        if "audio/samples" in ctx:
            info["audio"] = (_values(ctx["audio/samples"]), _one(ctx, "audio/sample_rate"), _one(ctx, "audio/channels"),
                             _one(ctx, "audio/timestamp_us", 0))
    image_format = _text(_one(ctx, "image/format", b"RAW"))
    dtype = _text(_one(ctx, "image/dtype", b"uint8"))
    frames = np.stack([_decode_image(b, image_format, dtype, *shape) for b in images])
    # torch has no uint16 tensors before 2.3: 16-bit frames come as int32 (values 0..65535).
    frames = torch.from_numpy(frames.astype(np.int32) if dtype == "uint16" else frames.copy())
    item = {
        "frames": frames,
        "frame_indices": torch.tensor(info["indices"], dtype=torch.int64),
        "timestamps_us": torch.tensor(timestamps, dtype=torch.int64),
        "label": int(info["label"]),
        "label_text": _text(info["label_text"]) or "",
        "id": _text(info["id"]) or "",
        "path": _text(info["path"]) or "",
        "caption": _text(info["caption"]) or "",
    }
    source = _text(info["source"])
    # A clip: its source video differs from its own id (the example layout stores video/source_id for clips only).
    if source and source != item["id"]:
        item["source_id"] = source
        item["clip_us"] = (_one(ctx, "clip/start/timestamp"), _one(ctx, "clip/end/timestamp"))
    if "audio" in info:
        samples, rate, channels, start = info["audio"]
        item["audio"] = torch.tensor(np.asarray(samples, dtype=np.float32).reshape(-1, int(channels)))
        item["audio_rate"] = int(rate)
        item["audio_start_us"] = int(start)
    return item


# --- datasets ---

class VideoRecordDataset(torch.utils.data.Dataset):
    """Random access over uncompressed record files: offsets come from FILE.idx (`--index`) or one scan at start."""

    def __init__(self, source, transform=None):
        self.transform = transform
        self.entries = []
        for path in record_files(source):
            if path.endswith((".gz", ".zz")):
                raise ValueError(f"{path} is compressed: random access needs uncompressed files "
                                 "(use VideoRecordStream for compressed ones)")
            index = path + ".idx"
            if os.path.exists(index):
                with open(index) as f:
                    self.entries += [(path, int(line.split()[0])) for line in f if line.strip()]
            else:
                self.entries += [(path, offset) for offset, _ in read_records(path)]

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, i):
        path, offset = self.entries[i]
        with open(path, "rb") as f:
            f.seek(offset)
            (length,) = struct.unpack("<Q", f.read(12)[:8])
            item = parse_record(f.read(length))
        return self.transform(item) if self.transform else item


class VideoRecordStream(torch.utils.data.IterableDataset):
    """Streams records of any compression; with DataLoader workers, each worker reads its share of the files."""

    def __init__(self, source, transform=None):
        self.files = record_files(source)
        self.transform = transform

    def __iter__(self):
        worker = torch.utils.data.get_worker_info()
        files = self.files if worker is None else self.files[worker.id::worker.num_workers]
        for path in files:
            for _, serialized in read_records(path):
                item = parse_record(serialized)
                yield self.transform(item) if self.transform else item


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pytorch_dataset.py FOLDER|FILE|GLOB")
    for item in VideoRecordStream(sys.argv[1]):
        audio = f", audio {tuple(item['audio'].shape)} at {item['audio_rate']} Hz" if "audio" in item else ""
        clip = f", clip {item['clip_us']} of {item['source_id']}" if "clip_us" in item else ""
        caption = f", caption {item['caption']!r}" if item["caption"] else ""
        print(f"{item['id']}: frames {tuple(item['frames'].shape)} {item['frames'].dtype}, "
              f"source frames {item['frame_indices'].tolist()}, label {item['label']} {item['label_text']!r}{clip}{audio}{caption}")
