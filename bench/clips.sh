#!/usr/bin/env bash
# Clips cut from long videos, against ffmpeg cutting the same windows, in one session so the ratios hold on a noisy
# shared machine.
#   bench/clips.sh [runs=1]
# Corpus (made once, kept in /tmp/v2t-clips): 2 h264 640x360 30 fps videos of 3 min (GOP 60, B-frames, AAC audio),
# and a clips CSV of a 2 s clip every 5 s (36 per video, 72 in all).
# (a) convert --clips --frames 8 --size 128x128; (b) the same with --audio --audio-rate 16000; (c) the floor a user
# scripting ffmpeg pays: one `ffmpeg -ss START -t 2 -i video -f null -` per clip (input seeking, every frame of the
# window decoded, nothing converted or written), two at a time. Wall time from /usr/bin/time; with runs > 1 the median.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
corpus=/tmp/v2t-clips
work=$(mktemp -d /tmp/v2t-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

mkdir -p "$corpus/videos"
for i in 1 2; do
    out="$corpus/videos/long$i.mp4"
    [[ -s "$out" ]] && continue
    ffmpeg -v error -f lavfi -i "testsrc2=size=640x360:rate=30,trim=start=$i:duration=180,setpts=PTS-STARTPTS" \
        -f lavfi -i "sine=frequency=$((300 * i)):sample_rate=44100:duration=180" \
        -c:v libx264 -preset veryfast -g 60 -bf 2 -pix_fmt yuv420p -c:a aac "$out.tmp.mp4"
    mv "$out.tmp.mp4" "$out"
done
csv="$corpus/clips.csv"
{
    echo "video,start,end"
    for i in 1 2; do for s in $(seq 0 5 175); do echo "long$i.mp4,$s,$((s + 2))"; done; done
} > "$csv"

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)

# Median wall seconds of `runs` runs of a command.
measure() {
    local times=()
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
        times+=("$(cat "$work/time")")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

# One ffmpeg per clip, two at a time (as a script, so /usr/bin/time can run it).
tail -n +2 "$csv" | while IFS=, read -r video start _; do
    echo "ffmpeg -v error -threads 1 -ss $start -t 2 -i $corpus/videos/$video -map 0:v -f null -"
done > "$work/floor.list"
printf '#!/bin/sh\nxargs -P 2 -L 1 sh -c '"'"'exec "$@"'"'"' _ < %s\n' "$work/floor.list" > "$work/floor.sh"

clips=$(measure "${cli[@]}" convert "$corpus/videos" -o "$work/a" --clips "$csv" --frames 8 --size 128x128 --jobs 2 --overwrite --quiet)
audio=$(measure "${cli[@]}" convert "$corpus/videos" -o "$work/b" --clips "$csv" --frames 8 --size 128x128 --audio --audio-rate 16000 --jobs 2 --overwrite --quiet)
ffmpeg=$(measure sh "$work/floor.sh")
records=$("${cli[@]}" inspect "$work/a" --json | grep -c '"number"')
echo "clips: $records records"
printf '(a) --clips --frames 8:           %6.2f s  %5.2f x ffmpeg cutting\n' "$clips" "$(echo "$clips / $ffmpeg" | bc -l)"
printf '(b) the same with --audio:        %6.2f s  %5.2f x ffmpeg cutting\n' "$audio" "$(echo "$audio / $ffmpeg" | bc -l)"
printf '(c) ffmpeg -ss per clip, -f null: %6.2f s\n' "$ffmpeg"
