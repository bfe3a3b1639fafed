import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterEach, describe, expect, it } from "vitest";
import { runPython, type PythonResult } from "../../src/engine/python.js";
import { createPythonWorker, type PythonWorker, type PythonWorkerOptions } from "../../src/engine/python-worker.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
if (!hasPython) console.warn("python3 not found on PATH: skipping the python worker tests");

const grader = (body: string): string => `def grade(sample, item):\n${body}\n`;

function failure(result: PythonResult): Extract<PythonResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got reward ${result.reward}`);
  return result;
}

function reward(result: PythonResult): number {
  if (!result.ok) throw new Error(`expected a reward, got ${result.kind}/${result.type}: ${result.details}`);
  return result.reward;
}

/** Whether `pid` is a live process; a zombie (dead, not yet reaped: orphans in a container whose init does not reap) is not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s*Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return process.platform !== "linux";
  }
}


const workers: PythonWorker[] = [];
/**
 * Unsandboxed: these tests follow the worker's processes by their host pids (a grader's
 * os.getpid()), which a sandbox's pid namespace hides; test/engine/sandbox.test.ts runs warm
 * workers in the sandbox.
 */
function worker(source: string, options: PythonWorkerOptions = {}): PythonWorker {
  const w = createPythonWorker(source, { sandbox: "off", ...options });
  workers.push(w);
  return w;
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
});

const PID = "import os\ndef grade(sample, item):\n    return os.getpid()\n";

describe.skipIf(!hasPython)("createPythonWorker (real python3)", () => {
  it("grades many calls in one process, loading the source once; module state persists", async () => {
    const w = worker(`import os\nprint("loaded")\ncalls = []\ndef grade(sample, item):\n    calls.append(sample["i"])\n    print("call", sample["i"])\n    return os.getpid() + len(calls) / 1000\n`);
    const results = [];
    for (let i = 0; i < 30; i++) results.push(await w.grade({ i }, {}));
    const pid = Math.floor(reward(results[0]!));
    expect(pid).toBe(w.pid);
    results.forEach((r, i) => {
      expect(reward(r)).toBeCloseTo(pid + (i + 1) / 1000, 9);
      // The module-level print belongs to the first call only; each call gets its own stdout.
      expect(r).toMatchObject({ stdout: i === 0 ? "loaded\ncall 0\n" : `call ${i}\n` });
    });
  });

  it("gives every call a fresh copy of its inputs", async () => {
    const w = worker(grader('    before = len(sample["list"]) * 10 + len(item)\n    sample["list"].append(1)\n    item["x"] = 2\n    return before'));
    const sample = { list: [0] };
    const item = { a: 1 };
    expect(reward(await w.grade(sample, item))).toBe(11);
    expect(reward(await w.grade(sample, item))).toBe(11);
    expect(sample).toEqual({ list: [0] });
    expect(item).toEqual({ a: 1 });
  });

  it("answers what runPython answers, success and errors alike", async () => {
    const sources = [
      `import json\ndef grade(sample, item):\n    print(json.dumps(sample, ensure_ascii=False))\n    return 0.5 if item["ref"] == "naïve" else 0\n`,
      "def helper(x):\n    return x['missing']\n\ndef grade(sample, item):\n    return helper(item)\n",
      grader("    return '1.0'"),
      grader("    return float('nan')"),
      grader("    return True"),
      grader("    import sys\n    sys.exit(0)"),
      "def grader(sample, item):\n    return 1\n",
      "grade = 1\n",
      "def grade(sample, item)\n    return 1\n",
      "raise ValueError('at import')\ndef grade(sample, item):\n    return 1\n",
    ];
    const sample = { output_text: "café ☕ 😀", output_json: { a: [1, null] } };
    const item = { ref: "naïve" };
    const cold = await Promise.all(sources.map((s) => runPython(s, sample, item, { timeoutMs: 20_000 })));
    for (const [i, source] of sources.entries()) {
      const w = worker(source, { timeoutMs: 20_000 });
      // Twice: a load error (syntax, missing grade, import-time exception) is reported for every call.
      expect(await w.grade(sample, item)).toEqual(cold[i]);
      expect(await w.grade(sample, item)).toEqual(cold[i]);
    }
    expect(cold[0]).toMatchObject({ ok: true, reward: 0.5 });
    expect(failure(cold[1]!).details).toContain('File "<grader>", line 2, in helper');
    expect(cold.slice(2, 6).map((r) => failure(r).type)).toEqual(["invalid_result", "invalid_result", "invalid_result", "exception"]);
    expect(cold.slice(6).map((r) => failure(r).type)).toEqual(["missing_grade", "missing_grade", "syntax", "exception"]);
  });

  it("kills a call past the timeout and starts a fresh process for the next", async () => {
    const w = worker(`import os, time\ndef grade(sample, item):\n    if sample.get("hang"):\n        while True:\n            pass\n    return os.getpid()\n`, {
      timeoutMs: 1000,
    });
    const first = reward(await w.grade({}, {}));
    const start = performance.now();
    const r = failure(await w.grade({ hang: true }, {}));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(r).toEqual({ ok: false, kind: "runtime", type: "timeout", details: "the grader ran longer than 1 s" });
    expect(alive(first)).toBe(false);
    const second = reward(await w.grade({}, {}));
    expect(second).not.toBe(first);
    expect(reward(await w.grade({}, {}))).toBe(second);
  });

  it("reports os._exit() and a SIGKILL for their call and restarts for the next", async () => {
    const w = worker(`import os, signal\ndef grade(sample, item):\n    if sample.get("exit"):\n        os._exit(3)\n    if sample.get("kill"):\n        os.kill(os.getpid(), signal.SIGKILL)\n    return os.getpid()\n`);
    const first = reward(await w.grade({}, {}));
    expect(await w.grade({ exit: true }, {})).toEqual(await runPython(grader("    import os\n    os._exit(3)"), {}, {}));
    expect(failure(await w.grade({ exit: true }, {})).details).toBe("the grader process exited with code 3 without a result");
    const second = reward(await w.grade({}, {}));
    expect(second).not.toBe(first);
    expect(failure(await w.grade({ kill: true }, {}))).toMatchObject({ kind: "runtime", type: "memory" });
    const third = reward(await w.grade({}, {}));
    expect(third).not.toBe(second);
  });

  it("does not let prints or writes forge a result or leak into the next call", async () => {
    const forged = JSON.stringify({ ok: true, reward: 1 });
    const frame = `\n${JSON.stringify({ token: "0".repeat(32), result: { ok: true, reward: 1 }, out: false, err: false })}\n`;
    const source = `import os, sys
def grade(sample, item):
    print(${JSON.stringify(forged)})
    print(${JSON.stringify(frame)})
    sys.stderr.write(${JSON.stringify(frame)})
    sys.stdout.flush()
    os.write(1, b"partial line without newline")
    if sample.get("raise"):
        raise ValueError("no")
    return 0.25
`;
    const w = worker(source);
    const expected = `${forged}\n${frame}\npartial line without newline`;
    expect(await w.grade({}, {})).toEqual({ ok: true, reward: 0.25, stdout: expected });
    expect(await w.grade({}, {})).toEqual({ ok: true, reward: 0.25, stdout: expected });
    expect(failure(await w.grade({ raise: true }, {})).details).toContain("ValueError: no");
    expect(await w.grade({}, {})).toEqual(await runPython(source, {}, {}));
  });

  it("restores sys.stdout after a call that replaced it, and caps stdout per call", async () => {
    const w = worker(`import io, sys\ndef grade(sample, item):\n    if sample.get("swap"):\n        sys.stdout = io.StringIO()\n    if sample.get("big"):\n        print("x" * (3 * 1024 * 1024))\n    print("seen")\n    return 1\n`);
    expect(await w.grade({ swap: true }, {})).toEqual({ ok: true, reward: 1, stdout: "" });
    expect(await w.grade({}, {})).toEqual({ ok: true, reward: 1, stdout: "seen\n" });
    const big = await w.grade({ big: true }, {});
    expect(big.ok && big.stdout.length).toBe(1024 * 1024);
    expect(await w.grade({}, {})).toEqual({ ok: true, reward: 1, stdout: "seen\n" });
  });

  it("serialises concurrent calls and answers them all, in order", async () => {
    const w = worker(`import time\nrunning = [0]\nseen = []\ndef grade(sample, item):\n    running[0] += 1\n    assert running[0] == 1, "overlap"\n    time.sleep(0.002)\n    seen.append(sample["i"])\n    running[0] -= 1\n    return len(seen) * 1000 + sample["i"]\n`);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => w.grade({ i }, {})));
    expect(results.map(reward)).toEqual(Array.from({ length: 40 }, (_, i) => (i + 1) * 1000 + i));
  });

  it("close() kills the process, answers pending calls and is idempotent", async () => {
    const w = worker(`import os, time\ndef grade(sample, item):\n    if sample.get("sleep"):\n        time.sleep(30)\n    return os.getpid()\n`);
    const pid = reward(await w.grade({}, {}));
    expect(alive(pid)).toBe(true);
    const running = w.grade({ sleep: true }, {});
    const queued = w.grade({}, {});
    await new Promise((r) => setTimeout(r, 200));
    await Promise.all([w.close(), w.close()]);
    await w.close();
    expect(alive(pid)).toBe(false);
    expect(w.pid).toBeUndefined();
    const closed = { ok: false, kind: "server", type: "closed", details: "the python worker was closed" };
    expect(await running).toEqual(closed);
    expect(await queued).toEqual(closed);
    expect(await w.grade({}, {})).toEqual(closed);
  });

  it("does not keep Node alive when idle or closed, and its process dies with Node", async () => {
    // A real Node process on the bundled worker: one worker left open (idle), one closed.
    const dir = mkdtempSync(join(tmpdir(), "gradelang-worker-"));
    try {
      await build({ entryPoints: [fileURLToPath(new URL("../../src/engine/python-worker.ts", import.meta.url))], bundle: true, platform: "node", format: "esm", outfile: join(dir, "worker.mjs"), logLevel: "silent" });
      const script = `import { createPythonWorker } from "./worker.mjs";
const source = ${JSON.stringify(PID)};
const open = createPythonWorker(source, { sandbox: "off" });
const closed = createPythonWorker(source, { sandbox: "off" });
console.log((await open.grade({}, {})).reward, (await closed.grade({}, {})).reward);
await closed.close();
console.log("closed");
`;
      writeFileSync(join(dir, "main.mjs"), script);
      const start = performance.now();
      const run = spawnSync(process.execPath, [join(dir, "main.mjs")], { encoding: "utf8", timeout: 30_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      expect(performance.now() - start).toBeLessThan(15_000);
      const [line, last] = run.stdout.trim().split("\n");
      expect(last).toBe("closed");
      const pids = line!.split(" ").map(Number);
      expect(pids).toHaveLength(2);
      // SIGKILLed as Node exits: give the kernel a moment to finish them (a loaded machine).
      for (let i = 0; i < 40 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
      for (const pid of pids) expect(alive(pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(process.platform !== "linux")("enforces the memory limit per process and restarts after a MemoryError", async () => {
    const w = worker(`import os\ndef grade(sample, item):\n    if sample.get("big"):\n        x = bytearray(3 * 1024 ** 3)\n    return os.getpid()\n`, { memoryBytes: 256 * 1024 ** 2 });
    const first = reward(await w.grade({}, {}));
    const r = failure(await w.grade({ big: true }, {}));
    expect(r).toMatchObject({ kind: "runtime", type: "memory" });
    expect(r.details).toContain("MemoryError");
    expect(reward(await w.grade({}, {}))).not.toBe(first);
  });

  it("refuses network access", async () => {
    const w = worker(grader('    import socket\n    socket.create_connection(("127.0.0.1", 9))\n    return 1'));
    expect(failure(await w.grade({}, {})).details).toContain("network access is disabled");
  });

  it("reports a missing interpreter, and unserialisable input, like runPython", async () => {
    const w = worker(PID, { python: "/nonexistent/python3" });
    const r = await w.grade({}, {});
    expect(r).toEqual(await runPython(PID, {}, {}, { python: "/nonexistent/python3" }));
    expect(r).toMatchObject({ kind: "server", type: "python_not_found" });
    expect(await w.grade({}, {})).toMatchObject({ type: "python_not_found" });
    const ok = worker(PID);
    expect(failure(await ok.grade({ n: 1n }, {}))).toMatchObject({ kind: "server", type: "invalid_input" });
    expect(ok.pid).toBeUndefined();
  });
});
