import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const stringCheck = (extra: string) => `string_check "exact" {
  input: sample.output_text
  reference: item.label
${extra}
}
`;

describe("unknown-field", () => {
  describe("no false positives", () => {
    it.each(examples.filter((f) => !f.includes("guide-name-email-multi")))("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("unknown-field", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts every field of every kind, optional ones included", () => {
      expectValid("unknown-field", stringCheck("  operation: eq\n  name: \"n\""));
      expectValid("unknown-field", 'python "p" { source: "def grade(s, i): return 1", image_tag: "2025-05-08" }\n');
      expectValid(
        "unknown-field",
        `score_model "s" {
  model: "m"
  range: [0, 1]
  sampling_params { temperature: 1, top_p: 1, seed: 1, max_completions_tokens: 10, reasoning_effort: low }
  user "hi"
}
`,
      );
      expectValid("unknown-field", 'label_model "l" { model: "m", labels: [a, b], passing_labels: [a], user "x" }\n', { target: "evals" });
    });

    it("accepts raw JSON messages in `input` of a model grader", () => {
      expectValid("unknown-field", 'score_model "s" {\n  model: "m"\n  input: [{ role: "user", content: "hi" }]\n}\n');
    });

    it("accepts the evals-only fields for evals", () => {
      const evals = { target: "evals" as const };
      expectValid("unknown-field", 'text_similarity "t" { input: "a", reference: "b", evaluation_metric: bleu, pass_threshold: 0.5 }\n', evals);
      expectValid("unknown-field", 'python "p" { source: "def grade(s, i): return 1", pass_threshold: 0.5 }\n', evals);
      expectValid("unknown-field", 'score_model "s" { model: "m", pass_threshold: 0.5, user "x" }\n', evals);
    });

    it("leaves graders of an unknown kind to unknown-kind", () => {
      expectValid("unknown-field", 'regex "r" { pattern: "x" }\n');
    });
  });

  it("warns about an unknown field, keeps it, and suggests the field it looks like", () => {
    expectFindings("unknown-field", stringCheck("  operation: eq\n  opration: eq")).toEqual([
      {
        rule: "unknown-field",
        severity: "warning",
        message: "`string_check` has no field `opration`; it is kept in the JSON as written",
        at: "5:3-5:11",
        suggestion: "did you mean `operation`?",
      },
    ]);
  });

  it("warns without a suggestion when no field is close", () => {
    expectFindings("unknown-field", stringCheck("  operation: eq\n  foo: 1")).toEqual([
      { rule: "unknown-field", severity: "warning", message: "`string_check` has no field `foo`; it is kept in the JSON as written", at: "5:3-5:6" },
    ]);
  });

  it("underlines a quoted key with its quotes", () => {
    const source = stringCheck('  operation: eq\n  "weird key": 1');
    expect(underlined(source, "unknown-field")).toEqual(['"weird key"']);
    expectFindings("unknown-field", source).toEqual([expect.objectContaining({ message: "`string_check` has no field `weird key`; it is kept in the JSON as written" })]);
  });

  describe("a misspelt required field", () => {
    it("is an error that says the required field is missing", () => {
      expectFindings("unknown-field", stringCheck("  opration: eq")).toEqual([
        {
          rule: "unknown-field",
          severity: "error",
          message: "`string_check` has no field `opration`, and the `operation` it needs is missing",
          at: "4:3-4:11",
          suggestion: "did you mean `operation`?",
        },
      ]);
    });

    it("suppresses missing-field for the field it misspells", () => {
      const source = 'python "p" {\n  sorce: "def grade(s, i): return 1"\n}\n';
      expect(findings(source).filter((f) => f.rule === "missing-field" || f.rule === "unknown-field")).toEqual([
        {
          rule: "unknown-field",
          severity: "error",
          message: "`python` has no field `sorce`, and the `source` it needs is missing",
          at: "2:3-2:8",
          suggestion: "did you mean `source`?",
        },
      ]);
    });

    it("catches a difference in letter case", () => {
      expectFindings("unknown-field", 'python "p" {\n  Source: "def grade(s, i): return 1"\n}\n').toEqual([
        expect.objectContaining({ severity: "error", at: "2:3-2:9", suggestion: "did you mean `source`?" }),
      ]);
    });

    it("in a model grader and in a sub-grader", () => {
      expectFindings("unknown-field", 'score_model "s" {\n  modle: "m"\n  user "hi"\n}\n').toEqual([
        expect.objectContaining({ severity: "error", message: "`score_model` has no field `modle`, and the `model` it needs is missing", at: "2:3-2:8" }),
      ]);
      const multi = 'multi "m" {\n  graders { l: label_model "l" { model: "m", labelz: [a], passing_labels: [a], user "x" } }\n  calculate_output: l\n}\n';
      expectFindings("unknown-field", multi).toEqual([
        expect.objectContaining({ severity: "error", message: "`label_model` has no field `labelz`, and the `labels` it needs is missing", suggestion: "did you mean `labels`?" }),
      ]);
      expect(underlined(multi, "unknown-field")).toEqual(["labelz"]);
    });
  });

  describe("fields of another target", () => {
    it("warns about pass_threshold on an rft text_similarity, naming the target that has it", () => {
      const source = 'text_similarity "t" {\n  input: sample.output_text\n  reference: item.label\n  evaluation_metric: fuzzy_match\n  pass_threshold: 0.5\n}\n';
      expectFindings("unknown-field", source).toEqual([
        {
          rule: "unknown-field",
          severity: "warning",
          message: "`pass_threshold` is not a field of `text_similarity` for the rft target (it is for evals); it is kept in the JSON",
          at: "5:3-5:17",
        },
      ]);
      expectValid("unknown-field", source, { target: "evals" });
    });

    it("warns about pass_threshold on rft python and score_model graders too", () => {
      expectFindings("unknown-field", 'python "p" { source: "def grade(s, i): return 1", pass_threshold: 0.5 }\n').toEqual([
        expect.objectContaining({ message: "`pass_threshold` is not a field of `python` for the rft target (it is for evals); it is kept in the JSON" }),
      ]);
    });

    it("follows the `// @target` comment of the file, and --target over it", () => {
      const source = '// @target evals\npython "p" { source: "def grade(s, i): return 1", pass_threshold: 0.5 }\n';
      expectValid("unknown-field", source);
      expectFindings("unknown-field", source, { target: "rft" }).toEqual([expect.objectContaining({ at: "2:51-2:65" })]);
      expect(underlined(source, "unknown-field", { target: "rft" })).toEqual(["pass_threshold"]);
    });

    it("reports a field no target has as unknown, on label_model for evals", () => {
      expectFindings("unknown-field", 'label_model "l" { model: "m", labels: [a], passing_labels: [a], user "x", pass_threshold: 1 }\n', { target: "evals" }).toEqual([
        { rule: "unknown-field", severity: "warning", message: "`label_model` has no field `pass_threshold`; it is kept in the JSON as written", at: "1:75-1:89" },
      ]);
    });
  });

  it("reports a `type:` field as an error: the kind gives the type", () => {
    const source = 'text_similarity "t" {\n  type: "text_similarity"\n  input: sample.output_text\n  reference: item.label\n  evaluation_metric: fuzzy_match\n}\n';
    expectFindings("unknown-field", source).toEqual([
      { rule: "unknown-field", severity: "error", message: "`type` comes from the grader kind written before the name; remove this field", at: "2:3-2:7" },
    ]);
  });

  describe("messages where there are none", () => {
    it("reports a message in a non-model grader", () => {
      expectFindings("unknown-field", 'python "p" {\n  source: "def grade(s, i): return 1"\n  user "hi"\n}\n').toEqual([
        {
          rule: "unknown-field",
          severity: "error",
          message: "`python` graders have no messages (only `score_model` and `label_model` do)",
          at: "3:3-3:7",
          suggestion: "if `user` is a field, write `user: ...`",
        },
      ]);
    });

    it("reports it in a multi grader", () => {
      expectFindings("unknown-field", 'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  calculate_output: a\n  system "be fair"\n}\n').toEqual([
        expect.objectContaining({ severity: "error", message: "`multi` graders have no messages (only `score_model` and `label_model` do)", at: "4:3-4:9" }),
      ]);
    });

    it("reports a word that is neither a role nor a field once (no invalid-enum role finding beside it)", () => {
      const source = 'python "p" { source: "def grade(s, i): return 1" foo "x" }\n';
      expect(findings(source).map((f) => `${f.rule} ${f.at}`)).toEqual(["unknown-field 1:50-1:53"]);
    });

    it("leaves a field written without its colon to invalid-enum", () => {
      const source = stringCheck('  operation "eq"');
      expectValid("unknown-field", source);
      expect(findings(source).map((f) => f.rule)).toEqual(["invalid-enum"]);
    });
  });

  describe("messages written as fields in a model grader", () => {
    it("is an error for `user: ...`, with the fix", () => {
      const source = 'score_model "s" {\n  model: "m"\n  user: "hi"\n}\n';
      expectFindings("unknown-field", source).toEqual([
        {
          rule: "unknown-field",
          severity: "error",
          message: '`user` is a message role, not a field: a message is written without `:`, as in `user "..."`',
          at: "3:3-3:7",
          suggestion: "remove the `:`",
        },
      ]);
      // ...and the grader is not also said to have no messages.
      expectValid("missing-field", source);
    });

    it("is an error for `user { ... }`", () => {
      expectFindings("unknown-field", 'score_model "s" { model: "m" user { a: 1 } }\n').toEqual([
        {
          rule: "unknown-field",
          severity: "error",
          message: '`user { ... }` is a field, not a message: message content is a string, a list or a part, as in `user "..."`',
          at: "1:30-1:34",
          suggestion: 'write `user "..."` or `user [ ... ]`',
        },
      ]);
    });
  });

  describe("sampling_params keys", () => {
    it("warns about an unknown key, with a suggestion when one is close", () => {
      const source = 'score_model "s" {\n  model: "m"\n  sampling_params { temprature: 1, top_p: 1, foo: 2 }\n  user "hi"\n}\n';
      expectFindings("unknown-field", source).toEqual([
        {
          rule: "unknown-field",
          severity: "warning",
          message: "`sampling_params` has no field `temprature`; it is kept in the JSON as written",
          at: "3:21-3:31",
          suggestion: "did you mean `temperature`?",
        },
        { rule: "unknown-field", severity: "warning", message: "`sampling_params` has no field `foo`; it is kept in the JSON as written", at: "3:46-3:49" },
      ]);
    });

    it("does not look inside sampling_params on a kind without it (the field itself is reported)", () => {
      expectFindings("unknown-field", 'python "p" { source: "def grade(s, i): return 1", sampling_params { foo: 1 } }\n').toEqual([
        { rule: "unknown-field", severity: "warning", message: "`python` has no field `sampling_params`; it is kept in the JSON as written", at: "1:51-1:66" },
      ]);
    });

    it("checks the `sampling_params: { ... }` spelling the same way", () => {
      expectFindings("unknown-field", 'score_model "s" { model: "m", sampling_params: { seeed: 1 }, user "x" }\n').toEqual([
        expect.objectContaining({ at: "1:50-1:55", suggestion: "did you mean `seed`?" }),
      ]);
    });
  });
});
