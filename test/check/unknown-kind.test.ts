import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const KINDS = "the kinds are `string_check`, `text_similarity`, `python`, `score_model`, `label_model` or `multi`";

describe("unknown-kind", () => {
  it.each(examples)("accepts every kind in %s", (file) => {
    const abs = path.join(root, file);
    expectValid("unknown-kind", fs.readFileSync(abs, "utf8"), { filename: abs, root });
  });

  it.each(["string_check", "text_similarity", "python", "score_model", "label_model", "multi"])("knows `%s`", (kind) => {
    expectValid("unknown-kind", `${kind} "g" { }`);
  });

  it("reports a misspelt kind in a one-line form, with a suggestion", () => {
    expectFindings("unknown-kind", 'string_chek "exact": sample.output_text eq item.label\n').toEqual([
      {
        rule: "unknown-kind",
        severity: "error",
        message: `\`string_chek\` is not a grader kind; ${KINDS}`,
        at: "1:1-1:12",
        suggestion: "did you mean `string_check`?",
      },
    ]);
  });

  it("reports a kind missing its underscore in a block form", () => {
    expectFindings("unknown-kind", 'scoremodel "s" {\n  model: "m"\n  user "hi"\n}\n').toEqual([
      { rule: "unknown-kind", severity: "error", message: `\`scoremodel\` is not a grader kind; ${KINDS}`, at: "1:1-1:11", suggestion: "did you mean `score_model`?" },
    ]);
  });

  it("suggests the kind when only the letter case differs", () => {
    expectFindings("unknown-kind", 'String_Check "a": sample.output_text eq item.a\n').toEqual([
      expect.objectContaining({ at: "1:1-1:13", suggestion: "did you mean `string_check`?" }),
    ]);
  });

  it("gives no suggestion for a word that is no near kind", () => {
    expectFindings("unknown-kind", 'regex "r" { pattern: "x" }\n').toEqual([
      { rule: "unknown-kind", severity: "error", message: `\`regex\` is not a grader kind; ${KINDS}`, at: "1:1-1:6" },
    ]);
  });

  it("reports an unknown sub-grader kind inside a multi, at the kind", () => {
    const source = 'multi "m" {\n  graders { a: pythn "a" { source: "def grade(s, i): return 1" } }\n  calculate_output: a\n}\n';
    expectFindings("unknown-kind", source).toEqual([
      { rule: "unknown-kind", severity: "error", message: `\`pythn\` is not a grader kind; ${KINDS}`, at: "2:16-2:21", suggestion: "did you mean `python`?" },
    ]);
    expect(underlined(source, "unknown-kind")).toEqual(["pythn"]);
  });

  it("reports the kind once and checks nothing else about the grader", () => {
    // No unknown-field, missing-field, role or content findings on a grader whose kind is unknown.
    const source = 'scoremodel "s" {\n  modle: "m"\n  human "hi"\n}\n';
    expect(findings(source).map((f) => f.rule)).toEqual(["unknown-kind"]);
  });

  it("is the same for both targets", () => {
    expectFindings("unknown-kind", 'cosine_similarity "c": sample.output_text eq item.a\n', { target: "evals" }).toEqual([
      expect.objectContaining({ rule: "unknown-kind", at: "1:1-1:18" }),
    ]);
    expectValid("unknown-kind", 'label_model "l" { model: "m" labels: [a] passing_labels: [a] user "x" }\n', { target: "evals" });
  });
});
