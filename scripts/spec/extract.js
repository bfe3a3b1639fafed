// Extracts the grader definitions of OpenAI's API description (openai/openai-openapi,
// openapi.json) into test/fixtures/spec/openapi-graders.json, the snapshot the conformance tests
// read (test/schema/spec.test.ts, test/conformance/). Run by hand when the spec moves:
//
//   git -C <clone of openai/openai-openapi> show <commit>:openapi.json > /tmp/openapi.json
//   node scripts/spec/extract.js /tmp/openapi.json <commit>
//
// The tests never read the spec itself, only the committed snapshot (see docs/development.md).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "test/fixtures/spec/openapi-graders.json");

/** The definitions the graders are made of, and those they reach (all of them, by $ref). */
const ROOTS = [
  "GraderStringCheck",
  "GraderTextSimilarity",
  "GraderPython",
  "GraderScoreModel",
  "GraderLabelModel",
  "GraderMulti",
  "EvalGraderStringCheck",
  "EvalGraderTextSimilarity",
  "EvalGraderPython",
  "EvalGraderScoreModel",
  "EvalGraderLabelModel",
  "CreateEvalLabelModelGrader",
  "RunGraderRequest",
  "ValidateGraderRequest",
  "FineTuneReinforcementMethod",
];
/** Reached by a $ref but not about graders: written as `{}` (anything). */
const CUT = new Set(["FineTuneReinforcementHyperparameters"]);
/** Keys that document rather than constrain (their text is kept: `description` says what a string may hold). */
const DROP = new Set(["x-oaiMeta", "example", "examples"]);

function clean(node) {
  if (Array.isArray(node)) return node.map(clean);
  if (node === null || typeof node !== "object") return node;
  const outNode = {};
  for (const [k, v] of Object.entries(node)) if (!DROP.has(k)) outNode[k] = clean(v);
  return outNode;
}

function refsOf(node, found) {
  if (Array.isArray(node)) for (const v of node) refsOf(v, found);
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") found.add(v.replace("#/components/schemas/", ""));
      else refsOf(v, found);
    }
  }
}

const [specFile, commit] = process.argv.slice(2);
if (!specFile || !commit || !/^[0-9a-f]{40}$/.test(commit)) {
  console.error("usage: node scripts/spec/extract.js <openapi.json> <40-hex commit of openai/openai-openapi>");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specFile, "utf8"));
const schemas = spec.components.schemas;
const definitions = {};
const queue = [...ROOTS];
// testing_criteria is a property of CreateEvalRequest (whose other properties are not graders').
const testingCriteria = clean(schemas.CreateEvalRequest.properties.testing_criteria);
{
  const found = new Set();
  refsOf(testingCriteria, found);
  queue.push(...found);
}
while (queue.length) {
  const name = queue.shift();
  if (definitions[name]) continue;
  if (CUT.has(name)) {
    definitions[name] = {};
    continue;
  }
  const def = schemas[name];
  if (!def) throw new Error(`the spec has no definition ${name}`);
  definitions[name] = clean(def);
  const found = new Set();
  refsOf(def, found);
  for (const f of found) if (!definitions[f]) queue.push(f);
}
const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
const snapshot = {
  source: { repository: "openai/openai-openapi", commit, file: "openapi.json", openapi: spec.openapi, version: spec.info?.version },
  testing_criteria: testingCriteria,
  definitions: sorted,
};
writeFileSync(out, `${JSON.stringify(snapshot, null, 2)}\n`);
console.log(`${Object.keys(sorted).length} definitions written to ${out}`);
