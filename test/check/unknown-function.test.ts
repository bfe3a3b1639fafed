import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const multi = (formula: string) => `multi "m" {
  graders {
    a: string_check "a_grader": sample.output_json.a eq item.a
    b: string_check "b_grader": sample.output_json.b eq item.b
  }
  calculate_output: ${formula}
}
`;

const functions = "`min`, `max`, `abs`, `floor`, `ceil`, `exp`, `sqrt` or `log`";
const notAFunction = (name: string, at: string, suggestion?: string) => ({
  rule: "unknown-function",
  severity: "error",
  message: `\`${name}\` is not a formula function; the functions are ${functions}`,
  at,
  ...(suggestion ? { suggestion } : {}),
});

describe("unknown-function", () => {
  it("accepts the eight documented functions, unquoted and quoted", () => {
    const formula = "min(a, b) + max(a, b) + abs(a) + floor(b) + ceil(a) + exp(b) + sqrt(a) + log(b)";
    expectValid("unknown-function", multi(formula));
    expectValid("unknown-function", multi(JSON.stringify(formula)));
    expectValid("unknown-function", multi("a + b"));
  });

  it("reports an unknown function at its name, without a suggestion when nothing is close", () => {
    expectFindings("unknown-function", multi("round(a) + b")).toEqual([notAFunction("round", "6:21-6:26")]);
    expectFindings("unknown-function", multi('"round(a) + b"')).toEqual([notAFunction("round", "6:22-6:27")]);
  });

  it("suggests the closest function", () => {
    expectFindings("unknown-function", multi("mx(a, b)")).toEqual([notAFunction("mx", "6:21-6:23", "did you mean `max`?")]);
    expectFindings("unknown-function", multi('"a + Sqrt(b)"')).toEqual([notAFunction("Sqrt", "6:26-6:30", "did you mean `sqrt`?")]);
    expectFindings("unknown-function", multi("max(a, lg(b))")).toEqual([notAFunction("lg", "6:28-6:30", "did you mean `log`?")]);
  });

  it("reports every unknown function, nested ones included", () => {
    expectFindings("unknown-function", multi("pow(a, 2) + avg(b, round(a))")).toEqual([
      notAFunction("pow", "6:21-6:24"),
      notAFunction("avg", "6:33-6:36"),
      notAFunction("round", "6:40-6:45"),
    ]);
  });

  it("explains a grader key written as a call (a missing `*`)", () => {
    expectFindings("unknown-function", multi("a(b + 1)")).toEqual([
      notAFunction("a", "6:21-6:22", "`a` is a key of `graders`, not a function; to multiply, write `a * (...)`"),
    ]);
  });

  it("does not mistake names of Object.prototype for functions (and does not crash)", () => {
    expectFindings("unknown-function", multi("toString(a) + constructor(b) + __proto__(a)")).toEqual([
      notAFunction("toString", "6:21-6:29"),
      notAFunction("constructor", "6:35-6:46"),
      notAFunction("__proto__", "6:52-6:61"),
    ]);
  });

  it("points through escapes and into multi-line formulas", () => {
    expect(underlined(multi('"\\u0061 + foo(b)"'), "unknown-function")).toEqual(["foo"]);
    expectFindings("unknown-function", multi("a +\n    round(b)")).toEqual([notAFunction("round", "7:5-7:10")]);
    expectFindings("unknown-function", multi('"""\n    a + round(b)\n    """')).toEqual([notAFunction("round", "7:9-7:14")]);
  });

  it("says nothing when the formula does not parse (formula-syntax reports it)", () => {
    expectValid("unknown-function", multi('"round(a"'));
  });
});
