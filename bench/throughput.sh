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
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); echo "$end - $start" | bc; }
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
printf '%-44s %8.2f s  %8.0f frames/s\n' "ffmpeg decode, 1 thread (ceiling per core)" "$decode" "$(echo "$total / $decode" | bc -l)"
printf '%-44s %8.2f s  %8.0f frames/s  x%.2f of decode\n' "convert --frames all --jobs 1" "$all1" "$(echo "$total / $all1" | bc -l)" "$(echo "$decode / $all1" | bc -l)"
printf '%-44s %8.2f s  %8.0f frames/s  x%.2f of jobs 1\n' "convert --frames all --jobs $(nproc)" "$all2" "$(echo "$total / $all2" | bc -l)" "$(echo "$all1 / $all2" | bc -l)"
printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of decode\n' "convert --frames 32 --jobs 1" "$n1" "$(echo "$videos / $n1" | bc -l)" "$(echo "$decode / $n1" | bc -l)"
printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of jobs 1\n' "convert --frames 32 --jobs $(nproc)" "$n2" "$(echo "$videos / $n2" | bc -l)" "$(echo "$n1 / $n2" | bc -l)"
for method in dis tvl1 farneback; do
    var="f${method:0:1}"; t=${!var}
    printf '%-44s %8.2f s  %8.1f videos/s  x%.2f of no flow\n' "convert --frames 32 --flow $method --jobs $(nproc)" "$t" "$(echo "$videos / $t" | bc -l)" "$(echo "$n2 / $t" | bc -l)"
done
echo "output identical for --jobs 1 and --jobs $(nproc): $same"
