#!/usr/bin/env bash
# Submits a conversion split over K Slurm array tasks (convert-array.sbatch) and the merge of their parts
# (merge.sbatch), which starts only once every task ended with 0 (--dependency=afterok) and is cancelled if one
# failed (--kill-on-invalid-dep=yes). Prints both job ids.
#   deploy/slurm/submit.sh K INPUT OUTPUT [convert options]
#   deploy/slurm/submit.sh 8 /shared/kinetics s3://my-datasets/kinetics --frames 32 --size 224x224
# CPUS=N gives every task N cpus (and so --jobs N; default: convert-array.sbatch's --cpus-per-task). VIDEO2TFRECORD
# and KEEP_EXIT_3 reach the tasks through sbatch's environment (see convert-array.sbatch). Running the same command
# again after a failure continues the run: the tasks resume, keeping the shards they finished.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
(($# >= 3)) || { echo "usage: deploy/slurm/submit.sh K INPUT OUTPUT [convert options]" >&2; exit 1; }
workers=$1
input=$2
output=$3
shift 3
[[ "$workers" =~ ^[1-9][0-9]*$ ]] || { echo "submit.sh: K must be a whole number of workers, 1 or more, not '$workers'" >&2; exit 1; }

cpus=()
[[ -z "${CPUS:-}" ]] || cpus=(--cpus-per-task="$CPUS")
# INPUT and OUTPUT go as arguments; unset in sbatch's environment, so the scripts do not take them from there.
convert=$(env -u INPUT -u OUTPUT sbatch --parsable --array="0-$((workers - 1))" "${cpus[@]}" \
    "$here/convert-array.sbatch" "$input" "$output" "$@")
convert=${convert%%;*} # --parsable prints "jobid[;cluster]"
merge=$(env -u INPUT -u OUTPUT sbatch --parsable --dependency="afterok:$convert" --kill-on-invalid-dep=yes \
    "$here/merge.sbatch" "$output")
merge=${merge%%;*}
echo "convert: job array $convert ($workers tasks)"
echo "merge: job $merge (after every task of $convert succeeded)"
