import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grade, root } from "../helpers/cli.js";

/*
 * Without a sandbox (here: a PATH with python3 and no bwrap), `grade run` and `grade test` still
 * run python graders, after one line saying what holds; `grade serve` refuses them unless
 * --unsandboxed-python.
 */

const probe = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" });
const python = probe.status === 0 ? probe.stdout.trim() : undefined;
const NOTICE =
  "grade: notice: python graders run WITHOUT a sandbox (bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)): memory, process count and time limits and a scrubbed environment hold; files, network and processes of this machine are reachable\n";

describe.skipIf(process.platform !== "linux" || !python)("no sandbox available", () => {
  let bin: string;
  beforeAll(() => {
    bin = mkdtempSync(join(tmpdir(), "gradelang-nobwrap-"));
    symlinkSync(python!, join(bin, "python3"));
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  it("grade run: one notice line on stderr, then the reward", () => {
    const run = grade(["run", "examples/graders/json-valid.grade", "--sample", '{"a": 1}', "--json"], { env: { PATH: bin } });
    expect(run.stderr).toBe(NOTICE);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).reward).toBe(1);
  });

  for (const flag of [[], ["--unsandboxed-python"]]) {
    it(`grade serve ${flag.join(" ") || "(no flag)"}: says what it does with python graders`, async () => {
      const child = spawn(process.execPath, [join(root, "bin/grade.js"), "serve", "--port", "0", ...flag], { cwd: root, env: { PATH: bin, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(stderr)), 20_000);
        child.stderr!.setEncoding("utf8").on("data", (text: string) => {
          stderr += text;
          if (stderr.includes("Ctrl-C stops.")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      child.kill("SIGINT");
      await new Promise((resolve) => child.on("exit", resolve));
      const reason = "(bwrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)): memory, process count and time limits and a scrubbed environment hold; files, network and processes of this machine are reachable";
      if (flag.length === 0) {
        expect(stderr).toContain(`grade serve: python graders are refused (400), there is no sandbox here: ${reason}. --unsandboxed-python runs them anyway\n`);
        expect(stderr).toContain(", python refused (no sandbox). Ctrl-C stops.");
      } else {
        expect(stderr).toContain(`grade serve: warning: --unsandboxed-python: python graders run WITHOUT a sandbox ${reason}\n`);
        expect(stderr).toContain(", python UNSANDBOXED. Ctrl-C stops.");
      }
    });
  }

  it("a missing interpreter: no notice (nothing runs), python_not_found", () => {
    const run = grade(["run", "examples/graders/json-valid.grade", "--sample", "{}", "--python", "/nonexistent/python3"], { env: { PATH: bin } });
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("python interpreter not found: /nonexistent/python3 (install python3 or pass its path with the --python option)");
  });

  it("grade run with the sandbox: no notice", () => {
    const run = grade(["run", "examples/graders/json-valid.grade", "--sample", '{"a": 1}', "--json"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});
