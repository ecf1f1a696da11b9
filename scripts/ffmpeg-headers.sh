#!/usr/bin/env bash
# Puts the FFmpeg development headers of one libavcodec major into DEST/include (and the runtime libraries of the same
# packages into DEST/lib), without installing anything: the bindings' struct layouts are checked against every
# major's real headers, not only the installed one (issue 21).
#   scripts/ffmpeg-headers.sh 58 /tmp/ff58   # FFmpeg 4.3, Debian 11 bullseye's libav*-dev
#   scripts/ffmpeg-headers.sh 59 /tmp/ff59   # FFmpeg 5.1, Debian 12 bookworm's
#   scripts/ffmpeg-headers.sh 60 /tmp/ff60   # FFmpeg 6.1, FFmpeg's repository at n6.1 or Ubuntu 24.04 noble's 6.1.1
#   scripts/ffmpeg-headers.sh 61 /tmp/ff61   # FFmpeg 7.1, Debian 13 trixie's
#   scripts/ffmpeg-headers.sh 62 /tmp/ff62   # FFmpeg 8.0, FFmpeg's repository at n8.0 or Ubuntu 26.04 resolute's 8.0.x
#   scripts/ffmpeg-headers.sh 63 /tmp/ff63   # FFmpeg 9.0, Debian sid's (sid moved past 8.x: it has no 8.x any more)
# Prints DEST. Re-running is fast: the downloads are cached in $FFMPEG_HEADERS_CACHE
# (default ~/.cache/video2tfrecord/ffmpeg-headers) and a DEST that is already complete is left as it is.
#
# Debian majors: apt runs with a private configuration (sources, lists, cache and status under the cache folder),
# pointed at the same mirror this machine's own apt sources name, so the machine's apt state is never changed; the
# packages are fetched with `apt-get download` and unpacked with `dpkg-deb -x`. Signatures are checked against
# /usr/share/keyrings/debian-archive-keyring.gpg as usual.
#
# 60 and 62: no reachable Debian suite has FFmpeg 6.x or 8.x. Either
#  - FFMPEG_GIT_DIR=/path/to/FFmpeg.git (a clone or mirror of FFmpeg's repository): the headers at tag n6.1 / n8.0
#    (or FFMPEG_COMMIT when the tag is missing). The public headers need libavutil/avconfig.h, which FFmpeg's
#    configure generates: a minimal one for little-endian x86-64 is written (AV_HAVE_BIGENDIAN 0,
#    AV_HAVE_FAST_UNALIGNED 1). ffversion.h is not a public header and is not needed.
#  - UBUNTU_MIRROR=<an Ubuntu archive URL, as an Ubuntu machine's sources name it>: Ubuntu's libav*-dev by the same
#    private apt (60: noble 24.04, FFmpeg 6.1.1; 62: resolute 26.04, FFmpeg 8.0.x; the same ABI as the .0/.1
#    release). Its Release file is checked with UBUNTU_KEYRING if given, else trusted as is: this machine has no
#    Ubuntu keyring, and what is used is header data and libraries that are inspected, not run.
# UBUNTU_MIRROR with FFMPEG_HEADERS_FROM=ubuntu also gives 58 as Ubuntu 22.04 jammy's FFmpeg 4.4.
set -euo pipefail

usage() { echo "usage: $0 MAJOR DEST   (MAJOR: libavcodec major 58, 59, 60, 61, 62 or 63)" >&2; exit 2; }
[ $# -eq 2 ] || usage
major=$1
dest=$2

FFMPEG_COMMIT=${FFMPEG_COMMIT:-}

# the five libraries, as their -dev packages are called
libs=(libavformat libavcodec libavutil libswscale libswresample)

# suite = the Debian release that has this major; tag = FFmpeg's release tag; ubuntu = the Ubuntu release that has it
suite= tag= ubuntu=
case "$major" in
  58) suite=bullseye ubuntu=jammy ;;
  59) suite=bookworm ;;
  60) tag=n6.1 ubuntu=noble ;;
  61) suite=trixie ;;
  62) tag=n8.0 ubuntu=resolute ;;
  63) suite=sid ;;
  *) usage ;;
esac
[ "${FFMPEG_HEADERS_FROM:-}" = ubuntu ] && [ -n "$ubuntu" ] && suite=

cache=${FFMPEG_HEADERS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/video2tfrecord/ffmpeg-headers}
multiarch=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH)
mkdir -p "$cache" "$dest"
dest=$(cd "$dest" && pwd)

if [ -f "$dest/.complete" ] && [ "$(cat "$dest/.complete")" = "$major" ]; then
  echo "$dest"
  exit 0
fi
rm -rf "$dest/include" "$dest/lib" "$dest/root" "$dest/.complete"

# The mirror this machine's apt uses for Debian (deb822 .sources first, then the one-line format).
debian_mirror() {
  local uri=""
  if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    uri=$(awk '/^URIs:/ && /debian/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '/^deb / && /debian/ && !/security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || { echo "no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }
  echo "$uri"
}

# apt with everything it reads and writes under $1: the machine's sources, lists, cache and status stay untouched.
private_apt() {
  local tool=$1 dir=$2; shift 2
  local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o "Dir::Etc::SourceParts=$dir/empty"
    -o "Dir::Etc::PreferencesParts=$dir/empty" -o "Dir::Etc::Preferences=$dir/empty/none"
    -o "Dir::State=$dir/state" -o "Dir::State::status=$dir/status" -o "Dir::Cache=$dir/cache"
    -o "Acquire::Languages=none" -o "APT::Get::List-Cleanup=false")
  # unstable's Release file carries Valid-Until, which the mirror here may serve past
  opts+=(-o "Acquire::Check-Valid-Until=false")
  # as root apt drops to _apt for downloads, which cannot write into a private folder under $HOME
  [ "$(id -u)" = 0 ] && opts+=(-o "APT::Sandbox::User=root")
  "$tool" "${opts[@]}" "$@"
}

# $1 = apt folder, $2 = one-line source ("deb [...] URI SUITE COMPONENTS", may hold several lines)
apt_fetch() {
  local dir=$1 sources=$2; shift 2
  mkdir -p "$dir/empty" "$dir/state/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
  touch "$dir/status"
  if [ ! -f "$dir/sources.list" ] || [ "$(cat "$dir/sources.list")" != "$sources" ] \
     || [ -z "$(find "$dir/state/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
    printf '%s\n' "$sources" > "$dir/sources.list"
    private_apt apt-get "$dir" -qq update >&2
  fi
  # the runtime packages are the ones the -dev packages depend on by exact version (libavcodec59, …)
  local packages=() dev runtime
  for dev in "${libs[@]}"; do
    packages+=("$dev-dev")
    runtime=$(private_apt apt-cache "$dir" -o APT::Cache::AllVersions=false show "$dev-dev" 2>/dev/null \
      | awk -F': ' '/^Depends:/{print $2; exit}' | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -E "^${dev}[0-9]+$" | head -1 || true)
    [ -n "$runtime" ] && packages+=("$runtime")
  done
  (cd "$dir/debs" && private_apt apt-get "$dir" -qq download "${packages[@]}" >&2)
  local pkg deb
  mkdir -p "$dest/root"
  : > "$dest/packages.txt"
  for pkg in "${packages[@]}"; do
    deb=$(ls -t "$dir/debs/${pkg}_"*.deb | head -1)
    dpkg-deb -x "$deb" "$dest/root"
    echo "$(basename "$deb")" >> "$dest/packages.txt"
  done
  cp -a "$dest/root/usr/include/$multiarch" "$dest/include"
  [ -d "$dest/root/usr/lib/$multiarch" ] && ln -s root/usr/lib/"$multiarch" "$dest/lib"
  return 0
}

if [ -n "$suite" ]; then
  mirror=$(debian_mirror)
  apt_fetch "$cache/apt-$suite" "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main"
elif [ -n "$tag" ] && [ -n "${FFMPEG_GIT_DIR:-}" ]; then
  rev=$tag
  if ! git --git-dir="$FFMPEG_GIT_DIR" rev-parse -q --verify "$rev^{commit}" >/dev/null; then
    [ -n "$FFMPEG_COMMIT" ] || { echo "$FFMPEG_GIT_DIR has no tag $rev; set FFMPEG_COMMIT to that release's commit" >&2; exit 1; }
    rev=$FFMPEG_COMMIT
  fi
  commit=$(git --git-dir="$FFMPEG_GIT_DIR" rev-parse "$rev^{commit}")
  src="$cache/ffmpeg-$commit"
  if [ ! -d "$src" ]; then
    mkdir -p "$src.tmp"
    git --git-dir="$FFMPEG_GIT_DIR" archive "$commit" "${libs[@]}" | tar -x -C "$src.tmp"
    mv "$src.tmp" "$src"
  fi
  mkdir -p "$dest/include"
  for lib in "${libs[@]}"; do
    # the headers a library installs are its top-level *.h (Makefile's HEADERS; the internal ones are never
    # included by the public ones, so copying them too changes nothing)
    mkdir -p "$dest/include/$lib"
    cp "$src/$lib"/*.h "$dest/include/$lib/"
  done
  # generated by configure in a build; this is its content on little-endian x86-64
  cat > "$dest/include/libavutil/avconfig.h" <<'EOF'
/* Written by video2tfrecord's scripts/ffmpeg-headers.sh in place of the one FFmpeg's configure generates. */
#ifndef AVUTIL_AVCONFIG_H
#define AVUTIL_AVCONFIG_H
#define AV_HAVE_BIGENDIAN 0
#define AV_HAVE_FAST_UNALIGNED 1
#endif /* AVUTIL_AVCONFIG_H */
EOF
  echo "FFmpeg git $rev = $commit (avconfig.h written by this script)" > "$dest/packages.txt"
elif [ -n "$ubuntu" ] && [ -n "${UBUNTU_MIRROR:-}" ]; then
  if [ -n "${UBUNTU_KEYRING:-}" ]; then opt="signed-by=$UBUNTU_KEYRING"; else opt="trusted=yes"; fi
  apt_fetch "$cache/apt-$ubuntu" "deb [$opt] $UBUNTU_MIRROR $ubuntu universe main
deb [$opt] $UBUNTU_MIRROR $ubuntu-updates universe main"
else
  echo "$major: no Debian release has it; set FFMPEG_GIT_DIR to a git directory of FFmpeg's repository (tag $tag)," >&2
  echo "or UBUNTU_MIRROR to an Ubuntu archive URL (Ubuntu $ubuntu's packages)" >&2
  exit 1
fi

[ -f "$dest/include/libavcodec/version_major.h" ] || [ -f "$dest/include/libavcodec/version.h" ] \
  || { echo "no libavcodec headers in $dest/include" >&2; exit 1; }
echo "$major" > "$dest/.complete"
echo "$dest"
