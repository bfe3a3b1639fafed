// `grade check --items` on a 100 MB dataset against the baseline of streaming the same file and
// JSON.parse-ing each line (same run, same machine), and the peak RSS of both. Each is a child
// process, run in turn round after round (the fastest of seven: a process on this shared machine
// runs at one of two speeds, about 1.5x apart, so medians of a few rounds swung the ratio from
// 1.1 to 2.0); its peak RSS is `process.resourceUsage().maxRSS` read at exit (the highest).
// The dataset is generated once under bench/.data/ (gitignored).
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { interleaved, measure, streamingParse as baseline } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(root, "bench/.data");
const SIZE = 100 * 1024 * 1024;
const RSS_LIMIT_MB = 150;

const GRADER = `item {
  question: string
  reference_answer?: string
  score: integer
  tags: [string]
  meta: { source: string, id: integer }
}

multi "bench" {
  graders {
    exact: string_check "exact": sample.output_text eq item.reference_answer
    judge: score_model "judge" {
      model: "gpt-4o-2024-08-06"
      user "Q: {{item.question}} A: {{sample.output_text}} Ref: {{item.reference_answer}} ({{item.meta.source}}, {{item.tags[0]}})"
    }
  }
  calculate_output: (exact + judge) / 2
}
`;

/** ~100 MB of rows a fine-tuning dataset might hold; every 10,000th lacks `reference_answer`. */
function ensureDataset(file) {
  if (existsSync(file) && statSync(file).size >= SIZE) return;
  mkdirSync(dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  let written = 0;
  for (let n = 0; written < SIZE; ) {
    const lines = [];
    for (let i = 0; i < 5000; i++, n++) {
      const row = {
        question: `What is ${n} plus ${n + 1}? Explain the steps you took, briefly and clearly, then give the number.`,
        score: n % 5,
        tags: ["arithmetic", `batch-${n % 97}`],
        meta: { source: "synthetic", id: n },
      };
      if (n % 10_000 !== 9) row.reference_answer = `The answer is ${2 * n + 1}, because adding ${n} and ${n + 1} gives it.`;
      lines.push(JSON.stringify(row));
    }
    const chunk = lines.join("\n") + "\n";
    writeSync(fd, chunk);
    written += Buffer.byteLength(chunk);
  }
  closeSync(fd);
}

/** The same with node:readline, the textbook way, for reference. */
const readlineBaseline = (file) => `
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
let rows = 0;
for await (const line of createInterface({ input: createReadStream(${JSON.stringify(file)}), crlfDelay: Infinity })) if (line.trim()) { JSON.parse(line); rows++; }
console.log(rows);
`;

export async function run() {
  const data = join(dataDir, "items-100mb.jsonl");
  const grader = join(dataDir, "items.grade");
  ensureDataset(data);
  writeFileSync(grader, GRADER);
  const bytes = statSync(data).size;
  const [base, viaReadline, checked, node, plain] = interleaved(Number(process.env.BENCH_ROUNDS ?? 7), [
    () => measure(["--input-type=module", "-e", baseline(data)], 0),
    () => measure(["--input-type=module", "-e", readlineBaseline(data)], 0),
    () => measure([join(root, "bin/grade.js"), "check", grader, "--items", data], 1),
    // The fixed costs, to tell the dataset pass from start-up: Node itself, and `grade check` without a dataset.
    () => measure(["-e", ""], 0),
    () => measure([join(root, "bin/grade.js"), "check", grader], 0),
  ]);
  const pass = checked.ms - plain.ms;
  const basePass = base.ms - node.ms;
  if (!checked.stdout.includes("`item.reference_answer` is missing in")) throw new Error(`unexpected output:\n${checked.stdout}`);
  const mb = (bytes / 1024 / 1024).toFixed(0);
  return [
    {
      name: `grade check --items (${mb} MB) vs streaming JSON.parse`,
      ratio: checked.ms / base.ms,
      target: 1.5,
      detail: `${checked.ms.toFixed(0)} ms vs ${base.ms.toFixed(0)} ms (node:readline + JSON.parse: ${viaReadline.ms.toFixed(0)} ms)`,
    },
    {
      name: "the dataset pass alone (start-up taken off both)",
      ratio: pass / basePass,
      target: 1.5,
      detail: `${pass.toFixed(0)} ms vs ${basePass.toFixed(0)} ms (start-up: grade check ${plain.ms.toFixed(0)} ms, node ${node.ms.toFixed(0)} ms)`,
    },
    {
      name: `peak RSS of grade check --items, MB (limit ${RSS_LIMIT_MB})`,
      ratio: checked.rss,
      target: RSS_LIMIT_MB,
      detail: `${checked.rss.toFixed(0)} MB vs ${base.rss.toFixed(0)} MB for the baseline (${viaReadline.rss.toFixed(0)} MB with readline)`,
    },
  ];
}
