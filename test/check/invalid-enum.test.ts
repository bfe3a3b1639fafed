import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { compiled, expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const OPERATIONS = "`eq`, `ne`, `like` or `ilike`";
const METRICS = "`cosine`, `fuzzy_match`, `bleu`, `gleu`, `meteor`, `rouge_1`, `rouge_2`, `rouge_3`, `rouge_4`, `rouge_5` or `rouge_l`";
const ROLES = "`user`, `assistant`, `system` or `developer`";
const EFFORTS = "`none`, `minimal`, `low`, `medium`, `high`, `xhigh` or `max`";

const score = (body: string) => `score_model "s" {\n  model: "m"\n${body}\n}\n`;

describe("invalid-enum", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("invalid-enum", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it.each(["eq", "ne", "like", "ilike"])("accepts the operation %s, bare and quoted", (op) => {
      expectValid("invalid-enum", `string_check "s": sample.output_text ${op} item.a\n`);
      expectValid("invalid-enum", `string_check "s" { input: "a", reference: "b", operation: "${op}" }\n`);
    });

    it.each(["fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_5", "rouge_l", "cosine"])("accepts the metric %s", (metric) => {
      expectValid("invalid-enum", `text_similarity "t": ${metric}(sample.output_text, item.a)\n`, { target: "evals" });
    });

    it("accepts every role, typed messages and every reasoning effort, image detail and audio format", () => {
      expectValid("invalid-enum", score('  system "a"\n  developer "b"\n  user message "c"\n  assistant output_text("d")'));
      for (const effort of ["none", "minimal", "low", "medium", "high", "xhigh", "max", "null"]) {
        expectValid("invalid-enum", score(`  sampling_params { reasoning_effort: ${effort} }\n  user "x"`));
      }
      expectValid("invalid-enum", score('  user [input_image("u", detail: high), input_image("v", detail: "low"), input_image("w", detail: auto)]'));
      expectValid("invalid-enum", score('  user [input_audio(item.a, format: mp3), input_audio(item.b, format: "wav")]'));
    });

    it("leaves enum fields on a kind without them to unknown-field", () => {
      const source = 'python "p" { source: "def grade(s, i): return 1", operation: foo, evaluation_metric: bar, sampling_params { reasoning_effort: x } }\n';
      expectValid("invalid-enum", source);
      expect(findings(source).map((f) => `${f.rule} ${f.severity}`)).toEqual(["unknown-field warning", "unknown-field warning", "unknown-field warning"]);
    });

    it("accepts cosine on rft, as the API description does", () => {
      const source = 'text_similarity "t" { input: "a", reference: "b", evaluation_metric: cosine }\n';
      expect(findings(source)).toEqual([]);
    });
  });

  describe("operation", () => {
    it("reports an unknown operation in the one-line form, with the synonym's suggestion", () => {
      expectFindings("invalid-enum", 'string_check "exact": sample.output_text equals item.label\n').toEqual([
        {
          rule: "invalid-enum",
          severity: "error",
          message: `\`equals\` is not a valid operation; it is one of ${OPERATIONS}`,
          at: "1:42-1:48",
          suggestion: "did you mean `eq`?",
        },
      ]);
    });

    it("suggests the operation when only the case differs", () => {
      expectFindings("invalid-enum", 'string_check "exact": sample.output_text EQ item.label\n').toEqual([
        expect.objectContaining({ at: "1:42-1:44", suggestion: "did you mean `eq`?" }),
      ]);
    });

    it("maps `contains` to like in a block field", () => {
      const source = 'string_check "s" { input: "a", reference: "b", operation: contains }\n';
      expectFindings("invalid-enum", source).toEqual([
        { rule: "invalid-enum", severity: "error", message: `\`contains\` is not a valid operation; it is one of ${OPERATIONS}`, at: "1:59-1:67", suggestion: "did you mean `like`?" },
      ]);
    });

    it("reports a value that is no word at all, null included", () => {
      for (const value of ["1", "null", "[eq]"]) {
        const source = `string_check "s" { input: "a", reference: "b", operation: ${value} }\n`;
        expectFindings("invalid-enum", source).toEqual([
          { rule: "invalid-enum", severity: "error", message: `operation must be one of ${OPERATIONS}`, at: `1:59-1:${59 + value.length}` },
        ]);
      }
    });
  });

  describe("evaluation_metric", () => {
    it("reports an unknown metric in the call form", () => {
      expectFindings("invalid-enum", 'text_similarity "t": rougel(sample.output_text, item.a)\n').toEqual([
        {
          rule: "invalid-enum",
          severity: "error",
          message: `\`rougel\` is not a valid evaluation metric; it is one of ${METRICS}`,
          at: "1:22-1:28",
          suggestion: "did you mean `rouge_l`?",
        },
      ]);
    });

    it("suggests the one metric a prefix names", () => {
      expectFindings("invalid-enum", 'text_similarity "t": fuzzy(sample.output_text, item.a)\n').toEqual([
        expect.objectContaining({ at: "1:22-1:27", suggestion: "did you mean `fuzzy_match`?" }),
      ]);
      // `rouge` is the start of six metrics: no guess.
      expectFindings("invalid-enum", 'text_similarity "t": rouge(sample.output_text, item.a)\n').toEqual([
        { rule: "invalid-enum", severity: "error", message: `\`rouge\` is not a valid evaluation metric; it is one of ${METRICS}`, at: "1:22-1:27" },
      ]);
    });

    it("reports a quoted metric in a block, underlining the quotes", () => {
      const source = 'text_similarity "t" { input: "a", reference: "b", evaluation_metric: "BLEU" }\n';
      expectFindings("invalid-enum", source).toEqual([expect.objectContaining({ message: expect.stringContaining("`BLEU` is not a valid evaluation metric"), suggestion: "did you mean `bleu`?" })]);
      expect(underlined(source, "invalid-enum")).toEqual(['"BLEU"']);
    });
  });

  describe("message role", () => {
    it("reports an unknown role with a suggestion", () => {
      expectFindings("invalid-enum", score('  usr "hi"')).toEqual([
        { rule: "invalid-enum", severity: "error", message: `\`usr\` is not a valid message role; it is one of ${ROLES}`, at: "3:3-3:6", suggestion: "did you mean `user`?" },
      ]);
      expectFindings("invalid-enum", score('  assistent "hi"')).toEqual([expect.objectContaining({ suggestion: "did you mean `assistant`?" })]);
      expectFindings("invalid-enum", score('  User "hi"')).toEqual([expect.objectContaining({ suggestion: "did you mean `user`?" })]);
    });

    it("reports a role with nothing close without a suggestion", () => {
      expectFindings("invalid-enum", score('  human "hi"')).toEqual([
        { rule: "invalid-enum", severity: "error", message: `\`human\` is not a valid message role; it is one of ${ROLES}`, at: "3:3-3:8" },
      ]);
    });

    it("reports a role in a sub-grader of a multi", () => {
      const source = 'multi "m" { graders { a: score_model "s" { model: "m" usr "hi" } } calculate_output: a }\n';
      expect(underlined(source, "invalid-enum")).toEqual(["usr"]);
    });

    it("leaves messages of a non-model grader to unknown-field", () => {
      expectValid("invalid-enum", 'python "p" { source: "def grade(s, i): return 1" foo "x" }\n');
    });

    it("ignores a role the parser made up while recovering from a syntax error", () => {
      const source = 'score_model "s" { model: "m" graders "x" user "hi" }\n';
      expect(findings(source).some((f) => f.rule === "syntax")).toBe(true);
      expectValid("invalid-enum", source);
    });
  });

  describe("a field written without its colon", () => {
    it("in a score_model: `model \"x\"`", () => {
      expectFindings("invalid-enum", 'score_model "s" { model "x" user "hi" }\n').toEqual([
        { rule: "invalid-enum", severity: "error", message: "`model` is a field: it needs a `:` before its value", at: "1:19-1:24", suggestion: "write `model: ...`" },
      ]);
    });

    it("in other kinds, with no second finding from unknown-field", () => {
      const source = 'string_check "s" { input: "a" reference: "b" operation "eq" }\n';
      expect(findings(source)).toEqual([
        { rule: "invalid-enum", severity: "error", message: "`operation` is a field: it needs a `:` before its value", at: "1:46-1:55", suggestion: "write `operation: ...`" },
      ]);
      expectFindings("invalid-enum", 'python "p" { source: "def grade(s, i): return 1" image_tag "x" }\n').toEqual([
        expect.objectContaining({ message: "`image_tag` is a field: it needs a `:` before its value" }),
      ]);
    });

    it("knows the fields of the target", () => {
      expectFindings("invalid-enum", score('  range "x"\n  user "hi"')).toEqual([expect.objectContaining({ message: "`range` is a field: it needs a `:` before its value" })]);
    });
  });

  describe("reasoning_effort", () => {
    it("reports an unknown effort with a suggestion", () => {
      const source = score("  sampling_params { reasoning_effort: hgh }\n  user \"x\"");
      expectFindings("invalid-enum", source).toEqual([
        { rule: "invalid-enum", severity: "error", message: `\`hgh\` is not a valid reasoning effort; it is one of ${EFFORTS}`, at: "3:39-3:42", suggestion: "did you mean `high`?" },
      ]);
    });

    it("completes an abbreviation", () => {
      expectFindings("invalid-enum", score("  sampling_params { reasoning_effort: med }\n  user \"x\"")).toEqual([
        expect.objectContaining({ suggestion: "did you mean `medium`?" }),
      ]);
    });

    it("reports a number", () => {
      expectFindings("invalid-enum", score("  sampling_params: { reasoning_effort: 1 }\n  user \"x\"")).toEqual([
        { rule: "invalid-enum", severity: "error", message: `reasoning effort must be one of ${EFFORTS}`, at: "3:40-3:41" },
      ]);
    });
  });

  describe("content part arguments", () => {
    it("warns on an image detail outside high, low and auto (a string in the API description), and compiles it", () => {
      const source = score('  user input_image("u", detail: hi)');
      expectFindings("invalid-enum", source).toEqual([
        { rule: "invalid-enum", severity: "warning", message: "`hi` is not a valid image detail; it is one of `high`, `low` or `auto`", at: "3:33-3:35", suggestion: "did you mean `high`?" },
      ]);
      compiled(source);
    });

    it("reports an image detail that is not a string", () => {
      expectFindings("invalid-enum", score('  user input_image("u", detail: 3)')).toEqual([
        { rule: "invalid-enum", severity: "error", message: "image detail must be one of `high`, `low` or `auto`", at: "3:33-3:34" },
      ]);
    });

    it("reports an audio format, inside a content list too", () => {
      expectFindings("invalid-enum", score('  user input_audio(item.a, format: mp4)')).toEqual([
        { rule: "invalid-enum", severity: "error", message: "`mp4` is not a valid audio format; it is one of `mp3` or `wav`", at: "3:36-3:39", suggestion: "did you mean `mp3`?" },
      ]);
      expectFindings("invalid-enum", score('  user ["x", input_audio(item.a, format: flac)]')).toEqual([
        { rule: "invalid-enum", severity: "error", message: "`flac` is not a valid audio format; it is one of `mp3` or `wav`", at: "3:42-3:46" },
      ]);
    });

    it("reports a null detail (the schema does not allow it)", () => {
      expectFindings("invalid-enum", score('  user input_image("u", detail: null)')).toEqual([
        expect.objectContaining({ message: "image detail must be one of `high`, `low` or `auto`" }),
      ]);
    });
  });

  it("is the same for the evals target", () => {
    expectFindings("invalid-enum", 'string_check "s": sample.output_text equals item.a\n', { target: "evals" }).toEqual([
      expect.objectContaining({ message: `\`equals\` is not a valid operation; it is one of ${OPERATIONS}` }),
    ]);
  });
});
