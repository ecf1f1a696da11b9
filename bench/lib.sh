#!/usr/bin/env bash
# What the bench scripts share, sourced by them (not run): the corpus maker and the timed, median-of-runs measure.
# The sourcing script sets corpus (the corpus folder, kept between sessions), work (a scratch folder with out/ in it)
# and runs (how many times each row runs).
command -v /usr/bin/time >/dev/null || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }

make_clips() { # folder count size seconds
    mkdir -p "$corpus/$1"
    for i in $(seq -w 1 "$2"); do
        local out="$corpus/$1/v$i.mp4"
        [[ -s "$out" ]] && continue
        # testsrc2 moves in every frame; a different start per clip so no two files are alike.
        ffmpeg -v error -f lavfi -i "testsrc2=size=$3:rate=30,trim=start=$((10#$i)):duration=$4,setpts=PTS-STARTPTS" \
            -c:v libx264 -preset veryfast -g 60 -bf 2 -pix_fmt yuv420p "$out.tmp.mp4"
        mv "$out.tmp.mp4" "$out"
    done
}
# make_dataset_clips folder count size seconds: as make_clips, but encoded as downloaded datasets usually are: x264's
# defaults (preset medium: 3 B-frames, b-pyramid, keyframes every 250 frames or at scene cuts).
make_dataset_clips() {
    mkdir -p "$corpus/$1"
    for i in $(seq -w 1 "$2"); do
        local out="$corpus/$1/v$i.mp4"
        [[ -s "$out" ]] && continue
        ffmpeg -v error -f lavfi -i "testsrc2=size=$3:rate=30,trim=start=$((10#$i)):duration=$4,setpts=PTS-STARTPTS" \
            -c:v libx264 -pix_fmt yuv420p "$out.tmp.mp4"
        mv "$out.tmp.mp4" "$out"
    done
}
# measure NAME COMMAND...: runs it $runs times under /usr/bin/time -v (through bash, so the functions below work);
# prints "wall cpu rss_mb" of the median run. The children's peak RSS is the largest one process reached.
measure() {
    local name=$1; shift
    local results=()
    for _ in $(seq 1 "$runs"); do
        rm -rf "$work/out"
        /usr/bin/time -v -o "$work/time" bash -c '"$@"' bench "$@" >/dev/null 2>"$work/err" || { echo "bench: $name failed:" >&2; cat "$work/err" >&2; exit 1; }
        results+=("$(awk -F': ' '
            /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2] }
            /User time/ { cpu += $2 } /System time/ { cpu += $2 }
            /Maximum resident set size/ { rss = $2 / 1024 }
            END { printf "%.2f %.2f %.0f\n", wall, cpu, rss }' "$work/time")")
    done
    printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

