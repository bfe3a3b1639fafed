import { describe, expect, it } from "vitest";
import { expectFindings, expectValid } from "../helpers/harness.js";

const grader = 'string_check "s": sample.output_text eq item.a\n';

describe("unknown-type", () => {
  it("accepts every type form", () => {
    expectValid("unknown-type", `item {\n  a: string\n  b: number\n  c: integer\n  d: boolean\n  e: any\n  f: null\n  g: [string]\n  h: { i: string }\n  j: "x" | "y"\n}\n${grader}`);
  });

  it("reports a misspelt type with a suggestion", () => {
    expectFindings("unknown-type", `item {\n  a: strng\n}\n${grader}`).toEqual([
      {
        rule: "unknown-type",
        severity: "error",
        message: "`strng` is not a type; the types are `string`, `number`, `integer`, `boolean`, `any` or `null`, `[T]`, `{ ... }` and string literals",
        at: "2:6-2:11",
        suggestion: "did you mean `string`?",
      },
    ]);
  });

  it("reports types nested in lists, objects and unions", () => {
    expectFindings("unknown-type", `sample {\n  output_json: { tags: [strin], n: numbr | null }\n}\n${grader}`).toEqual([
      expect.objectContaining({ at: "2:25-2:30", suggestion: "did you mean `string`?" }),
      expect.objectContaining({ at: "2:36-2:41", suggestion: "did you mean `number`?" }),
    ]);
  });
});
