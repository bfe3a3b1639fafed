// Compile throughput: `compile()` of a generated corpus of 1,000 graders of every kind (about
// 2 MB of .grade, bench/corpus.js) against the baseline of reading the same graders as JSON
// (JSON.parse plus the zod schema parse), both measured here, now: in turn, batch after batch of
// four rounds (a round: the 1,000 graders), each batch from a collected heap (npm run bench
// passes --expose-gc: one side's garbage is not charged to the other; a forced collection before
// every round would charge each round the regrowth of V8's young generation instead, which no
// real run pays), after warm-up batches that are not counted (steady state: the JIT has compiled
// both sides). The ratio is the median of each batch's ratio to the baseline batch just before
// it; the detail gives the medians of both, per round.
import { compile } from "../dist/compile.js";
import { graderSchema } from "../dist/schema/graders.js";
import { targetPragma } from "../dist/check/context.js";
import { corpus } from "./corpus.js";
import { median } from "./stats.js";

/** Milliseconds per round of `fn`, over a batch of rounds started from a collected heap. */
function time(fn, batch) {
  globalThis.gc?.();
  const t = performance.now();
  for (let i = 0; i < batch; i++) fn();
  return (performance.now() - t) / batch;
}

export async function run() {
  const graders = corpus().map((source) => {
    const result = compile(source);
    if (!result.grader) throw new Error(`a corpus grader does not compile:\n${source}`);
    return { source, json: JSON.stringify(result.grader, null, 2), target: targetPragma(result.document) ?? "rft" };
  });
  const bytes = graders.reduce((n, g) => n + g.source.length, 0);
  const jsonBytes = graders.reduce((n, g) => n + g.json.length, 0);
  const rounds = Number(process.env.BENCH_ROUNDS ?? 15);
  const warmup = 3;
  const batch = 4;
  const base = [];
  const measured = [];
  for (let r = 0; r < warmup + rounds; r++) {
    const b = time(() => {
      for (const g of graders) graderSchema(g.target).parse(JSON.parse(g.json));
    }, batch);
    const m = time(() => {
      for (const g of graders) compile(g.source);
    }, batch);
    if (r < warmup) continue;
    base.push(b);
    measured.push(m);
  }
  const b = median(base);
  const m = median(measured);
  return [
    {
      name: "compile 1,000 graders vs JSON.parse + zod",
      // Each compile batch against the baseline batch just before it (load on the machine
      // changes slowly: a pair sees the same), the median of the batches.
      ratio: median(measured.map((ms, i) => ms / base[i])),
      target: 5,
      detail: `${m.toFixed(1)} ms vs ${b.toFixed(1)} ms a round (medians of ${rounds} batches of ${batch} after ${warmup} warm-up batches; ${(bytes / 1024 / 1024).toFixed(1)} MB of .grade, ${(jsonBytes / 1024 / 1024).toFixed(1)} MB of JSON)`,
    },
  ];
}
