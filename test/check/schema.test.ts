import { describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { LineIndex } from "../../src/syntax/lines.js";
import { compiled, findings, toFinding } from "../helpers/harness.js";

/*
 * What the schema rejects, `grade check` reports (as `grade compile` does, with the same
 * findings): message and content structure, part types, every enum and range, in JSON and in
 * `.grade`, each finding naming the field's path and pointing at it.
 */

const score = (input: string): string => JSON.stringify({ type: "score_model", name: "s", model: "m", input: JSON.parse(input) as unknown });
const json = (source: string) => findings(source, { filename: "g.json" });
const PARTS = "an object whose `type` is `input_text`, `output_text`, `input_image` or `input_audio`";

/** check and compile agree: the same findings, and JSON exactly when there is no error. */
function sameVerdict(source: string, options: { filename?: string; target?: "rft" | "evals" } = {}): void {
  const lines = new LineIndex(source);
  const checked = check(source, options);
  const result = compile(source, options);
  expect(result.diagnostics.map((d) => toFinding(d, lines))).toEqual(checked.diagnostics.map((d) => toFinding(d, lines)));
  expect(result.grader === undefined).toBe(checked.errors > 0);
}

const error = (rule: string, message: string, at: string, suggestion?: string) => ({ rule, severity: "error", message, at, ...(suggestion ? { suggestion } : {}) });

describe("schema findings of grade check", () => {
  describe("message and content structure, in JSON", () => {
    it("a message without content, or with content null", () => {
      const none = score('[{"role":"user"}]');
      expect(json(none)).toEqual([error("missing-field", "the message `input[0]` needs `content`", "1:55-1:70")]);
      expect(json(score('[{"role":"user","content":null}]'))).toEqual([
        error("invalid-value", `\`input[0].content\` must be a string, a list or ${PARTS}, not \`null\``, "1:80-1:84"),
      ]);
      sameVerdict(none, { filename: "g.json" });
    });

    it("a content list holding null or a number", () => {
      expect(json(score('[{"role":"user","content":["a",null,3]}]'))).toEqual([
        error("invalid-value", `\`input[0].content[1]\` must be a string or ${PARTS}, not \`null\``, "1:85-1:89"),
        error("invalid-value", `\`input[0].content[2]\` must be a string or ${PARTS}, not a number (3)`, "1:90-1:91"),
      ]);
    });

    it("an input_image without image_url, an input_text without text or with a number", () => {
      expect(json(score('[{"role":"user","content":{"type":"input_image","detail":"low"}}]'))).toEqual([
        error("missing-field", "the `input_image` part `input[0].content` needs `image_url`", "1:80-1:117"),
      ]);
      expect(json(score('[{"role":"user","content":[{"type":"input_text"},{"type":"input_text","text":3}]}]'))).toEqual([
        error("missing-field", "the `input_text` part `input[0].content[0]` needs `text`", "1:81-1:102"),
        error("invalid-value", "`input[0].content[1].text` must be a string, not a number (3)", "1:131-1:132"),
      ]);
    });

    it("a part type the grader messages do not take (`text`, `input_file`)", () => {
      expect(json(score('[{"role":"user","content":[{"type":"text","text":"a"},{"type":"input_file","file_id":"f"}]}]'))).toEqual([
        error("invalid-enum", "`input[0].content[0].type` must be one of `input_text`, `output_text`, `input_image` or `input_audio`, not `\"text\"`", "1:89-1:95"),
        error("invalid-enum", "`input[0].content[1].type` must be one of `input_text`, `output_text`, `input_image` or `input_audio`, not `\"input_file\"`", "1:116-1:128"),
      ]);
    });

    it("a message type of null or `msg`", () => {
      expect(json(score('[{"role":"user","type":null,"content":"a"},{"role":"user","type":"msg","content":"a"}]'))).toEqual([
        error("invalid-enum", "`input[0].type` must be `message`, not `null`", "1:77-1:81"),
        error("invalid-enum", "`input[1].type` must be `message`, not `\"msg\"`", "1:119-1:124"),
      ]);
    });

    it("prompt_cache_breakpoint: `{mode: \"explicit\"}` on input_text, nothing else", () => {
      const ok = score('[{"role":"user","content":[{"type":"input_text","text":"a","prompt_cache_breakpoint":{"mode":"explicit"}}]}]');
      expect(json(ok)).toEqual([]);
      expect(compiled(ok, { filename: "g.json" })).toEqual(JSON.parse(ok));
      expect(json(score('[{"role":"user","content":[{"type":"input_text","text":"a","prompt_cache_breakpoint":true},{"type":"input_text","text":"a","prompt_cache_breakpoint":{"mode":"implicit"}}]}]'))).toEqual([
        error("invalid-value", "`input[0].content[0].prompt_cache_breakpoint` must be an object, not `true`", "1:139-1:143"),
        error("invalid-enum", "`input[0].content[1].prompt_cache_breakpoint.mode` must be `explicit`, not `\"implicit\"`", "1:211-1:221", "did you mean `explicit`?"),
      ]);
    });

    it("an image detail outside high, low and auto is a warning (a string in the spec), and compiles", () => {
      const source = score('[{"role":"user","content":{"type":"input_image","image_url":"u","detail":"original"}}]');
      expect(json(source)).toEqual([
        { rule: "invalid-enum", severity: "warning", message: "`original` is not a valid image detail; it is one of `high`, `low` or `auto`", at: "1:127-1:137" },
      ]);
      expect(compiled(source, { filename: "g.json" })).toEqual(JSON.parse(source));
    });
  });

  describe("multi.graders", () => {
    it("explains a single grader written where the map of named graders belongs", () => {
      const source = '{"type":"multi","name":"m","graders":{"type":"string_check","name":"exact","input":"a","reference":"b","operation":"eq"},"calculate_output":"exact"}';
      expect(json(source)).toEqual([
        error(
          "syntax",
          "`graders` is a map of named graders, not one grader: the service takes `{\"<key>\": {grader}, ...}` and `calculate_output` uses the keys (the API description and the SDK types show a single grader, which the service refuses: openai/openai-java#647)",
          "1:38-1:121",
          'write `"graders": {"exact": {"type": "string_check", ...}}` and use `exact` in `calculate_output`',
        ),
      ]);
    });

    it("reports a formula over an empty map", () => {
      expect(json('{"type":"multi","name":"m","graders":{},"calculate_output":"a"}')).toEqual([
        error("unknown-grader", "`a` is not a key of `graders`; it has none", "1:61-1:62"),
      ]);
    });
  });

  describe("in .grade", () => {
    it("takes prompt_cache_breakpoint on input_text and compiles it", () => {
      const source = 'score_model "s" {\n  model: "m"\n  user input_text("a", prompt_cache_breakpoint: { mode: "explicit" })\n}\n';
      expect(findings(source)).toEqual([]);
      expect(compiled(source)).toEqual({
        type: "score_model",
        name: "s",
        model: "m",
        input: [{ role: "user", content: { type: "input_text", text: "a", prompt_cache_breakpoint: { mode: "explicit" } } }],
      });
    });

    it("reports a schema issue with the other errors, not the same problem twice", () => {
      const source = 'score_model "s" {\n  model: "m"\n  user input_text("a", prompt_cache_breakpoint: { mode: implicit })\n  sampling_params: { max_completions_tokens: 0 }\n}\n';
      expect(findings(source)).toEqual([
        error("invalid-enum", "`input[0].content.prompt_cache_breakpoint.mode` must be `explicit`, not `\"implicit\"`", "3:57-3:65", "did you mean `explicit`?"),
        error("invalid-value", "`max_completions_tokens` must be an integer of at least 1, not 0", "4:46-4:47"),
      ]);
      sameVerdict(source);
    });

    it("reports `sampling_params: null` and an infinite number, which compile refuses", () => {
      const source = '// @target evals\nscore_model "s" {\n  model: "m"\n  sampling_params: null\n  pass_threshold: 1e999\n  user "x"\n}\n';
      expect(findings(source)).toEqual([
        error("invalid-value", "`sampling_params` must be an object, not `null`", "4:20-4:24"),
        error("invalid-value", "`pass_threshold` must be a finite number, not Infinity", "5:19-5:24"),
      ]);
      sameVerdict(source);
    });
  });
});
