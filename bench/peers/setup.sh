#!/usr/bin/env bash
# The Python peers of `npm run bench -- peers`, in a scratch virtualenv (not run by CI):
#   bash bench/peers/setup.sh [VENV]        # default /tmp/gradelang-peers
#   ROUGE_DIR=/path/with/rouge-package bash bench/peers/setup.sh   # optional: google-research rouge/
# then `GRADELANG_PEERS=/tmp/gradelang-peers npm run bench -- peers` (that default is also tried).
set -euo pipefail
VENV="${1:-/tmp/gradelang-peers}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q rapidfuzz nltk absl-py numpy six
if [ -n "${ROUGE_DIR:-}" ]; then
  SITE="$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$ROUGE_DIR" > "$SITE/gradelang-rouge.pth"
fi
"$VENV/bin/pip" list 2>/dev/null | grep -iE '^(rapidfuzz|nltk) '
