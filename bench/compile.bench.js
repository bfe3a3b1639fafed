// Compile throughput: `compile()` of a corpus of graders against the baseline of reading the
// same graders as JSON (JSON.parse plus the zod schema parse), both measured here, now.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { globSync } from "tinyglobby";
import { compile } from "../dist/compile.js";
import { graderSchema } from "../dist/schema/graders.js";
import { targetPragma } from "../dist/check/context.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Best of `rounds` timings of `fn` over the corpus, in ms. */
function best(rounds, fn) {
  let min = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

export async function run() {
  const files = globSync("examples/**/*.grade", { cwd: root }).sort();
  const corpus = [];
  // 1,000 graders: the examples, renamed so no two are the same text.
  for (let i = 0; corpus.length < 1000; i++) {
    const file = files[i % files.length];
    const abs = join(root, file);
    const source = readFileSync(abs, "utf8").replace(/^(\w+ )"([^"]*)"/m, `$1"$2 #${i}"`);
    const result = compile(source, { filename: abs, root });
    if (!result.grader) throw new Error(`${file} does not compile`);
    corpus.push({ source, abs, json: JSON.stringify(result.grader), target: targetPragma(result.document) ?? "rft" });
  }
  const bytes = corpus.reduce((n, g) => n + g.source.length, 0);
  const rounds = 5;
  const baseline = best(rounds, () => {
    for (const g of corpus) graderSchema(g.target).parse(JSON.parse(g.json));
  });
  const measured = best(rounds, () => {
    for (const g of corpus) compile(g.source, { filename: g.abs, root });
  });
  return [
    {
      name: "compile 1,000 graders vs JSON.parse + zod",
      ratio: measured / baseline,
      target: 5,
      detail: `${measured.toFixed(1)} ms vs ${baseline.toFixed(1)} ms (${(bytes / 1024).toFixed(0)} kB of .grade)`,
    },
  ];
}
