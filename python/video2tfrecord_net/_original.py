"""The original video2tfrecord's call, with its parameters and defaults, mapped as docs/migration.md's
"Reproducing the original" says."""

import glob
import os

from ._convert import _run
from ._errors import ConversionError


def convert_videos_to_tfrecord(source_path, destination_path, n_videos_in_record=10, n_frames_per_video="all",
                               file_suffix="*.mp4", dense_optical_flow=True, width=1280, height=720,
                               color_depth="uint8", video_filenames=None):
    """Convert the videos in ``source_path`` as the original ``video2tfrecord.convert_videos_to_tfrecord`` did.

    Same parameters and defaults. The records have the original's keys and byte layout (``blob/i`` raw frames, with the
    original's gray flow as a 4th channel when ``dense_optical_flow``), its frame choice (``i * floor(T / N)``), its
    size (``width`` × ``height``, 1280×720 unless given) and its file names (``batch_…``); videos with fewer than
    ``n_frames_per_video`` frames are left out as the original left them out (listed in the result).

    Like the original, ``file_suffix`` is a glob matched in the top level of ``source_path`` and ``video_filenames``
    (a list of paths) replaces that search; a previous run's files in ``destination_path`` are replaced.
    Returns the ConversionResult (the original returned nothing).
    """
    if video_filenames:
        inputs = [os.fsdecode(p) for p in video_filenames]
        pattern = []
    else:
        source = os.fsdecode(source_path)
        inputs = sorted(glob.glob(os.path.join(glob.escape(source), file_suffix)))
        # No match: let the converter say so, in its words, naming the folder and the pattern.
        pattern = [] if inputs else [f"--pattern={file_suffix}"]
        inputs = inputs or [source]
    if n_frames_per_video == "all":
        frames = ["--frames=all"]
    elif isinstance(n_frames_per_video, int) and not isinstance(n_frames_per_video, bool):
        frames = [f"--frames={n_frames_per_video}", "--sampling=seed"]
    else:
        raise ConversionError(f"n_frames_per_video: expected a whole number or 'all', got {n_frames_per_video!r}")
    flow = ["--flow=farneback", "--flow-preset=seed", "--flow-format=seed", "--flow-pairs=stored"] if dense_optical_flow else []
    words = [*pattern, f"--videos-per-file={n_videos_in_record}", *frames, f"--size={width}x{height}",
             f"--dtype={color_depth}", "--encoding=raw", *flow, "--short-video=skip", "--prefix=batch", "--overwrite"]
    inputs = [p if not p.startswith("-") else os.path.join(".", p) for p in inputs]
    return _run(inputs, os.fsdecode(destination_path), words, progress=True)
