#!/usr/bin/env bash
# Checks the bindings' struct layouts and constants against the real headers of every FFmpeg major they know
# (LibAvLayout: libavcodec 58 to 63): FFmpegLayoutTests compiled against each major's headers, fetched without
# installing anything by scripts/ffmpeg-headers.sh. The test suite checks the installed major on every run; this
# script is the check of the others, run by hand when a layout changes (issue 21).
#   scripts/check-ffmpeg-layouts.sh            # every major
#   scripts/check-ffmpeg-layouts.sh 58 61      # some
# 60 and 62 need UBUNTU_MIRROR or FFMPEG_GIT_DIR (see scripts/ffmpeg-headers.sh). Needs a Release build.
set -euo pipefail
cd "$(dirname "$0")/.."
majors=("$@")
[[ ${#majors[@]} -gt 0 ]] || majors=(58 59 60 61 62 63)
root=${FFMPEG_LAYOUTS_DIR:-/tmp/v2t-ffmpeg-layouts}
status=0
for major in "${majors[@]}"; do
    dest=$(scripts/ffmpeg-headers.sh "$major" "$root/$major" | tail -n 1)
    if VIDEO2TFRECORD_FFMPEG_INCLUDE="$dest/include" dotnet test tests/Video2TfRecord.Tests -c Release --no-build --nologo \
        --filter "FullyQualifiedName~FFmpegLayoutTests.Every_struct_field_and_constant_matches_the_installed_headers" >"$root/$major.log" 2>&1; then
        echo "libavcodec $major: layout matches the headers"
    else
        echo "libavcodec $major: MISMATCH (see $root/$major.log)"
        grep -E "bindings [0-9-]+, headers" "$root/$major.log" | sed 's/^/  /' | head -20 || true
        status=1
    fi
done
exit $status
