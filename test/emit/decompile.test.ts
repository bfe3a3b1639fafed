import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { decompile } from "../../src/decompile.js";
import { emitGrader } from "../../src/emit/emit.js";
import { format } from "../../src/format/format.js";
import { graderSchema } from "../../src/schema/graders.js";
import { parse } from "../../src/syntax/parse.js";
import { grade } from "../helpers/cli.js";
import { arbitraryOf } from "../property/zod-arbitrary.js";

const root = path.resolve(import.meta.dirname, "../..");
const jsons = [
  ...globSync("test/fixtures/graders/*.json", { cwd: root }).filter((f) => !f.includes("MALFORMED")),
  ...globSync("examples/**/*.json", { cwd: root }),
].map((f) => path.join(root, f));
const readFile = () => ({ ok: false as const, message: "" });

describe("decompile", () => {
  it.each(jsons.map((f) => [path.relative(root, f), f]))("%s: decompile then compile gives the same JSON", async (_name, file) => {
    const json = fs.readFileSync(file, "utf8");
    const { text, diagnostics } = await decompile(json);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const again = compile(text!);
    expect(again.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(again.grader).toEqual(JSON.parse(json));
    expect(await format(text!)).toBe(text); // the output is formatted
  });

  it("writes the graders guide's multi grader the way a person would", async () => {
    const json = fs.readFileSync(path.join(root, "test/fixtures/graders/02-guide-name-email-multi.json"), "utf8");
    expect((await decompile(json)).text).toBe(
      [
        "multi {",
        "  graders {",
        '    name: text_similarity "name_grader" {',
        "      input: sample.output_json.name",
        "      reference: item.name",
        "      evaluation_metric: fuzzy_match",
        "      pass_threshold: 0.9",
        "    }",
        '    email: string_check "email_grader": sample.output_json.email eq item.email',
        "  }",
        "  calculate_output: (name + email) / 2",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("keeps content forms, message types, template spacing, unknown fields and null parts exactly", async () => {
    const grader = {
      type: "score_model",
      model: "m",
      input: [
        { type: "message", role: "system", content: { type: "input_text", text: "Judge {{ item.x }}." } },
        { role: "user", content: ["a", { type: "output_text", text: "b\nc" }, { type: "input_image", image_url: "{{item.url}}", file_id: null }] },
        { role: "user", content: { type: "input_audio", input_audio: { data: "{{item.clip}}", format: "wav" } } },
      ],
      range: [0, 5],
      custom_field: { nested: [1, "two", true, null] },
    };
    const { text } = await decompile(JSON.stringify(grader));
    expect(compile(text!).grader).toEqual(grader);
  });

  it("marks a grader only the evals target accepts", async () => {
    const json = fs.readFileSync(path.join(root, "test/fixtures/graders/16-openapi-label-model.json"), "utf8");
    const { text } = await decompile(json);
    expect(text!.startsWith("// @target evals\n")).toBe(true);
  });

  it("names what is wrong with a JSON that is no grader", async () => {
    expect((await decompile("[1]")).diagnostics[0]!.message).toBe("this JSON is an array, not a grader object");
    expect((await decompile('{"model": "x"}')).diagnostics[0]!.message).toBe("this JSON is not a grader: it has no `type`");
    expect((await decompile("{")).text).toBeUndefined();
    expect((await decompile("")).diagnostics.map((d) => d.message)).toEqual(["invalid JSON: the file is empty"]);
    expect((await decompile("{", { filename: "g.grade" })).diagnostics[0]!.message).toMatch(/^invalid JSON: /);
  });

  it("tells .grade text apart from JSON: compile goes that way", async () => {
    const { text, diagnostics } = await decompile('// a comment\nstring_check "s": sample.output_text eq item.label\n', { filename: "s.grade" });
    expect(text).toBeUndefined();
    expect(diagnostics).toEqual([
      {
        rule: "syntax",
        severity: "error",
        message: "this is .grade text, not grader JSON: `grade decompile` turns JSON into .grade; `grade compile` goes the other way",
        span: { start: 13, end: 29 },
      },
    ]);
  });

  it("reads JSON whatever the file is called, and names the file in findings", async () => {
    const json = '{"type": "string_check", "name": "s", "input": "{{sample.output_text}}", "reference": "{{item.x}}", "operation": "eq", "extra": 1}';
    const { text, diagnostics } = await decompile(json, { filename: "odd.grade" });
    expect(text).toContain('string_check "s"');
    expect(diagnostics.map((d) => [d.file, d.rule])).toEqual([["odd.grade", "unknown-field"]]);
    expect((await decompile(json)).diagnostics.map((d) => d.file)).toEqual([undefined]);
  });

  it("round-trips random graders generated from the zod schemas, through the printer", async () => {
    const graders = arbitraryOf(graderSchema("rft")).filter((g) => graderSchema("rft").safeParse(g).success);
    await fc.assert(
      fc.asyncProperty(graders, async (g) => {
        const { text } = await decompile(JSON.stringify(g, null, 2));
        expect(text).toBeDefined();
        const back = parse(text!);
        expect(back.diagnostics).toEqual([]);
        expect(emitGrader(back.document.grader!, { readFile }).json).toEqual(g);
      }),
      { numRuns: 150 },
    );
  });
});

describe("grade decompile", () => {
  it("prints .grade text and exits 0", () => {
    const run = grade(["decompile", "test/fixtures/graders/seed-validate-string-check.json"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('string_check "Example string check grader": sample.output_text eq item.label\n');
  });

  it("reads standard input, and fails with a clear message on a JSON that is no grader", () => {
    expect(grade(["decompile", "-"], { input: '{"type": "python", "name": "p", "source": "def grade(s, i): return 1"}' }).stdout).toContain('python "p"');
    const bad = grade(["decompile", "-"], { input: '{"name": "x"}' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("this JSON is not a grader: it has no `type`");
    expect(bad.stdout).toBe("");
  });

  it("given a .grade file, says so (nothing printed, exit 1)", () => {
    const run = grade(["decompile", "examples/graders/contains-city.grade"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("examples/graders/contains-city.grade:");
    expect(run.stderr).toContain("error[syntax]: this is .grade text, not grader JSON: `grade decompile` turns JSON into .grade; `grade compile` goes the other way");
  });

  it("an empty input is invalid JSON, not a missing grader", () => {
    const run = grade(["decompile", "-"], { input: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("invalid JSON: the file is empty");
  });

  it("a directory of many graders needs -o (test/cli/migrate.test.ts has the rest)", () => {
    const run = grade(["decompile", "examples"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/\ngrade: the inputs hold \d+ graders: give `-o <dir>` to write one \.grade file per grader\n$/);
  });
});
