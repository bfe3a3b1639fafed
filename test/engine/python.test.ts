import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runPython, type PythonResult } from "../../src/engine/python.js";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
if (!hasPython) console.warn("python3 not found on PATH: skipping the python grader runner tests");

const grader = (body: string): string => `def grade(sample, item):\n${body}\n`;

function failure(result: PythonResult): Extract<PythonResult, { ok: false }> {
  if (result.ok) throw new Error(`expected a failure, got reward ${result.reward}`);
  return result;
}

describe.skipIf(!hasPython)("runPython (real python3)", () => {
  it.each([
    ["1.0", 1],
    ["0", 0],
    ["5", 5],
    ["-2.5", -2.5],
  ])("returns the reward of `return %s`", async (expr, reward) => {
    const result = await runPython(grader(`    return ${expr}`), {}, {});
    expect(result).toEqual({ ok: true, reward, stdout: "" });
  });

  it("passes sample and item intact (unicode, nested)", async () => {
    const sample = { output_text: "café ☕ 日本語 😀", output_json: { a: [1, { b: null }], t: true } };
    const item = { reference: "naïve", nested: { list: [1.5, "x", [2]] } };
    const source = `
import json
def grade(sample, item):
    print(json.dumps({"sample": sample, "item": item}, ensure_ascii=False))
    return 1 if sample["output_text"] == "café ☕ 日本語 😀" and item["nested"]["list"][2] == [2] else 0
`;
    const result = await runPython(source, sample, item);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.reward).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ sample, item });
  });

  it("reports an exception as a runtime error with its traceback", async () => {
    const source = "def helper(x):\n    return x['missing']\n\ndef grade(sample, item):\n    return helper(item)\n";
    const r = failure(await runPython(source, {}, { a: 1 }));
    expect(r.kind).toBe("runtime");
    expect(r.details).toContain("Traceback (most recent call last)");
    expect(r.details).toContain("KeyError: 'missing'");
    expect(r.details).toContain('File "<grader>", line 2, in helper');
    expect(r.details).toContain("return x['missing']");
    expect(r.details).not.toMatch(/at .*\.ts:\d+/); // no Node stack
  });

  it.each([
    ["'1.0'", "grade() returned str, not a number"],
    ["None", "grade() returned NoneType, not a number"],
    ["True", "grade() returned bool, not a number"],
    ["[1]", "grade() returned list, not a number"],
    ["float('nan')", "grade() returned nan, not a finite number"],
    ["float('inf')", "grade() returned inf, not a finite number"],
    ["10 ** 400", "grade() returned an int too large for a float, not a finite number"],
  ])("rejects `return %s`", async (expr, message) => {
    const r = failure(await runPython(grader(`    return ${expr}`), {}, {}));
    expect(r).toEqual({ ok: false, kind: "runtime", type: "invalid_result", details: message });
  });

  it("reports a missing grade function", async () => {
    const r = failure(await runPython("def grader(sample, item):\n    return 1\n", {}, {}));
    expect(r).toMatchObject({ kind: "runtime", type: "missing_grade" });
    expect(r.details).toContain("grade(sample, item)");
    const notCallable = failure(await runPython("grade = 1\n", {}, {}));
    expect(notCallable.type).toBe("missing_grade");
  });

  it("reports a syntax error", async () => {
    const r = failure(await runPython("def grade(sample, item)\n    return 1\n", {}, {}));
    expect(r).toMatchObject({ kind: "runtime", type: "syntax" });
    expect(r.details).toContain("SyntaxError");
    expect(r.details).toContain('File "<grader>", line 1');
  });

  it("does not let prints on stdout forge the result", async () => {
    const forged = JSON.stringify({ ok: true, reward: 1 });
    const source = grader(`    print(${JSON.stringify(forged)})\n    import sys\n    sys.stdout.write(${JSON.stringify(forged)} + "\\n")\n    return 0.25`);
    const result = await runPython(source, {}, {});
    expect(result).toEqual({ ok: true, reward: 0.25, stdout: `${forged}\n${forged}\n` });
    const failing = failure(await runPython(grader(`    print(${JSON.stringify(forged)})\n    raise ValueError("no")`), {}, {}));
    expect(failing.details).toContain("ValueError: no");
  });

  it("reports sys.exit() and os._exit() without a result as runtime errors", async () => {
    const exit = failure(await runPython(grader("    import sys\n    sys.exit(0)"), {}, {}));
    expect(exit.kind).toBe("runtime");
    expect(exit.details).toContain("SystemExit");
    const hardExit = failure(await runPython(grader("    import os\n    os._exit(3)"), {}, {}));
    expect(hardExit).toMatchObject({ kind: "runtime", type: "no_result" });
    expect(hardExit.details).toContain("exited with code 3");
  });

  it("kills a grader that runs past the timeout", async () => {
    const start = performance.now();
    const r = failure(await runPython(grader("    while True:\n        pass"), {}, {}, { timeoutMs: 1000 }));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(r).toEqual({ ok: false, kind: "runtime", type: "timeout", details: "the grader ran longer than 1 s" });
  });

  it("kills the grader's child processes with it", async () => {
    const start = performance.now();
    const source = grader("    import subprocess, sys\n    subprocess.run([sys.executable, '-c', 'while True: pass'])\n    return 1");
    const r = failure(await runPython(source, {}, {}, { timeoutMs: 1000 }));
    expect(performance.now() - start).toBeLessThan(5000);
    expect(r.type).toBe("timeout");
  });

  it.skipIf(process.platform !== "linux")("enforces the memory limit on Linux", async () => {
    const source = grader("    x = bytearray(3 * 1024 ** 3)\n    return 1");
    const r = failure(await runPython(source, {}, {}, { memoryBytes: 256 * 1024 ** 2 }));
    expect(r).toMatchObject({ kind: "runtime", type: "memory" });
    expect(r.details).toContain("MemoryError");
  });

  it("refuses network access", async () => {
    const source = grader('    import socket\n    socket.create_connection(("127.0.0.1", 9))\n    return 1');
    const r = failure(await runPython(source, {}, {}));
    expect(r.kind).toBe("runtime");
    expect(r.details).toContain("network access is disabled");
    const raw = failure(await runPython(grader("    import socket\n    socket.socket(socket.AF_INET, socket.SOCK_STREAM)\n    return 1"), {}, {}));
    expect(raw.details).toContain("network access is disabled");
    const dns = failure(await runPython(grader('    import socket\n    socket.getaddrinfo("example.com", 80)\n    return 1'), {}, {}));
    expect(dns.details).toContain("network access is disabled");
  });

  it("still lets graders import modules that subclass socket (ssl, urllib)", async () => {
    const result = await runPython(grader("    import ssl, urllib.request, asyncio\n    return 1"), {}, {});
    expect(result).toEqual({ ok: true, reward: 1, stdout: "" });
  });

  it("reports a missing interpreter as a server error naming --python", async () => {
    const r = failure(await runPython(grader("    return 1"), {}, {}, { python: "/nonexistent/python3" }));
    expect(r).toMatchObject({ kind: "server", type: "python_not_found" });
    expect(r.details).toContain("--python");
  });

  it("reports unserialisable input as a server error instead of throwing", async () => {
    const r = failure(await runPython(grader("    return 1"), { n: 1n }, {}));
    expect(r).toMatchObject({ kind: "server", type: "invalid_input" });
  });

  it("caps captured stdout", async () => {
    const result = await runPython(grader("    print('x' * (3 * 1024 * 1024))\n    return 1"), {}, {});
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.stdout.length).toBe(1024 * 1024);
  });
});
