import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";
import { readTests, meets } from "../../src/emit/tests.js";
import { expectFindings, expectValid } from "../helpers/harness.js";

const exact = `string_check "s": sample.output_text eq item.label\n`;
const score = `score_model "s" {
  model: "gpt-4o-2024-08-06"
  range: [0, 10]
  user "Rate {{sample.output_text}}"
}
`;
const label = `label_model "l" {
  model: "gpt-4o-2024-08-06"
  labels: [good, bad]
  passing_labels: [good]
  user "Classify {{sample.output_text}}"
}
`;
const multi = `multi "m" {
  graders {
    exact: string_check "e": sample.output_text eq item.label
    tone: label_model "t" {
      model: "gpt-4o-2024-08-06"
      labels: [good, bad]
      passing_labels: [good]
      user "Classify {{sample.output_text}}"
    }
  }
  calculate_output: (exact + tone) / 2
}
`;

describe("test-block", () => {
  it("accepts tests with a sample, an item, an expectation and fitting `given` values", () => {
    expectValid(
      "test-block",
      `${exact}
test "a" { sample: "yes", item: { label: "yes" }, expect: 1 }
test "b" { sample: "yes", item: { label: "no" }, expect: 0 within 0.01 }
test "c" { sample { output_text: "yes" }, item { label: "yes" }, expect: 0.5..1 }
test "d" { sample: yes, expect: 0 }
`,
    );
    expectValid("test-block", `${score}\ntest "s" { sample: "x", given: 14, expect: 10 }\n`);
    expectValid("test-block", `${label}\ntest "l" { sample: "x", given: good, expect: 1 }\n`);
    expectValid("test-block", `${multi}\ntest "m" { sample: "x", item { label: "x" }, given { tone: "bad", exact: 0.5 }, expect: 0.25 }\n`);
  });

  it("an unknown field, with a suggestion", () => {
    expectFindings("test-block", `${exact}\ntest "a" {\n  sample: "yes"\n  expcet: 1\n}\n`).toEqual([
      { rule: "test-block", severity: "error", message: 'test "a" has no `expect` (the expected reward)', at: "3:6-3:9" },
      {
        rule: "test-block",
        severity: "error",
        message: "`expcet` is not a field of a test; a test has `sample`, `item`, `expect`, `expect_error` and `given`",
        at: "5:3-5:9",
        suggestion: "did you mean `expect`?",
      },
    ]);
  });

  it("no sample", () => {
    expectFindings("test-block", `${exact}\ntest "a" { expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: 'test "a" has no `sample` (the model output to grade)', at: "3:6-3:9" },
    ]);
  });

  it("values of the wrong kind", () => {
    const found = expectFindings(
      "test-block",
      `${exact}\ntest "a" {\n  sample: 3\n  item: "row"\n  expect: "high"\n}\n`,
    );
    found.toEqual([
      { rule: "test-block", severity: "error", message: '`sample` is the model\'s output: a string, a `file("...")`, or an object of sample fields (`{ output_text: "..." }`), not a number', at: "4:11-4:12" },
      { rule: "test-block", severity: "error", message: '`item` is the dataset row: an object (`{ answer: "Paris" }`), not a string', at: "5:9-5:14" },
      { rule: "test-block", severity: "error", message: "`expect` is the expected reward: a number (`1`), a number with a tolerance (`0.8 within 0.05`) or a range (`0.5..1`), not a string", at: "6:11-6:17" },
    ]);
  });

  it("an empty range", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample: "x", expect: 1..0.5 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "the range `1..0.5` is empty: its low end is above its high end", at: "3:33-3:39" },
    ]);
  });

  it("a template path in a test is data, not a template", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample: item.label, expect: 1 }\n`).toEqual([
      {
        rule: "test-block",
        severity: "error",
        message: "a template path is not a value in a test: `sample` holds data, so quote it if `item.label` is the text meant",
        at: "3:20-3:30",
        suggestion: 'write "item.label"',
      },
    ]);
  });

  it("`given` on a grader that runs as it is", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample: "x", given: 1, expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "`given` stands in for a model's answer or a multi's sub-graders; a string_check grader runs as it is", at: "3:32-3:33" },
    ]);
  });

  it("`given` for a model grader: a score is a number, a label one of the labels", () => {
    expectFindings("test-block", `${score}\ntest "s" { sample: "x", given: "high", expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "give this score_model grader a number (the score the model answers), not a string", at: "7:32-7:38" },
    ]);
    expectFindings("test-block", `${label}\ntest "l" { sample: "x", given: great, expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "`great` is not one of the labels of this label_model grader", at: "8:32-8:37", suggestion: "the labels are `good`, `bad`" },
    ]);
  });

  it("`given` for a multi: keys of `graders`, with a suggestion; an object, not a number", () => {
    expectFindings("test-block", `${multi}\ntest "m" { sample: "x", given { exct: 1 }, expect: 1 }\n`).toEqual([
      {
        rule: "test-block",
        severity: "error",
        message: "`exct` is not a key of `graders`; the keys are `exact`, `tone`",
        at: "14:33-14:37",
        suggestion: "did you mean `exact`?",
      },
    ]);
    expectFindings("test-block", `${multi}\ntest "m" { sample: "x", given: 1, expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "`given` for a multi grader holds its sub-graders' answers by key (`given { key: 1 }`), not a number", at: "14:32-14:33" },
    ]);
    expectFindings("test-block", `${multi}\ntest "m" { sample: "x", given { tone: 1 }, expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "the sub-grader `tone` is a label_model: give the label the model answers, not a number", at: "14:39-14:40" },
    ]);
  });

  it("literals are shown as written: `true`, `null`", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample: "x", item: null, expect: true }\n`).toEqual([
      { rule: "test-block", severity: "error", message: '`item` is the dataset row: an object (`{ answer: "Paris" }`), not `null`', at: "3:31-3:35" },
      { rule: "test-block", severity: "error", message: "`expect` is the expected reward: a number (`1`), a number with a tolerance (`0.8 within 0.05`) or a range (`0.5..1`), not `true`", at: "3:45-3:49" },
    ]);
  });

  it("a sample object the engine refuses: the field of the wrong type", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample { output_text: 3 }, item { label: "3" }, expect: 1 }\ntest "b" { sample { choices: "x" }, expect: 1 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: "`output_text` in the sample must be a string, not a number", at: "3:34-3:35" },
      { rule: "test-block", severity: "error", message: "`choices` in the sample must be a list, not a string", at: "4:30-4:33" },
    ]);
  });

  it("two tests with one name", () => {
    expectFindings("test-block", `${exact}\ntest "a" { sample: "x", expect: 0 }\ntest "a" { sample: "y", expect: 0 }\n`).toEqual([
      { rule: "test-block", severity: "error", message: 'two tests are named "a"; give each its own name', at: "4:6-4:9" },
    ]);
  });
});

describe("readTests", () => {
  it("turns blocks into cases: text or object sample, item, expectation, given", () => {
    const { document } = parse(`${multi}\ntest "m" {\n  sample { output_json { a: [1, true, null] } }\n  item { label: "x" }\n  given { tone: good }\n  expect: 0.5..1\n}\n`);
    const { cases, problems } = readTests(document);
    expect(problems).toEqual([]);
    expect(cases).toHaveLength(1);
    const [test] = cases;
    expect(test!.name).toBe("m");
    expect(test!.sample).toEqual({ object: { output_json: { a: [1, true, null] } } });
    expect(test!.item).toEqual({ label: "x" });
    expect(test!.givenByKey).toEqual({ tone: "good" });
    expect(test!.expect).toEqual({ kind: "range", low: 0.5, high: 1 });
  });

  it("a key named __proto__ in an item is data, not a prototype", () => {
    const { document } = parse(`${exact}\ntest "p" { sample: "x", item { "__proto__": { polluted: 1 } }, expect: 0 }\n`);
    const [test] = readTests(document).cases;
    expect(Object.keys(test!.item!)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});

describe("meets", () => {
  it("exact values allow 1e-9 of floating-point noise; tolerances and ranges are inclusive", () => {
    expect(meets({ kind: "exact", value: 0.3 }, 0.1 + 0.2)).toBe(true);
    expect(meets({ kind: "exact", value: 0.3 }, 0.3001)).toBe(false);
    expect(meets({ kind: "within", value: 0.8, tolerance: 0.05 }, 0.85)).toBe(true);
    expect(meets({ kind: "within", value: 0.8, tolerance: 0.05 }, 0.86)).toBe(false);
    expect(meets({ kind: "range", low: 0.5, high: 1 }, 0.5)).toBe(true);
    expect(meets({ kind: "range", low: 0.5, high: 1 }, 1.01)).toBe(false);
  });
});
