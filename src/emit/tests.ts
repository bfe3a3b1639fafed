import { didYouMean } from "../check/suggest.js";
import * as A from "../syntax/ast.js";
import { describeValue } from "../syntax/describe.js";
import { RUN_ERROR_FLAGS, type RunErrorFlag } from "../schema/run-errors.js";
import type { Json, JsonObject } from "./emit.js";

/** Reads a `file("...")` call's target for a test (the checker's project rules), or says why not. */
export type TestFileReader = (call: A.CallValue) => { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/*
 * `test "name" { sample, item, expect, given }` blocks → test cases the local engine runs. Each
 * block gives a case, or problems (findings of the `test-block` rule) when it cannot run.
 */

/** The reward a test expects: exact (up to floating-point noise), with a tolerance, or a range. */
export type Expectation =
  | { readonly kind: "exact"; readonly value: number }
  | { readonly kind: "within"; readonly value: number; readonly tolerance: number }
  | { readonly kind: "range"; readonly low: number; readonly high: number };

/** Exact expectations allow this much floating-point noise (`0.1 + 0.2` is `0.3`). */
export const EXACT_EPSILON = 1e-9;

/** What a test gives instead of running a grader (see Stub in src/engine/grade.ts). */
export type GivenValue = number | string;

export interface TestCase {
  readonly name: string;
  readonly span: A.Span;
  /** The sample: the output text, or a whole sample object. */
  readonly sample: { readonly text: string } | { readonly object: JsonObject };
  readonly item: JsonObject | undefined;
  readonly expect: Expectation;
  /**
   * `expect_error: invalid_variable_error`: the error flag the run must set (its reward then
   * meets `expect`, 0 when the test gives none), as for a model that answered in plain text.
   */
  readonly expectError?: RunErrorFlag;
  /** A model grader's answer, for a grader that is not a multi. */
  readonly given?: GivenValue;
  /** Sub-graders' answers or rewards by key, for a multi. */
  readonly givenByKey?: Readonly<Record<string, GivenValue>>;
}

export interface TestProblem {
  readonly message: string;
  readonly span: A.Span;
  readonly suggestion?: string;
}

export const TEST_FIELDS = ["sample", "item", "expect", "expect_error", "given"] as const;

const MODEL_KINDS = new Set(["score_model", "label_model"]);

/**
 * A test value as JSON: literals, lists and objects (a key given twice keeps its last value).
 * Undefined when it holds anything else (a path, a call, a range), each of which is passed to
 * `notData` (the `test-block` rule reports them).
 */
export function jsonOf(value: A.Value, notData: (value: A.Value) => void = () => {}): Json | undefined {
  switch (value.kind) {
    case "StringValue":
      return value.value;
    case "NumberValue":
      return value.value;
    case "BooleanValue":
      return value.value;
    case "NullValue":
      return null;
    case "NameValue":
      return value.name;
    case "ListValue": {
      const items = value.items.map((v) => jsonOf(v, notData));
      return items.every((v) => v !== undefined) ? (items as Json[]) : undefined;
    }
    case "ObjectValue": {
      const out: JsonObject = {};
      let ok = true;
      for (const entry of value.entries) {
        const v = jsonOf(entry.value, notData);
        if (v === undefined) ok = false;
        else Object.defineProperty(out, entry.key.name, { value: v, enumerable: true, writable: true, configurable: true });
      }
      return ok ? out : undefined;
    }
    default:
      notData(value);
      return undefined;
  }
}

/** The value of a test's field `name` (its first, as `grade test` reads it), if it is a value. */
export function testField(test: A.TestBlock, name: (typeof TEST_FIELDS)[number]): A.Value | undefined {
  const value = test.fields.find((f) => f.key.name === name)?.value;
  return value && value.kind !== "GraderMap" && value.kind !== "Formula" ? value : undefined;
}

/** The labels a label_model grader declares (strings and bare names), when written as a list. */
function labelsOf(grader: A.Grader): string[] | undefined {
  const value = A.fieldOf(grader, "labels")?.value;
  if (value?.kind !== "ListValue") return undefined;
  return value.items.flatMap((v) => (v.kind === "StringValue" ? [v.value] : v.kind === "NameValue" ? [v.name] : []));
}

class TestReader {
  readonly problems: TestProblem[] = [];

  constructor(
    private readonly grader: A.Grader | undefined,
    private readonly readFile: TestFileReader | undefined,
  ) {}

  private problem(message: string, span: A.Span, suggestion?: string): undefined {
    this.problems.push({ message, span, ...(suggestion ? { suggestion } : {}) });
    return undefined;
  }

  /** A test value as JSON: literals, lists and objects; a path or a call is a problem. */
  json(value: A.Value, where: string): Json | undefined {
    return jsonOf(value, (other) => {
      if (other.kind === "PathValue") {
        this.problem(
          `a template path is not a value in a test: \`${where}\` holds data, so quote it if \`${other.path}\` is the text meant`,
          other.span,
          `write "${other.path}"`,
        );
      } else this.problem(`${describeValue(other)} is not a value of \`${where}\` in a test`, other.span);
    });
  }

  expectation(value: A.Value): Expectation | undefined {
    switch (value.kind) {
      case "NumberValue":
        return { kind: "exact", value: value.value };
      case "ToleranceValue":
        if (value.tolerance.value < 0)
          return this.problem(`a tolerance cannot be negative (\`within ${value.tolerance.raw}\`)`, value.tolerance.span);
        return { kind: "within", value: value.value.value, tolerance: value.tolerance.value };
      case "RangeValue":
        if (value.low.value > value.high.value)
          return this.problem(`the range \`${value.low.raw}..${value.high.raw}\` is empty: its low end is above its high end`, value.span);
        return { kind: "range", low: value.low.value, high: value.high.value };
      default:
        return this.problem(
          `\`expect\` is the expected reward: a number (\`1\`), a number with a tolerance (\`0.8 within 0.05\`) or a range (\`0.5..1\`), not ${describeValue(value)}`,
          value.span,
        );
    }
  }

  /** One stub for `grader`: a label for a label_model, a number otherwise. */
  private stub(grader: A.Grader, value: A.Value, what: string): GivenValue | undefined {
    const kind = grader.type.name;
    if (kind === "label_model") {
      const label = value.kind === "StringValue" ? value.value : value.kind === "NameValue" ? value.name : undefined;
      const labels = labelsOf(grader);
      if (label === undefined) return this.problem(`${what} is a label_model: give the label the model answers, not ${describeValue(value)}`, value.span);
      if (labels && !labels.includes(label)) {
        return this.problem(`\`${label}\` is not one of the labels of ${what}`, value.span, labels.length ? `the labels are ${labels.map((l) => `\`${l}\``).join(", ")}` : undefined);
      }
      return label;
    }
    if (value.kind !== "NumberValue") {
      const meaning = kind === "score_model" ? "the score the model answers" : "its reward";
      return this.problem(`give ${what} a number (${meaning}), not ${describeValue(value)}`, value.span);
    }
    return value.value;
  }

  given(value: A.Value): Pick<TestCase, "given" | "givenByKey"> | undefined {
    const grader = this.grader;
    if (!grader) return undefined;
    if (grader.type.name === "multi") {
      if (value.kind !== "ObjectValue") {
        return this.problem(`\`given\` for a multi grader holds its sub-graders' answers by key (\`given { key: 1 }\`), not ${describeValue(value)}`, value.span);
      }
      const map = A.fieldOf(grader, "graders")?.value;
      const entries = map?.kind === "GraderMap" ? map.entries : [];
      const keys = entries.map((e) => e.key.name);
      const byKey: Record<string, GivenValue> = {};
      let ok = true;
      for (const entry of value.entries) {
        const sub = entries.find((e) => e.key.name === entry.key.name);
        if (!sub) {
          this.problem(
            `\`${entry.key.name}\` is not a key of \`graders\`${keys.length ? `; the keys are ${keys.map((k) => `\`${k}\``).join(", ")}` : ""}`,
            entry.key.span,
            didYouMean(entry.key.name, keys)?.suggestion,
          );
          ok = false;
          continue;
        }
        const stub = this.stub(sub.grader, entry.value, `the sub-grader \`${sub.key.name}\``);
        if (stub === undefined) ok = false;
        else Object.defineProperty(byKey, entry.key.name, { value: stub, enumerable: true, writable: true, configurable: true });
      }
      return ok ? { givenByKey: byKey } : undefined;
    }
    if (!MODEL_KINDS.has(grader.type.name)) {
      return this.problem(
        `\`given\` stands in for a model's answer or a multi's sub-graders; a ${grader.type.name} grader runs as it is`,
        value.span,
      );
    }
    const stub = this.stub(grader, value, `this ${grader.type.name} grader`);
    return stub === undefined ? undefined : { given: stub };
  }

  sample(value: A.Value): TestCase["sample"] | undefined {
    if (value.kind === "StringValue") return { text: value.value };
    if (value.kind === "CallValue" && value.callee.name === "file") {
      // `sample: file("samples/long-reply.txt")`: the output text from a file of the project.
      // Where it cannot be read the `file` rule has said why; no reader (a bare parse): no case.
      const read = this.readFile?.(value);
      return read?.ok ? { text: read.text } : undefined;
    }
    if (value.kind === "NameValue") return { text: value.name };
    if (value.kind === "ObjectValue") {
      const object = this.json(value, "sample");
      return object === undefined ? undefined : { object: object as JsonObject };
    }
    if (value.kind === "PathValue") return this.json(value, "sample") as undefined;
    return this.problem(
      `\`sample\` is the model's output: a string, a \`file("...")\`, or an object of sample fields (\`{ output_text: "..." }\`), not ${describeValue(value)}`,
      value.span,
    );
  }

  /** `expect_error: invalid_variable_error`: one of the run response's error flags. */
  errorFlag(value: A.Value): RunErrorFlag | undefined {
    const name = value.kind === "NameValue" ? value.name : value.kind === "StringValue" ? value.value : undefined;
    if (name !== undefined && (RUN_ERROR_FLAGS as readonly string[]).includes(name)) return name as RunErrorFlag;
    return this.problem(
      `\`expect_error\` is one of the run's error flags (\`invalid_variable_error\`, \`python_grader_runtime_error\`, ...), not ${name === undefined ? describeValue(value) : `\`${name}\``}`,
      value.span,
      name === undefined ? undefined : didYouMean(name, RUN_ERROR_FLAGS)?.suggestion,
    );
  }

  read(test: A.TestBlock): TestCase | undefined {
    const fields = new Map<string, A.Field>();
    for (const field of test.fields) {
      const name = field.key.name;
      if (!(TEST_FIELDS as readonly string[]).includes(name)) {
        this.problem(
          `\`${name}\` is not a field of a test; a test has \`sample\`, \`item\`, \`expect\`, \`expect_error\` and \`given\``,
          field.key.span,
          didYouMean(name, TEST_FIELDS)?.suggestion,
        );
        continue;
      }
      if (!fields.has(name)) fields.set(name, field);
    }
    const before = this.problems.length;
    for (const required of ["sample", "expect"] as const) {
      // A test of an error may leave `expect` out: the reward of a run with an error is 0.
      if (required === "expect" && fields.has("expect_error")) continue;
      if (!fields.has(required)) {
        this.problem(
          `test "${test.name.value}" has no \`${required}\`${required === "sample" ? " (the model output to grade)" : " (the expected reward)"}`,
          test.name.span,
        );
      }
    }
    const valueOf = (name: string): A.Value | undefined => {
      const value = fields.get(name)?.value;
      return value && value.kind !== "GraderMap" && value.kind !== "Formula" ? value : undefined;
    };
    const sampleValue = valueOf("sample");
    const sample = sampleValue ? this.sample(sampleValue) : undefined;
    const itemValue = valueOf("item");
    let item: JsonObject | undefined;
    if (itemValue) {
      if (itemValue.kind !== "ObjectValue") this.problem(`\`item\` is the dataset row: an object (\`{ answer: "Paris" }\`), not ${describeValue(itemValue)}`, itemValue.span);
      else item = this.json(itemValue, "item") as JsonObject | undefined;
    }
    const expectValue = valueOf("expect");
    const errorValue = valueOf("expect_error");
    const expectError = errorValue ? this.errorFlag(errorValue) : undefined;
    const expect: Expectation | undefined = expectValue ? this.expectation(expectValue) : errorValue ? { kind: "exact", value: 0 } : undefined;
    const givenValue = valueOf("given");
    const given = givenValue ? this.given(givenValue) : {};
    if (this.problems.length > before || !sample || !expect || !given || (errorValue && !expectError)) return undefined;
    return { name: test.name.value, span: test.span, sample, item, expect, ...(expectError ? { expectError } : {}), ...given };
  }
}

/** The test cases of a document, and the problems of the blocks that cannot run. */
export function readTests(document: A.Document, readFile?: TestFileReader): { cases: TestCase[]; problems: TestProblem[] } {
  const reader = new TestReader(document.grader, readFile);
  const cases: TestCase[] = [];
  const seen = new Map<string, A.TestBlock>();
  for (const test of document.tests) {
    const earlier = seen.get(test.name.value);
    if (earlier) reader.problems.push({ message: `two tests are named "${test.name.value}"; give each its own name`, span: test.name.span });
    seen.set(test.name.value, test);
    const read = reader.read(test);
    if (read) cases.push(read);
  }
  return { cases, problems: reader.problems };
}

/** Whether `reward` meets the expectation. */
export function meets(expect: Expectation, reward: number): boolean {
  switch (expect.kind) {
    case "exact":
      return Math.abs(reward - expect.value) <= EXACT_EPSILON;
    case "within":
      return Math.abs(reward - expect.value) <= expect.tolerance + EXACT_EPSILON;
    case "range":
      return reward >= expect.low - EXACT_EPSILON && reward <= expect.high + EXACT_EPSILON;
  }
}

/** The expectation as written: `1`, `0.8 within 0.05`, `0.5..1`. */
export function showExpectation(expect: Expectation): string {
  switch (expect.kind) {
    case "exact":
      return String(expect.value);
    case "within":
      return `${expect.value} within ${expect.tolerance}`;
    case "range":
      return `${expect.low}..${expect.high}`;
  }
}
