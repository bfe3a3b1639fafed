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

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function run() {
  const sandboxed = sandboxStatus().sandboxed;
  // Interleaved rounds, the order swapped every round, and the median of the per-round ratios:
  // this machine's speed swings between and within runs (best-of-three gave same-run ratios from
  // 0.97 to 1.98 for the same code; the per-round median holds still).
  const rounds = { coldOff: [], coldOn: [], warmOff: [], warmOn: [], coldRatio: [], warmRatio: [] };
  for (let round = 0; round < 7; round++) {
    const order = round % 2 === 0 ? ["off", "auto"] : ["auto", "off"];
    const c = {};
    const w = {};
    for (const mode of order) c[mode] = await cold(mode);
    for (const mode of order) w[mode] = await warm(mode);
    rounds.coldOff.push(c.off);
    rounds.coldOn.push(c.auto);
    rounds.warmOff.push(w.off);
    rounds.warmOn.push(w.auto);
    rounds.coldRatio.push(c.auto / c.off);
    rounds.warmRatio.push(w.auto.perCall / w.off.perCall);
  }
  const coldOff = median(rounds.coldOff);
  const coldOn = median(rounds.coldOn);
  const warmOff = median(rounds.warmOff.map((r) => r.perCall));
  const warmOn = median(rounds.warmOn.map((r) => r.perCall));
  const firstOff = median(rounds.warmOff.map((r) => r.first));
  const firstOn = median(rounds.warmOn.map((r) => r.first));
  const on = sandboxed ? "sandbox" : "NO sandbox here";
  return [
    { name: "python cold, unsandboxed (runPython)", ratio: 1, detail: `${perSecond(coldOff)} calls/s (${coldOff.toFixed(1)} ms/call, median of 7 rounds of ${COLD_CALLS} calls)` },
    { name: `python cold, ${on}`, ratio: median(rounds.coldRatio), detail: `${perSecond(coldOn)} calls/s (${coldOn.toFixed(1)} ms/call; ratio = median of the rounds' ratios)` },
    {
      name: "python warm worker, unsandboxed",
      ratio: warmOff / coldOff,
      target: 0.2,
      detail: `${perSecond(warmOff)} calls/s (${warmOff.toFixed(3)} ms/call, rounds of ${WARM_CALLS} calls; first call with start-up ${firstOff.toFixed(1)} ms)`,
    },
    {
      name: `python warm worker, ${on} (vs unsandboxed)`,
      ratio: median(rounds.warmRatio),
      target: 1.5,
      detail: `${perSecond(warmOn)} calls/s (${warmOn.toFixed(3)} ms/call; first call with start-up ${firstOn.toFixed(1)} ms; per-round ratios ${rounds.warmRatio.map((r) => r.toFixed(2)).join(" ")})`,
    },
  ];
}
