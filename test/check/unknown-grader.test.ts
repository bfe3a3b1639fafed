import { describe, expect, it } from "vitest";
import { expectFindings, expectValid } from "../helpers/harness.js";

const multi = (formula: string) => `multi "m" {
  graders {
    name: string_check "name_grader": sample.output_json.name eq item.name
    email: string_check "email_grader": sample.output_json.email eq item.email
  }
  calculate_output: ${formula}
}
`;

describe("unknown-grader", () => {
  it("accepts formulas over the keys of graders", () => {
    expectValid("unknown-grader", multi("(name + email) / 2"));
    expectValid("unknown-grader", multi('"min(name, email)"'));
  });

  it("reports a misspelt key with a suggestion, pointing at the name in the formula", () => {
    expectFindings("unknown-grader", multi("(name + emial) / 2")).toEqual([
      {
        rule: "unknown-grader",
        severity: "error",
        message: "`emial` is not a key of `graders`; the keys are `name` and `email`",
        at: "6:29-6:34",
        suggestion: "did you mean `email`?",
      },
    ]);
  });

  it("points inside a quoted formula", () => {
    expectFindings("unknown-grader", multi('"name + nope"')).toEqual([
      expect.objectContaining({ at: "6:29-6:33", message: expect.stringContaining("`nope` is not a key") }),
    ]);
  });

  it("explains that formulas use keys, not sub-grader names", () => {
    expectFindings("unknown-grader", multi("name_grader")).toEqual([
      expect.objectContaining({ suggestion: "`name_grader` is the name of the sub-grader keyed `name`; formulas use keys" }),
    ]);
  });
});

describe("suggestions", () => {
  it("are not offered for one-letter names or ties", async () => {
    const { closest } = await import("../../src/check/suggest.js");
    expect(closest("c", ["a", "b"])).toBeUndefined();
    expect(closest("ab", ["ac", "bb"])).toBeUndefined();
    expect(closest("A", ["a"])).toBe("a");
    expect(closest("nmae", ["name", "email"])).toBe("name");
    expect(closest("opration", ["operation", "reference"])).toBe("operation");
  });
});
