import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { grade, hasStackTrace } from "../helpers/cli.js";
import { grader, jsonl, project } from "./fixtures.js";

const GRADER = `score_model "closeness" {
  model: "gpt-4o-2024-08-06"
  user "Question: {{item.question}}. Score {{sample.output_text}} against {{item.reference_answer}}."
}
`;

const rows = (n: number, lacking: readonly number[]) =>
  jsonl(Array.from({ length: n }, (_, i) => (lacking.includes(i + 1) ? { question: `q${i}` } : { question: `q${i}`, reference_answer: `a${i}` })));

describe("grade check --items", () => {
  it("reports a template path some rows lack, with the count and the first line (exit 1)", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": rows(5000, [17, 400, 4999]) });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "grader.grade:3:77: error[unknown-variable]: `item.reference_answer` is missing in 3 of 5,000 rows, first at line 17",
        '    2 |   model: "gpt-4o-2024-08-06"',
        '  > 3 |   user "Question: {{item.question}}. Score {{sample.output_text}} against {{item.reference_answer}}."',
        "      |                                                                             ^^^^^^^^^^^^^^^^^^^^^",
        "    4 | }",
        "",
        "✖ 1 error, 0 warnings in 1 file",
        "",
      ].join("\n"),
    );
    expect(run.stderr).toBe("");
  });

  it("exits 0 when every row has every path", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": rows(100, []) });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("✔ 1 file checked, no findings\n");
  });

  it("reports nested paths and list indexes", () => {
    const source = grader("{{item.ground_truth.date}} {{item.tags[0]}}");
    const data = jsonl([
      { ground_truth: { date: "d" }, tags: ["a"] },
      { ground_truth: {}, tags: [] },
      { ground_truth: { date: "d" }, tags: [] },
    ]);
    const dir = project({ "g.grade": source, "d.jsonl": data });
    const run = grade(["check", "g.grade", "--items", "d.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("g.grade:"))).toEqual([
      "g.grade:3:11: error[unknown-variable]: `item.ground_truth.date` is missing in 1 of 3 rows, first at line 2",
      "g.grade:3:38: error[unknown-variable]: `item.tags[0]` is missing in 2 of 3 rows, first at line 2",
    ]);
  });

  it("reports malformed lines at their line in the dataset, without a code frame", () => {
    const data = '{"question": "q", "reference_answer": "a"}\n{"question": "q",}\n[1]\n';
    const dir = project({ "grader.grade": GRADER, "data.jsonl": data });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        "data.jsonl:2:18: error[dataset]: this line is not valid JSON: Expected double-quoted property name",
        "  help: each line of a dataset is one JSON object (a row), written on one line",
        "",
        "data.jsonl:3:1: error[dataset]: this line is a JSON list, not an object; each line of a dataset is one row, a JSON object",
        "",
        "✖ 2 errors, 0 warnings in 1 file",
        "",
      ].join("\n"),
    );
  });

  it("caps the malformed lines it lists (20, then one total)", () => {
    const data = Array.from({ length: 10_000 }, (_, i) => `{broken ${i}`).join("\n");
    const dir = project({ "grader.grade": GRADER, "data.jsonl": data });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    const headers = run.stdout.split("\n").filter((l) => l.startsWith("data.jsonl:"));
    expect(headers).toHaveLength(21);
    expect(headers[20]).toBe("data.jsonl:21:1: error[dataset]: 10,000 lines in all are not JSON objects; only the first 20 are reported one by one");
    expect(run.stdout).toContain("✖ 21 errors, 0 warnings in 1 file");
  });

  it("accepts CRLF, a BOM, blank lines and no newline at the end", () => {
    const data = Buffer.from('\uFEFF{"question": "q", "reference_answer": "a"}\r\n\r\n{"question": "q"}\r\n{"question": "q", "reference_answer": "b"}');
    const dir = project({ "grader.grade": GRADER, "data.jsonl": data });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("`item.reference_answer` is missing in 1 of 3 rows, first at line 3");
  });

  it("checks a declared item block against the rows", () => {
    const source = grader("{{item.answer}}", "item {\n  answer: string\n  score: integer\n  note?: string\n}");
    const data = jsonl([
      { answer: "a", score: 1 },
      { answer: "b", score: "high" },
      { score: 2 },
      { answer: "c", score: 3, note: "n" },
    ]);
    const dir = project({ "g.grade": source, "d.jsonl": data });
    const run = grade(["check", "g.grade", "--items", "d.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => l.startsWith("g.grade:"))).toEqual([
      "g.grade:2:3: error[dataset]: declared `answer` is missing in 1 of 4 rows, first at line 3",
      "g.grade:3:10: error[dataset]: `item.score` is declared `integer` but is a string in 1 of 4 rows, first at line 2",
      "g.grade:8:11: error[unknown-variable]: `item.answer` is missing in 1 of 4 rows, first at line 3",
    ]);
  });

  it("gives the dataset file and line in --format json", () => {
    const data = '{"question": "q", "reference_answer": "a"}\nnot json\n{"question": "q"}\n';
    const dir = project({ "grader.grade": GRADER, "data.jsonl": data });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        rule: "unknown-variable",
        severity: "error",
        message: "`item.reference_answer` is missing in 1 of 2 rows, first at line 3",
        file: "grader.grade",
        start: { line: 3, column: 77 },
        end: { line: 3, column: 98 },
      },
      {
        rule: "dataset",
        severity: "error",
        message: "this line is not valid JSON: Unexpected token 'o', \"not json\" is not valid JSON",
        file: "data.jsonl",
        start: { line: 2, column: 1 },
        end: { line: 2, column: 1 },
        suggestion: "each line of a dataset is one JSON object (a row), written on one line",
      },
    ]);
  });

  it("annotates dataset lines in --format github", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": "[]\n" });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl", "--format", "github"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      "::error file=data.jsonl,line=1,col=1,endLine=1,endColumn=1,title=gradelang dataset::this line is a JSON list, not an object; each line of a dataset is one row, a JSON object\n",
    );
  });

  it("warns about an empty dataset (exit 0, or 1 with --max-warnings 0)", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": "" });
    const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("data.jsonl:1:1: warning[dataset]: the dataset has no rows, so nothing was checked against it");
    expect(grade(["check", "grader.grade", "--items", "data.jsonl", "--max-warnings", "0"], { cwd: dir }).code).toBe(1);
  });

  it("reads the dataset once for several graders, each finding in its own file", () => {
    const dir = project({ "g/a.grade": grader("{{item.a}}"), "g/b.grade": grader("{{item.b}}"), "d.jsonl": '{"a": 1}\n{"b": 2}\n' });
    const run = grade(["check", "g", "--items", "d.jsonl"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n").filter((l) => /^g\//.test(l))).toEqual([
      "g/a.grade:3:11: error[unknown-variable]: `item.a` is missing in 1 of 2 rows, first at line 2",
      "g/b.grade:3:11: error[unknown-variable]: `item.b` is missing in 1 of 2 rows, first at line 1",
    ]);
  });

  it("puts a file's dataset findings after its own findings", () => {
    const source = 'string_check "s": sample.output_text equals item.label\n';
    const dir = project({ "g.grade": source, "d.jsonl": '{"x": 1}\n' });
    const run = grade(["check", "g.grade", "--items", "d.jsonl"], { cwd: dir });
    expect(run.stdout.split("\n").filter((l) => l.startsWith("g.grade:"))).toEqual([
      "g.grade:1:38: error[invalid-enum]: `equals` is not a valid operation; it is one of `eq`, `ne`, `like` or `ilike`",
      "g.grade:1:45: error[unknown-variable]: `item.label` is missing in every row",
    ]);
  });

  it("exits 2 with a clear message when the dataset is missing or a directory", () => {
    const dir = project({ "grader.grade": GRADER, "sub/x.txt": "" });
    const missing = grade(["check", "grader.grade", "--items", "nope.jsonl"], { cwd: dir });
    expect(missing).toMatchObject({ code: 2, stdout: "", stderr: "grade: cannot read the dataset `nope.jsonl` (--items): no such file or directory\n" });
    const directory = grade(["check", "grader.grade", "--items", "sub"], { cwd: dir });
    expect(directory).toMatchObject({ code: 2, stderr: "grade: cannot read the dataset `sub` (--items): is a directory\n" });
    expect(hasStackTrace(missing.stderr + directory.stderr)).toBe(false);
  });

  it.skipIf(process.platform === "win32" || process.getuid?.() === 0)("exits 2 when the dataset cannot be read", () => {
    const dir = project({ "grader.grade": GRADER, "d.jsonl": "{}\n" });
    fs.chmodSync(path.join(dir, "d.jsonl"), 0o000);
    const run = grade(["check", "grader.grade", "--items", "d.jsonl"], { cwd: dir });
    expect(run).toMatchObject({ code: 2, stderr: "grade: cannot read the dataset `d.jsonl` (--items): permission denied\n" });
  });

  it("documents --items in --help", () => {
    expect(grade(["check", "--help"]).stdout).toContain("--items <data.jsonl>");
    expect(grade(["compile", "--help"]).stdout).toContain("--items <data.jsonl>");
  });
});

describe("grade compile --items", () => {
  it("writes the JSON when the dataset fits", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": rows(10, []) });
    const run = grade(["compile", "grader.grade", "--items", "data.jsonl", "-o", "out.json"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "out.json"), "utf8"))).toMatchObject({ type: "score_model", name: "closeness" });
  });

  it("writes nothing when the dataset has an error (exit 1)", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": rows(10, [4]) });
    const toFile = grade(["compile", "grader.grade", "--items", "data.jsonl", "-o", "out.json"], { cwd: dir });
    expect(toFile.code).toBe(1);
    expect(fs.existsSync(path.join(dir, "out.json"))).toBe(false);
    expect(toFile.stderr).toContain("grader.grade:3:77: error[unknown-variable]: `item.reference_answer` is missing in 1 of 10 rows, first at line 4");
    expect(toFile.stderr).toContain("grade: 1 error; nothing was written");
    const toStdout = grade(["compile", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(toStdout).toMatchObject({ code: 1, stdout: "" });
  });

  it("writes nothing for a malformed dataset line", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": `${rows(3, [])}{"question": \n` });
    const run = grade(["compile", "grader.grade", "--items", "data.jsonl", "-o", "out/"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("data.jsonl:4:13: error[dataset]: this line is not valid JSON: Unexpected end of JSON input");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
  });

  it("still writes with only a warning (an empty dataset)", () => {
    const dir = project({ "grader.grade": GRADER, "data.jsonl": "\n" });
    const run = grade(["compile", "grader.grade", "--items", "data.jsonl"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ type: "score_model" });
    expect(run.stderr).toContain("warning[dataset]: the dataset has no rows");
  });

  it("exits 2 for a missing dataset, before writing anything", () => {
    const dir = project({ "grader.grade": GRADER });
    const run = grade(["compile", "grader.grade", "--items", "none.jsonl", "-o", "out.json"], { cwd: dir });
    expect(run).toMatchObject({ code: 2, stderr: "grade: cannot read the dataset `none.jsonl` (--items): no such file or directory\n" });
    expect(fs.existsSync(path.join(dir, "out.json"))).toBe(false);
  });
});
