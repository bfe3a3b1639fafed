#!/usr/bin/env bash
# The oracle: installs the reference libraries into a scratch virtualenv and regenerates
# test/engine/metrics/fixtures/oracle.json and unicode.json from them (scripts/oracle.py), then
# src/engine/metrics/unicode-data.ts (scripts/unicode-tables.py). Run by hand, never in CI:
#
#   apt-get install -y wordnet-base                 # WordNet 3.0 in /usr/share/wordnet
#   ROUGE_DIR=/path/to/google-research/rouge-parent \  # optional: a folder holding the `rouge` package
#   RAPIDFUZZ_HEADER=/path/to/unicodetype_db.h \       # optional: RapidFuzz v3.10.1 src/rapidfuzz/unicodetype_db.h
#   bash scripts/oracle.sh [VENV_DIR]                 # default /tmp/gradelang-oracle
#
# pip installs whatever the configured package index serves (no rouge-score there: hence ROUGE_DIR,
# a checkout of google-research/google-research whose rouge/ folder is importable as `rouge`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-/tmp/gradelang-oracle}"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "oracle.sh: needs Python 3.11 (set PYTHON)" >&2; exit 2; }
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q rapidfuzz nltk absl-py numpy six
if [ -n "${ROUGE_DIR:-}" ]; then
  export PYTHONPATH="$ROUGE_DIR${PYTHONPATH:+:$PYTHONPATH}"
  export ROUGE_SOURCE="${ROUGE_SOURCE:-google-research rouge/ from $ROUGE_DIR}"
fi
"$VENV/bin/python" scripts/oracle.py test/engine/metrics/fixtures
"$VENV/bin/python" scripts/unicode-tables.py ${RAPIDFUZZ_HEADER:+--rapidfuzz-header "$RAPIDFUZZ_HEADER"} > src/engine/metrics/unicode-data.ts
"$VENV/bin/pip" list 2>/dev/null | grep -iE '^(rapidfuzz|nltk|numpy|absl-py|six) '
