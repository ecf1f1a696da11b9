#!/usr/bin/python3
"""Makes the tiny committed test and example videos (run once; the outputs are committed).

Every frame shows its own index and fixed color patches, so a test can tell from a stored image which source
frame it is and whether the channels are in RGB order. The pattern (also drawn by the tests' C# generator,
tests/Video2TfRecord.Tests/Fixtures/PatternFrames.cs):
  - top quarter: 10 cells side by side; cell b is white when bit b of the frame index is 1 (bit 0 leftmost), else black
  - second quarter: mid gray (128)
  - bottom half: red, green and blue patches, each a third of the width, left to right
Needs ffmpeg.  Usage: tests/data/make_test_videos.py (from the repository root)
"""
import subprocess
import sys

BITS = 10


def frame(index, width, height):
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            if y < height // 4:
                bit = (index >> min(x * BITS // width, BITS - 1)) & 1
                row += bytes((255, 255, 255)) if bit else bytes((0, 0, 0))
            elif y < height // 2:
                row += bytes((128, 128, 128))
            else:
                third = min(x * 3 // width, 2)
                row += bytes((255 if third == 0 else 0, 255 if third == 1 else 0, 255 if third == 2 else 0))
        rows.append(bytes(row))
    return b"".join(rows)


def make(path, frames, codec_args, width=160, height=120, fps=25):
    command = ["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
               "-r", str(fps), "-i", "-", *codec_args, path]
    data = b"".join(frame(i, width, height) for i in range(frames))
    subprocess.run(command, input=data, check=True)
    print(path, file=sys.stderr)


H264 = ["-c:v", "libx264", "-preset", "veryslow", "-crf", "18", "-pix_fmt", "yuv420p", "-movflags", "+faststart"]
MPEG4 = ["-c:v", "mpeg4", "-q:v", "2"]

if __name__ == "__main__":
    make("tests/data/counter-30f-h264.mp4", 30, H264)
    make("tests/data/counter-30f-mpeg4.avi", 30, MPEG4)
    make("examples/videos/walking/counter-48f-h264.mp4", 48, H264)
    make("examples/videos/walking/counter-40f-mpeg4.avi", 40, MPEG4)
    make("examples/videos/waving/counter-36f-vp9.webm", 36, ["-c:v", "libvpx-vp9", "-crf", "20", "-b:v", "0", "-deadline", "good"])
