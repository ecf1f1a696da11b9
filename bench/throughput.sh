#!/usr/bin/env bash
# End-to-end throughput: converts a generated corpus with --jobs 1 and --jobs N and times ffmpeg decoding the same
# corpus (the decoder's own speed, the ceiling), all in one session so the ratios hold on a noisy shared machine.
#   bench/throughput.sh [videos=24] [frames=300] [size=320x240]
set -euo pipefail
cd "$(dirname "$0")/.."
videos=${1:-24}; frames=${2:-300}; size=${3:-320x240}
work=$(mktemp -d /tmp/v2t-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
for i in $(seq -w 1 "$videos"); do
    ffmpeg -v error -f lavfi -i "testsrc2=size=$size:rate=30" -frames:v "$frames" -c:v libx264 -preset veryfast -pix_fmt yuv420p "$work/in/v$i.mp4"
done
dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
# Arithmetic by awk (part of every Debian), not bc (which nothing here installs).
calc() { awk "BEGIN { print $1 }"; }
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); calc "$end - $start"; }
decode=$(seconds bash -c "for f in $work/in/*.mp4; do ffmpeg -v error -threads 1 -i \$f -f null -; done")
all1=$(seconds "${cli[@]}" convert "$work/in" -o "$work/a1" --frames all --size 112x112 --jobs 1 --quiet)
all2=$(seconds "${cli[@]}" convert "$work/in" -o "$work/a2" --frames all --size 112x112 --jobs "$(nproc)" --quiet)
n1=$(seconds "${cli[@]}" convert "$work/in" -o "$work/n1" --frames 32 --size 112x112 --jobs 1 --quiet)
n2=$(seconds "${cli[@]}" convert "$work/in" -o "$work/n2" --frames 32 --size 112x112 --jobs "$(nproc)" --quiet)
fd=$(seconds "${cli[@]}" convert "$work/in" -o "$work/fd" --frames 32 --size 112x112 --flow dis --jobs "$(nproc)" --quiet)
ft=$(seconds "${cli[@]}" convert "$work/in" -o "$work/ft" --frames 32 --size 112x112 --flow tvl1 --jobs "$(nproc)" --quiet)
ff=$(seconds "${cli[@]}" convert "$work/in" -o "$work/ff" --frames 32 --size 112x112 --flow farneback --jobs "$(nproc)" --quiet)
cmp -s "$work/a1/videos-00000-of-00003.tfrecord" "$work/a2/videos-00000-of-00003.tfrecord" && same=yes || same=NO
total=$((10#$videos * frames))
printf 'corpus: %s videos x %s frames (%s h264), %s cores\n' "$videos" "$frames" "$size" "$(nproc)"
printf '%-44s %8.2f s  %8.0f frames/s\n' "ffmpeg decode, 1 thread (ceiling per core)" "$decode" "$(calc "$total / $decode")"
printf '%-44s %8.2f s  %8.0f frames/s  x%.2f of decode\n' "convert --frames all --jobs 1" "$all1" "$(calc "$total / $all1")" "$(calc "$decode / $all1")"
printf '%-44s %8.2f s  %8.0f frames/s  x%.2f of jobs 1\n' "convert --frames all --jobs $(nproc)" "$all2" "$(calc "$total / $all2")" "$(calc "$all1 / $all2")"
printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of decode\n' "convert --frames 32 --jobs 1" "$n1" "$(calc "$videos / $n1")" "$(calc "$decode / $n1")"
printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of jobs 1\n' "convert --frames 32 --jobs $(nproc)" "$n2" "$(calc "$videos / $n2")" "$(calc "$n1 / $n2")"
for method in dis tvl1 farneback; do
    var="f${method:0:1}"; t=${!var}
    printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of no flow\n' "convert --frames 32 --flow $method --jobs $(nproc)" "$t" "$(calc "$videos / $t")" "$(calc "$n2 / $t")"
done
echo "output identical for --jobs 1 and --jobs $(nproc): $same"
