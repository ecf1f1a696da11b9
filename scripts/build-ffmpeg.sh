#!/usr/bin/env bash
# Builds FFmpeg's five libraries from a release's source, shared, decoders and demuxers only, into DEST (DEST/lib,
# DEST/include), so the suite can run against a major no reachable Debian release ships (6.1, 8.0):
#   scripts/build-ffmpeg.sh 6.1.1 /var/tmp/ffmpeg61     # about 15 minutes of CPU on 2 cores
#   VIDEO2TFRECORD_FFMPEG_DIR=/var/tmp/ffmpeg61/lib VIDEO2TFRECORD_FFMPEG_INCLUDE=/var/tmp/ffmpeg61/include \
#       dotnet test tests/Video2TfRecord.Tests -c Release
# The source is the release tarball FFmpeg publishes, as Debian's or Ubuntu's source packages carry it
# (ffmpeg_VERSION.orig.tar.xz): from FFMPEG_SOURCE (a file) if given, else from the archive UBUNTU_MIRROR names
# (default http://archive.ubuntu.com/ubuntu: 6.1.1 is Ubuntu 24.04's, 8.0.1 Ubuntu 26.04's), else Debian's mirror.
# No encoders, muxers, filters, devices or network; AV1 through libdav1d (libdav1d-dev), SIMD with nasm: both are
# installed with apt when missing. The test videos are still made by the system's ffmpeg program.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 VERSION DEST   (VERSION: an FFmpeg release such as 6.1.1 or 8.0.1)" >&2; exit 2; }
version=$1
dest=$(realpath -m "$2")
work=$(mktemp -d /var/tmp/ffmpeg-build.XXXXXX)
trap 'rm -rf "$work"' EXIT

missing=()
for package in nasm libdav1d-dev gcc make pkg-config; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

tarball=${FFMPEG_SOURCE:-}
if [ -z "$tarball" ]; then
    tarball=$work/ffmpeg_$version.orig.tar.xz
    ubuntu=${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}
    debian=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || echo http://deb.debian.org/debian)
    curl -fsS -o "$tarball" "$ubuntu/pool/universe/f/ffmpeg/ffmpeg_$version.orig.tar.xz" \
        || curl -fsS -o "$tarball" "$debian/pool/main/f/ffmpeg/ffmpeg_$version.orig.tar.xz" \
        || { echo "$0: no ffmpeg_$version.orig.tar.xz in $ubuntu or $debian: give one with FFMPEG_SOURCE" >&2; exit 1; }
fi

tar -xf "$tarball" -C "$work"
cd "$work"/ffmpeg-*
./configure --prefix="$dest" --enable-shared --disable-static --disable-programs --disable-doc --disable-network \
    --disable-avdevice --disable-avfilter --disable-encoders --disable-muxers --disable-hwaccels --disable-devices \
    --disable-filters --enable-libdav1d >"$work/configure.log" 2>&1 || { tail -20 "$work/configure.log" >&2; exit 1; }
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -30 "$work/make.log" >&2; exit 1; }
make install >/dev/null
echo "$dest"
