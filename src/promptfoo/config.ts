import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from "yaml";
import type { Json, JsonObject } from "../emit/emit.js";
import { parseRow } from "../eval/rows.js";

/*
 * `grade promptfoo`'s output: the promptfoo config that runs graders as assertions. Pure: the
 * command (src/cli/promptfoo.ts) reads the files and writes the result. An existing config keeps
 * everything but what this owns: the gradelang entries of `defaultTest.assert` (replaced), and
 * `tests` when a dataset is given (replaced by its rows). Comments and layout are kept (yaml's
 * Document API).
 */

/** One grader, as the config names it. */
export interface ConfigGrader {
  /** The path written in `config.grader`: relative to the config's directory, `/` separated. */
  readonly path: string;
  /** The assertion's `metric` (promptfoo's name for it in reports): the grader's name, else the file's. */
  readonly metric: string;
}

/** One test from one dataset row. */
export interface ConfigTest {
  readonly description: string;
  readonly vars: JsonObject;
}

export interface ConfigInput {
  readonly graders: readonly ConfigGrader[];
  /** `file://<path>:grader`: the assertion module, relative to the config's directory. */
  readonly module: string;
  readonly threshold?: number | undefined;
  /** From `--data`; undefined keeps an existing config's tests. */
  readonly tests?: readonly ConfigTest[] | undefined;
  /** The var holding the recorded output (the echo provider's prompt), when the rows have samples. */
  readonly outputVar?: string | undefined;
}

/** A gradelang assertion: a javascript assertion whose value names gradelang's module. */
function isGradelangAssertion(node: unknown): boolean {
  if (!isMap(node)) return false;
  const value = node.get("value");
  return node.get("type") === "javascript" && typeof value === "string" && /promptfoo\.js:grader$/.test(value);
}

function assertEntry(input: ConfigInput, grader: ConfigGrader): JsonObject {
  const config: JsonObject = { grader: grader.path };
  if (input.threshold !== undefined) config["threshold"] = input.threshold;
  if (input.outputVar !== undefined) config["omitVars"] = [input.outputVar];
  return { type: "javascript", metric: grader.metric, value: input.module, config };
}

function testEntry(test: ConfigTest): JsonObject {
  return { description: test.description, vars: test.vars };
}

/** A new config: the echo provider replays each test's recorded output (`{{output}}`). */
export function starterConfig(input: ConfigInput): string {
  const outputVar = input.outputVar ?? "output";
  const doc = new Document({
    description: "gradelang graders",
    prompts: [`{{${outputVar}}}`],
    providers: ["echo"],
    defaultTest: { assert: input.graders.map((g) => assertEntry(input, g)) },
    tests: (input.tests ?? []).map(testEntry),
  } as Json);
  doc.commentBefore =
    " Written by `grade promptfoo` (docs/promptfoo.md). The echo provider returns the prompt, so each test's\n" +
    ` \`${outputVar}\` var is the output graded: replace prompts and providers to grade a live model.\n` +
    " Run it with `npx promptfoo eval` from this directory (grader paths are relative to it).";
  if (!input.tests?.length) {
    const tests = doc.get("tests", true) as YAMLSeq;
    tests.commentBefore = " One test per dataset row (`grade promptfoo ... --data rows.jsonl`), or your own: vars are the item.";
  }
  return doc.toString({ lineWidth: 0 });
}

/** The existing config with the gradelang assertions (and, with a dataset, the tests) replaced. */
export function updateConfig(text: string, input: ConfigInput): { text: string; replacedTests: number | undefined; removed: number } {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(doc.errors[0]!.message);
  if (!isMap(doc.contents)) throw new Error("the config is not a YAML mapping (promptfoo's config is one)");
  let defaultTest = doc.get("defaultTest", true);
  if (defaultTest === undefined || defaultTest === null) {
    doc.set("defaultTest", doc.createNode({ assert: [] }));
    defaultTest = doc.get("defaultTest", true);
  }
  if (!isMap(defaultTest)) throw new Error("`defaultTest` is not a mapping (a `file://` defaultTest cannot be edited here: add the assertions to that file)");
  let asserts = defaultTest.get("assert", true);
  if (asserts === undefined || asserts === null) {
    defaultTest.set("assert", doc.createNode([]));
    asserts = defaultTest.get("assert", true);
  }
  if (!isSeq(asserts)) throw new Error("`defaultTest.assert` is not a list");
  const before = asserts.items.length;
  asserts.items = asserts.items.filter((node) => !isGradelangAssertion(node));
  const removed = before - asserts.items.length;
  for (const g of input.graders) asserts.items.push(doc.createNode(assertEntry(input, g)) as YAMLMap);
  let replacedTests: number | undefined;
  if (input.tests !== undefined) {
    const old = doc.get("tests", true);
    replacedTests = isSeq(old) ? old.items.length : old === undefined ? 0 : 1;
    doc.set("tests", doc.createNode(input.tests.map(testEntry)));
  }
  return { text: doc.toString({ lineWidth: 0 }), replacedTests, removed };
}

/** A dataset row as a test, or why it cannot be one. */
export type RowTest =
  | { readonly ok: true; readonly description: string; readonly item: JsonObject; readonly output: string | undefined; readonly dropped: readonly string[] }
  | { readonly ok: false; readonly message: string };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * One line of the dataset: `grade eval`'s rows (`{"item": {...}, "sample": ..., "id"?}`, the sample
 * becomes the recorded output), or an item alone (`{"item": {...}}`, or the row itself when it has
 * neither `item` nor `sample`) for a config whose provider makes the output.
 */
export function rowTest(text: string, line: number): RowTest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const id = isObject(value) && (typeof value["id"] === "string" || typeof value["id"] === "number") ? String(value["id"]) : undefined;
  const description = id ?? `row ${line}`;
  if (isObject(value) && value["sample"] === undefined) {
    if (value["item"] !== undefined && !isObject(value["item"])) return { ok: false, message: "`item` must be a JSON object (the dataset row)" };
    const item = isObject(value["item"]) ? value["item"] : Object.fromEntries(Object.entries(value).filter(([k]) => k !== "id"));
    return { ok: true, description, item: item as JsonObject, output: undefined, dropped: [] };
  }
  const parsed = parseRow(text, "remote");
  if (!parsed.ok) return { ok: false, message: parsed.message };
  return { ok: true, description, item: parsed.item ?? {}, output: parsed.text, dropped: parsed.dropped ?? [] };
}

/**
 * What promptfoo would change in a test's vars before the output is graded, so that its score
 * could differ from `grade eval`'s: promptfoo strips one final newline of every string var,
 * substitutes `{{ var }}` and renders Nunjucks (`{{`, `{%`, `{#`) in var values, loads a
 * `file://` or `package:` value, and makes one test per element of a list var.
 */
export function replayHazards(vars: JsonObject): string[] {
  const hazards: string[] = [];
  for (const [key, value] of Object.entries(vars)) {
    if (Array.isArray(value)) hazards.push(`\`${key}\` is a list (promptfoo makes one test per element)`);
    if (typeof value !== "string") continue;
    if (value.endsWith("\n")) hazards.push(`\`${key}\` ends in a newline (promptfoo strips it)`);
    if (/\{\{|\{%|\{#/.test(value)) hazards.push(`\`${key}\` holds template syntax (promptfoo renders it)`);
    if (/^(file:\/\/|package:)/.test(value)) hazards.push(`\`${key}\` starts with ${value.startsWith("file://") ? "file://" : "package:"} (promptfoo loads it)`);
  }
  return hazards;
}

/** The name of the var holding the recorded output: `output`, unless an item has that field. */
export function outputVarName(items: readonly JsonObject[]): string {
  for (const name of ["output", "sample_output", "gradelang_output"]) {
    if (!items.some((item) => Object.hasOwn(item, name))) return name;
  }
  let n = 2;
  while (items.some((item) => Object.hasOwn(item, `gradelang_output_${n}`))) n++;
  return `gradelang_output_${n}`;
}
