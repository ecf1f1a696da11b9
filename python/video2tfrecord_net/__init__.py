"""video2tfrecord for .NET, from Python: convert folders of videos into TFRecord files and read them back.

    from video2tfrecord_net import convert, read
    result = convert("videos/", "out/", frames=16, size=(224, 224), labels="labels.csv")
    for record in read("out/"):
        record["frames"]            # numpy uint8 [T, H, W, C], RGB

The original tool's call works as before: ``from video2tfrecord_net import convert_videos_to_tfrecord``.
Every option of ``convert`` (the command line's, dashes as underscores): see docs/python.md or ``options()``.
"""

from ._binary import BinaryNotFound
from ._convert import ConversionResult, Failure, RecordFile, convert
from ._errors import ConversionError
from ._original import convert_videos_to_tfrecord
from ._reader import read, record_files

__version__ = "0.1.0"

__all__ = ["BinaryNotFound", "ConversionError", "ConversionResult", "Failure", "RecordFile", "convert",
           "convert_videos_to_tfrecord", "options", "read", "record_files"]


def options():
    """The keyword arguments ``convert`` takes, with defaults, choices and help, as the command line's table has them."""
    from ._options import table
    return {name: dict(row) for name, row in table().items()}
