import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { grade, hasStackTrace, root } from "../helpers/cli.js";

const fixtures = path.join(import.meta.dirname, "fixtures");
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), "utf8");
const examples = globSync("examples/**/*.grade", { cwd: root });

/** Runs the prettier CLI of node_modules/.bin with this Node (the built dist/ is the plugin). */
function prettier(args: readonly string[], options: { cwd?: string; input?: string } = {}) {
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/.bin/prettier"), ...args], {
    cwd: options.cwd ?? root,
    input: options.input ?? "",
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A directory of files, outside the repository (no .prettierrc applies: the canonical layout). */
function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-fmt-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const BROKEN = 'string_check "x" {\n  input: sample.output_text\n  operation:\n}\n';

describe("prettier --plugin gradelang/prettier", () => {
  it("finds the plugin by the package's own name and checks the examples", () => {
    const run = prettier(["--plugin", "gradelang/prettier", "--check", "examples/**/*.grade"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("All matched files use Prettier code style!");
    expect(run.code).toBe(0);
  });

  it("loads the built plugin by path", () => {
    const run = prettier(["--plugin", "./dist/format/plugin.js", "--check", "examples/**/*.grade"]);
    expect(run.code).toBe(0);
  });

  it("formats standard input like grade fmt", () => {
    const input = fixture("multi.grade");
    const run = prettier(["--plugin", "gradelang/prettier", "--stdin-filepath", "x.grade", "--print-width", "100"], { input });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(fixture("multi.formatted.grade"));
  });

  it("reports a syntax error at its line and column, with a code frame", () => {
    const dir = project({ "bad.grade": BROKEN });
    const run = prettier(["--plugin", path.join(root, "dist/format/plugin.js"), "--check", "bad.grade"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("[error] bad.grade: SyntaxError: expected a value");
    expect(run.stderr).toContain("(4:1)");
    expect(run.stderr).toMatch(/> 4 \| }/);
  });
});

describe("grade fmt", () => {
  it("finds the examples formatted (--check, exit 0)", () => {
    const run = grade(["fmt", "--check", "examples"]);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`✔ ${examples.length} files checked, all formatted\n`);
    expect(run.code).toBe(0);
  });

  it("--check lists the files that would change, writes nothing, exits 1", () => {
    const dir = project({ "a.grade": fixture("comments.grade"), "sub/b.grade": fixture("comments.formatted.grade") });
    const run = grade(["fmt", "--check", "."], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("a.grade\n");
    expect(run.stderr).toContain("✖ 1 of 2 files is not formatted; run `grade fmt` to format it");
    expect(fs.readFileSync(path.join(dir, "a.grade"), "utf8")).toBe(fixture("comments.grade"));
  });

  it("rewrites the files that change, and only those", () => {
    const dir = project({ "a.grade": fixture("tests.grade"), "b.grade": fixture("tests.formatted.grade") });
    const before = fs.statSync(path.join(dir, "b.grade")).mtimeMs;
    const run = grade(["fmt", "a.grade", "b.grade"], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("formatted a.grade\n");
    expect(fs.readFileSync(path.join(dir, "a.grade"), "utf8")).toBe(fixture("tests.formatted.grade"));
    expect(fs.statSync(path.join(dir, "b.grade")).mtimeMs).toBe(before);
    const again = grade(["fmt", "."], { cwd: dir });
    expect(again).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("never writes a file with a syntax error; shows the error at file:line:col (exit 1)", () => {
    const dir = project({ "bad.grade": BROKEN, "good.grade": fixture("no-name.grade") });
    const run = grade(["fmt", "."], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bad.grade:4:1: error[syntax]: expected a value");
    expect(run.stderr).toContain("> 4 | }");
    expect(run.stderr).toContain("✖ 1 file with syntax errors, not formatted");
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(fs.readFileSync(path.join(dir, "bad.grade"), "utf8")).toBe(BROKEN);
    expect(fs.readFileSync(path.join(dir, "good.grade"), "utf8")).toBe(fixture("no-name.formatted.grade"));
  });

  it("never writes a file that is not UTF-8", () => {
    const bytes = Buffer.concat([Buffer.from('python "p" {\n  source: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n}\n')]);
    const dir = project({});
    fs.writeFileSync(path.join(dir, "latin.grade"), bytes);
    const run = grade(["fmt", "latin.grade"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("latin.grade:2:12: error[syntax]: this file is not valid UTF-8");
    expect(fs.readFileSync(path.join(dir, "latin.grade")).equals(bytes)).toBe(true);
  });

  it("- reads standard input and prints the result", () => {
    const run = grade(["fmt", "-"], { input: fixture("multi.grade") });
    expect(run).toMatchObject({ code: 0, stdout: fixture("multi.formatted.grade"), stderr: "" });
  });

  it("--check - prints nothing but <stdin> when it would change", () => {
    expect(grade(["fmt", "--check", "-"], { input: fixture("multi.grade") })).toMatchObject({ code: 1, stdout: "<stdin>\n" });
    expect(grade(["fmt", "--check", "-"], { input: fixture("multi.formatted.grade") })).toMatchObject({ code: 0, stdout: "" });
  });

  it("reports a syntax error in standard input and prints nothing", () => {
    const run = grade(["fmt", "-"], { input: BROKEN });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("<stdin>:4:1: error[syntax]");
  });

  it("uses the Prettier configuration of the file, as prettier does", () => {
    const long = 'python "p" {\n  labels: [alpha, beta, gamma, delta]\n}\n';
    const dir = project({ ".prettierrc": JSON.stringify({ printWidth: 30 }), "p.grade": long });
    expect(grade(["fmt", "p.grade"], { cwd: dir }).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "p.grade"), "utf8")).toBe('python "p" {\n  labels: [\n    alpha\n    beta\n    gamma\n    delta\n  ]\n}\n');
  });

  it("is a usage error for a missing file (exit 2)", () => {
    const run = grade(["fmt", "no-such.grade"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("cannot read `no-such.grade`: no such file or directory");
  });

  it("has help with examples", () => {
    const run = grade(["fmt", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("--check");
    expect(run.stdout).toContain("grade fmt examples");
  });
});
