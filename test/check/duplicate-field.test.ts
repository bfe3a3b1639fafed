import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const TWICE = "JSON keeps only one of them";

describe("duplicate-field", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("duplicate-field", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("allows the same key in different places", () => {
      const source = `item { a: string, g: { a: string } }
multi "m" {
  graders {
    a: string_check "a": sample.output_text eq item.a
    b: score_model "b" {
      model: "m"
      sampling_params { seed: 1 }
      user input_image("u", detail: high)
      user input_image("v", detail: low)
    }
  }
  calculate_output: a + b
}
test "t" { item: { a: "x", g: { a: "y" } }, given { a: 1, b: 1 }, expect: 1 }
`;
      expectValid("duplicate-field", source);
    });

    it("allows several messages with the same role", () => {
      expectValid("duplicate-field", 'score_model "s" { model: "m", user "a", user "b", system "c", system "d" }\n');
    });

    it("allows a `name` field when the header has no name", () => {
      expectValid("duplicate-field", 'string_check { name: "n", input: "a", reference: "b", operation: eq }\n');
    });
  });

  it("reports a grader field given twice, at the second, with a suggestion", () => {
    const source = 'python "p" {\n  source: "def grade(s, i): return 1"\n  source: "def grade(s, i): return 0"\n}\n';
    expectFindings("duplicate-field", source).toEqual([
      { rule: "duplicate-field", severity: "error", message: `the field \`source\` is given twice; ${TWICE}`, at: "3:3-3:9", suggestion: "remove one of them" },
    ]);
  });

  it("treats a quoted key as the same key", () => {
    const source = 'string_check "s" { input: "a", reference: "b", operation: eq, "operation": ne }\n';
    expectFindings("duplicate-field", source).toEqual([expect.objectContaining({ message: `the field \`operation\` is given twice; ${TWICE}`, at: "1:63-1:74" })]);
    expect(underlined(source, "duplicate-field")).toEqual(['"operation"']);
  });

  it("reports `key { }` and `key: { }` as the same field", () => {
    expectFindings("duplicate-field", 'score_model "s" {\n  model: "m"\n  sampling_params { temperature: 1 }\n  sampling_params: { seed: 1 }\n  user "x"\n}\n').toEqual([
      { rule: "duplicate-field", severity: "error", message: `the field \`sampling_params\` is given twice; ${TWICE}`, at: "4:3-4:18", suggestion: "remove one of them" },
    ]);
  });

  it("reports a key twice inside an object value", () => {
    expectFindings("duplicate-field", 'score_model "s" {\n  model: "m"\n  sampling_params { temperature: 1, temperature: 0 }\n  user "x"\n}\n').toEqual([
      { rule: "duplicate-field", severity: "error", message: `the key \`temperature\` is given twice; ${TWICE}`, at: "3:37-3:48", suggestion: "remove one of them" },
    ]);
  });

  it("reports a sub-grader key twice", () => {
    const source = 'multi "m" {\n  graders {\n    a: string_check "a": sample.output_text eq item.a\n    a: string_check "b": sample.output_text eq item.b\n  }\n  calculate_output: a\n}\n';
    expectFindings("duplicate-field", source).toEqual([
      { rule: "duplicate-field", severity: "error", message: `the sub-grader key \`a\` is given twice; ${TWICE}`, at: "4:5-4:6", suggestion: "remove one of them" },
    ]);
  });

  it("reports `graders` and `calculate_output` given twice", () => {
    expectFindings(
      "duplicate-field",
      'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  graders { b: string_check "b": sample.output_text eq item.b }\n  calculate_output: a\n  calculate_output: a\n}\n',
    ).toEqual([
      expect.objectContaining({ message: `the field \`graders\` is given twice; ${TWICE}`, at: "3:3-3:10" }),
      expect.objectContaining({ message: `the field \`calculate_output\` is given twice; ${TWICE}`, at: "5:3-5:19" }),
    ]);
  });

  it("reports a field declared twice in a shape, nested ones too", () => {
    const source = 'item { a: string, a: number, g: { x: string, x: string } }\nsample { output_json: { n: string, n: string } }\nstring_check "s": sample.output_text eq item.a\n';
    expectFindings("duplicate-field", source).toEqual([
      { rule: "duplicate-field", severity: "error", message: "the field `a` is given twice; a shape declares each field once", at: "1:19-1:20", suggestion: "remove one of them" },
      { rule: "duplicate-field", severity: "error", message: "the field `x` is given twice; a shape declares each field once", at: "1:46-1:47", suggestion: "remove one of them" },
      { rule: "duplicate-field", severity: "error", message: "the field `n` is given twice; a shape declares each field once", at: "2:36-2:37", suggestion: "remove one of them" },
    ]);
  });

  it("reports fields and keys twice in a test", () => {
    const source = 'string_check "s": sample.output_text eq item.a\ntest "t" { expect: 1, expect: 0, item: { a: "x", a: "y" }, given { g: 1, g: 2 } }\n';
    expectFindings("duplicate-field", source).toEqual([
      expect.objectContaining({ message: "the field `expect` is given twice; a test sets each field once", at: "2:23-2:29" }),
      expect.objectContaining({ message: `the key \`a\` is given twice; ${TWICE}`, at: "2:50-2:51" }),
      expect.objectContaining({ message: `the key \`g\` is given twice; ${TWICE}`, at: "2:74-2:75" }),
    ]);
  });

  it("reports a named argument of a content part given twice", () => {
    const source = 'score_model "s" { model: "m", user input_image("u", detail: high, detail: low) }\n';
    expectFindings("duplicate-field", source).toEqual([
      { rule: "duplicate-field", severity: "error", message: `the argument \`detail\` is given twice; ${TWICE}`, at: "1:67-1:73", suggestion: "remove one of them" },
    ]);
    expect(underlined(source, "duplicate-field")).toEqual(["detail"]);
  });

  it("reports a `name` field beside the name in the header", () => {
    const source = 'string_check "s" { name: "other", input: "a", reference: "b", operation: eq }\n';
    expectFindings("duplicate-field", source).toEqual([
      {
        rule: "duplicate-field",
        severity: "error",
        message: `the name is given twice, after the kind and as a \`name\` field; ${TWICE}`,
        at: "1:20-1:24",
        suggestion: "remove the `name` field",
      },
    ]);
  });

  it("reports every repeat after the first", () => {
    expectFindings("duplicate-field", 'python "p" { source: "a", source: "b", source: "c" }\n').toEqual([
      expect.objectContaining({ at: "1:27-1:33" }),
      expect.objectContaining({ at: "1:40-1:46" }),
    ]);
  });
});
