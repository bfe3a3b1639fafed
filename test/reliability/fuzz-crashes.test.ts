import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace } from "../helpers/cli.js";

/*
 * The inputs fuzzing found that crashed `grade` (exit 70, "internal error"): each is now a finding
 * with a location, or formats cleanly. The real binary, the exact text users see.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-fuzz-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("inputs that once crashed grade", () => {
  it("grade check: a union type missing its last member, then a grader reading that field", () => {
    const file = write("union.grade", 'item { h: [string |] }\nstring_check "s" {\n  input: item.h\n  reference: "x"\n  operation: eq\n}\n');
    const run = grade(["check", file]);
    expect(hasStackTrace(run.stderr + run.stdout)).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "union.grade:1:20: error[syntax]: expected a type (`string`, `number`, `integer`, `boolean`, `any`, `null`, `[T]`, `{ ... }` or a string literal), found `]`",
    );
    expect(run.stderr).not.toContain("internal error");
  });

  it("grade check: a message part named like an Object.prototype member", () => {
    for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__"]) {
      const file = write(`${name}.grade`, `score_model "s" {\n  model: "gpt-4o"\n  user ${name}("x")\n}\n`);
      const run = grade(["check", file]);
      expect(run.stderr, name).not.toContain("internal error");
      expect(run.code, name).toBe(1);
      expect(run.stdout).toContain(
        `${name}.grade:3:8: error[invalid-value]: \`${name}\` is not a content part; the parts are \`input_text\`, \`output_text\`, \`input_image\` or \`input_audio\``,
      );
    }
  });

  it("grade fmt: a clean file with a lone CR inside a calculate_output formula", () => {
    const source = 'multi "m" {\n  graders: {\n    a: string_check "a" { input: sample.output_text reference: "x" operation: eq }\n  }\n  calculate_output: a +\r 1\n}\n';
    const file = write("cr.grade", source);
    expect(grade(["check", file]).code).toBe(0);
    const run = grade(["fmt", file]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^formatted \S*cr\.grade\n$/);
    expect(fs.readFileSync(file, "utf8")).toContain("  calculate_output: a +\n 1\n}\n");
    expect(grade(["check", file]).code).toBe(0);
  });

  it("grade fmt: a CRLF file whose formula spans two lines; its JSON is the same as the LF file's", () => {
    const lf = 'multi "m" {\n  graders: {\n    a: string_check "a" { input: sample.output_text reference: "x" operation: eq }\n  }\n  calculate_output: a +\n    1\n}\n';
    const crlf = write("crlf.grade", lf.replaceAll("\n", "\r\n"));
    const plain = write("lf.grade", lf);
    expect(grade(["compile", crlf]).stdout).toBe(grade(["compile", plain]).stdout);
    const run = grade(["fmt", "--check", crlf]);
    expect(run.stderr).not.toContain("internal error");
    expect(grade(["fmt", crlf]).code).toBe(0);
    expect(grade(["check", crlf]).code).toBe(0);
  });

  it("grade fmt: a lone CR inside a block string (found by test/property/fuzz.test.ts) is a line break, as in a quoted string", () => {
    const source = 'string_check "s" {\n  input: sample.output_text\n  reference: """\n    a\r    b\n    """\n  operation: eq\n}\n';
    const file = write("block-cr.grade", source);
    expect(JSON.parse(grade(["compile", file]).stdout)).toMatchObject({ reference: "a\nb" });
    const run = grade(["fmt", file]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toContain('  reference: """\n    a\n    b\n    """\n');
  });

  it("grade fmt: a file with lone CR line endings throughout formats to LF and means the same", () => {
    const source = 'score_model "s" {\r  model: "gpt-4o"\r  user """\r    Rate this:\r\r    {{sample.output_text}}\r    """\r}\r';
    const file = write("cr-only.grade", source);
    const before = grade(["compile", file]).stdout;
    expect(JSON.parse(before)).toMatchObject({ input: [{ role: "user", content: "Rate this:\n\n{{sample.output_text}}" }] });
    const run = grade(["fmt", file]);
    expect(run.stderr).not.toContain("internal error");
    expect(run.code).toBe(0);
    expect(grade(["compile", file]).stdout).toBe(before);
  });
});
