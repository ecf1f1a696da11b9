"""Where the converter binary is, and whether this machine can run it.

The wheel carries the converter as a self-contained linux-x64 publish in ``_bin/`` beside this file (a folder of
files, not one executable, so it lives inside the package rather than in the scripts folder as ruff's and uv's single
binaries do). A missing binary, another platform or a missing system library is one line naming the remedy.
"""

import os
import platform
import re
import sys

BINARY_NAME = "Video2TfRecord.Cli"

# What the shipped native files need from the system, as Debian names it (scripts/setup.sh has the full reasoning):
# OpenCvSharp's native library links GTK 3, libdrm and libatomic; the fast decoder binds one FFmpeg release's set.
APT_RUNTIME = "libgtk-3-0 libdrm2 libatomic1"
APT_FFMPEG = ("libavformat59 libavcodec59 libavutil57 libswscale6 libswresample4 (Debian 12; Debian 13: libavformat61 "
              "libavcodec61 libavutil59 libswscale8 libswresample5)")


class BinaryNotFound(RuntimeError):
    """The package's converter is missing or cannot run here; the message says which wheel or packages to install."""


def package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def find_binary():
    """The path of the converter inside the installed package, or BinaryNotFound with one line saying what to do."""
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        raise BinaryNotFound(
            f"video2tfrecord-net: this wheel's converter is built for Linux x86-64; this is {sys.platform} "
            f"{platform.machine()}: install the video2tfrecord_net-*-manylinux_*_x86_64.whl on a Linux x86-64 machine, "
            "or build the command line from source (dotnet publish src/Video2TfRecord.Cli)")
    override = os.environ.get("VIDEO2TFRECORD_BINARY")
    path = override or os.path.join(package_dir(), "_bin", BINARY_NAME)
    if not os.path.isfile(path):
        raise BinaryNotFound(
            f"video2tfrecord-net: the converter {path} is missing: this installation has no binary (a source checkout "
            "or a damaged install); install the linux x86_64 wheel built by scripts/build-wheel.sh")
    if not os.access(path, os.X_OK):
        raise BinaryNotFound(f"video2tfrecord-net: the converter {path} is not executable; reinstall the wheel")
    return path


def missing_libraries():
    """System libraries the converter's native files need but that are not installed, as apt package names."""
    missing = []
    native = os.path.join(package_dir(), "_bin", "libOpenCvSharpExtern.so")
    if os.path.isfile(native):
        import ctypes
        try:
            ctypes.CDLL(native)
        except OSError as e:
            name = re.search(r"(lib[\w.+-]+\.so[\w.]*)", str(e))
            missing.append(f"{APT_RUNTIME} (OpenCV's native library cannot load: {name.group(1) if name else e})")
    return missing


def explain_start_failure(error):
    """A one-line reason why the converter could not start, with the apt command where a library is missing."""
    missing = missing_libraries()
    if missing:
        return f"video2tfrecord-net: missing system libraries: apt-get install {'; '.join(missing)}"
    return f"video2tfrecord-net: the converter could not start: {error}"
