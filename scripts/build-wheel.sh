#!/usr/bin/env bash
# Builds the Python wheel: dist/video2tfrecord_net-<version>-py3-none-<platform>.whl (issue 22).
# Inside: python/video2tfrecord_net (the Python code), the command line as a self-contained linux-x64 publish in
# video2tfrecord_net/_bin/ (no .NET needed where it is installed), the option table the binary prints
# (`options --json`, as video2tfrecord_net/_options.json) and a `video2tfrecord` console script.
#   scripts/build-wheel.sh                 # into dist/
#   WHEEL_DIR=/tmp/w scripts/build-wheel.sh
# Needs the .NET SDK and NuGet (the runtime packs of a self-contained publish); no Python package index: the wheel is a
# zip written here (PEP 427: dist-info with METADATA, WHEEL, entry_points.txt and RECORD with SHA-256 of every file).
# The platform tag is manylinux_2_<N>_x86_64 where 2.<N> is the highest GLIBC symbol version any shipped ELF file
# needs (read with readelf, as auditwheel reads it), never a claimed one.
# Left out of the wheel: debugger and tracing support (libmscordaccore, libmscordbi, createdump,
# libcoreclrtraceptprovider: it links LTTng) and *.pdb files. (The web service uses the system's libsqlite3; a bundled
# libe_sqlite3.so, which needs glibc 2.34, would be left out too should a package bring one back.)
# Prints the wheel's path as its last line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dist=${WHEEL_DIR:-$root/dist}
version=$(sed -nE 's|.*<Version>([^<]+)</Version>.*|\1|p' Directory.Build.props | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The publish gets its own obj/ and bin/ (--artifacts-path), so it never disturbs the checkout's Release build.
# ReadyToRun: the assemblies carry native code, so a Python process that calls convert() starts the converter in about
# two thirds of the CPU time (0.31 s against 0.47 s for a one-frame conversion; docs/performance.md), for 11 MB more
# on disk and 12 s more here (NuGet's crossgen package).
log="$work/publish.log"
if ! dotnet publish src/Video2TfRecord.Cli -c Release -r linux-x64 --self-contained --nologo \
    --artifacts-path "$work/artifacts" -o "$work/publish" -p:DebugType=none -p:PublishReadyToRun=true >"$log" 2>&1; then
    cat "$log" >&2
    echo "build-wheel: dotnet publish failed" >&2
    exit 1
fi

package="$work/wheel/video2tfrecord_net"
mkdir -p "$package"
cp python/video2tfrecord_net/*.py "$package/"
cp -a "$work/publish" "$package/_bin"
rm -f "$package/_bin/"*.pdb "$package/_bin/libe_sqlite3.so" "$package/_bin/libmscordaccore.so" "$package/_bin/libmscordbi.so" \
    "$package/_bin/createdump" "$package/_bin/libcoreclrtraceptprovider.so"
"$package/_bin/Video2TfRecord.Cli" options --json > "$package/_options.json"

# The platform tag: the highest GLIBC_2.N any shipped ELF file needs.
glibc=0
while IFS= read -r -d '' file; do
    [[ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" == '177ELF' ]] || continue
    need=$(readelf -V -W "$file" 2>/dev/null | grep -oE 'GLIBC_2\.[0-9]+' | sed 's/GLIBC_2\.//' | sort -n | tail -n 1 || true)
    if [[ -n "$need" ]] && ((need > glibc)); then glibc=$need; needed_by=$(basename "$file"); fi
done < <(find "$package/_bin" -type f -print0)
((glibc > 0)) || { echo "build-wheel: no GLIBC symbol version found in the publish" >&2; exit 1; }
platform="manylinux_2_${glibc}_x86_64"
echo "build-wheel: glibc 2.$glibc needed (highest, by $needed_by): $platform" >&2

mkdir -p "$dist"
python3 - "$work/wheel" "$dist" "$version" "$platform" "$root/README.md" <<'PY'
import base64, hashlib, os, stat, sys, zipfile

tree, dist, version, platform, readme = sys.argv[1:]
name = "video2tfrecord_net"
info = f"{name}-{version}.dist-info"
wheel = os.path.join(dist, f"{name}-{version}-py3-none-{platform}.whl")
metadata = f"""Metadata-Version: 2.1
Name: video2tfrecord-net
Version: {version}
Summary: Convert folders of videos into TFRecord files (video2tfrecord for .NET, from Python); no .NET needed
License: MIT
Requires-Python: >=3.9
Requires-Dist: numpy
Requires-Dist: Pillow
Provides-Extra: progress
Requires-Dist: tqdm; extra == "progress"
Description-Content-Type: text/markdown

See docs/python.md in the repository: convert(inputs, output, **options), convert_videos_to_tfrecord (the original
tool's call), read(path), video2tfrecord_net.torch and video2tfrecord_net.tf.
"""
generated = {
    f"{info}/METADATA": metadata,
    f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: video2tfrecord build-wheel.sh\nRoot-Is-Purelib: false\nTag: py3-none-{platform}\n",
    f"{info}/entry_points.txt": "[console_scripts]\nvideo2tfrecord = video2tfrecord_net.__main__:main\n",
    f"{info}/top_level.txt": f"{name}\n",
}
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
files = []
for folder, dirs, names in os.walk(tree):
    dirs.sort()
    for n in sorted(names):
        path = os.path.join(folder, n)
        files.append((os.path.relpath(path, tree).replace(os.sep, "/"), path))
records = []
tmp = wheel + ".partial"
with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    def add(arcname, data, mode):
        entry = zipfile.ZipInfo(arcname, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = (stat.S_IFREG | mode) << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(entry, data)
        records.append(f"{arcname},{digest(data)},{len(data)}")
    for arcname, path in files:
        with open(path, "rb") as f:
            data = f.read()
        add(arcname, data, 0o755 if os.access(path, os.X_OK) else 0o644)
    for arcname, text in generated.items():
        add(arcname, text.encode(), 0o644)
    record = f"{info}/RECORD"
    text = "\n".join(records + [f"{record},,"]) + "\n"
    entry = zipfile.ZipInfo(record, date_time=(1980, 1, 1, 0, 0, 0))
    entry.external_attr = (stat.S_IFREG | 0o644) << 16
    z.writestr(entry, text, zipfile.ZIP_DEFLATED)
os.replace(tmp, wheel)
print(wheel)
PY
