#!/usr/bin/env bash
# Proves deploy/Dockerfile's final stage where no container engine runs: in a copy of a fresh Debian 12 root it
# carries out that stage's COPY, RUN, ENV, USER and WORKDIR lines as deploy/Dockerfile writes them (read from it, so
# the proof cannot drift from the image), with the published app standing in for the build stage. Then, as the
# image's user, with its environment and its ENTRYPOINT, it converts the bundled examples
# (`convert /opt/examples -o /data/out --frames 8 --size 112x112`, exit 0 expected) and verifies them, starts
# `serve` on a test port and asks /healthz and /readyz, and stops it. Ends with "prove-image: PASS" or
# "prove-image: FAIL: …" (exit 1). Root only (copy, chroot, mounts); the copy and its mounts go on exit.
#   deploy/prove-image.sh                    # publishes the app first: dotnet publish -r linux-x64 --self-contained
#   deploy/prove-image.sh --app DIR          # an already published folder (what the build stage's publish writes)
#   deploy/prove-image.sh --port 18080       # serve's test port on this machine (default 18080)
#   deploy/prove-image.sh --keep             # keep the copy afterwards to look inside (its path is printed)
# The fresh root is FRESH_BASE (default /var/tmp/fresh-debian-12, made once with debootstrap if missing); it is only
# read. The install step (scripts/setup.sh) needs the Debian mirror, as the image's build does.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dockerfile=$repo/deploy/Dockerfile
app=""
port=18080
keep=""
while (($# > 0)); do
    case $1 in
        --app) app=$(cd "${2:?--app needs a folder}" && pwd); shift 2 ;;
        --port) port=${2:?--port needs a number}; shift 2 ;;
        --keep) keep=1; shift ;;
        *) echo "usage: deploy/prove-image.sh [--app DIR] [--port P] [--keep]" >&2; exit 1 ;;
    esac
done
[[ $(id -u) -eq 0 ]] || { echo "prove-image: needs root (cp -a of a root, chroot, mount)" >&2; exit 1; }

fail() {
    echo "prove-image: FAIL: $*" >&2
    exit 1
}

base=${FRESH_BASE:-/var/tmp/fresh-debian-12}
if [[ ! -x "$base/bin/bash" ]]; then
    command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
    # The mirror this machine's apt uses.
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [[ -n "$mirror" ]] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
    [[ -n "$mirror" ]] || fail "no Debian mirror in /etc/apt to build $base from"
    echo "prove-image: building a Debian 12 base root in $base (once)…" >&2
    debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >/dev/null
    mv "$base.tmp" "$base"
fi

work=$(mktemp -d /var/tmp/prove-image.XXXXXX)
root=$work/root
server=""
cleanup() {
    if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    for m in dev/shm dev/pts dev proc sys; do umount -l "$root/$m" 2>/dev/null || true; done
    if [[ -n "$keep" ]]; then
        echo "prove-image: kept $root" >&2
    elif grep -q " $root/" /proc/mounts; then
        echo "prove-image: $root still has mounts; not removing it" >&2
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT

# The build stage: the app it publishes, and the folder its COPY --from=build takes it from.
if [[ -z "$app" ]]; then
    echo "prove-image: publishing the app (self-contained, linux-x64)…" >&2
    app=$work/app
    dotnet publish "$repo/src/Video2TfRecord.Cli" -c Release -r linux-x64 --self-contained -o "$app" --nologo >"$work/publish.log" 2>&1 \
        || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }
fi
[[ -x "$app/Video2TfRecord.Cli" ]] || fail "$app has no Video2TfRecord.Cli: not a published folder"

# The Dockerfile as instructions: continuation lines joined, comments dropped (as Docker reads it).
instructions=()
current=""
while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*# ]] && continue
    if [[ "$line" =~ \\[[:space:]]*$ ]]; then
        current+="${line%\\*} "
        continue
    fi
    current+="$line"
    [[ -n "${current//[[:space:]]/}" ]] && instructions+=("$current")
    current=""
done <"$dockerfile"

last_from=-1
for i in "${!instructions[@]}"; do
    [[ "${instructions[$i]}" =~ ^[[:space:]]*FROM[[:space:]] ]] && last_from=$i
done
((last_from > 0)) || fail "$dockerfile: expected a build stage and a final stage"
publish_dir=$(printf '%s\n' "${instructions[@]:0:last_from}" | grep -o 'dotnet publish .*' | grep -oE -- '-o [^ ]+' | head -n 1 | cut -c4-)
[[ -n "$publish_dir" ]] || fail "$dockerfile: no 'dotnet publish … -o DIR' in the build stage"

echo "prove-image: copying $base" >&2
cp -a "$base/." "$root/"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
if ls /etc/apt/sources.list.d/*.sources >/dev/null 2>&1; then
    cp -a /etc/apt/sources.list.d/. "$root/etc/apt/sources.list.d/"
    : >"$root/etc/apt/sources.list"
fi
for m in proc sys dev dev/pts dev/shm; do
    mkdir -p "$root/$m"
    mount --bind "/$m" "$root/$m"
done

# What the final stage sets, as Docker keeps it between instructions.
image_env=()
user=0:0
workdir=/
entrypoint=()
exposed=""

# The home directory Docker gives the USER: its /etc/passwd entry in the image.
home_of() {
    local uid=${1%%:*}
    awk -F: -v u="$uid" '$1 == u || $3 == u { print $6; exit }' "$root/etc/passwd" | grep . || echo /
}

# The command line that runs "$@" inside the root as the current USER, in WORKDIR, with only the image's
# environment (in the array command; chroot and env exec, so a background one's $! is the program's process).
image_command() {
    local userspec=()
    [[ "$user" == 0:0 || "$user" == root ]] || userspec=(--userspec="$user")
    command=(chroot "${userspec[@]}" "$root" /usr/bin/env -i -C "$workdir"
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$(home_of "$user")" "${image_env[@]}" "$@")
}

in_image() {
    image_command "$@"
    "${command[@]}"
}

copy_into_root() {
    local words from="" chown="" sources=() destination
    read -r -a words <<<"$1"
    for word in "${words[@]}"; do
        case $word in
            --from=*) from=${word#--from=} ;;
            --chown=*) chown=${word#--chown=} ;;
            --*) fail "COPY $1: option ${word%%=*} is not supported here" ;;
            *) sources+=("$word") ;;
        esac
    done
    ((${#sources[@]} >= 2)) || fail "COPY $1: expected SOURCE... DESTINATION"
    destination=${sources[-1]}
    unset 'sources[-1]'
    [[ "$destination" == /* ]] || destination=${workdir%/}/$destination
    for source in "${sources[@]}"; do
        local from_path
        if [[ -n "$from" ]]; then
            [[ "${source%/}" == "${publish_dir%/}" ]] || fail "COPY --from=$from $source: only the build stage's publish folder ($publish_dir) is known here"
            from_path=$app
        else
            from_path=$repo/$source
        fi
        [[ -e "$from_path" ]] || fail "COPY $source: $from_path does not exist"
        if [[ -d "$from_path" ]]; then
            mkdir -p "$root$destination"
            cp -R --preserve=mode,timestamps "$from_path/." "$root$destination/"
        elif [[ "$destination" == */ ]]; then
            mkdir -p "$root$destination"
            cp --preserve=mode,timestamps "$from_path" "$root$destination"
        else
            mkdir -p "$(dirname "$root$destination")"
            cp --preserve=mode,timestamps "$from_path" "$root$destination"
        fi
    done
    [[ -z "$chown" ]] || chroot "$root" chown -R "$chown" "$destination"
}

echo "prove-image: the final stage of $dockerfile" >&2
for instruction in "${instructions[@]:last_from+1}"; do
    keyword=${instruction%%[[:space:]]*}
    rest=${instruction#"$keyword"}
    rest=${rest#"${rest%%[![:space:]]*}"}
    echo "  $keyword ${rest:0:150}" >&2
    case ${keyword^^} in
        COPY) copy_into_root "$rest" ;;
        RUN)
            [[ "$rest" != \[* ]] || fail "RUN $rest: the exec form is not supported here"
            [[ "$rest" != --* ]] || fail "RUN $rest: RUN options are not supported in the final stage here"
            started=$SECONDS
            in_image /bin/sh -c "$rest" >"$work/run.log" 2>&1 || { tail -n 40 "$work/run.log" >&2; fail "RUN $rest"; }
            sed 's/^/    /' "$work/run.log" >&2
            echo "    ($((SECONDS - started)) s)" >&2
            ;;
        ENV)
            read -r -a pairs <<<"$rest"
            for pair in "${pairs[@]}"; do
                [[ "$pair" == *=* && "$pair" != *[\"\']* ]] || fail "ENV $rest: only unquoted KEY=VALUE pairs are supported here"
                image_env+=("$pair")
            done
            ;;
        USER) user=$rest ;;
        WORKDIR)
            workdir=$rest
            mkdir -p "$root$workdir"
            ;;
        EXPOSE) exposed=$rest ;;
        ENTRYPOINT)
            [[ "$rest" == \[*\] ]] || fail "ENTRYPOINT $rest: expected the exec form"
            IFS=, read -r -a items <<<"${rest:1:${#rest}-2}"
            for item in "${items[@]}"; do
                item=${item#"${item%%[![:space:]]*}"}
                item=${item%"${item##*[![:space:]]}"}
                entrypoint+=("${item:1:${#item}-2}")
            done
            ;;
        CMD | LABEL) ;;
        *) fail "$keyword: not an instruction this script carries out (teach it, or keep the final stage to COPY/RUN/ENV/USER/WORKDIR/EXPOSE/ENTRYPOINT/CMD)" ;;
    esac
done
((${#entrypoint[@]} > 0)) || fail "the final stage has no ENTRYPOINT"
[[ "$user" != 0:0 && "$user" != root && "$user" != 0 ]] || fail "the final stage runs as root (no USER)"
echo "prove-image: the stage ran; user $user, workdir $workdir, exposes ${exposed:-nothing}, entrypoint ${entrypoint[*]}" >&2

# The bundled examples (the videos and CSVs, not the reader's build output), readable by the image's user.
mkdir -p "$root/opt"
tar -C "$repo" --exclude=bin --exclude=obj --exclude=__pycache__ -cf - examples | tar -C "$root/opt" -xf -

echo "prove-image: convert, as the image's user" >&2
status=0
in_image "${entrypoint[@]}" convert /opt/examples -o /data/out --frames 8 --size 112x112 --quiet >"$work/convert.log" 2>&1 || status=$?
cat "$work/convert.log" >&2
((status == 0)) || fail "convert exited $status, expected 0"
in_image "${entrypoint[@]}" verify /data/out >"$work/verify.log" 2>&1 || { cat "$work/verify.log" >&2; fail "verify of /data/out failed"; }
tail -n 1 "$work/verify.log" >&2
records=$(find "$root/data/out" -name '*.tfrecord' | wc -l)

echo "prove-image: serve on port $port, as the image's user" >&2
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    fail "something already answers on port $port; give --port"
fi
image_env+=("Video2TfRecord__Server__Port=$port")
image_command "${entrypoint[@]}" serve
"${command[@]}" >"$work/serve.log" 2>&1 &
server=$!
healthz=""
for _ in $(seq 1 60); do
    healthz=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null) && break
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; fail "serve exited before answering"; }
    sleep 0.5
done
[[ "$healthz" == ok* ]] || { cat "$work/serve.log" >&2; fail "/healthz answered '${healthz}', expected ok"; }
ready_code=$(curl -s -o "$work/readyz.json" -w '%{http_code}' "http://127.0.0.1:$port/readyz")
echo "  /healthz: $healthz" >&2
echo "  /readyz: $ready_code $(cat "$work/readyz.json")" >&2
kill -TERM "$server"
serve_status=0
wait "$server" || serve_status=$?
server=""
cat "$work/serve.log" >&2
[[ "$ready_code" == 200 ]] || fail "/readyz answered $ready_code, expected 200"
grep -q "0.0.0.0:$port" "$work/serve.log" || fail "serve did not listen on 0.0.0.0:$port (Video2TfRecord__Server__Host from the image's ENV)"
[[ -f "$root/data/jobs.db" ]] || fail "serve kept no jobs.db in /data (Video2TfRecord__Server__DataFolder from the image's ENV)"

echo "prove-image: PASS: the final stage installs and runs in a fresh Debian 12: convert wrote $records record files (exit 0, verified), serve answered /healthz and /readyz (stopped by SIGTERM, exit $serve_status)"
