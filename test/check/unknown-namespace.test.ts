import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const MESSAGE = (ns: string) => `\`${ns}\` is not a template namespace; templates read \`item.*\` (the dataset row) or \`sample.*\` (the model's output)`;
const SAMPLE_HINT = "the model's output is `sample.output_text` (or `sample.output_json.<field>` for JSON output)";

const check = (input: string) => `string_check "exact": ${input} eq item.label\n`;

describe("unknown-namespace", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("unknown-namespace", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts item and sample, bare and in strings, with spaces", () => {
      expectValid("unknown-namespace", check("sample.output_text"));
      expectValid("unknown-namespace", check('"{{ item.x }} {{sample.output_tools[0].function.name}}"'));
    });

    it("does not read strings that are no templates", () => {
      expectValid("unknown-namespace", 'python "p" { source: "x = \'{{output.text}}\'\\ndef grade(s, i): return 1" }\n');
      expectValid("unknown-namespace", 'label_model "l" { model: "m", labels: ["{{output.a}}"], passing_labels: ["{{output.a}}"], user "x" }\n', { target: "evals" });
    });

    it("leaves a path without a namespace to malformed-template", () => {
      expectValid("unknown-namespace", check('"{{output_text}}"'));
    });
  });

  it("reports a namespace in a string, underlining just the namespace", () => {
    const source = check('"{{output.text}}"');
    expectFindings("unknown-namespace", source).toEqual([
      { rule: "unknown-namespace", severity: "error", message: MESSAGE("output"), at: "1:26-1:32", suggestion: SAMPLE_HINT },
    ]);
    expect(underlined(source, "unknown-namespace")).toEqual(["output"]);
  });

  it("reports a bare path, underlining the namespace", () => {
    const source = check("output.text");
    expectFindings("unknown-namespace", source).toEqual([
      { rule: "unknown-namespace", severity: "error", message: MESSAGE("output"), at: "1:23-1:29", suggestion: SAMPLE_HINT },
    ]);
  });

  it("suggests item or sample for a misspelling", () => {
    expectFindings("unknown-namespace", check('"{{ itme.text }}"')).toEqual([
      { rule: "unknown-namespace", severity: "error", message: MESSAGE("itme"), at: "1:27-1:31", suggestion: "did you mean `item`?" },
    ]);
    expectFindings("unknown-namespace", check('"{{samples.output_text}}"')).toEqual([expect.objectContaining({ at: "1:26-1:33", suggestion: "did you mean `sample`?" })]);
    expectFindings("unknown-namespace", check('"a {{Item.x}}"')).toEqual([expect.objectContaining({ at: "1:28-1:32", suggestion: "did you mean `item`?" })]);
  });

  it("maps the names other tools use to the dataset row", () => {
    expectFindings("unknown-namespace", check('"{{ input.question[0] }}"')).toEqual([
      { rule: "unknown-namespace", severity: "error", message: MESSAGE("input"), at: "1:27-1:32", suggestion: "the dataset row is `item`: write `item.question[0]`" },
    ]);
    expectFindings("unknown-namespace", check('"{{row.answer}}"')).toEqual([expect.objectContaining({ suggestion: "the dataset row is `item`: write `item.answer`" })]);
  });

  it("gives no suggestion when nothing fits", () => {
    expectFindings("unknown-namespace", check('"{{ zzz.a }}"')).toEqual([{ rule: "unknown-namespace", severity: "error", message: MESSAGE("zzz"), at: "1:27-1:30" }]);
  });

  it("reports every template of a message, inside a block string too", () => {
    const source = `score_model "s" {
  model: "m"
  user """
    Question: {{ question.text }}
    Answer: {{response.text}} ({{sample.output_text}})
    """
}
`;
    expectFindings("unknown-namespace", source).toEqual([
      expect.objectContaining({ at: "4:18-4:26" }),
      expect.objectContaining({ at: "5:15-5:23", suggestion: SAMPLE_HINT }),
    ]);
    expect(underlined(source, "unknown-namespace")).toEqual(["question", "response"]);
  });

  it("reads content parts: text, image URL and audio data", () => {
    const source = 'score_model "s" {\n  model: "m"\n  user [input_text("{{a.b}}"), input_image(c.d), input_audio("{{e.f}}", format: mp3)]\n}\n';
    expect(underlined(source, "unknown-namespace")).toEqual(["a", "c", "e"]);
  });

  it("is the same for the evals target", () => {
    expectFindings("unknown-namespace", check('"{{output.text}}"'), { target: "evals" }).toEqual([expect.objectContaining({ at: "1:26-1:32" })]);
  });
});
