import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings } from "../helpers/harness.js";

const LIMIT = 256 * 1024;
const head = "def grade(sample, item):\n    return 1.0\n# ";

/** An inline python grader whose (decoded) source is `head` padded with `pad` to `bytes` UTF-8 bytes. */
function sourceOf(bytes: number, pad = "x"): string {
  const padBytes = Buffer.byteLength(pad, "utf8");
  const room = bytes - Buffer.byteLength(head, "utf8");
  expect(room % padBytes).toBe(0);
  return head + pad.repeat(room / padBytes);
}
// JSON.stringify writes the source as a `.grade` string with JSON escapes; `é` stays as written.
const grader = (source: string) => `python "big" {\n  source: ${JSON.stringify(source)}\n}\n`;

const tooBig = (what: string, bytes: number, at: string) => ({
  rule: "python-size",
  severity: "error",
  message: `${what} is ${bytes} bytes (${(bytes / 1024).toFixed(1)} kB); the service accepts python sources of less than 256 kB (262144 bytes)`,
  at,
  suggestion: "move data out of the source, or shorten it",
});

describe("python-size", () => {
  it("accepts small sources and one byte under the limit", () => {
    expectValid("python-size", 'python "p" { source: "def grade(sample, item): return 1.0" }\n');
    expectValid("python-size", grader(sourceOf(LIMIT - 1)));
  });

  it("reports a source of exactly 256 kB, underlining the string", () => {
    const text = sourceOf(LIMIT);
    // The string starts at 2:11 and is written as JSON.stringify(text).
    expectFindings("python-size", grader(text)).toEqual([tooBig("the python source", LIMIT, `2:11-2:${11 + JSON.stringify(text).length}`)]);
  });

  it("counts UTF-8 bytes, not characters", () => {
    // `é` is two bytes: fewer than 256 * 1024 characters make 256 kB.
    const exact = sourceOf(LIMIT, "é");
    expect(exact.length).toBeLessThan(LIMIT);
    expectFindings("python-size", grader(exact)).toEqual([expect.objectContaining({ message: expect.stringContaining(`is ${LIMIT} bytes`) })]);
    expectValid("python-size", grader(sourceOf(LIMIT - 2, "é") + "x"));
    // Four-byte characters (two UTF-16 units each) too.
    const emoji = head + "😀".repeat(Math.ceil((LIMIT - head.length) / 4));
    expectFindings("python-size", grader(emoji)).toHaveLength(1);
  });

  it("measures the decoded text of a block string (escapes and indentation do not count)", () => {
    const body = `    def grade(sample, item):\n        return 1.0\n    # ${"x".repeat(LIMIT - head.length - 1)}`;
    // Decoded: "def grade...\n# " + padding: LIMIT - 1 bytes once the 4-space indentation is removed.
    expectValid("python-size", `python "big" {\n  source: """\n${body}\n    """\n}\n`);
  });

  it("does not stop the check of the grade function", () => {
    const rules = findings(grader(sourceOf(LIMIT).replace("def grade", "def score"))).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(["python-size", "python-grade-function"]));
  });

  describe("with a file() source", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-size-"));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
    const options = { filename: path.join(root, "big.grade"), root };
    fs.writeFileSync(path.join(root, "ok.py"), sourceOf(LIMIT - 1));
    fs.writeFileSync(path.join(root, "huge.py"), sourceOf(300 * 1024));

    it("accepts a file under the limit", () => {
      expectValid("python-size", 'python "big" { source: file("ok.py") }\n', options);
    });

    it("reports a file at the file() call, naming it", () => {
      expectFindings("python-size", 'python "big" { source: file("huge.py") }\n', options).toEqual([tooBig("`huge.py`", 300 * 1024, "1:24-1:39")]);
    });
  });
});
