import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPython, type PythonResult } from "../../src/engine/python.js";
import { createPythonWorker } from "../../src/engine/python-worker.js";
import { PROCESS_LIMIT, sandboxStatus, scrubbedEnv } from "../../src/engine/sandbox.js";

/*
 * Python graders that attack the machine, in the bubblewrap sandbox (Linux; CI installs
 * bubblewrap, so on Linux these tests fail rather than skip when the sandbox is missing) and,
 * for the limits that must hold without one, in the fallback too.
 */

const linux = process.platform === "linux";

function reward(result: PythonResult): number {
  if (!result.ok) throw new Error(`expected a reward, got ${result.kind}/${result.type}: ${result.details}`);
  return result.reward;
}

/** Host processes whose command line contains `marker` (Linux), zombies left out. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, "latin1").includes(marker)) continue;
      if (/^State:\s*Z/m.test(readFileSync(`/proc/${name}/status`, "utf8"))) continue;
      found.push(Number(name));
    } catch {
      /* gone */
    }
  }
  return found;
}

async function noneLeft(marker: string): Promise<number[]> {
  let left = processesWith(marker);
  for (let i = 0; i < 30 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesWith(marker);
  }
  return left;
}

describe.skipIf(!linux)("the python sandbox (bubblewrap)", () => {
  it("is on: bwrap is installed and starts here (CI installs the bubblewrap package)", () => {
    const status = sandboxStatus();
    expect(status.notice).toMatch(/^python graders run in a bubblewrap sandbox/);
    expect(status.sandboxed).toBe(true);
  });

  it("shows the grader none of the parent's environment", async () => {
    process.env["GRADELANG_TEST_SECRET"] = "sk-test-not-for-graders";
    try {
      const source = `import os\ndef grade(sample, item):\n    print(sorted(os.environ))\n    return 1.0 if any("sk-test" in v for v in os.environ.values()) else 0.0\n`;
      const result = await runPython(source, {}, {});
      expect(reward(result)).toBe(0);
      expect(result.ok && result.stdout).toContain("'PATH'");
      expect(result.ok && result.stdout).not.toContain("GRADELANG_TEST_SECRET");
    } finally {
      delete process.env["GRADELANG_TEST_SECRET"];
    }
  });

  it("lets it read no file of the host but the system's: not /etc/passwd, not the project", async () => {
    const project = join(process.cwd(), "package.json");
    const source = `def grade(sample, item):
    found = 0
    for path in ["/etc/passwd", ${JSON.stringify(project)}, "/root/.bashrc", "/etc/shadow"]:
        try:
            open(path).read()
            found += 1
        except OSError:
            pass
    return found
`;
    expect(reward(await runPython(source, {}, {}))).toBe(0);
  });

  it("lets it write nowhere but its own /tmp", async () => {
    const host = mkdtempSync(join(tmpdir(), "gradelang-sandbox-"));
    const targets = [join(host, "marker"), join(process.cwd(), "sandbox-marker.txt"), "/usr/sandbox-marker", "/sandbox-marker"];
    try {
      const source = `def grade(sample, item):
    wrote = 0
    for path in ${JSON.stringify(targets)}:
        try:
            with open(path, "w") as f:
                f.write("x")
            wrote += 1
        except OSError:
            pass
    with open("/tmp/own", "w") as f:
        f.write("mine")
    return wrote + 10 * (open("/tmp/own").read() == "mine")
`;
      expect(reward(await runPython(source, {}, {}))).toBe(10);
      for (const target of targets) expect(existsSync(target)).toBe(false);
    } finally {
      rmSync(host, { recursive: true, force: true });
    }
  });

  describe("network", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    beforeAll(async () => {
      server = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("has none: a raw _socket to a loopback port this test listens on fails", async () => {
      const source = `import _socket
def grade(sample, item):
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(("127.0.0.1", ${port}))
    except OSError as e:
        print(type(e).__name__, e)
        return 0.0
    return 1.0
`;
      const result = await runPython(source, {}, {});
      expect(reward(result)).toBe(0);
      expect(connections).toBe(0);
    });
  });

  it("contains a fork bomb of 10,000 processes: forks fail past the process limit, none is left", async () => {
    const marker = `forkbomb-${process.pid}-${Date.now()}`;
    const source = `import os, subprocess, sys, time
def grade(sample, item):
    n = 0
    for i in range(10000):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                os.execv("/bin/sleep", ["sleep-${marker}", "60"])
            finally:
                os._exit(0)
        n += 1
    return n
`;
    const forks = reward(await runPython(source, {}, {}, { timeoutMs: 60_000 }));
    expect(forks).toBeGreaterThan(10);
    expect(forks).toBeLessThan(PROCESS_LIMIT);
    expect(await noneLeft(marker)).toEqual([]);
  });

  it("stops a 4 GB allocation, also after the grader tried to raise its memory limit", async () => {
    const source = `import resource
def grade(sample, item):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass
    x = bytearray(4 * 1024 ** 3)
    return 1.0
`;
    const result = await runPython(source, {}, {});
    expect(result).toMatchObject({ ok: false, kind: "runtime", type: "memory" });
  });

  it("caps /tmp at 1 GB: writing past it fails with ENOSPC", async () => {
    const source = `import errno
def grade(sample, item):
    chunk = b"x" * (64 * 1024 ** 2)
    written = 0
    try:
        for i in range(5):
            with open("/tmp/fill%d" % i, "wb") as f:
                for j in range(4):
                    f.write(chunk)
                    written += len(chunk)
    except OSError as e:
        print(errno.errorcode.get(e.errno), written)
        return 1.0 if e.errno == errno.ENOSPC and written <= 1024 ** 3 else 2.0
    return 0.0
`;
    const result = await runPython(source, {}, {}, { timeoutMs: 60_000 });
    expect(reward(result)).toBe(1);
    expect(result.ok && result.stdout).toMatch(/^ENOSPC /);
  });

  it("runs a venv's interpreter with its packages (--python .venv/bin/python)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradelang-venv-"));
    try {
      const made = spawnSync("python3", ["-m", "venv", "--without-pip", join(dir, "venv")], { encoding: "utf8" });
      expect(made.status, made.stderr).toBe(0);
      const python = join(dir, "venv", "bin", "python");
      const site = spawnSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).stdout.trim();
      writeFileSync(join(site, "gradelang_venv_probe.py"), "VALUE = 0.25\n");
      const source = "import sys, gradelang_venv_probe\ndef grade(sample, item):\n    print(sys.prefix)\n    return gradelang_venv_probe.VALUE\n";
      const result = await runPython(source, {}, {}, { python });
      expect(reward(result)).toBe(0.25);
      expect(result.ok && result.stdout.trim()).toBe(join(dir, "venv"));
      const w = createPythonWorker(source, { python });
      try {
        expect(reward(await w.grade({}, {}))).toBe(0.25);
      } finally {
        await w.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps warm workers working inside it: state persists, a timeout starts a fresh sandbox", async () => {
    const w = createPythonWorker(`import os\nID = int.from_bytes(os.urandom(4), "big")\ncalls = []\ndef grade(sample, item):\n    if sample.get("hang"):\n        while True:\n            pass\n    calls.append(1)\n    return ID + len(calls) / 1000\n`, { timeoutMs: 1500 });
    try {
      const first = reward(await w.grade({}, {}));
      const second = reward(await w.grade({}, {}));
      expect(Math.round((second - first) * 1000)).toBe(1);
      expect(await w.grade({ hang: true }, {})).toMatchObject({ ok: false, kind: "runtime", type: "timeout" });
      const fresh = reward(await w.grade({}, {}));
      expect(Math.floor(fresh)).not.toBe(Math.floor(first));
    } finally {
      await w.close();
    }
  });
});

// Issue 18 5b: a grandchild in a new session that ignores SIGTERM dies at the timeout, with the
// sandbox (its pid namespace) and without one (the driver is a child subreaper).
describe.skipIf(!linux)("the timeout kills every process of a grader", () => {
  for (const sandbox of ["auto", "off"] as const) {
    it(`a grandchild with start_new_session=True ignoring SIGTERM (sandbox ${sandbox})`, async () => {
      const marker = `outlive-${sandbox}-${process.pid}-${Date.now()}`;
      const source = `import subprocess, sys, time
def grade(sample, item):
    subprocess.Popen([sys.executable, "-c", "import os, signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\nif os.fork() == 0:\\n    os.setsid()\\ntime.sleep(600)  # ${marker}"], start_new_session=True)
    time.sleep(600)
`;
      const result = await runPython(source, {}, {}, { timeoutMs: 1500, sandbox });
      expect(result).toMatchObject({ ok: false, kind: "runtime", type: "timeout" });
      expect(await noneLeft(marker)).toEqual([]);
      const w = createPythonWorker(source, { timeoutMs: 1500, sandbox });
      try {
        expect(await w.grade({}, {})).toMatchObject({ ok: false, kind: "runtime", type: "timeout" });
        expect(await noneLeft(marker)).toEqual([]);
      } finally {
        await w.close();
      }
    });
  }

  for (const sandbox of ["auto", "off"] as const) {
    it(`a grader that returns, leaving a new-session grandchild behind (sandbox ${sandbox})`, async () => {
      const marker = `left-${sandbox}-${process.pid}-${Date.now()}`;
      const source = `import subprocess, sys
def grade(sample, item):
    subprocess.Popen([sys.executable, "-c", "import signal, time\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\ntime.sleep(600)  # ${marker}"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return 1.0
`;
      expect(reward(await runPython(source, {}, {}, { sandbox }))).toBe(1);
      expect(await noneLeft(marker)).toEqual([]);
    });
  }

  it("sets the memory limit hard outside a sandbox too", async () => {
    const source = `import resource
def grade(sample, item):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    nsoft, nhard = resource.getrlimit(resource.RLIMIT_NPROC)
    return 1.0 if soft == hard == 2 * 1024 ** 3 and nsoft == nhard and nhard != resource.RLIM_INFINITY else 0.0
`;
    expect(reward(await runPython(source, {}, {}, { sandbox: "off" }))).toBe(1);
  });
});

describe("the fallback's environment", () => {
  it("keeps what an interpreter needs and drops everything else", () => {
    const env = scrubbedEnv({ PATH: "/usr/bin", HOME: "/home/u", OPENAI_API_KEY: "sk-x", GRADE_SERVE_TOKEN: "t", AWS_SECRET_ACCESS_KEY: "a", LANG: "C.UTF-8" });
    expect(env).toEqual({ PATH: "/usr/bin", HOME: "/home/u", LANG: "C.UTF-8", PYTHONIOENCODING: "utf-8" });
  });

  it.skipIf(!linux)("reaches the grader with no secret", async () => {
    process.env["GRADELANG_TEST_SECRET"] = "sk-test-not-for-graders";
    try {
      const source = `import os\ndef grade(sample, item):\n    return 1.0 if "GRADELANG_TEST_SECRET" in os.environ else 0.0\n`;
      expect(reward(await runPython(source, {}, {}, { sandbox: "off" }))).toBe(0);
    } finally {
      delete process.env["GRADELANG_TEST_SECRET"];
    }
  });
});
