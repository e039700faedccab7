#!/usr/bin/env bash
# The main job: install what is needed, then re-execute every notebook in the full profile. Writes figures/
# (each figure as Vega-Lite JSON + SVG + PNG + CSV, tables as CSV + Markdown, results.json per paper) and the
# executed notebooks with their HTML export under build/full/. Trained models are cached, so a re-run resumes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node bin/workbook.js run --profile full --export html "$@"
echo "reproduce: figures in figures/, HTML in build/full/export/"
