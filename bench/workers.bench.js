// `npm run bench -- workers`: `grade eval --workers 2` against `--workers 1` (the main thread) on the
// same generated QA-style rows, for fuzzy_match and meteor: rows/s of 2 threads ÷ rows/s of 1,
// end to end, measured interleaved (each round runs both; the fastest of the rounds kept).
// Issue 20's target is >= 1.7 on a 2-core machine; it only means something on a quiet machine
// (`uptime` load below the core count): the detail column shows the load average.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { interleaved, measure } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.WORKERS_ROUNDS ?? 3);
const ROWS = { fuzzy_match: 60000, meteor: 20000 };
const WORDS = "the a of to in is was capital city paris france london answer question river longest nile mountain world people language year tower built quickly fast large big small children went go ran running dogs dog cats cat house car 42 yes no".split(" ");

function writeRows(file, rows) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)];
  let out = "";
  for (let n = 1; n <= rows; n++) {
    const ref = Array.from({ length: 4 + Math.floor(rand() * 13) }, pick);
    const ans = ref.map((w) => (rand() < 0.7 ? w : pick()));
    if (rand() < 0.3) ans.unshift("The", "answer", "is");
    out += JSON.stringify({ id: n, item: { reference: ref.join(" ") }, sample: ans.join(" ") }) + "\n";
  }
  writeFileSync(file, out);
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "grade-workers-"));
  const out = [];
  try {
    for (const [metric, rows] of Object.entries(ROWS)) {
      const data = join(dir, `${metric}.jsonl`);
      writeRows(data, rows);
      const grader = join(dir, `${metric}.json`);
      writeFileSync(grader, JSON.stringify({ type: "text_similarity", name: metric, input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: metric }));
      const evalWith = (workers) => () => measure([join(root, "bin/grade.js"), "eval", grader, "--data", data, "--out", join(dir, `out${workers}.jsonl`), "--overwrite", "--json", "--no-progress", "--workers", String(workers)], 0);
      const load = loadavg()[0].toFixed(1);
      const [one, two] = interleaved(ROUNDS, [evalWith(1), evalWith(2)]);
      const ratio = one.ms / two.ms;
      out.push({ name: `${metric}: 2 workers vs 1`, ratio, detail: `1: ${Math.round(rows / (one.ms / 1000))} rows/s, 2: ${Math.round(rows / (two.ms / 1000))} rows/s (target >= 1.7; load average ${load} on ${(await import("node:os")).availableParallelism()} cores)` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
