// Python grader throughput: calls per second of a small grader, cold (`runPython`: a fresh
// `python3` process per call, the baseline) against a warm worker (`createPythonWorker`: one
// process that loads the source once). Both measured here, now; python3 must be on PATH.
import { createPythonWorker } from "../dist/engine/python-worker.js";
import { runPython } from "../dist/engine/python.js";

const SOURCE = `
def grade(sample, item):
    text = sample["output_text"].strip().lower()
    return 1.0 if text == item["reference"].lower() else 0.0
`;
const COLD_CALLS = 20;
const WARM_CALLS = 500;

function sampleOf(i) {
  return [{ output_text: ` Answer ${i} ` }, { reference: `answer ${i % 2 === 0 ? i : -i}` }];
}

function check(result, i) {
  const expected = i % 2 === 0 ? 1 : 0;
  if (!result.ok || result.reward !== expected) throw new Error(`call ${i}: unexpected ${JSON.stringify(result)}`);
}

export async function run() {
  check(await runPython(SOURCE, ...sampleOf(0)), 0); // warm the OS caches for both
  let t = performance.now();
  for (let i = 0; i < COLD_CALLS; i++) check(await runPython(SOURCE, ...sampleOf(i)), i);
  const cold = (performance.now() - t) / COLD_CALLS;

  const worker = createPythonWorker(SOURCE);
  try {
    t = performance.now();
    check(await worker.grade(...sampleOf(0)), 0); // start-up and loading the source
    const first = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < WARM_CALLS; i++) check(await worker.grade(...sampleOf(i)), i);
    const warm = (performance.now() - t) / WARM_CALLS;
    const perSecond = (ms) => (1000 / ms).toFixed(ms > 10 ? 1 : 0);
    return [
      {
        name: "python cold (runPython)",
        ratio: 1,
        detail: `${perSecond(cold)} calls/s (${cold.toFixed(1)} ms/call over ${COLD_CALLS} calls)`,
      },
      {
        name: "python warm worker",
        ratio: warm / cold,
        target: 0.2,
        detail: `${perSecond(warm)} calls/s (${warm.toFixed(3)} ms/call over ${WARM_CALLS} calls, ratio ${(warm / cold).toFixed(4)}; first call with start-up ${first.toFixed(1)} ms)`,
      },
    ];
  } finally {
    await worker.close();
  }
}
