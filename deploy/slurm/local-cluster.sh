#!/usr/bin/env bash
# A throwaway single-node Slurm on localhost, in one folder: munged + slurmctld + slurmd, for trying the sbatch
# scripts in deploy/slurm/ (and for test/cluster/slurm.test.ts) on a machine without a cluster.
#
#   deploy/slurm/local-cluster.sh start DIR   writes DIR/slurm.conf, starts the daemons, waits until the node is idle,
#                                             prints `export SLURM_CONF=DIR/slurm.conf` (what sbatch/squeue need)
#   deploy/slurm/local-cluster.sh stop DIR    stops the daemons started in DIR (by their pid files) — safe to repeat
#
# Needs root (slurmd runs jobs as their submitting user) and Debian's `slurmctld slurmd slurm-client munge`
# (scripts/cluster-setup.sh installs them). Everything lives in DIR: a munge key generated there, the munge socket,
# Slurm's state, spool, logs and pid files; nothing under /etc or /var is touched. The node is `localhost` with this
# machine's CPUs (or LOCAL_CLUSTER_CPUS) and memory, in one partition `local` (Default); ports are picked free at start.
# Configuration after Slurm 22.05's slurm.conf(5): ProctrackType=proctrack/linuxproc and TaskPlugin=task/none need no
# cgroups (containers), AccountingStorageType=none (no slurmdbd: finished jobs are read with `scontrol show job`, kept
# MinJobAge seconds).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$2
case "$action" in start|stop) ;; *) usage ;; esac

stop_pidfile() {
  local f=$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

if [ "$action" = stop ]; then
  [ -d "$dir" ] || exit 0
  dir=$(cd "$dir" && pwd)
  # Jobs first: a job's processes (under slurmstepd) outlive slurmd, so cancel them while the controller still runs.
  if [ -f "$dir/run/slurmctld.pid" ] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null; then
    jobs=$(SLURM_CONF="$dir/slurm.conf" squeue -h -o '%A' 2>/dev/null | sort -u | xargs || true)
    if [ -n "$jobs" ]; then
      SLURM_CONF="$dir/slurm.conf" scancel $jobs 2>/dev/null || true
      for _ in $(seq 1 100); do
        [ -z "$(SLURM_CONF="$dir/slurm.conf" squeue -h -o '%A' 2>/dev/null)" ] && break
        sleep 0.2
      done
      echo "local-cluster: cancelled jobs $jobs"
    fi
  fi
  # slurmd first (it owns the job steps), then the controller, then munge.
  stop_pidfile "$dir/run/slurmd.pid"
  stop_pidfile "$dir/run/slurmctld.pid"
  stop_pidfile "$dir/run/munged.pid"
  echo "local-cluster: stopped the daemons in $dir"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then echo "local-cluster: must run as root (slurmd starts jobs as their user)" >&2; exit 1; fi
for b in munged mungekey slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$b" >/dev/null || { echo "local-cluster: $b not found — run scripts/cluster-setup.sh (Debian: apt-get install -y slurmctld slurmd slurm-client munge)" >&2; exit 1; }
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ -f "$dir/run/slurmctld.pid" ] && kill -0 "$(cat "$dir/run/slurmctld.pid")" 2>/dev/null; then
  echo "local-cluster: already running in $dir (stop it first: $0 stop $dir)" >&2; exit 1
fi
# munged refuses a key or socket directory that others can write to: DIR and its parts are 0700.
chmod 0700 "$dir"
mkdir -p "$dir/munge" "$dir/run" "$dir/log" "$dir/state" "$dir/spool"
chmod 0700 "$dir/munge" "$dir/run" "$dir/state" "$dir/spool"

# munge: a fresh key for this cluster only.
[ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" --bits=1024
chmod 0600 "$dir/munge/munge.key"
sock="$dir/munge/munge.socket"
# --force: the temporary folder's parents (/tmp is world-writable with the sticky bit) would otherwise be refused.
munged --force --socket="$sock" --key-file="$dir/munge/munge.key" --pid-file="$dir/run/munged.pid" \
  --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { echo "local-cluster: munged did not start (log: $dir/log/munged.log)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ctld_port=${SLURMCTLD_PORT:-$(free_port)}
slurmd_port=${SLURMD_PORT:-$(free_port)}
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done
# LOCAL_CLUSTER_CPUS: the CPUs the node offers (default: this machine's; config_overrides lets it claim more).
cpus=${LOCAL_CLUSTER_CPUS:-$(nproc)}
[[ $cpus =~ ^[1-9][0-9]*$ ]] || { echo "local-cluster: LOCAL_CLUSTER_CPUS must be a positive integer, got '$cpus'" >&2; exit 2; }
# RealMemory in MB, less 512 MB for the system (Slurm refuses a node that reports less than it is configured with).
mem_mb=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 - 512 ))

cat > "$dir/slurm.conf" <<EOF
# Generated by deploy/slurm/local-cluster.sh: a single-node Slurm on localhost (see that script).
ClusterName=workbook-local
SlurmctldHost=localhost
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MinJobAge=3600
# A job without --mem gets a CPU's share of memory, not the whole node (which would run array tasks one at a time).
DefMemPerCPU=$(( mem_mb / cpus ))
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

export SLURM_CONF="$dir/slurm.conf"
# -c: a clean start (no jobs from an earlier state); -i: ignore the state file's errors.
slurmctld -c -i -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 1 100); do
  state=$(sinfo -h -n localhost -o '%T' 2>/dev/null || true)
  case "$state" in idle*|mixed*|allocated*) break ;; esac
  sleep 0.2
done
case "${state:-}" in
  idle*|mixed*|allocated*) ;;
  *) echo "local-cluster: node not ready (state: ${state:-none}; logs in $dir/log)" >&2; "$0" stop "$dir" >&2; exit 1 ;;
esac
echo "local-cluster: slurmctld on port $ctld_port, slurmd on $slurmd_port, node localhost ($cpus CPUs, $mem_mb MB) idle"
echo "export SLURM_CONF=$SLURM_CONF"
