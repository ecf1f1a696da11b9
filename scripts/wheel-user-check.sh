#!/usr/bin/env bash
# A Python user's machine, no .NET: installs the wheel into a venv of Debian's python3, shows the one-line message for
# the system libraries OpenCV's native library still needs, installs the packages it names and the FFmpeg set, then
# converts examples/ with convert() and the original's call, reads both back, refuses a bad option, times a one-frame
# conversion of the console script, verifies, and uninstalls (docs/python.md, "A machine without .NET"). Meant to run
# inside a fresh root, from the clone, with the wheel in a folder the root sees:
#   mkdir -p /tmp/v2t-fresh && cp dist/*.whl /tmp/v2t-fresh/
#   FRESH_SDK=0 FRESH_MOUNT=/tmp/v2t-fresh FRESH_CMDS='bash scripts/wheel-user-check.sh /tmp/v2t-fresh' \
#       ../shared/tools/fresh-machine-check
set -euo pipefail
wheels=${1:?the folder holding the wheel}
repo=$(pwd)
echo "== dotnet: $(command -v dotnet || echo none)"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv python3-numpy python3-pil python3-tqdm >/dev/null
python3 -m venv --system-site-packages /opt/venv
/opt/venv/bin/pip install -q --no-index "$wheels"/*.whl
cd /tmp
echo "== before any system library"
/opt/venv/bin/python -c 'import video2tfrecord_net as v; v.convert("'"$repo"'/examples/videos", "/tmp/o0", frames=4)' 2>&1 | tail -2 || true
echo "== apt-get the libraries the message names"
libs=$(/opt/venv/bin/python -c 'import video2tfrecord_net as v
try:
    v.convert("'"$repo"'/examples/videos", "/tmp/o0", frames=4)
except v.ConversionError as e:
    print(str(e).split("apt-get install ",1)[1].split(" (")[0] if "apt-get install" in str(e) else "")' 2>/dev/null | tr ';' ' ')
echo "installing: $libs"
[ -n "$libs" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $libs >/dev/null
# Debian 12's names (scripts/setup.sh knows every release's).
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libavformat59 libavcodec59 libswscale6 libswresample4 libavutil57 >/dev/null
echo "== convert + read"
/opt/venv/bin/python - "$repo" <<'PY'
import sys, time, subprocess, os, signal
import video2tfrecord_net as v
repo = sys.argv[1]
t = time.time()
r = v.convert(f"{repo}/examples/videos", "/tmp/o1", frames=8, size=(64, 48), layout="sequence", progress=False)
print("converted", r.converted, "of", r.total, "in %.2f s" % (time.time() - t))
for rec in v.read("/tmp/o1"):
    print(rec["id"] if "id" in rec else "", rec["frames"].shape, rec["frames"].dtype, list(rec.get("indices", []))[:4])
from video2tfrecord_net import convert_videos_to_tfrecord
t = time.time()
convert_videos_to_tfrecord(f"{repo}/examples/videos/walking", "/tmp/o2", 1, 4, "*.mp4", width=64, height=48)
print("original call in %.2f s" % (time.time() - t))
for rec in v.read("/tmp/o2"):
    print(rec["frames"].shape, rec["frames"].dtype, list(rec.get("indices", [])))
try:
    v.convert(f"{repo}/examples/videos", "/tmp/o3", frames="abc")
except v.ConversionError as e:
    print("ConversionError:", e)
PY
echo "== one-frame conversion wall time (console script)"
time /opt/venv/bin/video2tfrecord convert "$repo/examples/videos/walking" -o /tmp/o4 --frames 1 --quiet
/opt/venv/bin/video2tfrecord verify /tmp/o1 /tmp/o2 | tail -2
/opt/venv/bin/pip uninstall -y -q video2tfrecord-net
echo "left in venv: $(find /opt/venv -iname '*video2tfrecord*' | wc -l)"
