#!/usr/bin/env bash
# Installs everything the workbook needs on a Debian machine: Debian packages (as root, or through sudo),
# the npm packages pinned in package-lock.json, the compiled library, the tslab kernelspec and the data caches.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

node_ok=$(node -e 'const [a,b]=process.versions.node.split(".").map(Number); console.log(a>20||(a===20&&b>=19)?1:0)' 2>/dev/null || echo 0)
if [ "$node_ok" != 1 ]; then
  echo "setup: Node.js >= 20.19 is required (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else SUDO="none"; fi
pkgs=$(grep -v '^\s*#' scripts/apt-packages.txt | xargs)
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$SUDO" = none ]; then
    echo "setup: missing Debian packages:$missing — run as root: apt-get update && apt-get install -y$missing" >&2
    exit 1
  fi
  echo "setup: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "setup: building lib/ → dist/"
npm run --silent build
# Registers the kernel and builds the data caches (photo set) where missing.
node bin/workbook.js doctor --fix
