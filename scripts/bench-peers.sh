#!/usr/bin/env bash
# Installs the CPU reference peers the benchmarks compare against (bench/nn.ts, bench/info.ts): Debian's
# python3-numpy and python3-torch, with the pthread OpenBLAS so OPENBLAS_NUM_THREADS=1 pins them to one core.
# Optional: the benchmarks run without them and say so. Idempotent: installs only what is missing.
# Not root (or not Debian): prints the command to run and exits 0, since the peers are never required.
set -euo pipefail

pkgs="python3-numpy python3-torch libopenblas0-pthread"

if ! command -v dpkg >/dev/null || ! command -v apt-get >/dev/null; then
  echo "bench-peers: not a Debian system (no dpkg/apt-get); skipping. Peers: $pkgs"
  exit 0
fi

missing=""
for p in $pkgs; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    echo "bench-peers: $p already installed ($(dpkg-query -W -f='${Version}' "$p"))"
  else
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bench-peers: not root; to install the peers run as root: apt-get update && apt-get install -y$missing"
    exit 0
  fi
  echo "bench-peers: apt-get update"
  apt-get update -qq
  echo "bench-peers: apt-get install -y$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# Which BLAS torch actually loads decides whether OPENBLAS_NUM_THREADS applies: report it.
if OPENBLAS_NUM_THREADS=1 /usr/bin/python3 - <<'EOF'
import numpy, torch
torch.set_num_threads(1)
torch.randn(64, 64) @ torch.randn(64, 64)
blas = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l})
print(f"bench-peers: ok: numpy {numpy.__version__}, torch {torch.__version__}, threads {torch.get_num_threads()}, BLAS {', '.join(blas) or 'none found'}")
EOF
then :; else
  echo "bench-peers: python3 could not import numpy/torch after installation" >&2
  exit 1
fi
