#!/usr/bin/env bash
# A user's install, not a clone's: packs gradelang, installs the tarball into a fresh project in a
# temporary folder (with the Node runtime pinned there, as the README's Install section says), and
# runs what a user runs: the CLI, the library import and the prettier plugin. Run by .ci/run after
# the build; `bash scripts/consumer-install.sh` by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scratch=$(mktemp -d "${TMPDIR:-/tmp}/gradelang-consumer-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'consumer-install: %s\n' "$*" >&2; exit 1; }
field() { node -p "require(process.argv[1]).$1" "$root/package.json"; }

step "npm pack"
npm pack --silent --ignore-scripts --pack-destination "$scratch" >"$scratch/pack.txt"
tarball="$scratch/$(tail -n 1 "$scratch/pack.txt")"
[ -f "$tarball" ] || fail "npm pack made no tarball ($(cat "$scratch/pack.txt"))"
tar -tzf "$tarball" | sed 's|^package/||' >"$scratch/files.txt"
for needed in bin/grade.js dist/bundle/main.js dist/index.js dist/format/plugin.js promptfoo.js dist/promptfoo/assertion.js data/wordnet-3.0.txt \
  data/WORDNET-LICENSE assets/report/report.js assets/report/report.css LICENSE README.md package.json; do
  grep -qx "$needed" "$scratch/files.txt" || fail "the tarball lacks $needed"
done
if grep -E '^(src|test|bench|scripts|examples)/' "$scratch/files.txt" >/dev/null; then
  fail "the tarball carries development folders: $(grep -E '^(src|test|bench|scripts|examples)/' "$scratch/files.txt" | head -3)"
fi
echo "$(wc -l <"$scratch/files.txt") files, $(du -k "$tarball" | cut -f1) KB"

step "npm install --save-dev node@$(field devDependencies.node) <tarball>, in a fresh project"
project="$scratch/project"
mkdir -p "$project/graders"
cp "$root/examples/graders/contains-city.grade" "$project/graders/"
cp "$root/test/fixtures/consumer/"* "$project/"
cd "$project"
printf '{ "name": "consumer", "private": true, "type": "module" }\n' >package.json
npm install --save-dev --no-audit --no-fund --loglevel=error "node@$(field devDependencies.node)" "$tarball"

step "npx grade --version"
version=$(npx grade --version)
[ "$version" = "$(field version)" ] || fail "grade --version printed '$version', not $(field version)"
echo "$version"

step "npx grade check graders/"
npx grade check graders/
set +e
npx grade check broken.grade >broken.out 2>&1
code=$?
set -e
cat broken.out
[ "$code" = 1 ] || fail "grade check on a broken grader exited $code, not 1"
grep -q "broken.grade:4" broken.out || fail "grade check named no location"
if grep -q "^ *at " broken.out; then fail "grade check printed a stack trace"; fi

step "npx grade compile graders -o out"
npx grade compile graders -o out
[ -s out/contains-city.json ] || fail "grade compile wrote no out/contains-city.json"

step "npx grade test synonyms.grade (METEOR on the local engine: the shipped WordNet table)"
npx grade test synonyms.grade

step "npx grade eval, then grade report (the page's assets and uPlot from the installed package)"
printf '%s\n' '{"id": "a", "item": {"city": "Paris"}, "sample": "We land in Paris."}' '{"id": "b", "item": {"city": "Lyon"}, "sample": "Nice."}' >rows.jsonl
npx grade eval graders/contains-city.grade --data rows.jsonl -o results.jsonl --no-progress --fail-under 0.5
npx grade report results.jsonl -o report.html
grep -q "uPlot" report.html || fail "grade report wrote a page without uPlot"
grep -q '"kind":"run"' report.html || fail "grade report wrote a page without its data"

step 'import { compile } from "gradelang"'
npx node use.js

step 'import { grader } from "gradelang/promptfoo" (and node_modules/gradelang/promptfoo.js, as a promptfoo config names it)'
npx node promptfoo-assertion.js

step "npx grade promptfoo graders/contains-city.grade -o promptfooconfig.yaml"
npx grade promptfoo graders/contains-city.grade -o promptfooconfig.yaml
grep -q "value: file://node_modules/gradelang/promptfoo.js:grader" promptfooconfig.yaml ||
  fail "grade promptfoo did not name node_modules/gradelang/promptfoo.js: $(grep value: promptfooconfig.yaml)"

step "prettier --plugin gradelang/prettier --check"
npx prettier --plugin gradelang/prettier --check graders/contains-city.grade
if npx prettier --plugin gradelang/prettier --check messy.grade >messy.out 2>&1; then
  fail "prettier --check passed an unformatted file"
fi
grep -q "messy.grade" messy.out || fail "prettier --check did not name the unformatted file: $(cat messy.out)"

printf '\nconsumer install: ok\n'
