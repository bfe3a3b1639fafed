// `grade check --fix` and `--fix --dry-run`: the safe fixes only, each printed, the diff exact.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { grade } from "../helpers/cli.js";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-fix-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const broken = 'score_model "x" {\n  model: gpt-4o-mini\n  range: 0..10\n  user "Answer: {{ sample. output_text }}"\n}\n';
const fixed = 'score_model "x" {\n  model: "gpt-4o-mini"\n  range: [0, 10]\n  user "Answer: {{sample.output_text}}"\n}\n';

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("grade check --fix", () => {
  it("applies the safe fixes, prints each, then the findings that remain", () => {
    const file = write("a.grade", broken);
    const run = grade(["check", "a.grade", "--fix"], { cwd: dir });
    expect(run.stdout).toBe(
      [
        'a.grade:2:10: fixed [syntax] `gpt-4o-mini` → `"gpt-4o-mini"`',
        "a.grade:3:10: fixed [invalid-value] `0..10` → `[0, 10]`",
        "a.grade:4:17: fixed [malformed-template] `{{ sample. output_text }}` → `{{sample.output_text}}`",
        "applied 3 fixes in 1 file",
        "✔ 1 file checked, no findings",
        "",
      ].join("\n"),
    );
    expect(run.code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(fixed);
    // Nothing left to fix: a second run changes nothing.
    expect(grade(["check", "a.grade", "--fix"], { cwd: dir }).stdout).toBe("no safe fixes to apply\n✔ 1 file checked, no findings\n");
  });

  it("leaves a did-you-mean to the user; the exit code is that of what remains", () => {
    const text = 'string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  operation: eqq\n}\n';
    const file = write("b.grade", text);
    const run = grade(["check", "b.grade", "--fix"], { cwd: dir });
    expect(run.stdout).toContain("no safe fixes to apply\n");
    expect(run.stdout).toContain("error[invalid-enum]");
    expect(run.code).toBe(1);
    expect(fs.readFileSync(file, "utf8")).toBe(text);
  });

  it("fixes a grader JSON in place", () => {
    const json = '{\n  "type": "string_check",\n  "name": "x",\n  "input": "{{ sample. output_text }}",\n  "reference": "a",\n  "operation": "eq"\n}\n';
    const file = write("g.json", json);
    const run = grade(["check", "g.json", "--fix"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(fs.readFileSync(file, "utf8")).toBe(json.replace("{{ sample. output_text }}", "{{sample.output_text}}"));
  });

  it("--dry-run prints the diff and writes nothing", () => {
    const file = write("a.grade", broken);
    const run = grade(["check", "a.grade", "--fix", "--dry-run"], { cwd: dir });
    expect(run.stdout).toBe(
      [
        "--- a/a.grade",
        "+++ b/a.grade",
        "@@ -1,5 +1,5 @@",
        ' score_model "x" {',
        "-  model: gpt-4o-mini",
        "-  range: 0..10",
        '-  user "Answer: {{ sample. output_text }}"',
        '+  model: "gpt-4o-mini"',
        "+  range: [0, 10]",
        '+  user "Answer: {{sample.output_text}}"',
        " }",
        'a.grade:2:10: would fix [syntax] `gpt-4o-mini` → `"gpt-4o-mini"`',
        "a.grade:3:10: would fix [invalid-value] `0..10` → `[0, 10]`",
        "a.grade:4:17: would fix [malformed-template] `{{ sample. output_text }}` → `{{sample.output_text}}`",
        "would apply 3 fixes in 1 file (dry run: nothing written)",
        "✔ 1 file checked, no findings",
        "",
      ].join("\n"),
    );
    expect(fs.readFileSync(file, "utf8")).toBe(broken);
  });

  it("keeps standard output JSON with --format json (what changed goes to stderr)", () => {
    write("a.grade", broken);
    const run = grade(["check", "a.grade", "--fix", "--format", "json"], { cwd: dir });
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(run.stderr).toContain("applied 3 fixes in 1 file\n");
  });

  it("refuses standard input without --dry-run, and --dry-run without --fix", () => {
    const stdin = grade(["check", "-", "--fix"], { input: broken });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe("grade: --fix rewrites files: standard input cannot be fixed in place (use --fix --dry-run to see the diff)\n");
    const diff = grade(["check", "-", "--fix", "--dry-run"], { input: broken });
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("+  range: [0, 10]\n");
    const alone = grade(["check", "-", "--dry-run"], { input: broken });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe("grade: --dry-run goes with --fix (it shows the diff --fix would apply)\n");
  });
});
