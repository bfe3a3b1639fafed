// Local engine throughput: rows per second of `LocalEngine.grade` over 100,000 generated rows,
// for string_check, fuzzy_match, bleu and rouge_l (templates rendered, the metric computed, the
// API-shaped response built), against a baseline measured in the same run: the same rows read
// and compared with a plain `===` (the least a grader can do per row).
import { LocalEngine } from "../dist/engine/local.js";
import { sampleFromText } from "../dist/engine/sample.js";

const ROWS = 100_000;
const WORDS = "the a council budget approved passed new on tuesday vote city plan road school park tax water report".split(" ");

/** A deterministic pseudo-random generator, so every run grades the same rows. */
function random(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function sentence(next, length) {
  const words = [];
  for (let i = 0; i < length; i++) words.push(WORDS[Math.floor(next() * WORDS.length)]);
  return words.join(" ");
}

/** Rows of 8–20 words: a reference, and an output that shares part of it. */
function rows() {
  const next = random(7);
  const out = [];
  for (let i = 0; i < ROWS; i++) {
    const reference = sentence(next, 8 + Math.floor(next() * 13));
    const output = next() < 0.3 ? reference : `${reference.split(" ").slice(0, 6).join(" ")} ${sentence(next, 6)}`;
    out.push({ sample: output, item: { reference } });
  }
  return out;
}

const graders = {
  string_check: { type: "string_check", name: "eq", input: "{{sample.output_text}}", reference: "{{item.reference}}", operation: "eq" },
  fuzzy_match: { type: "text_similarity", name: "f", input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: "fuzzy_match" },
  bleu: { type: "text_similarity", name: "b", input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: "bleu" },
  rouge_l: { type: "text_similarity", name: "r", input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: "rouge_l" },
};

export async function run() {
  const data = rows();
  const samples = data.map((row) => sampleFromText(row.sample));

  let t = performance.now();
  let matches = 0;
  for (let i = 0; i < data.length; i++) if (samples[i].output_text === data[i].item.reference) matches++;
  const baseline = Math.max(performance.now() - t, 0.001);
  if (matches === 0) throw new Error("the generated rows have no exact match");

  const engine = new LocalEngine();
  const out = [{ name: `baseline: === over ${ROWS.toLocaleString("en-US")} rows`, ratio: 1, detail: `${Math.round(ROWS / (baseline / 1000)).toLocaleString("en-US")} rows/s` }];
  for (const [metric, grader] of Object.entries(graders)) {
    t = performance.now();
    let sum = 0;
    for (let i = 0; i < data.length; i++) {
      const response = await engine.grade({ grader, sample: samples[i], item: data[i].item });
      if (response.metadata.errors.invalid_variable_error) throw new Error(`${metric}: row ${i} flagged`);
      sum += response.reward;
    }
    const ms = performance.now() - t;
    out.push({
      name: `${metric} rows/s`,
      ratio: ms / baseline,
      detail: `${Math.round(ROWS / (ms / 1000)).toLocaleString("en-US")} rows/s (${((ms / ROWS) * 1000).toFixed(1)} µs/row; mean reward ${(sum / ROWS).toFixed(3)})`,
    });
  }
  await engine.close();
  return out;
}
