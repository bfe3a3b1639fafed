import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenGates } from "../../src/report/gates.js";
import { junitXml, xmlText } from "../../src/report/junit.js";
import { grade } from "../helpers/cli.js";

/*
 * CI gates of `grade eval` (--fail-under, --max-error-rate) and JUnit XML from `grade eval` and
 * `grade test`, on examples/data/cities.jsonl (12 rows: 8 of the 11 graded score 1, one has an
 * error flag, one is malformed).
 */

const CITY = "examples/graders/contains-city.grade";
const DATA = "examples/data/cities.jsonl";
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-gates-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const out = (name: string) => path.join(dir, name);
const evalRun = (name: string, ...args: string[]) => grade(["eval", CITY, "--data", DATA, "-o", out(name), "--no-progress", ...args]);

describe("grade eval gates", () => {
  it("--fail-under: exit 1 and one line when the mean is below", () => {
    const run = evalRun("a.jsonl", "--fail-under", "0.9");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("grade eval: the mean reward 0.7273 is below --fail-under 0.9\n");
    expect(evalRun("b.jsonl", "--fail-under", "0.5", "--max-error-rate", "0.2").code).toBe(0);
  });
  it("--max-error-rate: exit 1 above it; rows with errors within it do not fail the run", () => {
    const above = evalRun("c.jsonl", "--max-error-rate", "0.1");
    expect(above.code).toBe(1);
    expect(above.stderr).toBe("grade eval: 16.67% of the rows had an error (2 of 12: malformed, failed or an error flag), above --max-error-rate 0.1\n");
    const within = evalRun("d.jsonl", "--max-error-rate", "0.2");
    expect(within.stderr).toBe("");
    expect(within.code).toBe(0);
    // Without a gate, the error flag and the malformed row fail the run as before.
    expect(evalRun("e.jsonl").code).toBe(1);
  });
  it("both gates broken: one line each", () => {
    const run = evalRun("f.jsonl", "--fail-under", "0.99", "--max-error-rate", "0");
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(2);
    expect(run.code).toBe(1);
  });
  it("bad values are usage errors", () => {
    const run = evalRun("g.jsonl", "--max-error-rate", "5");
    expect(run.stderr).toContain("option '--max-error-rate <fraction>' argument '5' is invalid. expected a fraction from 0 to 1, e.g. 0.05");
    expect(run.code).toBe(2);
    expect(grade(["eval", CITY, "--data", DATA, "--format", "junit"]).stderr).toBe("grade: --format junit reads the rows back from the results file: give --out <results.jsonl>\n");
  });
  it("brokenGates with no graded row", () => {
    expect(brokenGates({ failUnder: 0.5 }, { mean: undefined, rows: 3, errors: 3 })).toEqual(["no row was graded, so the mean reward cannot reach --fail-under 0.5"]);
    expect(brokenGates({ failUnder: 0.5, maxErrorRate: 0.5 }, { mean: 0.5, rows: 2, errors: 1 })).toEqual([]);
  });
});

describe("JUnit XML", () => {
  it("grade eval --format junit: one testcase a row, an error for the malformed row, a failure for the flag", () => {
    const run = evalRun("j.jsonl", "--format", "junit");
    expect(run.code).toBe(1);
    const xml = run.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="grade eval examples/graders/contains-city.grade" tests="12" failures="1" errors="1"')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(12);
    expect(xml).toContain('name="row 7 (trip-07)"');
    expect(xml).toMatch(/<failure message="error flag invalid_variable_error" type="invalid_variable_error">invalid_variable_error: /);
    expect(xml).toMatch(/<testcase classname="examples\/graders\/contains-city.grade" name="row 10" time="0">\n {6}<error message="not valid JSON/);
  });
  it("grade test --format junit: XML on standard output, the usual lines on standard error", () => {
    const file = path.join(dir, "failing.grade");
    fs.writeFileSync(
      file,
      'string_check "exact": sample.output_text eq "yes"\n\ntest "says yes" {\n  sample: "yes"\n  expect: 1\n}\n\ntest "says <no> & more" {\n  sample: "no"\n  expect: 1\n}\n',
    );
    const run = grade(["test", file, "--format", "junit"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("1 passed, 1 failed");
    expect(run.stdout).toContain('<testsuites name="grade test" tests="2" failures="1" errors="0"');
    expect(run.stdout).toContain('name="says &lt;no&gt; &amp; more"');
    expect(run.stdout).toContain('<failure message="reward 0, expected 1" type="expectation">');
  });
  it("escapes the five characters and drops those XML forbids", () => {
    expect(xmlText(`a<b>&"c'\u0001\u0008d\te`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;d\te");
    expect(junitXml([{ name: "s", cases: [{ classname: "c", name: "n" }] }], "all")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="all" tests="1" failures="0" errors="0" time="0">\n  <testsuite name="s" tests="1" failures="0" errors="0" skipped="0" time="0">\n    <testcase classname="c" name="n" time="0"/>\n  </testsuite>\n</testsuites>\n',
    );
  });
});
