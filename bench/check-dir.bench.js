// `grade check` of a directory of 1,000 .grade files (the corpus of bench/corpus.js, about 2 MB)
// in one process, against a process that reads the 1,000 JSON twins of the same graders and
// JSON.parses each: both spawned with the same node, in turn, round after round; medians.
// The files are written under bench/.data/ (gitignored) when missing or stale.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../dist/compile.js";
import { corpus } from "./corpus.js";
import { median } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(root, "bench/.data/check-1000");

/** The 1,000 .grade files (in 10 folders of 100) and their JSON twins, written once. */
function ensureFiles() {
  const texts = corpus();
  const stamp = join(dir, "corpus.stamp");
  const digest = String(texts.reduce((h, t) => (h * 31 + t.length) >>> 0, texts.length));
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return texts.length;
  rmSync(dir, { recursive: true, force: true });
  texts.forEach((text, i) => {
    const sub = join(dir, "graders", `group-${String(Math.floor(i / 100)).padStart(2, "0")}`);
    const json = join(dir, "json", `group-${String(Math.floor(i / 100)).padStart(2, "0")}`);
    mkdirSync(sub, { recursive: true });
    mkdirSync(json, { recursive: true });
    const name = `grader-${String(i).padStart(4, "0")}`;
    writeFileSync(join(sub, `${name}.grade`), text);
    const result = compile(text);
    if (!result.grader || result.diagnostics.length) throw new Error(`corpus grader ${i} has findings`);
    writeFileSync(join(json, `${name}.json`), `${JSON.stringify(result.grader, null, 2)}\n`);
  });
  writeFileSync(stamp, digest);
  return texts.length;
}

/** The baseline: list the JSON twins, read and parse each (what any tool reading them does). */
const baseline = (jsonDir) => `
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
let n = 0;
for (const entry of readdirSync(${JSON.stringify(jsonDir)}, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".json")) continue;
  JSON.parse(readFileSync(join(entry.parentPath, entry.name), "utf8"));
  n++;
}
console.log(n);
`;

function time(args, expect) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  const ms = performance.now() - started;
  if (result.status !== 0 || !result.stdout.includes(expect)) throw new Error(`node ${args.slice(0, 3).join(" ")} exited ${result.status}: ${result.stderr}${result.stdout}`);
  return ms;
}

export async function run() {
  const count = ensureFiles();
  const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
  const base = [];
  const checked = [];
  const measures = [
    () => base.push(time(["--input-type=module", "-e", baseline(join(dir, "json"))], String(count))),
    () => checked.push(time([join(root, "bin/grade.js"), "check", join(dir, "graders")], `${count} files checked, no findings`)),
  ];
  for (const m of measures) m(); // warm-up: the compile cache and the OS file cache
  base.length = checked.length = 0;
  for (let r = 0; r < rounds; r++) for (const m of measures) m();
  const b = median(base);
  const c = median(checked);
  return [
    {
      name: `grade check of ${count} files vs reading + JSON.parse of their JSON`,
      ratio: c / b,
      target: 5,
      detail: `${c.toFixed(0)} ms vs ${b.toFixed(0)} ms (medians of ${rounds}, each a new process)`,
    },
  ];
}
