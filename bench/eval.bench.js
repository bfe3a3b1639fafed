// `grade eval` over 1,000,000 string_check rows (contains-city.grade, --out to a file) against the
// baseline of streaming the same file and JSON.parse-ing each line (same run, same machine): rows
// per second, and the peak RSS of both. Memory must stay flat: the peak RSS is also compared with
// a run over 250,000 rows (V8 sizes its heap up over the first few hundred thousand rows, then it
// stays). Each measure is a child process (run in turn, twice; the fastest time and the highest
// RSS kept); its peak RSS is `process.resourceUsage().maxRSS` at exit. The data is generated in a
// temporary directory, removed at the end.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { interleaved, measure, streamingParse as baseline } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROWS = 1_000_000;
const SMALL = 250_000;
const RSS_LIMIT_MB = 200;
const GRADER = join(root, "examples/graders/contains-city.grade");

/**
 * Rows for contains-city: three in four mention the city (reward 1), one in four does not (0).
 * Written by a child process: a child's peak RSS includes its parent's at the fork (Linux keeps
 * ru_maxrss across exec), so this process stays small.
 */
function writeRows(file, rows) {
  const script = `
const { closeSync, openSync, writeSync } = require("node:fs");
const fd = openSync(${JSON.stringify(file)}, "w");
for (let n = 1; n <= ${rows}; ) {
  let chunk = "";
  for (let i = 0; i < 5000 && n <= ${rows}; i++, n++) {
    chunk += JSON.stringify({ id: n, item: { city: n % 4 ? "Paris" : "Lyon" }, sample: \`Row \${n}: we land in PARIS at noon and take the train onwards.\` }) + "\\n";
  }
  writeSync(fd, chunk);
}
closeSync(fd);`;
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`generating ${file}: ${result.stderr}`);
}

/** Newlines in a file, counted a megabyte at a time. */
function countLines(file) {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(1 << 20);
  let lines = 0;
  for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) {
    for (let at = buffer.indexOf(10); at !== -1 && at < n; at = buffer.indexOf(10, at + 1)) lines++;
  }
  closeSync(fd);
  return lines;
}

/** `grade eval` afresh (--overwrite) into `out`; checks the summary and the results' line count. */
function evalRun(data, out, rows) {
  const r = measure([join(root, "bin/grade.js"), "eval", GRADER, "--data", data, "--out", out, "--overwrite", "--json"], 0);
  const summary = JSON.parse(r.stdout);
  if (summary.rows.graded !== rows || Math.abs(summary.reward.mean - 0.75) > 1e-9) throw new Error(`unexpected summary: ${r.stdout}`);
  const lines = countLines(out);
  if (lines !== rows + 1) throw new Error(`${out} has ${lines} lines, expected ${rows + 1}`);
  return { ...r, rate: summary.rows_per_second };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "grade-eval-bench-"));
  try {
    const data = join(dir, "rows.jsonl");
    const small = join(dir, "rows-small.jsonl");
    writeRows(data, ROWS);
    writeRows(small, SMALL);
    const mb = (statSync(data).size / 1024 / 1024).toFixed(0);
    const [base, evaluated, smaller] = interleaved(2, [
      () => measure(["--input-type=module", "-e", baseline(data)], 0),
      () => evalRun(data, join(dir, "results.jsonl"), ROWS),
      () => evalRun(small, join(dir, "results-small.jsonl"), SMALL),
    ]);
    const perSecond = (ms) => Math.round(ROWS / (ms / 1000)).toLocaleString("en-US");
    return [
      {
        name: `grade eval, ${ROWS.toLocaleString("en-US")} string_check rows (${mb} MB) vs streaming JSON.parse`,
        ratio: evaluated.ms / base.ms,
        target: 20,
        detail: `${perSecond(evaluated.ms)} rows/s (${(evaluated.ms / 1000).toFixed(1)} s with start-up; ${Math.round(evaluated.rate).toLocaleString("en-US")} rows/s in the loop) vs ${perSecond(base.ms)} rows/s (${(base.ms / 1000).toFixed(1)} s)`,
      },
      {
        name: `peak RSS of grade eval over ${ROWS.toLocaleString("en-US")} rows, MB (limit ${RSS_LIMIT_MB})`,
        ratio: evaluated.rss,
        target: RSS_LIMIT_MB,
        detail: `${evaluated.rss.toFixed(0)} MB vs ${base.rss.toFixed(0)} MB for the baseline`,
      },
      {
        name: `peak RSS, ${ROWS.toLocaleString("en-US")} rows / ${SMALL.toLocaleString("en-US")} rows (flat memory)`,
        ratio: evaluated.rss / smaller.rss,
        target: 1.5,
        detail: `${evaluated.rss.toFixed(0)} MB vs ${smaller.rss.toFixed(0)} MB`,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
