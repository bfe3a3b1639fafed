// Cold start: `grade --version`, `grade check` and `grade compile` of a small file, each a new
// process, against `node -e ''` (the same node binary, spawned the same way, in the same run).
// The measures run in turn, round after round, so load on the machine hits them alike; each row
// reports the medians.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = join(root, "bench/.data");
const grade = join(root, "bin/grade.js");

const SMALL = `// @target rft
string_check "exact" {
  input: "{{sample.output_text}}"
  reference: "{{item.answer}}"
  operation: eq
}
`;

function time(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return ms;
}

export async function run() {
  mkdirSync(dataDir, { recursive: true });
  const small = join(dataDir, "small.grade");
  writeFileSync(small, SMALL);
  const measures = {
    node: ["-e", ""],
    version: [grade, "--version"],
    check: [grade, "check", small],
    compile: [grade, "compile", small],
  };
  const rounds = Number(process.env.BENCH_ROUNDS ?? 25);
  const times = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
  // Warm-up: the compile cache and the OS file cache, for grade and node alike.
  for (const args of Object.values(measures)) time(args);
  for (let r = 0; r < rounds; r++) for (const [k, args] of Object.entries(measures)) times[k].push(time(args));
  const node = median(times.node);
  const row = (name, key, target) => {
    const ms = median(times[key]);
    return { name, ratio: ms / node, target, detail: `${ms.toFixed(1)} ms vs ${node.toFixed(1)} ms (medians of ${rounds})` };
  };
  return [
    row("grade --version vs node -e ''", "version", 1.3),
    row("grade check <small file> vs node -e ''", "check", 2),
    row("grade compile <small file> vs node -e ''", "compile", 2),
  ];
}
