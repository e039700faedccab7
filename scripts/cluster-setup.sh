#!/usr/bin/env bash
# Installs what deploy/slurm/local-cluster.sh and `npm run test:cluster` need to start a single-node Slurm on this
# machine: Debian's slurmctld, slurmd, slurm-client (sbatch, squeue, scontrol) and munge. Kept out of scripts/setup.sh
# on purpose: running the notebooks needs none of it, and on a real cluster Slurm is the administrators' (there only
# `sbatch` is needed, already on the login node). The individual packages rather than the `slurm-wlm` metapackage, which
# also pulls in some twenty plugin and -dev packages. Idempotent: a second run only checks. Needs root (or sudo).
set -euo pipefail
pkgs="slurmctld slurmd slurm-client munge"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -z "$missing" ]; then
  echo "cluster-setup: installed: $(dpkg-query -W -f '${Package} ${Version}  ' $pkgs)"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "cluster-setup: missing Debian packages:$missing — run as root: apt-get update && apt-get install -y$missing" >&2
  exit 1
fi
echo "cluster-setup: installing Debian packages:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
echo "cluster-setup: installed: $(dpkg-query -W -f '${Package} ${Version}  ' $pkgs)"
