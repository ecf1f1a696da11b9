#!/usr/bin/env bash
# End-to-end throughput against the decode floor, in one session so the ratios hold on a noisy shared machine.
#   bench/throughput.sh [runs=1]
#   BEFORE=/path/to/other/checkout bench/throughput.sh 3    # also the same rows with that checkout's build (before/after)
#   DECODERS=ffmpeg bench/throughput.sh                     # leave out the --decoder opencv rows
# Corpus (made once, kept in /tmp/v2t-throughput): 24 h264 640x360 30 fps 10 s clips with B-frames, GOP 60, moving
# content, and 4 h264 1280x720 30 fps 60 s clips, GOP 60; and, encoded as downloaded datasets usually are (x264's
# defaults: 3 B-frames, b-pyramid, keyframes every 250 frames), 24 640x360 and 8 1280x720 30 fps 10 s clips.
# Floor: every frame decoded by the system's libavcodec with no conversion, one process per core over equal parts of
# the files (our decode-floor mode, and ffmpeg -threads 1 -f null for reference); for the dataset-like corpus also its
# reference pictures alone (decode-references: libavcodec's skip_frame=nonref on every packet), the least a decoder
# that skips only unreferenced pictures decodes.
# Then convert --size 128x128: (a) --frames 40, (b) --frames all, (c) --frames 8 of the long clips, (d) --flow
# farneback --frames 40, each with --decoder ffmpeg and --decoder opencv; and for memory, (e) --frames 8 of 2,000
# copies of a 1 s 160x120 clip and (f) --frames all of the long clips. On the dataset-like corpus: (g) --frames 40,
# --frames 16 and --frames all against that corpus's floor; (h) the original tool's own mode (its default
# dense_optical_flow=True as docs/migration.md maps it: --sampling seed --encoding raw --flow farneback --flow-preset seed
# --flow-format seed --flow-pairs stored) with 40 frames; (s) the start-up: one 1-frame video. Wall and CPU time and peak
# RSS come from /usr/bin/time -v; with runs > 1 the median wall time's run is reported. Figures are in docs/performance.md.
#   ROWS='(a)|(h)' bench/throughput.sh                     # only the rows whose label contains one of these (floors always)
#   ORIGINAL_PYTHON=/venv/bin/python bench/throughput.sh     # also the original Python tool, side by side, for (a) and (h)
# ORIGINAL_PYTHON is a Python that imports the original (pip install video2tfrecord, with its TensorFlow and OpenCV);
# ORIGINAL_MODULE names its module (default video2tfrecord.video2tfrecord). It runs convert_videos_to_tfrecord on the
# same 24 clips, 40 frames at 128x128, with dense_optical_flow False for (a) and True for (h), and the last lines give
# ours as a fraction of its wall and CPU time.
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
make_dataset_clips dataset 24 640x360 10
make_dataset_clips dataset720 8 1280x720 10
mkdir -p "$corpus/one"
[[ -s "$corpus/one/v1.mp4" ]] || ffmpeg -v error -f lavfi -i "testsrc2=size=640x360:rate=30" -frames:v 1 -c:v libx264 -pix_fmt yuv420p "$corpus/one/v1.mp4"
mkdir -p "$corpus/many"
for i in $(seq -w 1 2000); do [[ -e "$corpus/many/v$i.mp4" ]] || cp "$corpus/tiny/v1.mp4" "$corpus/many/v$i.mp4"; done

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
dotnet build bench/Video2TfRecord.Benchmarks -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
before=()
if [[ -n "${BEFORE:-}" ]]; then
    (cd "$BEFORE" && dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null)
    before=(dotnet "$BEFORE/src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll")
fi
decoders=${DECODERS:-ffmpeg opencv}
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
# wanted LABEL: whether ROWS selects the row.
wanted() {
    [[ -z "${ROWS:-}" ]] && return 0
    local pattern patterns
    IFS='|' read -ra patterns <<<"$ROWS"
    for pattern in "${patterns[@]}"; do [[ $1 == *"$pattern"* ]] && return 0; done
    return 1
}
row() { # label floor-line line
    read -r fw fc _ <<<"$2"; read -r w c r <<<"$3"
    printf '%-48s %8.2f %8.2f %8.0f %8.2f %8.2f\n' "$1" "$w" "$c" "$r" "$(calc "$w / $fw")" "$(calc "$c / $fc")"
}
export corpus cores
floor_short=$(measure floor in_parallel "${floor[@]}" short)
floor_long=$(measure floor in_parallel "${floor[@]}" long)
floor_dataset=$(measure floor in_parallel "${floor[@]}" dataset)
floor_dataset720=$(measure floor in_parallel "${floor[@]}" dataset720)
references=(dotnet bench/Video2TfRecord.Benchmarks/bin/Release/net10.0/Video2TfRecord.Benchmarks.dll decode-references)
references_dataset=$(measure references in_parallel "${references[@]}" dataset)
references_dataset720=$(measure references in_parallel "${references[@]}" dataset720)
ffmpeg_short=$(measure ffmpeg in_parallel ffmpeg_null short)
row "floor: decode-floor, 1 process per core (short)" "$floor_short" "$floor_short"
row "ffmpeg -threads 1 -f null, 1 per core (short)" "$floor_short" "$ffmpeg_short"
row "floor: decode-floor, 1 process per core (long)" "$floor_long" "$floor_long"
row "floor: dataset-like 640x360" "$floor_dataset" "$floor_dataset"
row "floor: dataset-like 1280x720" "$floor_dataset720" "$floor_dataset720"
row "  its reference pictures only (640x360)" "$floor_dataset" "$references_dataset"
row "  its reference pictures only (1280x720)" "$floor_dataset720" "$references_dataset720"
# versions ROW-LABEL FLOOR ARGS...: the row with this build and, with BEFORE, with that one.
declare -A ours
versions() {
    local label=$1 floor_line=$2; shift 2
    wanted "$label" || return 0
    ours[$label]=$(measure "$label" "${cli[@]}" convert "$@")
    row "$label" "$floor_line" "${ours[$label]}"
    if [[ ${#before[@]} -gt 0 ]]; then
        row "  before: $label" "$floor_line" "$(measure "before $label" "${before[@]}" convert "$@")"
    fi
}
for decoder in $decoders; do
    common=(--size 128x128 --decoder "$decoder" --quiet -o "$work/out")
    versions "(a) --frames 40 --decoder $decoder" "$floor_short" "$corpus/short" --frames 40 "${common[@]}"
    versions "(a) --frames 16 --decoder $decoder" "$floor_short" "$corpus/short" --frames 16 "${common[@]}"
    versions "(b) --frames all --decoder $decoder" "$floor_short" "$corpus/short" --frames all "${common[@]}"
    versions "(c) --frames 8, long clips --decoder $decoder" "$floor_long" "$corpus/long" --frames 8 "${common[@]}"
    versions "(d) --flow farneback --frames 40 --decoder $decoder" "$floor_short" "$corpus/short" --frames 40 --flow farneback "${common[@]}"
done
common=(--size 128x128 --quiet -o "$work/out")
versions "(g) dataset 640x360 --frames 40" "$floor_dataset" "$corpus/dataset" --frames 40 "${common[@]}"
versions "(g) dataset 640x360 --frames 16" "$floor_dataset" "$corpus/dataset" --frames 16 "${common[@]}"
versions "(g) dataset 640x360 --frames all" "$floor_dataset" "$corpus/dataset" --frames all "${common[@]}"
versions "(g) dataset 1280x720 --frames 40" "$floor_dataset720" "$corpus/dataset720" --frames 40 "${common[@]}"
versions "(g) dataset 1280x720 --frames 16" "$floor_dataset720" "$corpus/dataset720" --frames 16 "${common[@]}"
versions "(e) 2,000 short videos --frames 8" "$floor_short" "$corpus/many" --frames 8 "${common[@]}"
versions "(f) --frames all, long clips" "$floor_long" "$corpus/long" --frames all "${common[@]}"
versions "(s) start-up: one 1-frame video" "$floor_short" "$corpus/one" --frames 1 "${common[@]}"
original_mode=(--sampling seed --encoding raw --flow farneback --flow-preset seed --flow-format seed --flow-pairs stored)
versions "(h) the original's mode, --frames 40" "$floor_short" "$corpus/short" --frames 40 "${original_mode[@]}" "${common[@]}"
echo "(e), (f) and (s) are for peak RSS and the fixed cost; their x floor columns compare with the floors only loosely."

# original FRAMES FLOW: the original tool's convert_videos_to_tfrecord over the short corpus into $work/out (made
# first: the original writes into the folder without creating it). Its PyPI releases also take n_channels (4 by
# default, and 3 required without flow); the repository's later function has no such argument.
original() {
    mkdir -p "$work/out"
    "$ORIGINAL_PYTHON" - "$corpus/short" "$work/out" "$1" "$2" "${ORIGINAL_MODULE:-video2tfrecord.video2tfrecord}" <<'PY'
import importlib, inspect, sys
source, destination, frames, flow, module = sys.argv[1:]
convert = importlib.import_module(module).convert_videos_to_tfrecord
arguments = dict(source_path=source, destination_path=destination, n_videos_in_record=10, n_frames_per_video=int(frames),
                 file_suffix="*.mp4", dense_optical_flow=flow == "1", width=128, height=128, color_depth="uint8")
if "n_channels" in inspect.signature(convert).parameters:
    arguments["n_channels"] = 4 if flow == "1" else 3
convert(**arguments)
PY
}
export -f original
export work ORIGINAL_PYTHON ORIGINAL_MODULE
if [[ -z "${ORIGINAL_PYTHON:-}" ]]; then
    echo "original tool: not run (set ORIGINAL_PYTHON to a Python that imports it); docs/performance.md keeps reference figures."
    exit 0
fi
echo "original tool: ${ORIGINAL_MODULE:-video2tfrecord.video2tfrecord} in $ORIGINAL_PYTHON, one process (as it runs)"
# ratio LABEL ORIGINAL-LINE: ours as a fraction of the original's wall and CPU time.
ratio() {
    [[ -n "${ours[$1]:-}" ]] || return 0
    read -r ow oc _ <<<"$2"; read -r w c _ <<<"${ours[$1]}"
    printf '%-48s %8.2f %8.2f   (ours / original)\n' "  $1" "$(calc "$w / $ow")" "$(calc "$c / $oc")"
}
for job in "(a) --frames 40 --decoder ffmpeg|0" "(h) the original's mode, --frames 40|1"; do
    label=${job%|*}
    wanted "$label" || continue
    line=$(measure "original $label" original 40 "${job#*|}")
    row "original: $label" "$floor_short" "$line"
    ratio "$label" "$line"
done
