#!/usr/bin/env bash
# The tests: install what is needed, type-check, unit tests of lib/, every notebook in the quick profile,
# and the export + browser checks (Node's test runner).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test: type-check"
npm run --silent typecheck
echo "test: node --test"
node --test --test-concurrency=2 --test-reporter=spec dist/test/
