import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { findings } from "../helpers/harness.js";

const refs = path.resolve(import.meta.dirname, "../fixtures/graders");
const read = (name: string) => fs.readFileSync(path.join(refs, name), "utf8");

describe("JSON graders are checked with the same rules", () => {
  it("accepts and returns every valid reference grader unchanged", () => {
    for (const name of ["02-guide-name-email-multi.json", "05-guide-python-minimal.json", ...fs.readdirSync(refs).filter((f) => f.startsWith("seed-"))]) {
      const result = compile(read(name), { filename: name });
      expect(result.errors, name).toBe(0);
      expect(result.grader, name).toEqual(JSON.parse(read(name)));
    }
    expect(compile(read("16-openapi-label-model.json"), { target: "evals" }).grader).toEqual(JSON.parse(read("16-openapi-label-model.json")));
  });

  it("gives the malformed spec example clear findings at their line and column", () => {
    const rows = findings(read("18-openapi-multi-example-MALFORMED.json"), { filename: "x.json" }).filter((f) => f.severity === "error");
    expect(rows).toEqual([
      expect.objectContaining({ rule: "invalid-value", message: "`graders` is a map of keyed sub-graders, not a list", at: expect.stringMatching(/^4:14-/) }),
      expect.objectContaining({ rule: "formula-syntax", message: "unexpected `)`: there is no `(` for it to close", at: "20:79-20:80" }),
    ]);
  });

  it("checks a request body with a `grader` key", () => {
    const body = JSON.stringify({ grader: { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{itme.x}}", operation: "eq" }, model_sample: "x" });
    expect(findings(body, { filename: "body.json" })).toEqual([
      expect.objectContaining({ rule: "unknown-namespace", suggestion: "did you mean `item`?" }),
    ]);
  });

  it("points into JSON strings with escapes", () => {
    const text = '{"type": "string_check", "name": "s", "input": "a\\n{{item.x", "reference": "b", "operation": "eq"}';
    expect(findings(text, { filename: "g.json" })).toEqual([expect.objectContaining({ rule: "malformed-template", at: "1:52-1:54" })]);
  });

  it.each([
    ["", "invalid JSON: the file is empty"],
    ["[1, 2]", "this JSON is an array, not a grader object"],
    ['{"name": "x"}', "this JSON is not a grader: it has no `type`"],
    ['{"type": 3}', "a grader's `type` must be a string"],
    ['{"type": "string_check",}', "invalid JSON: a trailing comma (JSON allows none before `}` or `]`)"],
    ['{"type": "string_check", 3}', "invalid JSON: expected a property name in double quotes"],
    ['{"type": "string_check" // c\n}', "invalid JSON: comments are not allowed in JSON"],
    ['{"grader": [1]}', "`grader` must be a grader object"],
  ])("says what is wrong with %j", (text, message) => {
    const result = compile(text, { filename: "x.json" });
    expect(result.grader).toBeUndefined();
    expect(result.diagnostics[0]).toMatchObject({ rule: "syntax", message });
  });

  it("reports an unknown kind and a sub-grader that is no object", () => {
    expect(findings('{"type": "strng_check"}', { filename: "x.json" })[0]).toMatchObject({ rule: "unknown-kind", suggestion: "did you mean `string_check`?" });
    expect(findings('{"type": "multi", "graders": {"a": 1}, "calculate_output": "a"}', { filename: "x.json" })).toContainEqual(
      expect.objectContaining({ rule: "syntax", message: "the sub-grader `a` must be a grader object" }),
    );
  });

  it("reports duplicate keys, which JSON.parse would silently drop", () => {
    expect(findings('{"type": "python", "name": "p", "source": "def grade(s, i): pass", "source": "b"}', { filename: "x.json" })).toEqual([
      expect.objectContaining({ rule: "duplicate-field", message: expect.stringContaining("`source` is given twice") }),
    ]);
  });
});

describe("a JSON grader against a dataset (--items)", () => {
  it("reports a referenced field some rows lack, with the count and first line (exit 1)", async () => {
    const os = await import("node:os");
    const { grade } = await import("../helpers/cli.js");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-json-items-"));
    const grader = { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{item.reference_answer}}", operation: "eq" };
    fs.writeFileSync(path.join(dir, "grader.json"), JSON.stringify(grader));
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify(i === 16 || i === 40 ? { answer: "x" } : { reference_answer: "x" }));
    fs.writeFileSync(path.join(dir, "data.jsonl"), `${rows.join("\n")}\n`);
    const run = grade(["check", "grader.json", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("grader.json:1:80: error[unknown-variable]: `item.reference_answer` is missing in 2 of 50 rows, first at line 17");
  });
});
