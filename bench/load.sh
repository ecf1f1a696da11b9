#!/usr/bin/env bash
# Load on the web service, measured on loopback: two rounds of 20 clients at once, each uploading 3 short videos under
# names of its own, following its job to the end, downloading the archive and checking it holds its own videos and
# verifies; after the 20 are accepted, 5 more clients post while the queue is full and must get 503. A third round
# (issue 23) mixes 10 such clients with 10 hostile ones (fps=100000, a number past every range, raw 640x480 frames that
# pass MaxOutputBytes, a binary labels part, two labels parts, 300 parts that are not videos, an empty frames field):
# every normal job must still succeed with its own videos, the hostile ones get 400 or a failed job with the reason.
#   bench/load.sh
# Service: MaxConcurrentJobs 1, MaxQueuedJobs 19 (20 jobs = 1 running + 19 waiting), JobsPerConversion 2,
# MaxRecordBytes 64 MiB, MaxOutputBytes 100 MB. A job (every
# frame of three 2 s clips with TV-L1 flow at 112x112) takes a few seconds, so the queue is still full when the 5 post.
# Archives are verified after each round, outside the timed part.
# Reports requests, jobs per minute, p50/p95 latency of status calls, and the server's RSS after each round and its peak.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=/tmp/v2t-load
work=$(mktemp -d /tmp/v2t-load.XXXXXX)
server=""
trap '[[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
for tool in curl unzip bc; do command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install $tool)" >&2; exit 1; }; done

mkdir -p "$corpus"
for name in a b c; do
    [[ -s "$corpus/$name.mp4" ]] && continue
    ffmpeg -v error -f lavfi -i "testsrc2=size=320x240:rate=25:duration=2" -c:v libx264 -preset veryfast -pix_fmt yuv420p "$corpus/$name.tmp.mp4"
    mv "$corpus/$name.tmp.mp4" "$corpus/$name.mp4"
done

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
Video2TfRecord__Server__MaxConcurrentJobs=1 Video2TfRecord__Server__MaxQueuedJobs=19 Video2TfRecord__Server__JobsPerConversion=2 \
    Video2TfRecord__Server__MaxRecordBytes=67108864 Video2TfRecord__Server__MaxOutputBytes=100000000 \
    Video2TfRecord__Server__MinFreeBytes=0 "${cli[@]}" serve --port 0 --data "$work/data" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q "serving on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
base=$(sed -n 's/^video2tfrecord: serving on \([^,]*\),.*/\1/p' "$work/serve.out")
[[ -n "$base" ]] || { cat "$work/serve.err" >&2; exit 1; }

# One client: post, follow by polling (timing every status call), download, check its own ids, verify.
client() { # round number
    local dir="$work/r$1/c$2" id status
    mkdir -p "$dir"
    curl -s -o "$dir/post.json" -w "%{http_code}" -F "files=@$corpus/a.mp4;filename=c$2-a.mp4" -F "files=@$corpus/b.mp4;filename=c$2-b.mp4" \
        -F "files=@$corpus/c.mp4;filename=c$2-c.mp4" -F frames=all -F flow=tvl1 -F size=112x112 "$base/api/jobs" > "$dir/post.code"
    echo 1 >> "$dir/requests"
    [[ "$(cat "$dir/post.code")" == 202 ]] || return 0
    id=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$dir/post.json")
    while :; do
        curl -s -o "$dir/job.json" -w "%{time_total}\n" "$base/api/jobs/$id" >> "$dir/latency"
        echo 1 >> "$dir/requests"
        status=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' "$dir/job.json")
        [[ "$status" == queued || "$status" == running ]] || break
        sleep 0.2
    done
    echo "$status" > "$dir/status"
    curl -s -o "$dir/archive.zip" "$base/api/jobs/$id/archive"
    echo 1 >> "$dir/requests"
}

# A hostile client (round 3): one of seven kinds of request a stranger may send; records the answer and, for an
# accepted job, how it ended and why.
hostile() { # round client kind
    local dir="$work/r$1/c$2" id status
    local v=(-F "files=@$corpus/a.mp4;filename=h$2-a.mp4" -F "files=@$corpus/b.mp4;filename=h$2-b.mp4" -F "files=@$corpus/c.mp4;filename=h$2-c.mp4")
    local args=()
    mkdir -p "$dir"
    case $3 in
        fps) args=("${v[@]}" -F fps=100000 -F size=32x32) ;;
        range) args=("${v[@]}" -F clip-length=99999999999999999999) ;;
        output) args=("${v[@]}" -F frames=all -F encoding=raw -F size=640x480 -F videos-per-file=1) ;;
        binary) head -c 65536 /dev/urandom > "$dir/labels.bin"; args=("${v[@]}" -F "labels=@$dir/labels.bin;filename=labels.csv") ;;
        twolabels) printf 'path,label\nh%s-a.mp4,x\n' "$2" > "$dir/l.csv"; args=("${v[@]}" -F "labels=@$dir/l.csv" -F "labels=@$dir/l.csv") ;;
        novideos) for i in $(seq 300); do args+=(-F "files=@$corpus/notes.txt;filename=notes-$i.txt"); done ;;
        emptyfield) args=("${v[@]}" -F frames= -F layout=sequence) ;;
    esac
    curl -s -o "$dir/post.json" -w "%{http_code}" "${args[@]}" "$base/api/jobs" > "$dir/post.code"
    echo 1 >> "$dir/requests"
    echo "$3" > "$dir/kind"
    [[ "$(cat "$dir/post.code")" == 202 ]] || return 0
    id=$(sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p' "$dir/post.json")
    while :; do
        curl -s -o "$dir/job.json" "$base/api/jobs/$id"
        echo 1 >> "$dir/requests"
        status=$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' "$dir/job.json")
        [[ "$status" == queued || "$status" == running ]] || break
        sleep 0.5
    done
    echo "$status" > "$dir/status"
}

# After a round: each archive holds its client's three videos and no one else's, and verifies.
check() { # round client
    local dir="$work/r$1/c$2"
    [[ -s "$dir/archive.zip" ]] || return 0
    unzip -q -o "$dir/archive.zip" -d "$dir/out"
    [[ "$(grep -o '"id":"[^"]*"' "$dir/out/videos.jsonl" | sort | tr '\n' ' ')" == "\"id\":\"c$2-a\" \"id\":\"c$2-b\" \"id\":\"c$2-c\" " ]] \
        && echo ok > "$dir/mine"
    "${cli[@]}" verify "$dir/out" > /dev/null 2>&1 && echo ok > "$dir/verified"
}

rss() { awk '/^VmRSS/ {print $2}' "/proc/$server/status"; }
printf 'not a video\n' > "$corpus/notes.txt"

for round in 1 2; do
    start=$(date +%s.%N)
    # The first job is running before the other 19 arrive, so all 20 fit: 1 running, 19 waiting. (Accepted is not
    # enough: a job still queued when the 19 come makes 20 waiting, and one normal client got 503.)
    client "$round" 01 &
    for _ in $(seq 600); do grep -qs '"status":"\(running\|succeeded\)"' "$work/r$round/c01/job.json" && break; sleep 0.05; done
    for c in $(seq -w 2 20); do client "$round" "$c" & done
    # The 5 more post once the 20 are answered (the shell makes post.code when curl starts: non-empty is answered),
    # when 1 running and 19 waiting fill the queue. Counting the files alone let an extra in before the last normal ones.
    for _ in $(seq 600); do [[ $(find "$work/r$round" -name post.code -size +0 2>/dev/null | wc -l) -eq 20 ]] && break; sleep 0.1; done
    for c in $(seq 21 25); do
        curl -s -o /dev/null -w "%{http_code}\n" -F "files=@$corpus/a.mp4" "$base/api/jobs" >> "$work/r$round/extra"
    done
    wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
    end=$(date +%s.%N)
    for c in $(seq -w 1 20); do check "$round" "$c"; done
    accepted=$(grep -l 202 "$work/r$round"/c*/post.code | wc -l)
    succeeded=$(grep -l succeeded "$work/r$round"/c*/status 2>/dev/null | wc -l)
    mine=$(ls "$work/r$round"/c*/mine 2>/dev/null | wc -l)
    verified=$(ls "$work/r$round"/c*/verified 2>/dev/null | wc -l)
    full=$(grep -c 503 "$work/r$round/extra" || true)
    requests=$(( $(cat "$work/r$round"/c*/requests | wc -l) + 5 ))
    sort -n "$work/r$round"/c*/latency > "$work/r$round/latency"
    n=$(wc -l < "$work/r$round/latency")
    p50=$(sed -n "$(( (n + 1) / 2 ))p" "$work/r$round/latency")
    p95=$(sed -n "$(( (n * 95 + 99) / 100 ))p" "$work/r$round/latency")
    minutes=$(echo "($end - $start) / 60" | bc -l)
    printf 'round %d: %d requests in %.1f s; accepted %d/20, succeeded %d, own videos %d, verified %d; 503 for %d/5 extra; %.1f jobs/min; status p50 %.1f ms, p95 %.1f ms; server RSS %d MiB\n' \
        "$round" "$requests" "$(echo "$minutes * 60" | bc -l)" "$accepted" "$succeeded" "$mine" "$verified" "$full" \
        "$(echo "$succeeded / $minutes" | bc -l)" "$(echo "$p50 * 1000" | bc -l)" "$(echo "$p95 * 1000" | bc -l)" "$(( $(rss) / 1024 ))"
    # A normal client that was not accepted: what it was told.
    for c in $(grep -L 202 "$work/r$round"/c*/post.code); do echo "  refused $(basename "$(dirname "$c")"): $(cat "$c") $(head -c 300 "$(dirname "$c")/post.json")"; done
done
echo "server peak RSS after rounds 1 and 2: $(( $(awk '/^VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MiB"

# Round 3: 10 normal clients (01-10) and 10 hostile ones (11-20) at once.
round=3
kinds=(fps range output binary twolabels novideos emptyfield fps output range)
start=$(date +%s.%N)
client "$round" 01 &
for _ in $(seq 300); do [[ -s "$work/r$round/c01/post.code" ]] && break; sleep 0.05; done
for c in $(seq -w 2 10); do client "$round" "$c" & done
for c in $(seq 11 20); do hostile "$round" "$c" "${kinds[$((c - 11))]}" & done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
end=$(date +%s.%N)
for c in $(seq -w 1 10); do check "$round" "$c"; done
accepted=$(grep -l 202 "$work/r$round"/c{01..10}/post.code | wc -l)
succeeded=$(grep -l succeeded "$work/r$round"/c{01..10}/status 2>/dev/null | wc -l)
mine=$(ls "$work/r$round"/c{01..10}/mine 2>/dev/null | wc -l)
verified=$(ls "$work/r$round"/c{01..10}/verified 2>/dev/null | wc -l)
printf 'round 3: %.1f s; normal clients: accepted %d/10, succeeded %d, own videos %d, verified %d; server RSS %d MiB\n' \
    "$(echo "$end - $start" | bc -l)" "$accepted" "$succeeded" "$mine" "$verified" "$(( $(rss) / 1024 ))"
for c in $(seq 11 20); do
    dir="$work/r$round/c$c"
    answer="$(cat "$dir/post.code")"
    if [[ "$answer" == 202 ]]; then
        reason=$(sed -n 's/.*"error":"\([^"]*\)".*/\1/p; s/.*"reason":"\([^"]*\)".*/\1/p' "$dir/job.json" | head -c 150)
        echo "  hostile $(cat "$dir/kind"): 202, job $(cat "$dir/status" 2>/dev/null) ($(wc -c < "$dir/job.json") bytes of job JSON): $reason"
    else
        echo "  hostile $(cat "$dir/kind"): $answer ($(wc -c < "$dir/post.json") bytes): $(head -c 150 "$dir/post.json")"
    fi
done
echo "server peak RSS: $(( $(awk '/^VmHWM/ {print $2}' "/proc/$server/status") / 1024 )) MiB"
