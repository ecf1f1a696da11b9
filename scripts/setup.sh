#!/usr/bin/env bash
# Installs the Debian packages this project needs, and only those that are missing (apt-get runs only then).
#   scripts/setup.sh          what the converter needs at run time: the system FFmpeg 5.1 libraries the decoder binds
#                             (libavformat59 …), libturbojpeg0 (verify reads libjpeg's warnings) and the OpenCV
#                             runtime's native dependencies
#   scripts/setup.sh --test   also what the tests need: ffmpeg (makes test videos), the FFmpeg headers and a C compiler
#                             (the bindings' layout test), GNU time (peak memory of a conversion), protoc,
#                             python3-protobuf, python3-torch and python3-pil (examples/pytorch_dataset.py), and
#                             Node.js with npm (Debian's, only where no node or npm is on PATH) for tests/node's
#                             packages (an S3 test server, the Kubernetes manifest check), installed by `npm ci`
# The runtime list was found by running OpenCvSharp's native library (libOpenCvSharpExtern.so) in a fresh
# Debian 12 root and reading `ldd`: libgtk-3-0 (and through it most of X/GLib), libdrm2, libatomic1.
set -euo pipefail

packages=(libavformat59 libavcodec59 libavutil57 libswscale6 libswresample4 libturbojpeg0 libgtk-3-0 libdrm2 libatomic1 ca-certificates)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev gcc libc6-dev time protobuf-compiler python3-protobuf python3-torch python3-pil chromium)
    # A node or npm already on PATH (another install) is used as it is; Debian 12's are Node.js 18 and npm 9.
    command -v node >/dev/null || packages+=(nodejs)
    command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "setup: installing ${missing[*]}" >&2
    sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    # Installing ca-certificates (or a package that triggers it) rebuilds the CA bundle from the CAs Debian and
    # /usr/local/share/ca-certificates hold: a CA written straight into the bundle (a proxy's, an image's) would be
    # dropped, and with it every download after this one. Those are kept, in /usr/local/share/ca-certificates.
    bundle=/etc/ssl/certs/ca-certificates.crt
    before=$(mktemp)
    [[ ! -f "$bundle" ]] || cp "$bundle" "$before"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
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
if [[ "${1:-}" == "--test" ]]; then
    node_tests=$(cd "$(dirname "$0")/.." && pwd)/tests/node
    if [[ ! -d "$node_tests/node_modules" || "$node_tests/package-lock.json" -nt "$node_tests/node_modules" ]]; then
        echo "setup: installing tests/node's npm packages" >&2
        npm ci --no-audit --no-fund --loglevel=error --prefix "$node_tests" >/dev/null
    fi
fi

# After a restore, say plainly if the OpenCV native library still lacks something (a distribution other than Debian 12).
native=$(ls "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/opencvsharp4.official.runtime.linux-x64/*/runtimes/linux-x64/native/libOpenCvSharpExtern.so 2>/dev/null | tail -n 1 || true)
if [[ -n "$native" ]] && ldd "$native" | grep -q "not found"; then
    echo "setup: $native still misses: $(ldd "$native" | awk '/not found/{print $1}' | tr '\n' ' ')" >&2
    exit 1
fi
