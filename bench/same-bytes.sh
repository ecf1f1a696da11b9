#!/usr/bin/env bash
# Byte-identity check for refactors: converts the bundled examples and a generated corpus with a matrix of options
# (every layout, encodings, compression, flow formats and pairs, labels, short videos, fps sampling, a bad file,
# clips with captions and splits, fixed windows, audio, the opencv decoder) and
# prints one "sha256  run/file" line per output file. Run it before and after a change and diff the two listings:
#   bench/same-bytes.sh > /tmp/before.txt; (change); bench/same-bytes.sh > /tmp/after.txt; diff /tmp/before.txt /tmp/after.txt
# manifest.json is hashed without its tool_version; the console summary (it holds times) is not compared.
# The corpus is made once in a fixed folder (V2T_SAME_DIR) and kept, so paths and modification times, which
# videos.jsonl and the manifest's catalog fingerprint hold, are the same in both listings.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${V2T_SAME_DIR:-/tmp/v2t-same-bytes}
corpus="$work/corpus"
rm -rf "$work/out"
if [[ ! -f "$work/labels.csv" ]]; then
mkdir -p "$corpus/jump" "$corpus/run"
ffmpeg -v error -f lavfi -i "testsrc2=size=96x64:rate=25" -frames:v 45 -c:v libx264 -pix_fmt yuv420p "$corpus/jump/a.mp4"
ffmpeg -v error -f lavfi -i "testsrc=size=80x60:rate=30" -frames:v 5 -c:v mpeg4 "$corpus/jump/short.avi"
ffmpeg -v error -f lavfi -i "mandelbrot=size=64x48:rate=24" -frames:v 30 -c:v libvpx-vp9 "$corpus/run/b.webm"
ffmpeg -v error -f lavfi -i "testsrc2=size=72x72:rate=30" -frames:v 40 -c:v ffv1 "$corpus/run/c.mkv"
head -c 3000 "$corpus/jump/a.mp4" >"$corpus/run/truncated.mp4"
printf 'not a video\n' >"$corpus/run/text.mp4"
printf 'path,label\njump/a.mp4,jump\njump/short.avi,jump\nrun/b.webm,run\nrun/c.mkv,run\nrun/truncated.mp4,run\n' >"$work/labels.csv"
fi
# Clips with captions and splits, and a video with an audio track (added later than the corpus: made when missing).
if [[ ! -f "$work/clips.csv" ]]; then
mkdir -p "$work/sound"
ffmpeg -v error -f lavfi -i "testsrc2=size=64x48:rate=25" -f lavfi -i "sine=frequency=440:sample_rate=44100" \
    -t 3 -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest "$work/sound/tone.mp4"
printf 'video,start,end,label,caption,split\njump/a.mp4,0,0.8,jump,a jump starts,train\njump/a.mp4,0.8,1.8,land,"it lands, then stops",validation\nrun/c.mkv,0.2,1.2,run,a run,train\nrun/b.webm,0,1,run,,train\n' >"$work/clips.csv"
printf 'video,start,end,caption,split\njump/a.mp4,0.4,1.4,mid jump,test\nrun/c.mkv,0,1.3,whole run,train\nrun/c.mkv,0.5,0.9,a glimpse,test\n' >"$work/clips-captions.csv"
fi

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
n=0
run() {
    local input=$1; shift
    n=$((n + 1))
    local out="$work/out/$n"
    "${cli[@]}" convert "$input" -o "$out" --quiet "$@" >/dev/null 2>"$work/err" || [[ $? -eq 3 ]] || { cat "$work/err" >&2; exit 1; }
    echo "# run $n: $input $*"
    (cd "$out" && for f in $(find . -type f | sort); do
        if [[ $f == ./manifest*.json ]]; then
            sed -E 's/"tool_version": *"[^"]*"//' "$f" | sha256sum | sed "s|-|$n/${f#./}|"
        else
            sha256sum "$f" | sed "s|  \./|  $n/|"
        fi
    done)
}

run examples --frames 8 --size 112x112 --videos-per-file 2 --labels examples/labels.csv
run examples --frames 8 --size 112x112 --layout sequence --labels examples/labels.csv --compression gzip
run examples --frames 4 --size 64x64 --layout tfds --labels examples/labels.csv --split validation
run examples --frames 8 --size 112x112 --flow tvl1 --layout sequence --labels examples/labels.csv
run examples --frames 6 --size 64x48 --flow dis --flow-pairs stored --encoding png --dtype uint16 --index
run "$corpus" --frames 8 --size 48x48 --labels "$work/labels.csv" --videos-per-file 2 --jobs 2
run "$corpus" --frames 8 --labels-from-folder --encoding raw --compression zlib --short-video skip
run "$corpus" --frames 10 --sampling linspace --resize fit --size 64x40 --color gray --shuffle 7 --videos-per-file 3
run "$corpus" --frames 7 --sampling seed --resize fill --size 40x40 --flow farneback --flow-format seed --encoding png
run "$corpus" --fps 10 --short-side 32 --flow dis --flow-encoding png --flow-bound 8 --layout sequence
run "$corpus" --frames all --size 32x32 --flow dis --flow-size 16x16 --dtype uint16 --missing-label keep --labels "$work/labels.csv"
run "$corpus" --frames 12 --fps 50 --size 32x32 --short-video pad --flow tvl1 --flow-format xy --flow-pairs next
run "$corpus" --frames 4 --size 32x32 --clips "$work/clips.csv" --layout sequence
run "$corpus" --frames 4 --size 32x32 --clips "$work/clips-captions.csv" --labels "$work/labels.csv" --videos-per-file 1
run "$corpus" --frames 3 --size 32x32 --clip-length 0.5 --clip-stride 0.4 --short-video pad --labels-from-folder
run "$corpus" --fps 5 --size 32x32 --clip-length 1 --short-video skip --layout sequence
run "$work/sound" --frames 5 --size 32x32 --audio --audio-rate 16000 --layout sequence
run "$work/sound" --frames 5 --size 32x32 --audio required --audio-channels 2 --clip-length 1
run "$corpus" --frames 8 --size 48x48 --decoder opencv --labels "$work/labels.csv" --flow dis
run "$corpus" --fps 7 --size 32x32 --decoder opencv --layout sequence
