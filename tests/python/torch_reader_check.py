#!/usr/bin/python3
"""Reads a folder through examples/pytorch_dataset.py and prints, as JSON, what each item holds, with the frame index
and patch colors read back from the pixels (the test videos draw their index as bits and red/green/blue patches), and
the strongest frequency of the audio, when there is some."""

import json
import os
import sys

import numpy
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "examples"))
from pytorch_dataset import VideoRecordDataset, VideoRecordStream  # noqa: E402

BITS = 10


def pattern_index(frame, scale):
    height, width = frame.shape[0], frame.shape[1]
    index = 0
    for bit in range(BITS):
        x, y = int((bit + 0.5) * width / BITS), height // 8
        if frame[max(0, y - 1):y + 2, max(0, x - 1):x + 2].float().mean() / scale > 0.5:
            index |= 1 << bit
    return index


def patch_order(frame):
    if frame.shape[2] == 1:
        return ""
    height, width = frame.shape[0], frame.shape[1]
    y = height * 3 // 4
    order = ""
    for i in range(3):
        x = int((i + 0.5) * width / 3)
        mean = frame[y - 2:y + 3, x - 2:x + 3].float().mean(dim=(0, 1))
        order += "RGB"[int(mean.argmax())]
    return order


def describe(item):
    frames = item["frames"]
    scale = 65535.0 if frames.dtype == torch.int32 else 255.0
    return {
        "id": item["id"], "path": item["path"], "label": item["label"], "label_text": item["label_text"],
        "shape": list(frames.shape), "dtype": str(frames.dtype).replace("torch.", ""),
        "frame_indices": item["indices"].tolist(), "timestamps": len(item["timestamps_us"]),
        "pattern": [pattern_index(f, scale) for f in frames], "patches": [patch_order(f) for f in frames],
        "max": int(frames.max()),
        "caption": item["caption"], "source_id": item.get("source_id"),
        "clip_us": list(item["clip_us"]) if "clip_us" in item else None,
        **(audio(item) if "audio" in item else {}),
    }


def audio(item):
    samples = item["audio"]
    # numpy's FFT: Debian 11's torch 1.7 is built without one ("ATen not compiled with MKL support")
    spectrum = abs(numpy.fft.rfft(samples[:, 0].double().numpy()))
    return {"audio_shape": list(samples.shape), "audio_rate": item["audio_rate"], "audio_start_us": item["audio_start_us"],
            "tone": float(spectrum.argmax()) * item["audio_rate"] / samples.shape[0]}


folder, mode = sys.argv[1], sys.argv[2]
if mode == "random":
    data = VideoRecordDataset(folder)
    items = [data[i] for i in reversed(range(len(data)))][::-1]  # random access, read out of order
else:
    items = list(VideoRecordStream(folder))
batch = next(iter(torch.utils.data.DataLoader(VideoRecordStream(folder), batch_size=2)))
print(json.dumps({"items": [describe(i) for i in items], "batch_shape": list(batch["frames"].shape),
                  "batch_ids": batch["id"]}))
