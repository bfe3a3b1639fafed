import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

/** A string_check whose input is `input`, written as .grade source (quoted, block, or a bare path). */
const check = (input: string) => `string_check "exact": ${input} eq item.label\n`;
const prompt = (content: string) => `score_model "s" {\n  model: "m"\n  user ${content}\n}\n`;

const error = (message: string, at: string, suggestion?: string) => ({
  rule: "malformed-template",
  severity: "error",
  message,
  at,
  ...(suggestion ? { suggestion } : {}),
});

describe("malformed-template", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("malformed-template", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts spaces inside the braces, list indexing and tool calls", () => {
      expectValid("malformed-template", check('"{{ item.x }}"'));
      expectValid("malformed-template", check('"{{item.tags[0]}} and {{\titem.a.b[2][3].c  }}"'));
      expectValid("malformed-template", check('"{{sample.output_tools[0].function.name}}"'));
    });

    it("accepts JSON text in prompts, single braces and `}}` that close JSON objects", () => {
      expectValid("malformed-template", prompt('"Answer as {\\"a\\": {\\"b\\": 1}}, given {{item.x}}"'));
      expectValid("malformed-template", prompt('"{\\"a\\": {\\"b\\": {\\"c\\": 1}}}"'));
      expectValid("malformed-template", prompt('"{\\"score\\": {{item.x}}}"'));
      expectValid("malformed-template", prompt('"{\\"a\\": {\\"b\\": {{item.x}}}}"'));
      expectValid("malformed-template", prompt('"""\n    Return JSON: {"name": "{{item.name}}", "meta": {"n": 1}}\n    """'));
    });

    it("accepts text with no template, `{ {item.a} }`, and a literal brace right before a template", () => {
      expectValid("malformed-template", check('"plain text"'));
      expectValid("malformed-template", check('"{ {item.a} }"'));
      expectValid("malformed-template", check('"set: {{{item.a}}, {{item.b}}}"'));
    });

    it("does not look at strings that are no templates: python source, model, labels", () => {
      expectValid("malformed-template", 'python "p" { source: "def grade(s, i): return \'{{x}}\'" }\n');
      expectValid("malformed-template", 'score_model "s" { model: "gpt-{{x", user "ok" }\n');
    });
  });

  describe("unclosed `{{`", () => {
    it("underlines the `{{`", () => {
      const source = check('"{{sample.output_text"');
      expectFindings("malformed-template", source).toEqual([
        error("`{{` is never closed with `}}`", "1:24-1:26", "close the template, as in `{{item.answer}}`"),
      ]);
      expect(underlined(source, "malformed-template")).toEqual(["{{"]);
    });

    it("at the end of a message", () => {
      expectFindings("malformed-template", prompt('"a {{"')).toEqual([error("`{{` is never closed with `}}`", "3:11-3:13", "close the template, as in `{{item.answer}}`")]);
    });

    it("reports the first template opened inside another", () => {
      const source = check('"{{item.a {{item.b}}"');
      expectFindings("malformed-template", source).toEqual([
        error("`{{` opens a template inside another one", "1:24-1:43", "close the first template with `}}` before opening the next"),
      ]);
    });
  });

  describe("empty templates", () => {
    it("reports `{{ }}` and `{{}}`", () => {
      expectFindings("malformed-template", check('"{{ }}"')).toEqual([error("empty template `{{ }}`", "1:24-1:29", "name a variable, as in `{{item.answer}}`")]);
      expectFindings("malformed-template", check('"{{}}"')).toEqual([error("empty template `{{ }}`", "1:24-1:28", "name a variable, as in `{{item.answer}}`")]);
    });
  });

  describe("a namespace without a variable", () => {
    it("reports `{{item}}`, underlining the name", () => {
      const source = check('"{{item}}"');
      expectFindings("malformed-template", source).toEqual([
        error("`{{item}}` names a namespace but no variable", "1:26-1:30", "name a variable inside it, as in `{{item.answer}}`"),
      ]);
      expect(underlined(source, "malformed-template")).toEqual(["item"]);
    });

    it("reports `{{ sample }}` with spaces", () => {
      expectFindings("malformed-template", check('"{{ sample }}"')).toEqual([
        error("`{{ sample }}` names a namespace but no variable", "1:27-1:33", "name a variable inside it, as in `{{sample.output_text}}`"),
      ]);
    });

    it("reports a bare name without a namespace, suggesting sample for its fields", () => {
      expectFindings("malformed-template", check('"{{output_text}}"')).toEqual([
        error(
          "`{{output_text}}` has no namespace; templates read `item.<field>` (the dataset row) or `sample.<field>` (the model's output)",
          "1:26-1:37",
          "did you mean `sample.output_text`?",
        ),
      ]);
      expectFindings("malformed-template", check('"{{ answer }}"')).toEqual([expect.objectContaining({ suggestion: "did you mean `item.answer`?" })]);
    });
  });

  describe("extra closing braces", () => {
    it("reports `{{item.x}}}}`, underlining the extra braces", () => {
      const source = check('"{{item.x}}}}"');
      expectFindings("malformed-template", source).toEqual([error("extra `}}` after the template", "1:34-1:36", "remove them")]);
      expect(underlined(source, "malformed-template")).toEqual(["}}"]);
    });

    it("reports a single extra `}` that closes nothing", () => {
      expectFindings("malformed-template", check('"{{item.x}}}"')).toEqual([error("extra `}` after the template", "1:34-1:35", "remove it")]);
    });

    it("counts the braces JSON text has opened", () => {
      // One `{` is open: of the three extra `}`, one closes it and two are extra.
      const source = prompt('"{\\"a\\": {{item.x}}}}}"');
      expect(underlined(source, "malformed-template")).toEqual(["}}"]);
    });

    it("reports `}}` that closes no template", () => {
      expectFindings("malformed-template", check('"a }} b"')).toEqual([error("`}}` closes no template", "1:26-1:28", "remove it, or open the template with `{{`")]);
    });

    it("reports triple braces, with the template to write", () => {
      const source = check('"{{{item.a}}}"');
      expectFindings("malformed-template", source).toEqual([error("`{{{item.a}}}` has 3 opening braces; a template has two", "1:24-1:36", "write `{{item.a}}`")]);
    });
  });

  describe("not a path", () => {
    it("reports `{{ 1abc }}`, underlining the whole template", () => {
      const source = check('"{{ 1abc }}"');
      expectFindings("malformed-template", source).toEqual([
        error("`{{ 1abc }}` is not a template path; write `namespace.field`, with `[n]` for list items", "1:24-1:34"),
      ]);
      expect(underlined(source, "malformed-template")).toEqual(["{{ 1abc }}"]);
    });

    it.each(["item.a-b", "item..a", "item.a[x]", "item.", '"a": 1'])("reports `{{%s}}`", (inner) => {
      const source = prompt(JSON.stringify(`{{${inner}}}`));
      expectFindings("malformed-template", source).toEqual([
        expect.objectContaining({ message: `\`{{${inner}}}\` is not a template path; write \`namespace.field\`, with \`[n]\` for list items` }),
      ]);
    });

    it("suggests the path without spaces around `.` and `[ ]`", () => {
      expectFindings("malformed-template", check('"{{item.a[ 0 ]}}"')).toEqual([
        error("`{{item.a[ 0 ]}}` is not a template path; write `namespace.field`, with `[n]` for list items", "1:24-1:39", "did you mean `{{item.a[0]}}`? (no spaces inside a path)"),
      ]);
      expectFindings("malformed-template", check('"{{ item . a }}"')).toEqual([expect.objectContaining({ suggestion: "did you mean `{{item.a}}`? (no spaces inside a path)" })]);
      // Two words are not one path: no guess.
      expectFindings("malformed-template", check('"{{ item.a b }}"')).toEqual([expect.not.objectContaining({ suggestion: expect.anything() })]);
    });
  });

  describe("spans", () => {
    it("count an escape as the characters written", () => {
      const source = check('"\\t\\"q\\" {{ item }}"');
      expect(underlined(source, "malformed-template")).toEqual(["item"]);
      expectFindings("malformed-template", source).toEqual([expect.objectContaining({ at: "1:35-1:39" })]);
    });

    it("count a \\u escape as its six characters", () => {
      const source = check('"\\u00e9\\u00e9 {{item}}"');
      expect(underlined(source, "malformed-template")).toEqual(["item"]);
      expectFindings("malformed-template", source).toEqual([expect.objectContaining({ at: "1:39-1:43" })]);
    });

    it("point into a block string, on the right line and column", () => {
      const source = prompt('"""\n    JSON: {"a": {"b": 1}}\n    Now {{ item.x }} and {{item}}\n    """');
      expectFindings("malformed-template", source).toEqual([
        error("`{{item}}` names a namespace but no variable", "5:28-5:32", "name a variable inside it, as in `{{item.answer}}`"),
      ]);
      expect(underlined(source, "malformed-template")).toEqual(["item"]);
    });

    it("point into a one-line block string", () => {
      expect(underlined(check('"""raw \\d {{ }}"""'), "malformed-template")).toEqual(["{{ }}"]);
    });

    it("point into every content form", () => {
      const source = `score_model "s" {
  model: "m"
  user input_text("x {{item.}}")
  user input_image("{{item.url")
  user input_audio("{{ }}", format: mp3)
  user ["ok {{item.a}}", output_text("{{item}}")]
}
`;
      expect(underlined(source, "malformed-template")).toEqual(["{{item.}}", "{{", "{{ }}", "item"]);
    });

    it("report each problem of one string, in order", () => {
      const source = check('"{{item.a}} and {{ }} and {{item.b"');
      expect(findings(source).filter((f) => f.rule === "malformed-template").map((f) => f.message)).toEqual(["empty template `{{ }}`", "`{{` is never closed with `}}`"]);
      expect(underlined(source, "malformed-template")).toEqual(["{{ }}", "{{"]);
    });
  });

  it("checks block-form inputs and references, and sub-graders", () => {
    expect(underlined('string_check "s" { input: "{{ item.a }}", reference: "{{item}}", operation: eq }\n', "malformed-template")).toEqual(["item"]);
    const multi = 'multi "m" {\n  graders { a: string_check "a": "{{item.a" eq item.b }\n  calculate_output: a\n}\n';
    expectFindings("malformed-template", multi).toEqual([error("`{{` is never closed with `}}`", "2:35-2:37", "close the template, as in `{{item.answer}}`")]);
  });

  it("is the same for the evals target", () => {
    expectFindings("malformed-template", check('"{{ }}"'), { target: "evals" }).toEqual([expect.objectContaining({ message: "empty template `{{ }}`" })]);
  });
});
