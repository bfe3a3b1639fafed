import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { grade, hasStackTrace, root } from "../helpers/cli.js";

const seed = (name: string) => JSON.parse(fs.readFileSync(path.join(root, `test/fixtures/graders/seed-${name}.json`), "utf8"));
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "grade-cli-"));

describe("grade compile", () => {
  it("prints the JSON of a seed twin, deep-equal to the seed, type and name first", () => {
    const run = grade(["compile", "examples/seeds/score-text-alignment.grade"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(seed("score-text-alignment"));
    expect(Object.keys(JSON.parse(run.stdout)).slice(0, 2)).toEqual(["type", "name"]);
    expect(run.stdout).toMatch(/^\{\n {2}"type": "score_model",\n {2}"name"/);
  });

  it("--minify prints one line", () => {
    const run = grade(["compile", "examples/seeds/validate-string-check.grade", "--minify"]);
    expect(run.stdout).toBe(`${JSON.stringify(seed("validate-string-check"))}\n`.replace(/\s(?=")/g, ""));
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("reads standard input with -", () => {
    const run = grade(["compile", "-"], { input: 'string_check "s": sample.output_text eq item.label\n' });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      type: "string_check",
      name: "s",
      input: "{{sample.output_text}}",
      reference: "{{item.label}}",
      operation: "eq",
    });
  });

  it("writes -o file.json and mirrors directories with -o dir", () => {
    const dir = tmp();
    const one = grade(["compile", "examples/seeds/validate-string-check.grade", "-o", path.join(dir, "one.json")]);
    expect(one.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "one.json"), "utf8"))).toEqual(seed("validate-string-check"));

    const all = grade(["compile", "examples", "-o", path.join(dir, "out")]);
    expect(all.code).toBe(0);
    expect(all.stderr).toMatch(/wrote \d+ files/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "out/seeds/score-audio-clarity.json"), "utf8"))).toEqual(seed("score-audio-clarity"));
    expect(fs.existsSync(path.join(dir, "out/graders/support-reply.json"))).toBe(true);
  });

  it("exits 1 without output when there are errors, and writes nothing", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "good.grade"), 'string_check "g": sample.output_text eq item.a\n');
    fs.writeFileSync(path.join(dir, "bad.grade"), 'string_check "b": sample.output_text equals item.a\n');
    const run = grade(["compile", dir, "-o", path.join(dir, "out")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error[invalid-enum]: `equals` is not a valid operation");
    expect(run.stderr).toContain("nothing was written");
    expect(fs.existsSync(path.join(dir, "out"))).toBe(false);

    const single = grade(["compile", path.join(dir, "bad.grade")]);
    expect(single.code).toBe(1);
    expect(single.stdout).toBe("");
  });

  it("prints warnings to stderr and still compiles", () => {
    const run = grade(["compile", "examples/reference/guide-python-minimal.grade"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning[missing-name]");
    expect(JSON.parse(run.stdout).type).toBe("python");
  });

  it("honours --target and the @target pragma", () => {
    const evalsFile = "examples/reference/openapi-label-model.grade";
    expect(grade(["compile", evalsFile]).code).toBe(0);
    const rft = grade(["compile", evalsFile, "--target", "rft"]);
    expect(rft.code).toBe(1);
    expect(rft.stderr).toContain("error[target]: a `label_model` grader is not allowed at the top level for the rft target");
  });

  it.each([
    [["compile"], /missing required argument 'paths'/],
    [["compile", "nope.grade"], /cannot read `nope.grade`: no such file or directory/],
    [["compile", "examples"], /compiling \d+ files needs `-o <dir>`/],
    [["compile", "examples", "-o", "x.json"], /is one file, but there are \d+ inputs/],
    [["compile", "x.grade", "--target", "azure"], /argument 'azure' is invalid/],
    [["compile", "--bogus"], /unknown option '--bogus'/],
  ])("usage and I/O errors exit 2: %j", (args, message) => {
    const run = grade(args as string[]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it("reports an unwritable output as an I/O error", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "file"), "");
    const run = grade(["compile", "examples/seeds/validate-string-check.grade", "-o", path.join(dir, "file/sub/x.json")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot write/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });
});

describe("grade compile: file() and the project", () => {
  it("reads an example's file() from any working directory", () => {
    const run = grade(["compile", path.join(root, "examples/graders/clinical-phrase.grade")], { cwd: os.tmpdir() });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).source).toContain("def grade(");
  });

  it("in a git repository, from a subdirectory, file() may reach across the repository, not out of it", () => {
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "grade-repo-")));
    try {
      fs.mkdirSync(path.join(repo, "graders"));
      fs.mkdirSync(path.join(repo, "py"));
      fs.writeFileSync(path.join(repo, "py", "g.py"), "def grade(sample, item) -> float:\n    return 1.0\n");
      fs.writeFileSync(path.join(repo, "graders", "g.grade"), 'python "p" {\n  source: file("../py/g.py")\n}\n');
      const cwd = path.join(repo, "graders");
      // Not a repository: the working directory is the project, and ../py is out of it.
      const outside = grade(["compile", "g.grade"], { cwd });
      expect(outside.code).toBe(1);
      expect(outside.stderr).toContain(`error[file]: \`../py/g.py\` is outside the project (${cwd})`);
      fs.mkdirSync(path.join(repo, ".git"));
      const inside = grade(["compile", "g.grade"], { cwd });
      expect(inside.code, inside.stderr).toBe(0);
      expect(JSON.parse(inside.stdout).source).toContain("return 1.0");
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe("grade --help and --version", () => {
  it("prints help for every command and exits 0", () => {
    for (const args of [["--help"], ["compile", "--help"], ["check", "--help"], ["rules", "--help"]]) {
      const run = grade(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Usage: grade/);
    }
    expect(grade(["check", "--help"]).stdout).toContain("--max-warnings");
    expect(grade(["compile", "--help"]).stdout).toContain("--minify");
  });

  it("prints the package version", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    expect(grade(["--version"]).stdout.trim()).toBe(version);
  });
});
