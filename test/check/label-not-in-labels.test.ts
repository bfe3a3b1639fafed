import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

/** A top-level label_model, checked for evals (where it is allowed at the top level). */
const labelModel = (labels: string, passing: string) => `label_model "s" {
  model: "gpt-4o-2024-08-06"
  labels: ${labels}
  passing_labels: ${passing}
  user "{{item.text}}"
}
`;
const evals = { target: "evals" as const };

describe("label-not-in-labels", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("label-not-in-labels", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts a subset, quoted or bare, in any order", () => {
      expectValid("label-not-in-labels", labelModel("[positive, neutral, negative]", "[negative, positive]"), evals);
      expectValid("label-not-in-labels", labelModel('["yes", no, "maybe so"]', '[yes, "maybe so"]'), evals);
      expectValid("label-not-in-labels", labelModel("[a, b]", "[]"), evals);
    });

    it("accepts passing_labels written before labels", () => {
      expectValid("label-not-in-labels", 'label_model "s" { model: "m", passing_labels: [b], labels: [a, b], user "x" }\n', evals);
    });

    it("leaves labels that are not lists to other rules", () => {
      expectValid("label-not-in-labels", labelModel('"a"', "[c]"), evals);
      expectValid("label-not-in-labels", labelModel("[a, b]", "a"), evals);
    });

    it("ignores labels on kinds that have none (unknown-field reports those fields)", () => {
      expectValid("label-not-in-labels", 'score_model "s" { model: "m", labels: [a], passing_labels: [c], user "x" }\n');
    });
  });

  it("reports a misspelt passing label with a suggestion, at the label", () => {
    const source = labelModel("[positive, negative]", "[postive]");
    expectFindings("label-not-in-labels", source, evals).toEqual([
      {
        rule: "label-not-in-labels",
        severity: "error",
        message: "the passing label `postive` is not one of `labels`",
        at: "4:20-4:27",
        suggestion: "did you mean `positive`?",
      },
    ]);
    expect(underlined(source, "label-not-in-labels", evals)).toEqual(["postive"]);
  });

  it("suggests adding a label that is nothing like the others", () => {
    expectFindings("label-not-in-labels", labelModel("[positive, negative]", '[neutral, "negative"]'), evals).toEqual([
      { rule: "label-not-in-labels", severity: "error", message: "the passing label `neutral` is not one of `labels`", at: "4:20-4:27", suggestion: "add `neutral` to `labels`" },
    ]);
  });

  it("reports every passing label when labels is empty", () => {
    expectFindings("label-not-in-labels", labelModel("[]", "[positive, negative]"), evals).toEqual([
      expect.objectContaining({ message: "the passing label `positive` is not one of `labels`", suggestion: "add `positive` to `labels`" }),
      expect.objectContaining({ message: "the passing label `negative` is not one of `labels`", suggestion: "add `negative` to `labels`" }),
    ]);
  });

  it("compares labels exactly: case matters", () => {
    expectFindings("label-not-in-labels", labelModel("[Positive]", "[positive]"), evals).toEqual([
      expect.objectContaining({ message: "the passing label `positive` is not one of `labels`", suggestion: "did you mean `Positive`?" }),
    ]);
  });

  it("underlines a quoted label with its quotes", () => {
    expect(underlined(labelModel("[a, b]", '["a c"]'), "label-not-in-labels", evals)).toEqual(['"a c"']);
  });

  it("checks a label_model inside a multi for rft", () => {
    const source = 'multi "m" {\n  graders {\n    tone: label_model "tone" { model: "m", labels: [warm, curt], passing_labels: [wram], user "x" }\n  }\n  calculate_output: tone\n}\n';
    expectFindings("label-not-in-labels", source).toEqual([
      { rule: "label-not-in-labels", severity: "error", message: "the passing label `wram` is not one of `labels`", at: "3:83-3:87", suggestion: "did you mean `warm`?" },
    ]);
  });
});
