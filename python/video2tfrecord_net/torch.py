"""PyTorch datasets over converted records (PyTorch is needed only when this module is imported).

    from video2tfrecord_net.torch import VideoRecordDataset, VideoRecordStream
    data = VideoRecordDataset("out/")                  # uncompressed files: random access (FILE.idx or one scan)
    loader = torch.utils.data.DataLoader(VideoRecordStream("out/"), batch_size=8, num_workers=2)   # any compression

Items are read()'s dicts with tensors for arrays: frames [T, H, W, C] (uint8, or int32 for uint16 samples: torch has
no uint16 before 2.3), indices, timestamps_us, flow, audio; label is -1 and texts are "" where a record has none, so
the default collate batches them.
"""

import struct

import numpy as np
import torch

from ._reader import _open, parse, record_files
from ._wire import read_framed


def to_tensors(item):
    """read()'s dict with numpy arrays as tensors and missing values as -1 / "" (what DataLoader's collate needs)."""
    out = {}
    for key, value in item.items():
        if isinstance(value, np.ndarray):
            out[key] = torch.from_numpy(value.astype(np.int32) if value.dtype == np.uint16 else value.copy())
        elif value is None:
            out[key] = -1 if key in ("label", "frame_count", "audio_rate", "audio_start_us") else ""
        else:
            out[key] = value
    # Keys whose value is an array or None differ between records of one run only by presence: leave them out.
    for key in ("flow", "audio", "clip_us", "flow_bound", "source_id"):
        if item.get(key) is None:
            out.pop(key, None)
    return out


class VideoRecordDataset(torch.utils.data.Dataset):
    """Random access over uncompressed record files; offsets from FILE.idx (``index=True``) or one scan at start."""

    def __init__(self, source, transform=None):
        self.transform = transform
        self.entries = []
        for path in record_files(source):
            if path.endswith((".gz", ".zz")):
                raise ValueError(f"{path} is compressed: random access needs uncompressed files "
                                 "(VideoRecordStream reads compressed ones)")
            try:
                with open(path + ".idx") as f:
                    self.entries += [(path, int(line.split()[0])) for line in f if line.strip()]
            except FileNotFoundError:
                with open(path, "rb") as stream:
                    self.entries += [(path, offset) for offset, _ in read_framed(stream, path)]

    def __len__(self):
        return len(self.entries)

    def __getitem__(self, i):
        path, offset = self.entries[i]
        with open(path, "rb") as f:
            f.seek(offset)
            (length,) = struct.unpack("<Q", f.read(12)[:8])
            item = to_tensors(parse(f.read(length)))
        return self.transform(item) if self.transform else item


class VideoRecordStream(torch.utils.data.IterableDataset):
    """Streams records of any compression; with DataLoader workers each worker reads its share of the files."""

    def __init__(self, source, transform=None):
        self.files = record_files(source)
        self.transform = transform

    def __iter__(self):
        worker = torch.utils.data.get_worker_info()
        files = self.files if worker is None else self.files[worker.id::worker.num_workers]
        for path in files:
            with _open(path) as stream:
                for _, data in read_framed(stream, path):
                    item = to_tensors(parse(data))
                    yield self.transform(item) if self.transform else item
