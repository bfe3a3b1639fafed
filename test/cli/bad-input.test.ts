import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace } from "../helpers/cli.js";

/*
 * Bad input never crashes, never hangs and never shows a stack trace: each case gives findings
 * with a location and exit code 1 (or 0 when the input is in fact fine).
 */

let dir: string;
const write = (name: string, content: string | Buffer): string => {
  fs.writeFileSync(path.join(dir, name), content);
  return name;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-bad-"));
});

function checkFile(name: string) {
  const run = grade(["check", name, "--format", "json"], { cwd: dir, timeout: 60_000 });
  expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
  expect(run.stderr).not.toContain("internal error");
  return { ...run, rows: run.code === 2 ? [] : (JSON.parse(run.stdout) as { rule: string; message: string; start: { line: number; column: number } }[]) };
}

describe("bad input", () => {
  it("an empty file: one finding, exit 1", () => {
    const run = checkFile(write("empty.grade", ""));
    expect(run.code).toBe(1);
    expect(run.rows).toEqual([expect.objectContaining({ rule: "syntax", message: "this file holds no grader", start: { line: 1, column: 1 } })]);
  });

  it("only comments and whitespace: the same finding", () => {
    const run = checkFile(write("comments.grade", "// nothing here\n\n   \t\n"));
    expect(run.code).toBe(1);
    expect(run.rows.map((r) => r.message)).toEqual(["this file holds no grader"]);
  });

  it("binary bytes: one finding that names the problem", () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 97 + 13) % 256));
    const run = checkFile(write("binary.grade", bytes));
    expect(run.code).toBe(1);
    expect(run.rows.map((r) => r.message)).toContain("this is a binary file (it holds NUL bytes), not .grade text");
    expect(run.rows.length).toBeLessThanOrEqual(2);
  });

  it("invalid UTF-8: a finding at the first bad byte, and compile writes nothing", () => {
    const bytes = Buffer.concat([Buffer.from('string_check "x": sample.output_text eq "caf'), Buffer.from([0xe9, 0xff]), Buffer.from('"\n')]);
    const run = checkFile(write("latin1.grade", bytes));
    expect(run.code).toBe(1);
    expect(run.rows).toEqual([
      expect.objectContaining({ rule: "syntax", message: "this file is not valid UTF-8; the first bad byte is here", start: { line: 1, column: 45 } }),
    ]);
    const compiled = grade(["compile", "latin1.grade"], { cwd: dir });
    expect(compiled.code).toBe(1);
    expect(compiled.stdout).toBe("");
  });

  it("a byte-order mark is ignored", () => {
    const run = checkFile(write("bom.grade", '\uFEFFstring_check "x": sample.output_text eq item.label\n'));
    expect(run.code).toBe(0);
    expect(JSON.parse(grade(["compile", "bom.grade"], { cwd: dir }).stdout).name).toBe("x");
  });

  it("CRLF line ends: block strings get \\n, findings keep their lines", () => {
    const source = 'score_model "x" {\r\n  model: "m"\r\n  user """\r\n    line1 {{item.a}}\r\n    line2\r\n    """\r\n  system "{{item.b"\r\n}\r\n';
    const run = checkFile(write("crlf.grade", source));
    expect(run.rows).toEqual([expect.objectContaining({ rule: "malformed-template", start: { line: 7, column: 11 } })]);
    const ok = write("crlf-ok.grade", source.replace('"{{item.b"', '"b"'));
    const json = JSON.parse(grade(["compile", ok], { cwd: dir }).stdout);
    expect(json.input[0].content).toBe("line1 {{item.a}}\nline2");
  });

  it("tabs: indentation is stripped and columns count a tab as one", () => {
    const source = 'score_model "x" {\n\tmodel: "m"\n\tuser """\n\t\tline1\n\t\t\tline2\n\t\t"""\n\tsystem "{{item.b"\n}\n';
    const run = checkFile(write("tabs.grade", source));
    expect(run.rows).toEqual([expect.objectContaining({ rule: "malformed-template", start: { line: 7, column: 10 } })]);
    const json = JSON.parse(grade(["compile", write("tabs-ok.grade", source.replace('"{{item.b"', '"b"'))], { cwd: dir }).stdout);
    expect(json.input[0].content).toBe("line1\n\tline2");
  });

  it("a 10 MB file is checked in bounded time", () => {
    let big = 'python "big" {\n  source: """\n    def grade(sample, item):\n        return 1.0\n';
    const line = `    x = "${"a".repeat(90)}"\n`;
    big += line.repeat(Math.ceil((10 * 1024 * 1024) / line.length));
    big += '    """\n}\n';
    const run = checkFile(write("big.grade", big));
    expect(run.code).toBe(1);
    expect(run.rows.map((r) => r.rule)).toEqual(["python-size"]);
    expect(run.ms).toBeLessThan(30_000); // a hang guard, not a benchmark
  });

  it("10 MB of garbage: a bounded number of findings", () => {
    const junk = '{ ] ) : , foo "bar" 12 '.repeat(Math.ceil((10 * 1024 * 1024) / 23));
    const run = checkFile(write("junk.grade", junk));
    expect(run.code).toBe(1);
    expect(run.rows.length).toBeGreaterThan(0);
    expect(run.rows.length).toBeLessThanOrEqual(51);
    expect(run.rows[run.rows.length - 1]!.message).toBe("more than 50 syntax errors; stopped here");
  });

  it("10,000 nested parentheses in an unquoted formula", () => {
    const paren = "(".repeat(10_000) + "a" + ")".repeat(10_000);
    const run = checkFile(write("nest.grade", `multi "m" {\n  graders { a: string_check "a": x eq y }\n  calculate_output: ${paren}\n}\n`));
    expect(run.code).toBe(1);
    expect(run.rows).toEqual([expect.objectContaining({ rule: "syntax", message: "brackets nest more than 256 levels deep here" })]);
  });

  it("10,000 nested parentheses in a quoted formula", () => {
    const paren = "(".repeat(10_000) + "a" + ")".repeat(10_000);
    const run = checkFile(write("nestq.grade", `multi "m" {\n  graders { a: string_check "a": x eq y }\n  calculate_output: "${paren}"\n}\n`));
    expect(run.code).toBe(1);
    expect(run.rows).toEqual([expect.objectContaining({ rule: "formula-syntax", message: "the formula nests more than 200 levels deep" })]);
  });

  it("10,000 nested lists in a value", () => {
    const run = checkFile(write("nestb.grade", `python "p" { x: ${"[".repeat(10_000)} }\n`));
    expect(run.code).toBe(1);
    expect(run.rows[0]).toEqual(expect.objectContaining({ rule: "syntax", message: "brackets nest more than 256 levels deep here" }));
  });

  it("an unterminated block string and string are reported where they start", () => {
    const run = checkFile(write("open.grade", 'python "p" {\n  source: """\n    def grade(s, i):\n'));
    expect(run.rows[0]).toEqual(expect.objectContaining({ rule: "syntax", message: 'this block string has no closing `"""`', start: { line: 2, column: 11 } }));
    const run2 = checkFile(write("open2.grade", 'string_check "x: a eq b\n'));
    expect(run2.rows[0]).toEqual(expect.objectContaining({ rule: "syntax", message: 'this string has no closing `"` on its line', start: { line: 1, column: 14 } }));
  });

  it("an empty path (an unset shell variable) is a usage error, not the whole working directory", () => {
    for (const command of ["check", "compile", "fmt", "test"]) {
      const run = grade([command, ""], { cwd: dir });
      expect(run.code, command).toBe(2);
      expect(run.stderr, command).toBe("grade: an empty path names no file: give a .grade file, a directory or -\n");
    }
    const ok = write("empty-flags.grade", 'string_check "x": sample.output_text eq item.a\n');
    for (const [args, message] of [
      [["compile", ok, "-o", ""], "-o needs a file or a directory, not an empty path"],
      [["check", ok, "--items", ""], "--items needs a JSONL file, not an empty path"],
      [["eval", ok, "--data", ""], "--data needs a JSONL file, or - for standard input, not an empty path"],
      [["eval", ok, "--data", "-", "--out", ""], "--out needs a file, not an empty path"],
    ] as const) {
      const run = grade(args, { cwd: dir });
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toBe(`grade: ${message}\n`);
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".json") || f.endsWith(".lock"))).toEqual([]); // nothing written
  });

  it("a directory named like a .grade file, and an unreadable file, are I/O errors (exit 2)", () => {
    fs.mkdirSync(path.join(dir, "dir.grade"), { recursive: true });
    fs.writeFileSync(path.join(dir, "dir.grade", "inner.grade"), 'string_check "x": a eq b\n');
    expect(grade(["check", "dir.grade"], { cwd: dir }).code).toBe(0); // a directory is walked
    if (process.getuid?.() !== 0) {
      fs.writeFileSync(path.join(dir, "secret.grade"), "");
      fs.chmodSync(path.join(dir, "secret.grade"), 0o000);
      const run = grade(["check", "secret.grade"], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("permission denied");
    }
  });
});
