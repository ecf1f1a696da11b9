#!/usr/bin/python3
"""Read video2tfrecord output in PyTorch, without TensorFlow, through the Python package (docs/python.md).

Needs numpy, torch and Pillow; on Debian: apt-get install python3-torch python3-pil

    from video2tfrecord_net.torch import VideoRecordDataset, VideoRecordStream
    data = VideoRecordDataset("out/")                 # uncompressed files, random access
    frames = data[0]["frames"]                        # uint8 tensor [T, H, W, C], RGB (or 1 gray channel); int32 for uint16
    loader = torch.utils.data.DataLoader(VideoRecordStream("out/"), batch_size=8)   # any compression, streamed

Both layouts and every encoding (JPEG, PNG 8 and 16 bit, RAW) are read. Each item is a dict: frames, indices,
timestamps_us (tensors), label (int, -1 without labels), label_text, id, path, caption ("" without one); a clip also
has source_id and clip_us (start, end µs on the video's clock); with --audio, audio (float32 [samples, channels]),
audio_rate and audio_start_us; with xy flow, flow (float32 [T, H, W, 2], pixels per frame) and flow_bound.

Without the package installed, this file uses the copy in this repository's python/ folder (reading needs no .NET).
Run it on a folder to see what it reads:  python3 examples/pytorch_dataset.py out/
"""

import os
import sys

try:
    from video2tfrecord_net.torch import VideoRecordDataset, VideoRecordStream
except ImportError:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from video2tfrecord_net.torch import VideoRecordDataset, VideoRecordStream  # noqa: E402

__all__ = ["VideoRecordDataset", "VideoRecordStream"]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pytorch_dataset.py FOLDER|FILE|GLOB")
    for item in VideoRecordStream(sys.argv[1]):
        audio = f", audio {tuple(item['audio'].shape)} at {item['audio_rate']} Hz" if "audio" in item else ""
        clip = f", clip {item['clip_us']} of {item['source_id']}" if "clip_us" in item else ""
        caption = f", caption {item['caption']!r}" if item["caption"] else ""
        print(f"{item['id']}: frames {tuple(item['frames'].shape)} {item['frames'].dtype}, "
              f"source frames {item['indices'].tolist()}, label {item['label']} {item['label_text']!r}{clip}{audio}{caption}")
