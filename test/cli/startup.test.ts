import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { root } from "../helpers/cli.js";

/*
 * What each command loads (scripts/bundle.js, src/schema/lazy.ts, src/syntax/lazy.ts): `--version`
 * and `--help` nothing of the checker, chevrotain, zod or prettier; `check` and `compile` of a
 * valid file neither chevrotain (the fast parser takes it) nor zod (the schema table answers).
 * The files of the bundle a run loads are logged by a resolve hook.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-startup-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const hook = path.join(tmp, "log-loads.mjs");
fs.writeFileSync(
  hook,
  `import { registerHooks } from "node:module";
registerHooks({
  resolve(specifier, context, next) {
    const result = next(specifier, context);
    process.stderr.write("LOADED " + result.url + "\\n");
    return result;
  },
});
`,
);

/** `grade args` in production mode (the tests' cross-checks off); the bundle files and packages it loaded. */
function loads(args: string[], input = ""): { code: number | null; stdout: string; stderr: string; files: string[] } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env["GRADE_CHECK_SCHEMAS"];
  delete env["GRADE_VALIDATE_GRAMMAR"];
  const result = spawnSync(process.execPath, ["--import", hook, path.join(root, "bin/grade.js"), ...args], { cwd: root, env, input, encoding: "utf8" });
  const urls = [...result.stderr.matchAll(/^LOADED (.*)$/gm)].map((m) => m[1]!);
  const files = urls
    .filter((u) => u.startsWith("file:"))
    .map((u) => {
      const p = new URL(u).pathname;
      const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p);
      return pkg ? `package:${pkg[1]}` : path.relative(root, p);
    });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^LOADED .*\n/gm, ""), files: [...new Set(files)].sort() };
}

const valid = path.join(tmp, "valid.grade");
fs.writeFileSync(valid, 'string_check "exact": sample.output_text eq item.label\n');

describe("start-up: what each command loads", () => {
  it("--version reads package.json only; --help loads main.js and io.js", () => {
    expect(loads(["--version"]).files).toEqual(["bin/grade.js"]);
    const help = loads(["--help"]);
    expect(help.code).toBe(0);
    expect(help.files).toEqual(["bin/grade.js", "dist/bundle/io.js", "dist/bundle/main.js", "package.json"]);
  });

  it("check and compile of a valid file load their command file, without chevrotain or zod", () => {
    const check = loads(["check", valid]);
    expect(check.code).toBe(0);
    expect(check.files).toEqual(["bin/grade.js", "dist/bundle/check.js", "dist/bundle/io.js", "dist/bundle/main.js", "package.json"]);
    const compile = loads(["compile", valid]);
    expect(compile.code).toBe(0);
    expect(JSON.parse(compile.stdout)).toMatchObject({ type: "string_check", operation: "eq" });
    expect(compile.files).toEqual(["bin/grade.js", "dist/bundle/compile.js", "dist/bundle/io.js", "dist/bundle/main.js", "package.json"]);
    for (const files of [check.files, compile.files]) expect(files.join(" ")).not.toMatch(/chevrotain|zod|prettier|graders\.js|full-parse\.js/);
  });

  it("a syntax error loads the chevrotain parser, and gets its messages", () => {
    const result = loads(["check", "-"], 'string_check "x" {\n  input: sample.output_text\n  reference: \n}\n');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("error[syntax]: expected a value (a string, number, name, template path, list or object), found `}`");
    expect(result.files).toContain("dist/bundle/full-parse.js");
    expect(result.files).not.toContain("dist/bundle/graders.js");
  });

  it("a grader only the schema rejects is explained without loading zod", () => {
    const seed = path.join(tmp, "seed.grade");
    fs.writeFileSync(seed, 'score_model "s" {\n  model: "m"\n  sampling_params { seed: 1e300 }\n  user "hi {{sample.output_text}}"\n}\n');
    const result = loads(["compile", seed]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error[invalid-value]: `sampling_params.seed` must be an integer of at most 9007199254740991 in size, not 1e+300");
    expect(result.files).not.toContain("dist/bundle/graders.js");
    const infinite = path.join(tmp, "infinite.grade");
    fs.writeFileSync(infinite, '// @target evals\ntext_similarity "s" {\n input: sample.output_text\n reference: "x"\n evaluation_metric: bleu\n pass_threshold: 1e999\n}\n');
    expect(loads(["compile", infinite]).stderr).toContain("error[invalid-value]: `pass_threshold` must be a finite number, not Infinity");
    expect(loads(["check", infinite]).stdout).toContain("error[invalid-value]: `pass_threshold` must be a finite number, not Infinity");
  });

  it("a directory loads tinyglobby (and its picomatch) besides", () => {
    const result = loads(["check", "examples"]);
    expect(result.files).toEqual(["bin/grade.js", "dist/bundle/check.js", "dist/bundle/io.js", "dist/bundle/main.js", "dist/bundle/tinyglobby.js", "package.json", "package:picomatch"]);
  });
});
