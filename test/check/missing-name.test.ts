import { describe, expect, it } from "vitest";
import { compiled, expectFindings, expectValid } from "../helpers/harness.js";

const warning = (message: string, at: string, suggestion: string) => ({ rule: "missing-name", severity: "warning", message, at, suggestion });

describe("missing-name", () => {
  it("accepts named graders, one-line and block forms, and named sub-graders", () => {
    expectValid("missing-name", 'string_check "exact": sample.output_text eq item.label\n');
    expectValid("missing-name", 'python "p" { source: "def grade(sample, item): return 1.0" }\n');
    expectValid(
      "missing-name",
      'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  calculate_output: a\n}\n',
    );
  });

  it("warns about a top-level grader without a name, at its kind", () => {
    expectFindings("missing-name", "string_check: sample.output_text eq item.label\n").toEqual([
      warning("this `string_check` grader has no name", "1:1-1:13", 'add one after the kind: `string_check "my grader"`'),
    ]);
    expectFindings("missing-name", 'python { source: "def grade(sample, item): return 1.0" }\n').toEqual([
      warning("this `python` grader has no name", "1:1-1:7", 'add one after the kind: `python "my grader"`'),
    ]);
    expectFindings("missing-name", "// a comment first\ntext_similarity: fuzzy_match(sample.output_text, item.x)\n").toEqual([
      warning("this `text_similarity` grader has no name", "2:1-2:16", 'add one after the kind: `text_similarity "my grader"`'),
    ]);
  });

  it("suggests a sub-grader's key as its name", () => {
    const source = `multi {
  graders {
    email: string_check: sample.output_json.email eq item.email
    "exact name": string_check: sample.output_json.name eq item.name
  }
  calculate_output: email
}
`;
    expectFindings("missing-name", source).toEqual([
      warning("this `multi` grader has no name", "1:1-1:6", 'add one after the kind: `multi "my grader"`'),
      warning("this `string_check` grader has no name", "3:12-3:24", 'add one after the kind: `string_check "email"`'),
      warning("this `string_check` grader has no name", "4:19-4:31", 'add one after the kind: `string_check "exact name"`'),
    ]);
  });

  it("warns about an empty name, at the name", () => {
    expectFindings("missing-name", 'string_check "": sample.output_text eq item.label\n').toEqual([
      warning("this `string_check` grader's name is empty", "1:14-1:16", 'write one: `string_check "my grader"`'),
    ]);
    expectFindings("missing-name", 'string_check "  ": sample.output_text eq item.label\n').toHaveLength(1);
  });

  it("is a warning: the JSON has no `name`", () => {
    const json = compiled("string_check: sample.output_text eq item.label\n") as Record<string, unknown>;
    expect(json).not.toHaveProperty("name");
    expect(json["type"]).toBe("string_check");
  });
});
