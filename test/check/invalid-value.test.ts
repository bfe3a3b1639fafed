import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { compiled, expectFindings, expectValid, findings, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const score = (body: string) => `score_model "s" {\n  model: "m"\n${body}\n}\n`;
const sampling = (params: string) => score(`  sampling_params { ${params} }\n  user "x"`);
const error = (message: string, at: string, suggestion?: string) => ({
  rule: "invalid-value",
  severity: "error",
  message,
  at,
  ...(suggestion ? { suggestion } : {}),
});

describe("invalid-value", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("invalid-value", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts the bounds of every sampling parameter, and null", () => {
      expectValid("invalid-value", sampling("temperature: 0, top_p: 0, seed: -3, max_completions_tokens: 1"));
      expectValid("invalid-value", sampling("temperature: 2, top_p: 1, seed: 0, max_completions_tokens: 100000"));
      expectValid("invalid-value", sampling("temperature: null, top_p: null, seed: null, max_completions_tokens: null"));
    });

    it("reports `sampling_params: null` (an object in the API description, not nullable)", () => {
      expectFindings("invalid-value", score('  sampling_params: null\n  user "x"')).toEqual([
        { rule: "invalid-value", severity: "error", message: "`sampling_params` must be an object, not `null`", at: "3:20-3:24" },
      ]);
    });

    it("accepts increasing ranges, negative ones included", () => {
      expectValid("invalid-value", score('  range: [0, 10]\n  user "x"'));
      expectValid("invalid-value", score('  range: [-1, -0.5]\n  user "x"'));
    });

    it("accepts every content form", () => {
      expectValid(
        "invalid-value",
        score(`  system "text"
  user item.question
  user input_text("a")
  user [ "a", input_text("b"), output_text("c") ]
  user input_image("https://x/y.png", detail: high, file_id: null)
  user input_image(item.url, file_id: "f")
  user input_audio(item.clip, format: wav)
  user message input_text("typed")`),
      );
    });

    it("accepts file() as a python source, and strings, bare names and bare paths as strings", () => {
      expectValid("invalid-value", 'python "p" { source: file("p.py"), image_tag: latest }\n');
      expectValid("invalid-value", 'string_check "s" { input: sample.output_text, reference: fixed_word, operation: eq }\n');
      expectValid("invalid-value", 'label_model "l" { model: gpt4, labels: [a, "b"], passing_labels: [a], user "x" }\n', { target: "evals" });
    });

    it("accepts ranges and tolerances in tests", () => {
      expectValid("invalid-value", 'string_check "s": sample.output_text eq item.a\ntest "t" { expect: 0..1 }\ntest "u" { expect: 0.5 within 0.1 }\n');
    });

    it("accepts pass_threshold numbers, on both targets", () => {
      const source = 'text_similarity "t" { input: "a", reference: "b", evaluation_metric: bleu, pass_threshold: 0.5 }\n';
      expectValid("invalid-value", source);
      expectValid("invalid-value", source, { target: "evals" });
    });
  });

  describe("range", () => {
    it("reports a reversed range, with the fix", () => {
      expectFindings("invalid-value", score('  range: [1, 0]\n  user "x"')).toEqual([error("`range` must increase: [1, 0] does not", "3:10-3:16", "write `[0, 1]`")]);
    });

    it("keeps the numbers as written in the message", () => {
      expectFindings("invalid-value", score('  range: [1e1, 0.50]\n  user "x"')).toEqual([
        error("`range` must increase: [1e1, 0.50] does not", "3:10-3:21", "write `[0.50, 1e1]`"),
      ]);
    });

    it("reports an empty range without suggesting the same range", () => {
      expectFindings("invalid-value", score('  range: [1, 1]\n  user "x"')).toEqual([
        error("`range` must increase: [1, 1] does not", "3:10-3:16", "the second number must be larger than the first"),
      ]);
    });

    it("reports a range that is not two numbers", () => {
      expectFindings("invalid-value", score('  range: [0, 1, 2]\n  user "x"')).toEqual([
        error("`range` must be a list of two numbers, as in `[0, 1]`; this list has 3 items", "3:10-3:19"),
      ]);
      expectFindings("invalid-value", score('  range: [0]\n  user "x"')).toEqual([error("`range` must be a list of two numbers, as in `[0, 1]`; this list has 1 item", "3:10-3:13")]);
      expectFindings("invalid-value", score('  range: [0, "1"]\n  user "x"')).toEqual([error("`range` must be a list of two numbers, as in `[0, 1]`", "3:10-3:18")]);
      expectFindings("invalid-value", score('  range: 1\n  user "x"')).toEqual([error("`range` must be a list of two numbers, as in `[0, 1]`, not a number", "3:10-3:11")]);
    });

    it("reports `range: 0..1` once, with the list to write", () => {
      expectFindings("invalid-value", score('  range: 0..1\n  user "x"')).toEqual([error("`range` is a list of two numbers, not `low..high`", "3:10-3:14", "write `[0, 1]`")]);
    });
  });

  describe("sampling_params", () => {
    it("reports temperature above 2 and below 0", () => {
      expectFindings("invalid-value", sampling("temperature: 2.5")).toEqual([error("`temperature` must be between 0 and 2, not 2.5", "3:34-3:37")]);
      expectFindings("invalid-value", sampling("temperature: -1")).toEqual([error("`temperature` must be between 0 and 2, not -1", "3:34-3:36")]);
    });

    it("reports top_p above 1 and below 0", () => {
      expectFindings("invalid-value", sampling("top_p: 1.5")).toEqual([error("`top_p` must be between 0 and 1, not 1.5", "3:28-3:31")]);
      expectFindings("invalid-value", sampling("top_p: -0.1")).toEqual([error("`top_p` must be between 0 and 1, not -0.1", "3:28-3:32")]);
    });

    it("reports a non-integer seed", () => {
      expectFindings("invalid-value", sampling("seed: 1.5")).toEqual([error("`seed` must be an integer, not 1.5", "3:27-3:30")]);
      expectFindings("invalid-value", sampling('seed: "x"')).toEqual([error("`seed` must be an integer, not a string", "3:27-3:30")]);
    });

    it("reports max_completions_tokens of 0, fractions and strings", () => {
      expectFindings("invalid-value", sampling("max_completions_tokens: 0")).toEqual([error("`max_completions_tokens` must be an integer of at least 1, not 0", "3:45-3:46")]);
      expectFindings("invalid-value", sampling("max_completions_tokens: 1.5")).toEqual([
        error("`max_completions_tokens` must be an integer of at least 1, not 1.5", "3:45-3:48"),
      ]);
      expectFindings("invalid-value", sampling('max_completions_tokens: "5"')).toEqual([
        error("`max_completions_tokens` must be an integer of at least 1, not a string", "3:45-3:48"),
      ]);
    });

    it("reports a temperature that is not a number", () => {
      expectFindings("invalid-value", sampling('temperature: "hot"')).toEqual([error("`temperature` must be a number, not a string", "3:34-3:39")]);
    });

    it("reports every bad parameter of one object", () => {
      expect(underlined(sampling("temperature: 3, top_p: 2, seed: 0.5, max_completions_tokens: 0"), "invalid-value")).toEqual(["3", "2", "0.5", "0"]);
    });

    it("reports sampling_params that is not an object", () => {
      expectFindings("invalid-value", score('  sampling_params: 5\n  user "x"')).toEqual([error("`sampling_params` must be an object, not a number", "3:20-3:21")]);
    });
  });

  describe("message content", () => {
    it("reports a nested content list", () => {
      expectFindings("invalid-value", score('  user [["a"]]')).toEqual([error("message content lists cannot nest", "3:9-3:14")]);
    });

    it("reports an unknown content part with did-you-mean, at its name", () => {
      expectFindings("invalid-value", score('  user input_txt("a")')).toEqual([
        error("`input_txt` is not a content part; the parts are `input_text`, `output_text`, `input_image` or `input_audio`", "3:8-3:17", "did you mean `input_text`?"),
      ]);
      expect(underlined(score('  user ["a", imput_image("u")]'), "invalid-value")).toEqual(["imput_image"]);
    });

    it("reports the wrong number of unnamed arguments", () => {
      expectFindings("invalid-value", score('  user input_text("a", "b")')).toEqual([error("`input_text` takes 1 unnamed argument (its text), not 2", "3:8-3:28")]);
      expectFindings("invalid-value", score("  user input_text()")).toEqual([error("`input_text` takes 1 unnamed argument (its text), not 0", "3:8-3:20")]);
    });

    it("reports a part's text that is not a string", () => {
      expectFindings("invalid-value", score("  user input_text(1)")).toEqual([error("the text of `input_text` must be a string, not a number", "3:19-3:20")]);
      expectFindings("invalid-value", score("  user input_image([1])")).toEqual([error("the image_url of `input_image` must be a string, not a list", "3:20-3:23")]);
    });

    it("reports input_audio without a format", () => {
      expectFindings("invalid-value", score("  user input_audio(item.x)")).toEqual([
        error("`input_audio` needs `format: mp3` or `format: wav`", "3:8-3:27", "add `format: mp3` or `format: wav`"),
      ]);
    });

    it("reports `text:` written as a named argument once, with the fix", () => {
      expectFindings("invalid-value", score('  user input_text(text: "a")')).toEqual([
        error("`input_text` takes its text without a name: write `input_text(...)`, not `input_text(text: ...)`", "3:19-3:23"),
      ]);
    });

    it("reports a named argument the part already has", () => {
      expectFindings("invalid-value", score('  user input_text("a", text: "b")')).toEqual([error("the text of `input_text` is its unnamed argument; remove `text:`", "3:24-3:33")]);
      expectFindings("invalid-value", score('  user input_image("u", type: "x")')).toEqual([error("`type` is given by the part itself; remove it", "3:25-3:34")]);
    });

    it("reports an object as content", () => {
      // `user { ... }` parses as a field; the content form is reached through a list.
      expectFindings("invalid-value", score("  user [{ a: 1 }]")).toEqual([
        error('message content is a string, a template path, a list, or a part such as `input_text("...")`, not an object', "3:9-3:17"),
      ]);
    });

    it("stays quiet about a part the parser recovered from a syntax error", () => {
      const source = 'score_model "s" { model: "m" graders "x" user "hi" }\n';
      expect(findings(source).some((f) => f.rule === "syntax")).toBe(true);
      expectValid("invalid-value", source);
    });
  });

  describe("values of the wrong type", () => {
    it("reports a string field given a number, a list or a boolean", () => {
      expectFindings("invalid-value", 'string_check "s" { input: 1, reference: [b], operation: eq }\n').toEqual([
        error("`input` must be a string, not a number", "1:27-1:28"),
        error("`reference` must be a string, not a list", "1:41-1:44"),
      ]);
      expectFindings("invalid-value", 'score_model "s" { model: true, user "x" }\n').toEqual([error("`model` must be a string, not `true`", "1:26-1:30")]);
      expectFindings("invalid-value", 'python "p" { source: 1, image_tag: null }\n').toEqual([
        error("`source` must be a string, not a number", "1:22-1:23"),
        error("`image_tag` must be a string, not `null`", "1:36-1:40"),
      ]);
    });

    it("reports labels that are not a list of strings", () => {
      const evals = { target: "evals" as const };
      expectFindings("invalid-value", 'label_model "l" { model: "m", labels: "a", passing_labels: [a], user "x" }\n', evals).toEqual([
        error("`labels` must be a list of strings, as in `[positive, negative]`, not a string", "1:39-1:42"),
      ]);
      expectFindings("invalid-value", 'label_model "l" { model: "m", labels: [a, 1], passing_labels: [a], user "x" }\n', evals).toEqual([
        error("`labels` holds strings, not a number", "1:43-1:44"),
      ]);
    });

    it("reports pass_threshold that is not a number, even where it is kept as an unknown field", () => {
      expectFindings("invalid-value", 'python "p" { source: "def grade(s, i): return 1", pass_threshold: "x" }\n').toEqual([
        error("`pass_threshold` must be a number, not a string", "1:67-1:70"),
      ]);
    });

    it("reports a model grader's input that is not its messages", () => {
      expectFindings("invalid-value", 'score_model "s" { model: "m", input: "x" }\n').toEqual([
        error("the `input` of a `score_model` is its messages, not a string", "1:38-1:41", 'write each message as a line: `user "..."`'),
      ]);
    });

    it("reports `graders` that is no map", () => {
      expectFindings("invalid-value", 'multi "m" { graders: 5, calculate_output: a }\n').toEqual([
        error("`graders` is a map of keyed sub-graders, not a number", "1:22-1:23", "write `graders { key: <grader> ... }`"),
      ]);
    });

    it("checks fields the target has, evals fields for evals", () => {
      expectFindings("invalid-value", 'score_model "s" { model: "m", pass_threshold: high, user "x" }\n', { target: "evals" }).toEqual([
        error("`pass_threshold` must be a number, not a string", "1:47-1:51"),
      ]);
    });

    it("leaves unknown fields alone: they are kept as written", () => {
      expectValid("invalid-value", 'string_check "s" { input: "a", reference: "b", operation: eq, extra: [1, { x: true }] }\n');
      // `range` and `sampling_params` mean nothing to a python grader: unknown-field warns, nothing more.
      expectValid("invalid-value", 'python "p" { source: "def grade(s, i): return 1", range: [1, 0], sampling_params { temperature: 9 } }\n');
    });
  });

  describe("calls where a value is expected", () => {
    it("reports a call in a plain field", () => {
      expectFindings("invalid-value", 'string_check "s" { input: lower(sample.output_text), reference: "b", operation: eq }\n').toEqual([
        error("`lower(...)` is not a value of `input`", "1:27-1:52"),
      ]);
    });

    it("reports file() anywhere but a python source", () => {
      expectFindings("invalid-value", 'score_model "s" { model: file("m.txt"), user "x" }\n').toEqual([error('`file(...)` is not a value of `model`', "1:26-1:39")]);
    });

    it("reports a call in a one-line form", () => {
      expectFindings("invalid-value", 'string_check "s": sample.output_text eq lower(item.a)\n').toEqual([error("`lower(...)` is not a value of `reference`", "1:41-1:54")]);
    });
  });

  describe("one-line forms", () => {
    it("reports a metric call without two arguments", () => {
      expectFindings("invalid-value", 'text_similarity "t": fuzzy_match(sample.output_text)\n').toEqual([
        error("`fuzzy_match(...)` takes two arguments, the input and the reference, not 1", "1:22-1:53", "write `fuzzy_match(sample.output_text, item.answer)`"),
      ]);
      expectFindings("invalid-value", 'text_similarity "t": bleu(sample.output_text, item.a, item.b)\n').toEqual([
        error("`bleu(...)` takes two arguments, the input and the reference, not 3", "1:22-1:62", "write `bleu(sample.output_text, item.answer)`"),
      ]);
    });

    it("reports a reference of the wrong type", () => {
      expectFindings("invalid-value", 'text_similarity "t": bleu(sample.output_text, 1)\n').toEqual([error("`reference` must be a string, not a number", "1:47-1:48")]);
      expectFindings("invalid-value", 'string_check "s": sample.output_text eq [1]\n').toEqual([error("`reference` must be a string, not a list", "1:41-1:44")]);
    });

    it("reports the compare form on another kind", () => {
      expectFindings("invalid-value", 'text_similarity "t": sample.output_text eq item.a\n').toEqual([
        error(
          "the one-line form `input eq reference` is for `string_check` graders, not `text_similarity`",
          "1:22-1:50",
          "write `metric(input, reference)`, as in `fuzzy_match(sample.output_text, item.name)`",
        ),
      ]);
      expectFindings("invalid-value", 'python "p": sample.output_text eq item.a\n').toEqual([
        error("the one-line form `input eq reference` is for `string_check` graders, not `python`", "1:13-1:41", 'write a block: `python "name" { ... }`'),
      ]);
    });

    it("reports the call form on another kind", () => {
      expectFindings("invalid-value", 'string_check "s": fuzzy_match(sample.output_text, item.a)\n').toEqual([
        error(
          "the one-line form `fuzzy_match(input, reference)` is for `text_similarity` graders, not `string_check`",
          "1:19-1:58",
          "write `input eq reference` (or `ne`, `like`, `ilike`)",
        ),
      ]);
    });

    it("leaves one-line forms of an unknown kind to unknown-kind", () => {
      expectValid("invalid-value", 'string_chek "s": sample.output_text eq item.a\n');
    });
  });

  describe("ranges and tolerances outside a test", () => {
    it("reports a `0..1` range in a grader field", () => {
      expectFindings("invalid-value", 'python "p" { source: "def grade(s, i): return 1", image_tag: 0..1 }\n').toEqual([
        error("a range `low..high` is only an expected reward in a test", "1:62-1:66"),
      ]);
    });

    it("reports `within` in a grader field", () => {
      expectFindings("invalid-value", 'python "p" { source: "def grade(s, i): return 1", image_tag: 1 within 0.1 }\n').toEqual([
        error("`within` is only for an expected reward in a test", "1:62-1:74"),
      ]);
    });

    it("reports a range nested in an object value once", () => {
      expectFindings("invalid-value", score('  sampling_params { temperature: 0..1 }\n  user "x"')).toEqual([
        error("a range `low..high` is only an expected reward in a test", "3:34-3:38"),
      ]);
    });
  });

  it("does not throw on values the parser left out while recovering from a syntax error", () => {
    for (const source of ['string_check "exact":- "{{it{{em.x}}}" eq item.label\n', 'label_model "s" { model: "m", labels: [a], passing_labels:- [a, b], user "x" }\n']) {
      expect(findings(source).map((f) => f.rule)).toContain("syntax");
      expectValid("invalid-value", source);
    }
  });

  it("agrees with compile: a grader this rule passes compiles", () => {
    expect(compiled(score('  range: [0, 1]\n  sampling_params { temperature: 0.5, seed: 1 }\n  user input_text("x")'))).toMatchObject({ type: "score_model", range: [0, 1] });
  });
});
