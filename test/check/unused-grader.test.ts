import { describe, it } from "vitest";
import { compiled, expectFindings, expectValid } from "../helpers/harness.js";

const multi = (formula: string, keys: [string, string, string] = ["a", "b", "c"]) => `multi "m" {
  graders {
    ${keys[0]}: string_check "a_grader": sample.output_json.a eq item.a
    ${keys[1]}: string_check "b_grader": sample.output_json.b eq item.b
    ${keys[2]}: string_check "c_grader": sample.output_json.c eq item.c
  }
  calculate_output: ${formula}
}
`;

const unused = (key: string, at: string) => ({
  rule: "unused-grader",
  severity: "warning",
  message: `the sub-grader \`${key}\` is never used in \`calculate_output\``,
  at,
  suggestion: "use it in the formula, or remove it",
});

describe("unused-grader", () => {
  it("accepts formulas that use every key, in any position", () => {
    expectValid("unused-grader", multi("(a + b + c) / 3"));
    expectValid("unused-grader", multi('"min(a, max(b, -c ^ 2))"'));
    expectValid("unused-grader", multi("a +\n    // c is weighted double\n    2 * c + b"));
  });

  it("warns about each key the formula never reads, at the key", () => {
    expectFindings("unused-grader", multi("a")).toEqual([unused("b", "4:5-4:6"), unused("c", "5:5-5:6")]);
    expectFindings("unused-grader", multi('"(a + c) / 2"')).toEqual([unused("b", "4:5-4:6")]);
    expectFindings("unused-grader", multi("1")).toEqual([unused("a", "3:5-3:6"), unused("b", "4:5-4:6"), unused("c", "5:5-5:6")]);
  });

  it("is a warning: the grader still compiles", () => {
    compiled(multi("a + b"));
  });

  it("counts a misspelt key as a use (unknown-grader reports the typo)", () => {
    expectValid("unused-grader", multi("(a + b + cc) / 3", ["a", "b", "cc_"]));
    expectFindings("unused-grader", multi("a + b + c", ["a", "b", "rouge"])).toEqual([unused("rouge", "5:5-5:10")]);
  });

  it("does not count a key written as a function name", () => {
    expectFindings("unused-grader", multi("b(a) + c")).toEqual([unused("b", "4:5-4:6")]);
  });

  it("explains a key that no formula can name", () => {
    expectFindings("unused-grader", multi("a + b", ["a", "b", '"c score"'])).toEqual([
      {
        rule: "unused-grader",
        severity: "warning",
        message: "the sub-grader `c score` is never used in `calculate_output`, and cannot be: formulas name keys that are identifiers",
        at: "5:5-5:14",
        suggestion: "rename the key to an identifier such as `c_score` and use it in the formula, or remove it",
      },
    ]);
  });

  it("says nothing when the formula is missing or does not parse", () => {
    expectValid("unused-grader", multi('"a +"'));
    // Unquoted, `a b` ends the formula at `a` with a syntax error at `b`: `b` is not "unused".
    expectValid("unused-grader", multi("a b"));
    expectValid("unused-grader", multi("a $ b"));
    expectValid("unused-grader", 'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n}\n');
  });

  it("checks a nested multi's own formula too", () => {
    const source = `multi "outer" {
  graders {
    inner: multi "inner" {
      graders {
        x: string_check "x": sample.output_text eq item.x
        y: string_check "y": sample.output_text eq item.y
      }
      calculate_output: x
    }
  }
  calculate_output: inner
}
`;
    expectFindings("unused-grader", source).toEqual([unused("y", "6:9-6:10")]);
  });
});
