// Findings about tests block tests only (issue 14, item 2), and a test may expect an error flag.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { grade } from "../helpers/cli.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-test-findings-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

// A correct grader whose test has a typo in its item (`cty`): a test-data error.
const typo = 'item { city: string }\nstring_check "city": sample.output_text ilike item.city\n\ntest "paris" {\n  sample: "Paris"\n  item { cty: "Paris" }\n  expect: 1\n}\n';

describe("a finding about a test", () => {
  it("is an error of grade check, but the grader compiles (library and CLI), runs and is evaluated", () => {
    expect(check(typo).diagnostics.map((d) => [d.rule, d.severity])).toEqual([["test-data", "error"]]);
    expect(compile(typo).grader).toEqual({ type: "string_check", name: "city", input: "{{sample.output_text}}", reference: "{{item.city}}", operation: "ilike" });
    const file = write("city.grade", typo);
    expect(grade(["check", file]).code).toBe(1);
    const compiled = grade(["compile", file]);
    expect(compiled.code).toBe(0);
    expect(compiled.stderr).toBe("");
    expect(JSON.parse(compiled.stdout)).toMatchObject({ type: "string_check" });
    const run = grade(["run", file, "--sample", "Paris", "--item", '{"city": "paris"}']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const rows = write("rows.jsonl", '{"item": {"city": "Paris"}, "sample": "Paris"}\n');
    const evaluated = grade(["eval", file, "--data", rows, "-o", path.join(tmp, "out.jsonl")]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
  });

  it("fails grade test", () => {
    const run = grade(["test", write("city2.grade", typo)]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error[test-data]: test "paris": `item.city` is missing from its item');
  });
});

describe("expect_error", () => {
  it("a tool-call grader's plain-text answer: the test expects invalid_variable_error, and the missing path is no finding", () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, "../fixtures/tests/tool-call.grade"), "utf8");
    expect(check(source).diagnostics).toEqual([]);
    const run = grade(["test", path.join(import.meta.dirname, "../fixtures/tests/tool-call.grade")]);
    expect(run.stdout).toContain("✓ the model answered in plain text  reward 0, expected invalid_variable_error");
    expect(run.stdout).toContain("2 passed, 0 failed");
    expect(run.code).toBe(0);
  });

  it("fails when the flag is not set, and names a mistyped flag", () => {
    const none = write("none.grade", 'string_check "a" { input: sample.output_text reference: item.x operation: eq }\ntest "no error happens" {\n  sample: "x"\n  item { x: "x" }\n  expect_error: invalid_variable_error\n}\n');
    const run = grade(["test", none]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✗ no error happens  reward 1, expected invalid_variable_error");
    const typoFlag = 'string_check "a" { input: sample.output_text reference: "x" operation: eq }\ntest "t" {\n  sample: "x"\n  expect_error: invalid_variable_eror\n}\n';
    const [finding] = check(typoFlag).diagnostics;
    expect(finding).toMatchObject({
      rule: "test-block",
      message: "`expect_error` is one of the run's error flags (`invalid_variable_error`, `python_grader_runtime_error`, ...), not `invalid_variable_eror`",
      suggestion: "did you mean `invalid_variable_error`?",
    });
  });

  it("with expect, both must hold", () => {
    const both = write("both.grade", 'string_check "a" { input: sample.output_tools[0].id reference: "x" operation: eq }\ntest "t" {\n  sample: "plain"\n  expect_error: invalid_variable_error\n  expect: 0..0.5\n}\n');
    const run = grade(["test", both]);
    expect(run.stdout).toContain("expected invalid_variable_error and 0..0.5");
    expect(run.code).toBe(0);
  });
});
