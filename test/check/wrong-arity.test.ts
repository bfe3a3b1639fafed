import { describe, it } from "vitest";
import { expectFindings, expectValid } from "../helpers/harness.js";

const multi = (formula: string) => `multi "m" {
  graders {
    a: string_check "a_grader": sample.output_json.a eq item.a
    b: string_check "b_grader": sample.output_json.b eq item.b
  }
  calculate_output: ${formula}
}
`;

const arity = (message: string, at: string) => ({ rule: "wrong-arity", severity: "error", message, at });

describe("wrong-arity", () => {
  it("accepts min/max with two or more arguments and the others with one", () => {
    const formula = "min(a, b) + max(a, b, 1, 2) + min(a, b, a) + abs(a) + floor(b) + ceil(a) + exp(b) + sqrt(a) + log(b)";
    expectValid("wrong-arity", multi(formula));
    expectValid("wrong-arity", multi(JSON.stringify(formula)));
  });

  it("reports min/max with fewer than two arguments, underlining the call", () => {
    expectFindings("wrong-arity", multi("max(a) + b")).toEqual([arity("`max` takes 2 or more arguments, not 1", "6:21-6:27")]);
    expectFindings("wrong-arity", multi("min() + a + b")).toEqual([arity("`min` takes 2 or more arguments, not 0", "6:21-6:26")]);
    expectFindings("wrong-arity", multi('"max(a) + b"')).toEqual([arity("`max` takes 2 or more arguments, not 1", "6:22-6:28")]);
  });

  it("reports one-argument functions called with another number", () => {
    expectFindings("wrong-arity", multi("abs(a, b)")).toEqual([arity("`abs` takes exactly 1 argument, not 2", "6:21-6:30")]);
    expectFindings("wrong-arity", multi("log() + a + b")).toEqual([arity("`log` takes exactly 1 argument, not 0", "6:21-6:26")]);
    expectFindings("wrong-arity", multi('"a + sqrt(b, a, 1)"')).toEqual([arity("`sqrt` takes exactly 1 argument, not 3", "6:26-6:39")]);
  });

  it("reports nested calls at their own span", () => {
    expectFindings("wrong-arity", multi("max(floor(a, b), b)")).toEqual([arity("`floor` takes exactly 1 argument, not 2", "6:25-6:36")]);
    expectFindings("wrong-arity", multi("abs(max(a), exp())")).toEqual([
      arity("`abs` takes exactly 1 argument, not 2", "6:21-6:39"),
      arity("`max` takes 2 or more arguments, not 1", "6:25-6:31"),
      arity("`exp` takes exactly 1 argument, not 0", "6:33-6:38"),
    ]);
  });

  it("spans a call written over several lines", () => {
    expectFindings("wrong-arity", multi("a + sqrt(\n    b,\n    a\n  )")).toEqual([arity("`sqrt` takes exactly 1 argument, not 2", "6:25-9:4")]);
  });

  it("leaves unknown functions and prototype names to unknown-function", () => {
    expectValid("wrong-arity", multi("round(a, b, 3)"));
    expectValid("wrong-arity", multi("constructor(a) + toString() + b"));
  });

  it("says nothing when the formula does not parse", () => {
    expectValid("wrong-arity", multi('"max(a) +"'));
  });
});
