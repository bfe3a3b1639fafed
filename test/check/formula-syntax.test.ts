import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

// The formula starts at 6:21 (unquoted) or its opening quote is at 6:21 (quoted).
const multi = (formula: string) => `multi "m" {
  graders {
    a: string_check "a_grader": sample.output_json.a eq item.a
    b: string_check "b_grader": sample.output_json.b eq item.b
  }
  calculate_output: ${formula}
}
`;

const error = (message: string, at: string) => ({ rule: "formula-syntax", severity: "error", message, at });

describe("formula-syntax", () => {
  it("accepts well-formed formulas, unquoted and quoted", () => {
    for (const formula of [
      "(a + b) / 2",
      "-a^2 + b",
      "2^-1 * a + b",
      "0.5 * a + .5 * b",
      "1e-3 + a - b",
      "min(a, b) + max(a, b, 1) * abs(-a) / sqrt(b) + log(exp(a)) - floor(b) + ceil(a)",
      "((a))+((b))",
      "a +\n    // a comment inside the formula\n    b",
    ]) {
      expectValid("formula-syntax", multi(formula));
      if (!formula.includes("\n")) expectValid("formula-syntax", multi(JSON.stringify(formula)));
    }
    expectValid("formula-syntax", multi('"""\n    (a + b) / 2\n    """'));
  });

  it("reports an unclosed parenthesis at the `(` it leaves open", () => {
    expectFindings("formula-syntax", multi("(a + b")).toEqual([error("expected `)` to close `(`, found the end of the formula", "6:21-6:22")]);
    expectFindings("formula-syntax", multi('"(a + b"')).toEqual([error("expected `)` to close `(`, found the end of the formula", "6:22-6:23")]);
    expect(underlined(multi("a * (b + (a"), "formula-syntax")).toEqual(["("]);
  });

  it("reports an unclosed call, naming the function", () => {
    expectFindings("formula-syntax", multi('"min(a, b"')).toEqual([
      error("expected `,` or `)` in the call `min(`, found the end of the formula", "6:25-6:26"),
    ]);
    expectFindings("formula-syntax", multi('"max(a b)"')).toEqual([
      error("expected `,` or `)` in the call `max(`, found `b`", "6:28-6:29"),
    ]);
    expectFindings("formula-syntax", multi('"abs("')).toEqual([
      error("expected a number, a grader key, a function call or `(`, found the end of the formula", "6:26-6:26"),
    ]);
  });

  it("reports a missing operand at the end of the formula", () => {
    expectFindings("formula-syntax", multi("a + b *")).toEqual([
      error("expected a number, a grader key, a function call or `(`, found the end of the formula", "6:28-6:28"),
    ]);
    expectFindings("formula-syntax", multi('"a + b *"')).toEqual([
      error("expected a number, a grader key, a function call or `(`, found the end of the formula", "6:29-6:29"),
    ]);
    expectFindings("formula-syntax", multi('"a + * b"')).toEqual([
      error("expected a number, a grader key, a function call or `(`, found `*`", "6:26-6:27"),
    ]);
  });

  it("reports two operands without an operator", () => {
    expectFindings("formula-syntax", multi('"a b"')).toEqual([
      error("expected an operator (`+ - * / ^`) or the end of the formula, found `b`", "6:24-6:25"),
    ]);
    expectFindings("formula-syntax", multi("2(a + b)")).toEqual([
      error("expected an operator (`+ - * / ^`) or the end of the formula, found `(`", "6:22-6:23"),
    ]);
    // Unquoted, an operand after an operand ends the formula (`b` starts the next member): the
    // `.grade` parser reports it, not this rule, but the file does not compile.
    expect(findings(multi("a b")).filter((f) => f.severity === "error")).not.toEqual([]);
  });

  it("reports a `)` with no `(`", () => {
    expectFindings("formula-syntax", multi("a + b)")).toEqual([error("unexpected `)`: there is no `(` for it to close", "6:26-6:27")]);
    expectFindings("formula-syntax", multi('"a + b)"')).toEqual([error("unexpected `)`: there is no `(` for it to close", "6:27-6:28")]);
    expectFindings("formula-syntax", multi('")"')).toEqual([
      error("expected a number, a grader key, a function call or `(`, found `)`", "6:22-6:23"),
    ]);
  });

  it("reports a character that is not part of the formula language", () => {
    expectFindings("formula-syntax", multi('"a $ b"')).toEqual([error("unexpected `$` in the formula", "6:24-6:25")]);
    expectFindings("formula-syntax", multi('"a % b"')).toEqual([error("unexpected `%` in the formula", "6:24-6:25")]);
    expectFindings("formula-syntax", multi('"1. + a + b"')).toEqual([error("unexpected `.` in the formula", "6:23-6:24")]);
    // A character outside the BMP is one character, underlined whole.
    expect(underlined(multi('"a + 😀"'), "formula-syntax")).toEqual(["😀"]);
  });

  it("maps spans through escapes in a quoted formula", () => {
    // `\t` is two source characters and `\u0061` six: the columns are those of the source.
    expectFindings("formula-syntax", multi('"a +\\t$"')).toEqual([error("unexpected `$` in the formula", "6:27-6:28")]);
    expectFindings("formula-syntax", multi('"\\u0061 + (b"')).toEqual([error("expected `)` to close `(`, found the end of the formula", "6:31-6:32")]);
  });

  it("points into block-string and multi-line formulas", () => {
    expectFindings("formula-syntax", multi('"""\n    a + (b\n    """')).toEqual([
      error("expected `)` to close `(`, found the end of the formula", "7:9-7:10"),
    ]);
    expectFindings("formula-syntax", multi("a +\n    // the second line\n    (b")).toEqual([
      error("expected `)` to close `(`, found the end of the formula", "8:5-8:6"),
    ]);
  });

  it("reports an empty formula at `calculate_output`, suggesting one over the keys", () => {
    const suggestion = "write a formula over the keys of `graders`, such as `(a + b) / 2`";
    expectFindings("formula-syntax", multi("")).toEqual([{ ...error("the `calculate_output` formula is empty", "6:3-6:19"), suggestion }]);
    expectFindings("formula-syntax", multi("// todo")).toEqual([{ ...error("the `calculate_output` formula is empty", "6:3-6:19"), suggestion }]);
    expectFindings("formula-syntax", multi('""')).toEqual([{ ...error("the `calculate_output` formula is empty", "6:21-6:23"), suggestion }]);
    expectFindings("formula-syntax", multi('"   "')).toEqual([{ ...error("the `calculate_output` formula is empty", "6:21-6:26"), suggestion }]);
  });

  it("reports formulas nested more than 200 levels, quoted or not, without a stack overflow", () => {
    const deep = (n: number) => `${"(".repeat(n)}a${")".repeat(n)} + b`;
    expectValid("formula-syntax", multi(deep(200)));
    expectValid("formula-syntax", multi(`"${deep(200)}"`));
    const message = "the formula nests more than 200 levels deep";
    expectFindings("formula-syntax", multi(deep(201))).toEqual([error(message, "6:221-6:222")]);
    expectFindings("formula-syntax", multi(`"${deep(201)}"`)).toEqual([error(message, "6:222-6:223")]);
    expectFindings("formula-syntax", multi(`"${deep(10_000)}"`)).toEqual([error(message, "6:222-6:223")]);
    expectFindings("formula-syntax", multi(`"${"-".repeat(10_000)}a + b"`)).toEqual([error(message, "6:222-6:223")]);
  });

  it("reports one finding per formula, and none for graders other than multi", () => {
    expectFindings("formula-syntax", multi('"(a + ) + $"')).toHaveLength(1);
    expectValid("formula-syntax", 'python "p" {\n  source: "def grade(sample, item): return 1"\n  calculate_output: "(("\n}\n');
  });
});
