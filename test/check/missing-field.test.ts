import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const MESSAGE_HINT = 'add at least one message, such as `user "Score this: {{sample.output_text}}"`';

describe("missing-field", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("missing-field", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("does not ask for optional fields", () => {
      expectValid("missing-field", 'python "p" { source: "def grade(s, i): return 1" }\n');
      expectValid("missing-field", 'score_model "s" { model: "m", user "x" }\n');
    });

    it("counts messages as the `input` of a model grader, and raw `input` too", () => {
      expectValid("missing-field", 'score_model "s" {\n  model: "m"\n  input: [{ role: "user", content: "hi" }]\n}\n');
      expectValid("missing-field", 'score_model "s" { model: "m", user message "hi" }\n');
    });

    it("takes the one-line forms as complete", () => {
      expectValid("missing-field", 'string_check "s": sample.output_text eq item.a\n');
      expectValid("missing-field", 'text_similarity "t": bleu(sample.output_text, item.a)\n');
    });

    it("leaves pass_threshold, required only for evals, to the target rule", () => {
      const source = 'text_similarity "t" { input: "a", reference: "b", evaluation_metric: bleu }\n';
      expectValid("missing-field", source, { target: "evals" });
      expect(findings(source, { target: "evals" }).map((f) => f.rule)).toEqual(["target"]);
    });

    it("stays quiet while the file has syntax errors (the grader may be cut short)", () => {
      expectValid("missing-field", 'string_check "s" { input: "a" reference: "b" operation: eq\n');
    });

    it("leaves graders of an unknown kind alone", () => {
      expectValid("missing-field", 'regex "r" { }\n');
    });
  });

  it("reports a missing `labels`, pointing at the grader's kind and name", () => {
    const source = 'label_model "sentiment" {\n  model: "gpt-4o-2024-08-06"\n  passing_labels: [positive]\n  user "{{item.text}}"\n}\n';
    expectFindings("missing-field", source, { target: "evals" }).toEqual([
      {
        rule: "missing-field",
        severity: "error",
        message: '`label_model` "sentiment" needs `labels`',
        at: "1:1-1:24",
        suggestion: "add `labels: [positive, neutral, negative]`",
      },
    ]);
  });

  it("reports a model grader with no messages", () => {
    expectFindings("missing-field", 'score_model "s" {\n  model: "m"\n}\n').toEqual([
      { rule: "missing-field", severity: "error", message: '`score_model` "s" needs at least one message (its `input`)', at: "1:1-1:16", suggestion: MESSAGE_HINT },
    ]);
  });

  it("points at the kind alone when the grader has no name", () => {
    expectFindings("missing-field", 'score_model {\n  user "hi"\n}\n').toEqual([
      {
        rule: "missing-field",
        severity: "error",
        message: "`score_model` needs `model`",
        at: "1:1-1:12",
        suggestion: 'add `model: "gpt-4o-2024-08-06"` (any model the service supports)',
      },
    ]);
  });

  it("reports each missing field of a string_check, in schema order", () => {
    expectFindings("missing-field", 'string_check "s" { input: "a" }\n').toEqual([
      {
        rule: "missing-field",
        severity: "error",
        message: '`string_check` "s" needs `reference`',
        at: "1:1-1:17",
        suggestion: "add `reference: item.answer` (the dataset field to compare with)",
      },
      { rule: "missing-field", severity: "error", message: '`string_check` "s" needs `operation`', at: "1:1-1:17", suggestion: "add `operation: eq` (eq, ne, like or ilike)" },
    ]);
  });

  it("asks a string_check for an `input` field, not for messages", () => {
    expectFindings("missing-field", 'string_check "s" { reference: "b", operation: eq }\n').toEqual([
      { rule: "missing-field", severity: "error", message: '`string_check` "s" needs `input`', at: "1:1-1:17", suggestion: "add `input: sample.output_text`" },
    ]);
  });

  it("reports python without source, text_similarity without metric, multi without graders or formula", () => {
    expectFindings("missing-field", 'python "p" { image_tag: "x" }\n').toEqual([
      { rule: "missing-field", severity: "error", message: '`python` "p" needs `source`', at: "1:1-1:11", suggestion: 'add `source: """ ... """` or `source: file("grader.py")`' },
    ]);
    expectFindings("missing-field", 'text_similarity "t" { input: "a", reference: "b" }\n').toEqual([
      { rule: "missing-field", severity: "error", message: '`text_similarity` "t" needs `evaluation_metric`', at: "1:1-1:20", suggestion: "add `evaluation_metric: fuzzy_match`" },
    ]);
    expectFindings("missing-field", 'multi "m" { }\n').toEqual([
      { rule: "missing-field", severity: "error", message: '`multi` "m" needs `graders`', at: "1:1-1:10", suggestion: "add `graders { key: <grader> ... }`" },
      {
        rule: "missing-field",
        severity: "error",
        message: '`multi` "m" needs `calculate_output`',
        at: "1:1-1:10",
        suggestion: "add a formula over the sub-grader keys, such as `calculate_output: (a + b) / 2`",
      },
    ]);
  });

  it("reports a sub-grader's missing field at the sub-grader", () => {
    const source = 'multi "m" {\n  graders { a: string_check "a" { input: "x", reference: "y" } }\n  calculate_output: a\n}\n';
    expectFindings("missing-field", source).toEqual([
      { rule: "missing-field", severity: "error", message: '`string_check` "a" needs `operation`', at: "2:16-2:32", suggestion: "add `operation: eq` (eq, ne, like or ilike)" },
    ]);
  });

  it("is the same for both targets", () => {
    expectFindings("missing-field", 'python "p" { }\n', { target: "evals" }).toEqual([expect.objectContaining({ message: '`python` "p" needs `source`' })]);
  });

  describe("does not repeat what another rule reports", () => {
    it("a misspelt required field (unknown-field)", () => {
      expectValid("missing-field", 'label_model "l" { model: "m", labelz: [a], passing_labels: [a], user "x" }\n', { target: "evals" });
      expectValid("missing-field", 'string_check "s" { input: "a", reference: "b", opration: eq }\n');
    });

    it("a field written without its colon (invalid-enum)", () => {
      const source = 'score_model "s" { model "x" user "hi" }\n';
      expectValid("missing-field", source);
      expect(findings(source).map((f) => f.rule)).toEqual(["invalid-enum"]);
      expectValid("missing-field", 'string_check "s" { input "a" reference: "b" operation: eq }\n');
    });

    it("a message written as a field (unknown-field)", () => {
      expectValid("missing-field", 'score_model "s" { model: "m" user: "hi" }\n');
    });
  });
});
