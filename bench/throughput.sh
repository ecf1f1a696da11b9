#!/usr/bin/env bash
# End-to-end throughput against the decode floor, in one session so the ratios hold on a noisy shared machine.
#   bench/throughput.sh [runs=1]
# Corpus (made once, kept in /tmp/v2t-throughput): 24 h264 640x360 30 fps 10 s clips with B-frames, GOP 60, moving
# content, and 4 h264 1280x720 30 fps 60 s clips, GOP 60.
# Floor: every frame decoded by the system's libavcodec with no conversion, one process per core over equal parts of
# the files (our decode-floor mode, and ffmpeg -threads 1 -f null for reference).
# Then convert --size 128x128: (a) --frames 40, (b) --frames all, (c) --frames 8 of the long clips, (d) --flow
# farneback --frames 40, each with --decoder ffmpeg and --decoder opencv; and for memory, (e) --frames 8 of 2,000
# copies of a 1 s 160x120 clip and (f) --frames all of the long clips. Wall and CPU time and peak RSS come from
# /usr/bin/time -v; with runs > 1 the median wall time's run is reported. Figures are in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
corpus=/tmp/v2t-throughput
work=$(mktemp -d /tmp/v2t-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
make_clips short 24 640x360 10
make_clips long 4 1280x720 60
make_clips tiny 1 160x120 1
mkdir -p "$corpus/many"
for i in $(seq -w 1 2000); do [[ -e "$corpus/many/v$i.mp4" ]] || cp "$corpus/tiny/v1.mp4" "$corpus/many/v$i.mp4"; done

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
dotnet build bench/Video2TfRecord.Benchmarks -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
floor=(dotnet bench/Video2TfRecord.Benchmarks/bin/Release/net10.0/Video2TfRecord.Benchmarks.dll decode-floor)
cores=$(nproc)
calc() { awk "BEGIN { print $1 }"; }

# parts FOLDER: the folder's files split into one list per core, one line each.
parts() { ls "$corpus/$1"/*.mp4 | awk -v k="$cores" '{ part[(NR - 1) % k] = part[(NR - 1) % k] " " $0 } END { for (i = 0; i < k; i++) print part[i] }'; }
# in_parallel PROGRAM... FOLDER: one process per core over equal parts of the folder.
in_parallel() {
    local folder=${*: -1}
    local program=("${@:1:$#-1}")
    local pids=()
    while read -r files; do
        # shellcheck disable=SC2086
        "${program[@]}" $files & pids+=($!)
    done < <(parts "$folder")
    for pid in "${pids[@]}"; do wait "$pid"; done
}
ffmpeg_null() { for f in "$@"; do ffmpeg -v error -threads 1 -i "$f" -f null -; done; }
export -f parts in_parallel ffmpeg_null

printf 'corpus: 24 x h264 640x360 30 fps 10 s (GOP 60, B-frames), 4 x h264 1280x720 30 fps 60 s; %s cores; median of %s run(s)\n' "$cores" "$runs"
printf '%-48s %8s %8s %8s %8s %8s\n' "" "wall s" "cpu s" "rss MB" "x floor" "cpu x"
row() { # label floor-line line
    read -r fw fc _ <<<"$2"; read -r w c r <<<"$3"
    printf '%-48s %8.2f %8.2f %8.0f %8.2f %8.2f\n' "$1" "$w" "$c" "$r" "$(calc "$w / $fw")" "$(calc "$c / $fc")"
}
export corpus cores
floor_short=$(measure floor in_parallel "${floor[@]}" short)
floor_long=$(measure floor in_parallel "${floor[@]}" long)
ffmpeg_short=$(measure ffmpeg in_parallel ffmpeg_null short)
row "floor: decode-floor, 1 process per core (short)" "$floor_short" "$floor_short"
row "ffmpeg -threads 1 -f null, 1 per core (short)" "$floor_short" "$ffmpeg_short"
row "floor: decode-floor, 1 process per core (long)" "$floor_long" "$floor_long"
for decoder in ffmpeg opencv; do
    common=(--size 128x128 --decoder "$decoder" --quiet -o "$work/out")
    row "(a) --frames 40 --decoder $decoder" "$floor_short" "$(measure a "${cli[@]}" convert "$corpus/short" --frames 40 "${common[@]}")"
    row "(b) --frames all --decoder $decoder" "$floor_short" "$(measure b "${cli[@]}" convert "$corpus/short" --frames all "${common[@]}")"
    row "(c) --frames 8, long clips --decoder $decoder" "$floor_long" "$(measure c "${cli[@]}" convert "$corpus/long" --frames 8 "${common[@]}")"
    row "(d) --flow farneback --frames 40 --decoder $decoder" "$floor_short" "$(measure d "${cli[@]}" convert "$corpus/short" --frames 40 --flow farneback "${common[@]}")"
done
row "(e) 2,000 short videos --frames 8 --decoder ffmpeg" "$floor_short" "$(measure e "${cli[@]}" convert "$corpus/many" --frames 8 --size 128x128 --quiet -o "$work/out")"
row "(f) --frames all, long clips --decoder ffmpeg" "$floor_long" "$(measure f "${cli[@]}" convert "$corpus/long" --frames all --size 128x128 --quiet -o "$work/out")"
echo "(e) and (f) are for peak RSS; their x floor columns compare with the short and long floors only loosely."
