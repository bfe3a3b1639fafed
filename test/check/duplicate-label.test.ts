import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const labelModel = (labels: string, passing: string) => `label_model "s" {
  model: "gpt-4o-2024-08-06"
  labels: ${labels}
  passing_labels: ${passing}
  user "{{item.text}}"
}
`;
const evals = { target: "evals" as const };

describe("duplicate-label", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("duplicate-label", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts distinct labels, a label in both lists, and labels differing in case", () => {
      expectValid("duplicate-label", labelModel("[positive, neutral, negative]", "[positive, neutral]"), evals);
      expectValid("duplicate-label", labelModel("[Positive, positive]", "[positive]"), evals);
    });

    it("ignores labels on kinds that have none", () => {
      expectValid("duplicate-label", 'score_model "s" { model: "m", labels: [a, a], user "x" }\n');
    });

    it("ignores values that are no strings (invalid-value reports them)", () => {
      expectValid("duplicate-label", labelModel("[1, 1, a]", "[a]"), evals);
    });
  });

  it("reports a label listed twice in labels, at the second", () => {
    const source = labelModel("[positive, negative, positive]", "[positive]");
    expectFindings("duplicate-label", source, evals).toEqual([
      { rule: "duplicate-label", severity: "error", message: "`positive` is listed twice in `labels`", at: "3:32-3:40", suggestion: "remove the second one" },
    ]);
  });

  it("reports a label listed twice in passing_labels", () => {
    expectFindings("duplicate-label", labelModel("[a, b]", "[a, b, a]"), evals).toEqual([
      { rule: "duplicate-label", severity: "error", message: "`a` is listed twice in `passing_labels`", at: "4:26-4:27", suggestion: "remove the second one" },
    ]);
  });

  it("treats a quoted and a bare label as the same label", () => {
    const source = labelModel('[positive, "positive"]', "[positive]");
    expectFindings("duplicate-label", source, evals).toEqual([expect.objectContaining({ message: "`positive` is listed twice in `labels`", at: "3:22-3:32" })]);
    expect(underlined(source, "duplicate-label", evals)).toEqual(['"positive"']);
  });

  it("reports each repeat, in both lists", () => {
    const source = labelModel("[x, x, x]", "[x, x]");
    expect(underlined(source, "duplicate-label", evals)).toEqual(["x", "x", "x"]);
  });

  it("does not throw on a list the parser recovered from a syntax error", () => {
    const source = labelModel("[positive, negative, positive]", "- [positive, positive]");
    expectFindings("duplicate-label", source, evals).toEqual([expect.objectContaining({ message: "`positive` is listed twice in `labels`" })]);
  });

  it("checks a label_model inside a multi for rft", () => {
    const source = 'multi "m" {\n  graders { t: label_model "t" { model: "m", labels: [a, b, b], passing_labels: [a], user "x" } }\n  calculate_output: t\n}\n';
    expectFindings("duplicate-label", source).toEqual([expect.objectContaining({ message: "`b` is listed twice in `labels`", at: "2:61-2:62" })]);
  });
});
