#!/usr/bin/env bash
# Submits a notebook's sweep to Slurm: a job array with one task per shard (shard.sbatch: `workbook run <paper>
# --profile <p> --shard i/n`), then the job that draws the figures from the shared cache (draw.sbatch: `workbook run
# <paper> --profile <p> --from-cache --shards n`), queued with --dependency=afterok:<array job> so it starts only when
# every shard has succeeded. Prints both job ids.
#
#   deploy/slurm/submit.sh <paper> --shards N [--profile P] [--cpus N] [--mem SIZE] [--time LIMIT] [--partition NAME]
#       [--account NAME] [--gpus N | --gres SPEC] [--draw-cpus N] [--draw-mem SIZE] [--draw-time LIMIT] [--draw-gpus N]
#       [--cache DIR] [--out DIR] [--log-dir DIR] [--prolog CODE] [--sbatch ARG]… [--parsable] [--dry-run] [-- workbook run args…]
#
# The array tasks run in lockstep (a shard waits for the other shards' entries of each sweep), so all N must be able to
# run at the same time: ask for resources the cluster can give N tasks at once. See README "Running on a cluster".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

usage() {
  cat <<EOF
usage: deploy/slurm/submit.sh <paper> --shards N [options] [-- workbook run args…]
  <paper>            a notebook in notebooks/ ($(cd "$root/notebooks" 2>/dev/null && ls *.ipynb 2>/dev/null | sed 's/\.ipynb$//' | xargs | sed 's/ /, /g'))
  --shards N         number of shards = array tasks (1..N), all running at once (required)
  --profile P        workbook profile (default: quick)
  --cpus N           CPUs per shard task (--cpus-per-task; default 1)
  --mem SIZE         memory per shard task, Slurm units: 4000, 4G, 500M (default 4G)
  --time LIMIT       wall-time limit per shard task: MINUTES, HH:MM:SS or D-HH:MM:SS (default 24:00:00)
  --partition NAME   partition for both jobs (default: the cluster's default)
  --account NAME     account to charge (default: yours)
  --gpus N           GPUs per shard task, as --gres=gpu:N (default: none)
  --gres SPEC        any generic resource instead, e.g. gpu:a100:1
  --draw-cpus N      CPUs of the draw job (default: --cpus)
  --draw-mem SIZE    memory of the draw job (default: --mem)
  --draw-time LIMIT  wall-time limit of the draw job (default: 2:00:00)
  --draw-gpus N      GPUs of the draw job (default: none; it only evaluates cached models)
  --cache DIR        model cache on a filesystem every node sees, exported as SEMCOM_CACHE (default: \$SEMCOM_CACHE,
                     else <project>/.cache)
  --out DIR          where the draw job writes the executed notebook (DIR/notebooks) and the figures with results.json
                     (DIR/figures/<paper>; default: the profile's usual place, figures/ for full, build/<profile>/ else)
  --log-dir DIR      where the jobs' output files go (default: <project>/build/slurm)
  --prolog CODE      shell code each job runs first, e.g. 'module load nodejs/20'
  --sbatch ARG       one more sbatch option for both jobs, e.g. --sbatch --qos=long (repeatable)
  --parsable         print only "<array job id> <draw job id>"
  --dry-run          print the two sbatch commands, submit nothing
  -- ARGS…           passed on to both \`workbook run\` calls (e.g. --param key=value)
EOF
}
die() { echo "submit.sh: $*" >&2; exit 2; }
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }
positive_int() { [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, got '$2'"; }
mem_size() { [[ $2 =~ ^[1-9][0-9]*[KMGT]?$ ]] || die "$1 must be a Slurm memory size like 4000, 500M or 16G, got '$2'"; }
time_limit() {
  [[ $2 =~ ^([0-9]+|[0-9]+:[0-5][0-9](:[0-5][0-9])?|[0-9]+-[0-9]+(:[0-5][0-9](:[0-5][0-9])?)?)$ ]] ||
    die "$1 must be a Slurm time limit: MINUTES, HH:MM:SS or D-HH:MM:SS, got '$2'"
}
plain_name() { [[ $2 =~ ^[A-Za-z0-9._:-]+$ ]] || die "$1 must be a name of letters, digits and ._:-, got '$2'"; }

paper="" shards="" profile=quick cpus=1 mem=4G time=24:00:00 partition="" account="" gres=""
draw_cpus="" draw_mem="" draw_time=2:00:00 draw_gres="" cache="${SEMCOM_CACHE:-}" out="" log_dir="" prolog=""
parsable=0 dry_run=0
extra_sbatch=() workbook_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --shards) need_value "$@"; positive_int "$1" "$2"; shards=$2; shift 2 ;;
    --profile) need_value "$@"; [[ $2 =~ ^[a-z0-9-]+$ ]] || die "--profile must be a profile name (quick, full, …), got '$2'"; profile=$2; shift 2 ;;
    --cpus) need_value "$@"; positive_int "$1" "$2"; cpus=$2; shift 2 ;;
    --mem) need_value "$@"; mem_size "$1" "$2"; mem=$2; shift 2 ;;
    --time) need_value "$@"; time_limit "$1" "$2"; time=$2; shift 2 ;;
    --partition) need_value "$@"; plain_name "$1" "$2"; partition=$2; shift 2 ;;
    --account) need_value "$@"; plain_name "$1" "$2"; account=$2; shift 2 ;;
    --gpus) need_value "$@"; positive_int "$1" "$2"; [ -z "$gres" ] || die "give --gpus or --gres, not both"; gres="gpu:$2"; shift 2 ;;
    --gres) need_value "$@"; plain_name "$1" "$2"; [ -z "$gres" ] || die "give --gpus or --gres, not both"; gres=$2; shift 2 ;;
    --draw-cpus) need_value "$@"; positive_int "$1" "$2"; draw_cpus=$2; shift 2 ;;
    --draw-mem) need_value "$@"; mem_size "$1" "$2"; draw_mem=$2; shift 2 ;;
    --draw-time) need_value "$@"; time_limit "$1" "$2"; draw_time=$2; shift 2 ;;
    --draw-gpus) need_value "$@"; positive_int "$1" "$2"; draw_gres="gpu:$2"; shift 2 ;;
    --cache) need_value "$@"; cache=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --log-dir) need_value "$@"; log_dir=$2; shift 2 ;;
    --prolog) need_value "$@"; prolog=$2; shift 2 ;;
    --sbatch) need_value "$@"; [[ $2 == -* ]] || die "--sbatch takes one sbatch option starting with -, got '$2'"; extra_sbatch+=("$2"); shift 2 ;;
    --parsable) parsable=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --) shift; workbook_args=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$paper" ] || die "one paper per submission, got '$paper' and '$1'"; paper=$1; shift ;;
  esac
done
[ -n "$paper" ] || die "name the paper notebook to run, e.g. vscc (see --help)"
[[ $paper =~ ^[a-z0-9_-]+$ ]] && [ -f "$root/notebooks/$paper.ipynb" ] ||
  die "<paper> must name a notebook in notebooks/ ($(cd "$root/notebooks" && ls *.ipynb | sed 's/\.ipynb$//' | xargs)), got '$paper'"
[ -n "$shards" ] || die "--shards N is required (the number of array tasks)"
[ -n "$cache" ] || cache="$root/.cache"
[[ $cache == /* ]] || cache="$(pwd)/$cache"
[ -n "$log_dir" ] || log_dir="$root/build/slurm"
[[ $log_dir == /* ]] || log_dir="$(pwd)/$log_dir"
draw_args=()
if [ -n "$out" ]; then
  [[ $out == /* ]] || out="$(pwd)/$out"
  draw_args=(--out "$out/notebooks" --param "outDir=$out/figures")
fi
draw_cpus=${draw_cpus:-$cpus}
draw_mem=${draw_mem:-$mem}

common=(--export=ALL --chdir="$root")
[ -n "$partition" ] && common+=(--partition="$partition")
[ -n "$account" ] && common+=(--account="$account")
common+=("${extra_sbatch[@]}")
array_cmd=(sbatch --parsable "${common[@]}" --job-name="workbook-$paper" --array="1-$shards"
  --ntasks=1 --cpus-per-task="$cpus" --mem="$mem" --time="$time" --output="$log_dir/%x-%A_%a.out")
[ -n "$gres" ] && array_cmd+=(--gres="$gres")
array_cmd+=("$here/shard.sbatch" "$paper" "$profile" "$shards" "${workbook_args[@]}")
draw_cmd=(sbatch --parsable "${common[@]}" --job-name="workbook-$paper-draw" --dependency="afterok:ARRAY_JOB_ID"
  --kill-on-invalid-dep=yes --ntasks=1 --cpus-per-task="$draw_cpus" --mem="$draw_mem" --time="$draw_time"
  --output="$log_dir/%x-%j.out")
[ -n "$draw_gres" ] && draw_cmd+=(--gres="$draw_gres")
draw_cmd+=("$here/draw.sbatch" "$paper" "$profile" "$shards" "${draw_args[@]}" "${workbook_args[@]}")

export SEMCOM_CACHE="$cache" WORKBOOK_DIR="$root"
[ -n "$prolog" ] && export WORKBOOK_PROLOG="$prolog"

if [ "$dry_run" = 1 ]; then
  echo "SEMCOM_CACHE=$cache WORKBOOK_DIR=$root${prolog:+ WORKBOOK_PROLOG=$prolog}"
  printf '%q ' "${array_cmd[@]}"; echo
  printf '%q ' "${draw_cmd[@]}"; echo
  exit 0
fi

command -v sbatch >/dev/null || die "sbatch not found: run this on a Slurm login node (or see deploy/slurm/local-cluster.sh)"
[ -d "$cache" ] || die "--cache $cache does not exist: create it on a filesystem every node sees"
case "$paper" in
  vscc|codebook) [ -f "$cache/photos/manifest.json" ] ||
    echo "submit.sh: warning: no photo set in $cache/photos — build it once before submitting: SEMCOM_CACHE=$cache npx workbook doctor --fix" >&2 ;;
esac
mkdir -p "$log_dir"

array_id=$("${array_cmd[@]}")
array_id=${array_id%%;*}
[[ $array_id =~ ^[0-9]+$ ]] || die "sbatch did not return a job id for the array (got '$array_id')"
draw_cmd=("${draw_cmd[@]/afterok:ARRAY_JOB_ID/afterok:$array_id}")
if ! draw_id=$("${draw_cmd[@]}"); then
  scancel "$array_id" 2>/dev/null || true
  die "submitting the draw job failed; cancelled array job $array_id"
fi
draw_id=${draw_id%%;*}
if [ "$parsable" = 1 ]; then
  echo "$array_id $draw_id"
else
  echo "array job $array_id: $paper --profile $profile, shards 1..$shards, $cpus CPU(s) and $mem each${gres:+, gres $gres}"
  echo "draw job $draw_id: starts after every shard of $array_id succeeds (afterok:$array_id)"
  [ -n "$out" ] && echo "results: $out/figures/$paper/results.json"
  echo "cache: $cache   logs: $log_dir/workbook-$paper-${array_id}_*.out, $log_dir/workbook-$paper-draw-$draw_id.out"
  echo "watch: squeue -j $array_id,$draw_id   cancel: scancel $array_id $draw_id"
fi
