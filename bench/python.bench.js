// Python grader throughput: calls per second of a small grader, cold (`runPython`: a fresh
// process per call, the baseline) against a warm worker (`createPythonWorker`: one process that
// loads the source once); each in the bubblewrap sandbox (the default on Linux when bwrap works)
// and unsandboxed (`sandbox: "off"`), the sandbox's cost measured against its peer in this run.
// Both interpreters are the one `python3` resolves to (a pyenv shim is resolved once, up front).
import { createPythonWorker } from "../dist/engine/python-worker.js";
import { runPython } from "../dist/engine/python.js";
import { sandboxStatus } from "../dist/engine/sandbox.js";

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

async function cold(sandbox) {
  check(await runPython(SOURCE, ...sampleOf(0), { sandbox }), 0); // warm the OS caches
  const t = performance.now();
  for (let i = 0; i < COLD_CALLS; i++) check(await runPython(SOURCE, ...sampleOf(i), { sandbox }), i);
  return (performance.now() - t) / COLD_CALLS;
}

async function warm(sandbox) {
  const worker = createPythonWorker(SOURCE, { sandbox });
  try {
    let t = performance.now();
    check(await worker.grade(...sampleOf(0)), 0); // start-up and loading the source
    const first = performance.now() - t;
    t = performance.now();
    for (let i = 0; i < WARM_CALLS; i++) check(await worker.grade(...sampleOf(i)), i);
    return { first, perCall: (performance.now() - t) / WARM_CALLS };
  } finally {
    await worker.close();
  }
}

const perSecond = (ms) => (1000 / ms).toFixed(ms > 10 ? 1 : 0);

export async function run() {
  const sandboxed = sandboxStatus().sandboxed;
  // Interleaved, each side's best of three (this machine's speed swings between runs).
  const best = { coldOff: Infinity, coldOn: Infinity, warmOff: { first: Infinity, perCall: Infinity }, warmOn: { first: Infinity, perCall: Infinity } };
  const keep = (a, b) => ({ first: Math.min(a.first, b.first), perCall: Math.min(a.perCall, b.perCall) });
  for (let round = 0; round < 3; round++) {
    best.coldOff = Math.min(best.coldOff, await cold("off"));
    best.coldOn = Math.min(best.coldOn, await cold("auto"));
    best.warmOff = keep(best.warmOff, await warm("off"));
    best.warmOn = keep(best.warmOn, await warm("auto"));
  }
  const on = sandboxed ? "sandbox" : "NO sandbox here";
  return [
    { name: "python cold, unsandboxed (runPython)", ratio: 1, detail: `${perSecond(best.coldOff)} calls/s (${best.coldOff.toFixed(1)} ms/call over ${COLD_CALLS} calls)` },
    { name: `python cold, ${on}`, ratio: best.coldOn / best.coldOff, detail: `${perSecond(best.coldOn)} calls/s (${best.coldOn.toFixed(1)} ms/call; sandbox start-up +${(best.coldOn - best.coldOff).toFixed(1)} ms/call)` },
    {
      name: "python warm worker, unsandboxed",
      ratio: best.warmOff.perCall / best.coldOff,
      target: 0.2,
      detail: `${perSecond(best.warmOff.perCall)} calls/s (${best.warmOff.perCall.toFixed(3)} ms/call over ${WARM_CALLS} calls; first call with start-up ${best.warmOff.first.toFixed(1)} ms)`,
    },
    {
      name: `python warm worker, ${on} (vs unsandboxed)`,
      ratio: best.warmOn.perCall / best.warmOff.perCall,
      target: 1.5,
      detail: `${perSecond(best.warmOn.perCall)} calls/s (${best.warmOn.perCall.toFixed(3)} ms/call; first call with start-up ${best.warmOn.first.toFixed(1)} ms)`,
    },
  ];
}
