import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckOptions } from "../../src/check/context.js";
import { compiled, expectFindings, expectValid } from "../helpers/harness.js";

/*
 * A project in a temporary directory:
 *
 *   <parent>/proj/            the project root
 *     main.grade
 *     graders/ok.py
 *     ..dots.py               a name that starts with `..`, still inside
 *     graders/link.py      -> <parent>/outside/evil.py
 *     sub/inner.grade
 *     sub/inlink.py        -> ../graders/ok.py   (a link that stays inside)
 *     outdir               -> <parent>/outside   (a directory link out)
 *   <parent>/outside/evil.py
 */
let parent: string;
let root: string;
let okText: string;

beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-file-"));
  root = path.join(parent, "proj");
  fs.mkdirSync(path.join(root, "graders"), { recursive: true });
  fs.mkdirSync(path.join(root, "sub"));
  fs.mkdirSync(path.join(parent, "outside"));
  okText = "import json\n\ndef grade(sample, item) -> float:\n    return 1.0  # ünïcödé\n";
  fs.writeFileSync(path.join(root, "graders", "ok.py"), okText);
  fs.writeFileSync(path.join(root, "..dots.py"), okText);
  fs.writeFileSync(path.join(parent, "outside", "evil.py"), "def grade(sample, item):\n    return 0.0\n");
  fs.symlinkSync(path.join(parent, "outside", "evil.py"), path.join(root, "graders", "link.py"));
  fs.symlinkSync(path.join("..", "graders", "ok.py"), path.join(root, "sub", "inlink.py"));
  fs.symlinkSync(path.join(parent, "outside"), path.join(root, "outdir"));
});

afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

/** Writes `main.grade` with a python grader reading `arg`, returns its text; `file(` opens at 1:22. */
function project(arg: string, grade = "main.grade"): { source: string; options: CheckOptions } {
  const source = `python "p" { source: file(${arg}) }\n`;
  const filename = path.join(root, grade);
  fs.writeFileSync(filename, source);
  return { source: fs.readFileSync(filename, "utf8"), options: { filename, root } };
}

const fileError = (message: string, at: string, suggestion?: string) => ({ rule: "file", severity: "error", message, at, ...(suggestion ? { suggestion } : {}) });
const oneString = '`file()` takes one path string, as in `file("graders/check.py")`';
/** How the message shows a path: relative to the working directory under it, else absolute. */
const shown = (p: string) => {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
};

describe("file", () => {
  describe("reads files inside the project", () => {
    it("relative to the .grade file, giving the file's text as `source`", () => {
      for (const arg of ['"graders/ok.py"', '"./graders/ok.py"', '"graders/../graders/ok.py"', '"..dots.py"']) {
        const { source, options } = project(arg);
        expectValid("file", source, options);
        expect(compiled(source, options)).toEqual({ type: "python", name: "p", source: okText });
      }
    });

    it("from a .grade file in a subdirectory, with `..` that stays inside", () => {
      const { source, options } = project('"../graders/ok.py"', "sub/inner.grade");
      expectValid("file", source, options);
      expect(compiled(source, options)).toEqual({ type: "python", name: "p", source: okText });
    });

    it("through a symlink that stays inside the project", () => {
      const { source, options } = project('"sub/inlink.py"');
      expect(compiled(source, options)).toEqual({ type: "python", name: "p", source: okText });
    });
  });

  describe("reports", () => {
    it("a missing file, saying where it looked", () => {
      const { source, options } = project('"graders/missing.py"');
      expectFindings("file", source, options).toEqual([
        fileError(`\`graders/missing.py\` does not exist (looked for ${shown(path.join(root, "graders", "missing.py"))})`, "1:27-1:47"),
      ]);
    });

    it("a directory", () => {
      const { source, options } = project('"graders"');
      expectFindings("file", source, options).toEqual([fileError("`graders` is not a file", "1:27-1:36")]);
    });

    it("an absolute path, even one inside the project", () => {
      const inside = path.join(root, "graders", "ok.py");
      const { source, options } = project(JSON.stringify(inside));
      expectFindings("file", source, options).toEqual([
        fileError(
          `\`${inside}\` is an absolute path; file() reads only files inside the project`,
          `1:27-1:${29 + inside.length}`,
          "write the path relative to the .grade file",
        ),
      ]);
      const windows = project('"C:\\\\graders\\\\ok.py"');
      expectFindings("file", windows.source, windows.options).toEqual([
        expect.objectContaining({ message: "`C:\\graders\\ok.py` is an absolute path; file() reads only files inside the project" }),
      ]);
    });

    it("a `..` path that leaves the project, whether the target exists or not", () => {
      const outside = `\`../outside/evil.py\` is outside the project (${root})`;
      const suggestion = "keep graders' files inside the project directory";
      const a = project('"../outside/evil.py"');
      expectFindings("file", a.source, a.options).toEqual([fileError(outside, "1:27-1:47", suggestion)]);
      const b = project('"graders/../../outside/evil.py"');
      expectFindings("file", b.source, b.options).toEqual([
        fileError(`\`graders/../../outside/evil.py\` is outside the project (${root})`, "1:27-1:58", suggestion),
      ]);
      const c = project('"../../../../../../../../etc/passwd"');
      expectFindings("file", c.source, c.options).toEqual([expect.objectContaining({ message: expect.stringContaining("is outside the project") })]);
    });

    it("a symlink inside the project that points outside it (file or directory)", () => {
      const real = fs.realpathSync(path.join(parent, "outside", "evil.py"));
      const suggestion = "copy the file into the project instead of linking to it";
      const a = project('"graders/link.py"');
      expectFindings("file", a.source, a.options).toEqual([
        fileError(`\`graders/link.py\` is a link to a file outside the project (${real})`, "1:27-1:44", suggestion),
      ]);
      const b = project('"outdir/evil.py"');
      expectFindings("file", b.source, b.options).toEqual([
        fileError(`\`outdir/evil.py\` is a link to a file outside the project (${real})`, "1:27-1:43", suggestion),
      ]);
    });

    it("a file that cannot be read", () => {
      const { source, options } = project('"graders/ok.py"');
      const denied = Object.assign(new Error("permission denied"), { code: "EACCES" });
      const files = {
        readFile: (): string => {
          throw denied;
        },
        realpath: (p: string) => fs.realpathSync(p),
        isFile: (p: string) => fs.statSync(p).isFile(),
        exists: (p: string) => fs.existsSync(p),
      };
      expectFindings("file", source, { ...options, files }).toEqual([fileError("`graders/ok.py` cannot be read (EACCES)", "1:27-1:42")]);
    });
  });

  describe("reports a call that is not file(<one string>)", () => {
    it("no argument, at the call", () => {
      const { source, options } = project("");
      expectFindings("file", source, options).toEqual([fileError(oneString, "1:22-1:28")]);
    });

    it("two arguments, at the extra one", () => {
      const { source, options } = project('"graders/ok.py", "other.py"');
      expectFindings("file", source, options).toEqual([fileError(oneString, "1:44-1:54")]);
    });

    it("a number, a bare name, or a named argument", () => {
      const a = project("1");
      expectFindings("file", a.source, a.options).toEqual([fileError(oneString, "1:27-1:28")]);
      const b = project("graders");
      expectFindings("file", b.source, b.options).toEqual([fileError(oneString, "1:27-1:34")]);
      const c = project('path: "graders/ok.py"');
      expectFindings("file", c.source, c.options).toEqual([fileError(oneString, "1:27-1:48")]);
    });

    it("an empty path", () => {
      const { source, options } = project('""');
      expectFindings("file", source, options).toEqual([fileError("`file()` needs a path", "1:27-1:29")]);
    });
  });

  it("compile emits no JSON when file() fails", () => {
    for (const arg of ['"graders/missing.py"', '"../outside/evil.py"', '"graders/link.py"', "", '"graders"']) {
      const { source, options } = project(arg);
      expect(() => compiled(source, options)).toThrow(/no JSON[\s\S]*"rule": "file"/);
    }
  });
});

describe("projectRoot: the directory file() reads may not leave", () => {
  let base: string;
  beforeAll(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-root-")));
    fs.mkdirSync(path.join(base, "repo", ".git"), { recursive: true });
    fs.mkdirSync(path.join(base, "repo", "graders", "deep"), { recursive: true });
    fs.mkdirSync(path.join(base, "worktree", "graders"), { recursive: true });
    fs.writeFileSync(path.join(base, "worktree", ".git"), "gitdir: /elsewhere\n"); // a worktree's .git is a file
    fs.mkdirSync(path.join(base, "plain", "graders"), { recursive: true });
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it("is the git repository the file is in, from any working directory", async () => {
    const { projectRoot } = await import("../../src/check/files.js");
    const repo = path.join(base, "repo");
    for (const cwd of [repo, path.join(repo, "graders"), base, os.homedir()]) {
      expect(projectRoot(path.join(repo, "graders", "deep", "g.grade"), cwd), cwd).toBe(repo);
    }
    expect(projectRoot("graders/g.grade", repo)).toBe(repo);
    expect(projectRoot(path.join(base, "worktree", "graders", "g.grade"), base)).toBe(path.join(base, "worktree"));
  });

  it("outside a repository: the working directory when the file is under it, else the file's directory", async () => {
    const { projectRoot } = await import("../../src/check/files.js");
    const plain = path.join(base, "plain");
    expect(projectRoot(path.join(plain, "graders", "g.grade"), plain)).toBe(plain);
    expect(projectRoot(path.join(plain, "graders", "g.grade"), path.join(base, "repo"))).toBe(path.join(plain, "graders"));
    expect(projectRoot(undefined, plain)).toBe(plain); // standard input
  });
});
