#!/usr/bin/env bash
# Sizing a cluster: what one core converts, how a run scales over the cores of a machine, and what it costs to read
# from and write to a bucket instead of a folder, in one session so the ratios hold on a noisy shared machine.
#   bench/scale-out.sh [runs=1]
# Corpus: throughput.sh's 24 h264 640x360 30 fps 10 s clips (made once in /tmp/v2t-throughput), converted as a
# Kinetics-style dataset: convert --frames 32 --size 224x224 --videos-per-file 4.
#   (1) folder → folder, --jobs 1: one core
#   (2) folder → folder, --jobs = the cores
#   (3) bucket → bucket, --jobs = the cores: the videos downloaded, the shards staged and uploaded, through s3rver
#       (tests/node, installed by scripts/setup.sh --test) on loopback, so the network costs nothing and what is
#       measured is the tool's own staging
#   (4) K = the cores workers at once, --jobs 1 each, bucket → bucket, then merge-manifests: a run split as a
#       cluster would split it, on one machine
# Prints wall and CPU time, videos/s, videos/s per core (videos / CPU seconds) and each row against (2).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1}
corpus=/tmp/v2t-throughput
work=$(mktemp -d /tmp/v2t-scale.XXXXXX)
s3rver=tests/node/node_modules/s3rver/bin/s3rver.js
[[ -f "$s3rver" ]] || { echo "bench: $s3rver is missing: run scripts/setup.sh --test" >&2; exit 1; }
server=
trap '[[ -z "$server" ]] || kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
make_clips short 24 640x360 10

dotnet build src/Video2TfRecord.Cli -c Release --nologo -v quiet >/dev/null
cli=(dotnet src/Video2TfRecord.Cli/bin/Release/net10.0/Video2TfRecord.Cli.dll)
cores=$(nproc)
videos=24
calc() { awk "BEGIN { print $1 }"; }

# The bucket: s3rver on a free port, the corpus uploaded with curl's SigV4 (s3rver's key pair is S3RVER/S3RVER).
# (--openssl-legacy-provider: s3rver's listing continuation tokens use a cipher OpenSSL 3 keeps there.)
node --openssl-legacy-provider "$s3rver" --directory "$work/s3" --address 127.0.0.1 --port 0 --silent --configure-bucket bench >"$work/s3.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$work/s3.log" && break; sleep 0.1; done
endpoint=http://$(grep -o '127.0.0.1:[0-9]*' "$work/s3.log" | head -n 1)
[[ "$endpoint" != http:// ]] || { echo "bench: s3rver did not start:" >&2; cat "$work/s3.log" >&2; exit 1; }
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
for f in "$corpus"/short/*.mp4; do
    curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
        -T "$f" "$endpoint/bench/videos/$(basename "$f")" >/dev/null
done
s3=(--s3-endpoint "$endpoint" --s3-path-style --work-dir "$work/staging")
options=(--frames 32 --size 224x224 --videos-per-file 4 --quiet)
run=0
# into_bucket COMMAND...: a fresh prefix for every run, so none is refused as a previous run.
into_bucket() { run=$((run + 1)); "$@" -o "s3://bench/out-$run" --overwrite; }
# workers K: K workers at once, --jobs 1 each, then the merge. measure runs it in a new bash, which sees exported
# strings only: the command, options and storage options go as words (no path here has a space).
workers() {
    local prefix="s3://bench/split-$RANDOM$RANDOM" pids=()
    for i in $(seq 0 $(($1 - 1))); do
        # shellcheck disable=SC2086
        $cli_words convert s3://bench/videos/ -o "$prefix" --worker-index "$i" --worker-count "$1" --jobs 1 $option_words $s3_words & pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    # shellcheck disable=SC2086
    $cli_words merge-manifests "$prefix" $s3_words >/dev/null
}
cli_words="${cli[*]}" option_words="${options[*]}" s3_words="${s3[*]}"
export -f into_bucket workers
export cli_words option_words s3_words

printf 'corpus: %s x h264 640x360 30 fps 10 s; convert %s; %s cores; median of %s run(s)\n' "$videos" "${options[*]:0:6}" "$cores" "$runs"
printf '%-52s %7s %7s %9s %14s %8s\n' "" "wall s" "cpu s" "videos/s" "videos/s/core" "x (2)"
one=$(measure one "${cli[@]}" convert "$corpus/short" -o "$work/out" --jobs 1 "${options[@]}")
all=$(measure all "${cli[@]}" convert "$corpus/short" -o "$work/out" --jobs "$cores" "${options[@]}")
bucket=$(measure bucket into_bucket "${cli[@]}" convert s3://bench/videos/ --jobs "$cores" "${options[@]}" "${s3[@]}")
split=$(measure split workers "$cores")
row() { # label line
    read -r w c _ <<<"$2"; read -r bw _ _ <<<"$all"
    printf '%-52s %7.2f %7.2f %9.2f %14.2f %8.2f\n' "$1" "$w" "$c" "$(calc "$videos / $w")" "$(calc "$videos / $c")" "$(calc "$w / $bw")"
}
row "(1) folder -> folder, --jobs 1" "$one"
row "(2) folder -> folder, --jobs $cores" "$all"
row "(3) bucket -> bucket, --jobs $cores (s3rver, loopback)" "$bucket"
row "(4) $cores workers x --jobs 1, bucket -> bucket, + merge" "$split"
