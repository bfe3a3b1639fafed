import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

const SAMPLE_FIELDS = "`output_text`, `output_json`, `output_tools`, `choices`, `output_audio`";

const shapes = `item {
  a: string
  tags: [string]
  g: { date: string, amount?: number }
  k: "x" | "y"
  z: any
  u: string | { v: string }
  n: null
  rows: [{ id: integer, cells: [[string]] }]
}
sample {
  output_json: { name: string, email: string }
}
`;
const prompt = (text: string) => `${shapes}score_model "s" {\n  model: "m"\n  user ${text}\n}\n`;
/** The line of the `user` message in `prompt(...)`. */
const LINE = 16;

const error = (message: string, at: string, suggestion?: string) => ({
  rule: "unknown-variable",
  severity: "error",
  message,
  at,
  ...(suggestion ? { suggestion } : {}),
});

describe("unknown-variable", () => {
  describe("no false positives", () => {
    it.each(examples)("accepts %s", (file) => {
      const abs = path.join(root, file);
      expectValid("unknown-variable", fs.readFileSync(abs, "utf8"), { filename: abs, root });
    });

    it("accepts declared paths: optional fields, any, unions, literal unions, lists and nested lists", () => {
      expectValid(
        "unknown-variable",
        prompt(
          '"{{item.a}} {{ item.tags[0] }} {{item.g.date}} {{item.g.amount}} {{item.k}} {{item.z.deep.er[3]}} {{item.u}} {{item.u.v}} {{item.n}} {{item.rows[1].cells[0][2]}}"',
        ),
      );
    });

    it("accepts the built-in sample fields and the declared output_json", () => {
      expectValid(
        "unknown-variable",
        prompt(
          '"{{sample.output_text}} {{sample.output_tools[0].function.name}} {{ sample.output_tools[2].id }} {{sample.choices[0].message.content}} {{sample.output_audio.transcript}} {{sample.output_json.email}}"',
        ),
      );
    });

    it("checks nothing of item without an item declaration, and accepts any output_json without a sample one", () => {
      expectValid("unknown-variable", 'string_check "s": item.anything.at[0].all eq sample.output_json.whatever[1]\n');
    });

    it("leaves unknown namespaces to unknown-namespace", () => {
      expectValid("unknown-variable", `${shapes}string_check "s": "{{output.a}}" eq item.a\n`);
    });

    it("does not read strings that are no templates", () => {
      expectValid("unknown-variable", `${shapes}python "p" { source: "def grade(s, i): return '{{item.nope}}'" }\n`);
    });
  });

  it("reports a misspelt item field with the fixed path, underlining the bare path", () => {
    const source = 'item { reference_answer: string }\nstring_check "exact": sample.output_text eq item.referenceanswer\n';
    expectFindings("unknown-variable", source).toEqual([
      error("`item` has no field `referenceanswer` (it has `reference_answer`)", "2:45-2:65", "did you mean `item.reference_answer`?"),
    ]);
    expect(underlined(source, "unknown-variable")).toEqual(["item.referenceanswer"]);
  });

  it("underlines the path inside a string, without the braces and spaces", () => {
    const source = 'item { reference_answer: string }\nstring_check "exact": sample.output_text eq "{{ item.referenceanswer }}"\n';
    expectFindings("unknown-variable", source).toEqual([expect.objectContaining({ at: "2:49-2:69" })]);
    expect(underlined(source, "unknown-variable")).toEqual(["item.referenceanswer"]);
  });

  it("lists the fields when nothing is close", () => {
    expectFindings("unknown-variable", prompt('"{{item.nope}}"')).toEqual([
      error("`item` has no field `nope` (it has `a`, `tags`, `g`, `k`, `z`, `u`, `n`, `rows`)", `${LINE}:11-${LINE}:20`),
    ]);
  });

  it("reports a field of a scalar, a field of a list, an index of an object", () => {
    const source = prompt('"{{item.a.b}} {{item.tags.x}} {{item.g[0]}} {{item.tags[0].x}} {{item.n.x}} {{item.a[0]}} {{item.rows[0].id.x}}"');
    expectFindings("unknown-variable", source).toEqual([
      error("`item.a` is a string; it has no field `b`", `${LINE}:11-${LINE}:19`),
      error("`item.tags` is a list; index it, as in `item.tags[0]`", `${LINE}:24-${LINE}:35`),
      error("`item.g` is an object, not a list", `${LINE}:40-${LINE}:49`),
      error("`item.tags[0]` is a string; it has no field `x`", `${LINE}:54-${LINE}:68`),
      error("`item.n` is null; it has no field `x`", `${LINE}:73-${LINE}:81`),
      error("`item.a` is a string; it has no items", `${LINE}:86-${LINE}:95`),
      error("`item.rows[0].id` is an integer; it has no field `x`", `${LINE}:100-${LINE}:117`),
    ]);
  });

  it("reports a nested misspelling with the fixed path", () => {
    expectFindings("unknown-variable", prompt('"{{item.g.dat}}"')).toEqual([
      error("`item.g` has no field `dat` (it has `date`, `amount`)", `${LINE}:11-${LINE}:21`, "did you mean `item.g.date`?"),
    ]);
  });

  it("names the fields of every object in a union", () => {
    const source = 'item { u: { a: string } | { b: string }, w: string | { v: string } }\nstring_check "s": item.u.c eq item.w.x\n';
    expectFindings("unknown-variable", source).toEqual([
      // One-letter names get no suggestion: any other letter is as close.
      error("`item.u` has no field `c` (it has `a`, `b`)", "2:19-2:27"),
      error("`item.w` has no field `x` (it has `v`)", "2:31-2:39"),
    ]);
  });

  it("checks sample fields and the declared output_json", () => {
    const source = `${shapes}string_check "exact": sample.output_json.nme eq "{{sample.output_txt}}"\n`;
    expectFindings("unknown-variable", source).toEqual([
      error("`sample.output_json` has no field `nme` (it has `name`, `email`)", "14:23-14:45", "did you mean `sample.output_json.name`?"),
      error(`\`sample\` has no field \`output_txt\` (it has ${SAMPLE_FIELDS})`, "14:52-14:69", "did you mean `sample.output_text`?"),
    ]);
  });

  it("checks tool calls: a misspelt field, and a list used without an index", () => {
    const source = 'string_check "exact": sample.output_tools[0].function.nme eq sample.output_tools.id\n';
    expectFindings("unknown-variable", source).toEqual([
      error("`sample.output_tools[0].function` has no field `nme` (it has `name`, `arguments`)", "1:23-1:58", "did you mean `sample.output_tools[0].function.name`?"),
      error("`sample.output_tools` is a list; index it, as in `sample.output_tools[0]`", "1:62-1:84"),
    ]);
  });

  it("reports a sample declaration field the service does not fill", () => {
    expectFindings("unknown-variable", 'sample { output_jsn: { name: string } }\nstring_check "exact": sample.output_text eq "x"\n').toEqual([
      error(`the \`sample\` namespace has no field \`output_jsn\`; it has ${SAMPLE_FIELDS}`, "1:10-1:20", "did you mean `output_json`?"),
    ]);
  });

  describe("spans", () => {
    it("point into block strings", () => {
      const source = 'item { a: string }\nscore_model "s" {\n  model: "m"\n  user """\n    first line\n    and {{ item.b }} here\n    """\n}\n';
      expectFindings("unknown-variable", source).toEqual([error("`item` has no field `b` (it has `a`)", "6:12-6:18")]);
    });

    it("count escapes as written", () => {
      const source = 'item { a: string }\nscore_model "s" { model: "m", user "tab\\t\\u0041 {{item.b}}" }\n';
      expect(underlined(source, "unknown-variable")).toEqual(["item.b"]);
    });

    it("point into content parts: text, image URL and audio data", () => {
      const source = 'item { a: string }\nscore_model "s" {\n  model: "m"\n  user [input_text(text: "{{item.b}}"), input_image("{{item.url}}", detail: high), input_audio(item.clip, format: mp3)]\n}\n';
      expect(underlined(source, "unknown-variable")).toEqual(["item.b", "item.url", "item.clip"]);
    });
  });

  it("checks sub-graders of a multi", () => {
    const source = `${shapes}multi "m" {\n  graders { a: string_check "a": sample.output_json.mail eq item.b }\n  calculate_output: a\n}\n`;
    expect(underlined(source, "unknown-variable")).toEqual(["sample.output_json.mail", "item.b"]);
  });

  it("is the same for the evals target", () => {
    expectFindings("unknown-variable", 'item { a: string }\nstring_check "s": sample.output_text eq item.b\n', { target: "evals" }).toEqual([
      expect.objectContaining({ at: "2:41-2:47" }),
    ]);
  });
});
