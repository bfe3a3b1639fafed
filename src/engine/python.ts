/*
 * The python grader runner: runs a grader's `grade(sample, item)` in a `python3` SUBPROCESS (never
 * in-process) through a small embedded driver, and maps what happens to the service's two error
 * kinds (`python_grader_runtime_error` + `_details`, `python_grader_server_error` + `_type`).
 *
 * Where it runs is sandbox.ts's decision: in a bubblewrap sandbox on Linux when bwrap works here
 * (no network, read-only system files, private 1 GB /tmp, minimal environment, pid namespace),
 * else unsandboxed with a scrubbed environment. Enforced here, in both cases:
 *  - timeout: everywhere, by killing the whole tree from Node (default 120 s; see killTree);
 *  - limits set by the driver, soft and hard: RLIMIT_AS (memory; Linux enforces it, macOS does
 *    not, Windows has none), RLIMIT_NPROC, RLIMIT_FSIZE, RLIMIT_CORE;
 *  - network: also blocked in-process by replacing `socket` entry points (what remains of it
 *    without a sandbox: best effort, a grader can reach `_socket`);
 *  - source size: not here, it is the checker's `python-size` rule.
 *
 * The result travels on a dedicated pipe (fd 3 in the child), so a grader's own prints on stdout
 * cannot forge it. `runPython` never throws.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { Readable } from "node:stream";
import { PROCESS_LIMIT, launchFor, type SandboxMode } from "./sandbox.js";

export type PythonResult =
  | { ok: true; reward: number; stdout: string }
  | { ok: false; kind: "runtime" | "server"; type?: string; details: string };

export interface PythonOptions {
  /** Interpreter to run (default `python3`). */
  python?: string;
  /** Wall-clock limit in milliseconds (default 120000, the service's 2 minutes). */
  timeoutMs?: number;
  /** Address-space limit in bytes (default 2 GB, the service's limit). Linux only in practice. */
  memoryBytes?: number;
  /** `auto` (default): bubblewrap when it works here, else unsandboxed; `off`: unsandboxed. */
  sandbox?: SandboxMode;
}

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MEMORY_BYTES = 2 * 1024 ** 3;
/** Cap on each captured stream (stdout, stderr, result pipe); the rest is read and discarded. */
export const OUTPUT_CAP_BYTES = 1024 * 1024;
/** After a kill, how long to wait for the pipes to close before giving up on them. @internal */
export const KILL_GRACE_MS = 2_000;

/**
 * Python shared by the one-shot driver (`PYTHON_DRIVER`) and the warm worker's driver
 * (`python-worker.ts`): limits, loading the source, calling `grade` and checking its value. Each
 * function returns the result object the drivers send: `{"ok": true, "reward": r}` or
 * `{"ok": false, "kind": ..., "type": ..., "details": ...}`. @internal
 */
export const PYTHON_PRELUDE = String.raw`
import json, linecache, math, os, sys, traceback

def _write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]

def _flush(*streams):
    for s in streams or (sys.stdout, sys.stderr):
        try:
            s.flush()
        except Exception:
            pass

def _arg(name):
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args[:-1] else None

def _drop_privileges():
    # A sandbox started by root: become uid/gid 65534 (a host root is exempt from RLIMIT_NPROC).
    uid = _arg("--drop-to")
    if uid is None:
        return
    uid = int(uid)
    try:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    except OSError:
        pass
    if os.getuid() != uid or os.geteuid() != uid or os.getgid() != uid:
        os.write(2, b"sandbox: cannot drop privileges to uid %d\n" % uid)
        os._exit(97)

def _own_tasks():
    # Processes and threads of this user now (RLIMIT_NPROC counts them all, outside a sandbox).
    uid, n = os.getuid(), 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            if os.stat("/proc/" + name).st_uid != uid:
                continue
            with open("/proc/" + name + "/stat", "rb") as f:
                n += int(f.read().rsplit(b")", 1)[1].split()[17])
        except (OSError, ValueError, IndexError):
            pass
    return n

def _kill_descendants():
    # Outside a sandbox (Linux, --subreaper): what the grader left running, in any session or
    # group, is still our descendant: stopped (so it cannot fork on), then killed.
    if "--subreaper" not in sys.argv[1:]:
        return
    import signal
    seen = set()
    for _ in range(20):
        fresh, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            try:
                tids = os.listdir("/proc/%d/task" % pid)
            except OSError:
                continue
            for tid in tids:
                try:
                    with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                        kids = [int(k) for k in f.read().split()]
                except (OSError, ValueError):
                    continue
                for k in kids:
                    todo.append(k)
                    if k not in seen:
                        fresh.append(k)
        if not fresh:
            break
        for k in fresh:
            seen.add(k)
            try:
                os.kill(k, signal.SIGSTOP)
            except OSError:
                pass
    for k in seen:
        try:
            os.kill(k, signal.SIGKILL)
        except OSError:
            pass

def _limit(resource, which, value):
    # Soft AND hard: a grader cannot raise them again.
    try:
        hard = resource.getrlimit(which)[1]
        if hard != resource.RLIM_INFINITY and hard < value:
            value = hard
        resource.setrlimit(which, (value, value))
    except (OSError, ValueError):
        pass

def _setup(memory, processes=0):
    try:
        sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
        sys.stderr.reconfigure(encoding="utf-8", errors="backslashreplace")
    except Exception:
        pass
    _drop_privileges()
    if "--subreaper" in sys.argv[1:]:
        # Outside a sandbox (Linux): orphans of the grader's processes stay our descendants, so
        # the timeout finds and kills them, start_new_session=True or not.
        try:
            import ctypes
            ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
        except Exception:
            pass

    # Limits (Linux enforces them all; macOS ignores RLIMIT_AS; Windows has no resource module).
    try:
        import resource
    except ImportError:
        resource = None
    if resource is not None:
        if memory and memory > 0:
            _limit(resource, resource.RLIMIT_AS, memory)
        if processes and processes > 0 and hasattr(resource, "RLIMIT_NPROC"):
            if "--relative-nproc" in sys.argv[1:]:
                try:
                    processes += _own_tasks()
                except OSError:
                    processes = 0
            if processes:
                _limit(resource, resource.RLIMIT_NPROC, processes)
        _limit(resource, resource.RLIMIT_CORE, 0)
        _limit(resource, resource.RLIMIT_FSIZE, 1024 ** 3)

    # Network: best effort, in-process only — not a sandbox.
    import socket

    class NetworkDisabledError(OSError):
        pass

    def _refuse(*args, **kwargs):
        raise NetworkDisabledError("network access is disabled for python graders")

    _unix = getattr(socket, "AF_UNIX", None)

    class _GuardedSocket(socket.socket):
        # A class (not a function) so that modules subclassing socket.socket (ssl) still import;
        # only AF_UNIX sockets (asyncio's self-pipe) may be created.
        def __init__(self, family=-1, *args, **kwargs):
            if family == -1:
                family = socket.AF_INET
            if _unix is None or family != _unix:
                _refuse()
            super().__init__(family, *args, **kwargs)

    socket.socket = _GuardedSocket
    socket.SocketType = _GuardedSocket
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
    socket.gethostbyname = _refuse
    socket.gethostbyname_ex = _refuse
    socket.create_server = _refuse

def _failure(e):
    # The first frame is the driver's own (the one that called exec or grade): left out.
    tb = e.__traceback__.tb_next if e.__traceback__ is not None else None
    text = "".join(traceback.format_exception(type(e), e, tb))
    err = {"ok": False, "kind": "runtime", "details": text[-65536:]}
    if isinstance(e, MemoryError):
        err["type"] = "memory"
    elif isinstance(e, SyntaxError):
        err["type"] = "syntax"
    else:
        err["type"] = "exception"
    return err

def _load(source):
    """Execs the source in a fresh module dict: (grade, None), or (None, the error result)."""
    filename = "<grader>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = {"__name__": "__grader__", "__builtins__": __builtins__}
    try:
        code = compile(source, filename, "exec")
        exec(code, module)
    except BaseException as e:
        return None, _failure(e)
    grade = module.get("grade")
    if not callable(grade):
        return None, {"ok": False, "kind": "runtime", "type": "missing_grade",
                      "details": "the source does not define a callable grade(sample, item)"}
    return grade, None

def _grade(grade, sample, item):
    try:
        reward = grade(sample, item)
    except BaseException as e:
        return _failure(e)
    if isinstance(reward, bool) or not isinstance(reward, (int, float)):
        return {"ok": False, "kind": "runtime", "type": "invalid_result",
                "details": "grade() returned %s, not a number" % type(reward).__name__}
    try:
        value = float(reward)
    except OverflowError:
        value = math.inf
    if not math.isfinite(value):
        return {"ok": False, "kind": "runtime", "type": "invalid_result",
                "details": "grade() returned %s, not a finite number" % ("an int too large for a float" if isinstance(reward, int) else repr(reward))}
    return {"ok": True, "reward": value}
`;

/**
 * The driver, run with `python3 -I -c`. It reads `{source, sample, item, memory}` as JSON on stdin
 * and writes exactly one JSON line to fd 3 (a private duplicate of it, fd 3 itself is closed first):
 * `{"ok": true, "reward": r}` or `{"ok": false, "kind": ..., "type": ..., "details": ...}`.
 */
export const PYTHON_DRIVER = String.raw`${PYTHON_PRELUDE}
def _main():
    out = os.dup(3)
    os.close(3)

    def emit(obj):
        _write_all(out, (json.dumps(obj) + "\n").encode("utf-8"))

    try:
        req = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        source, sample, item, memory = req["source"], req["sample"], req["item"], req["memory"]
        processes = req.get("processes", 0)
    except BaseException as e:
        emit({"ok": False, "kind": "server", "type": "bad_request", "details": repr(e)})
        return
    sys.stdin = open(os.devnull, "r")
    _setup(memory, processes)
    grade, result = _load(source)
    if result is None:
        result = _grade(grade, sample, item)
    _flush()
    emit(result)
    _kill_descendants()

_main()
`;

function collect(stream: Readable | null | undefined): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream?.on("data", (chunk: Buffer) => {
    if (size >= OUTPUT_CAP_BYTES) return;
    const part = chunk.subarray(0, OUTPUT_CAP_BYTES - size);
    chunks.push(part);
    size += part.length;
  });
  stream?.on("error", () => {});
  return () => Buffer.concat(chunks).toString("utf8");
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : Number(s.toFixed(3))} s`;
}

/** Pids of every descendant of `root` (Linux, from /proc), deepest last. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "latin1");
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/**
 * SIGKILLs the child and everything it started. In a sandbox the child is bwrap: killing it ends
 * the pid namespace, so every process of the grader. Outside one (Linux) the driver is a child
 * subreaper: its descendants, in any session or group, are found in /proc, stopped (a fork bomb
 * cannot outrun the walk) and killed; elsewhere the process group. The child alone on Windows. @internal
 */
export function killTree(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  if (process.platform === "win32") {
    try {
      child.kill("SIGKILL");
    } catch {
      /* already gone */
    }
    return;
  }
  if (process.platform === "linux" && child.exitCode === null && child.signalCode === null) {
    const seen = new Set<number>();
    for (let round = 0; round < 20; round++) {
      const fresh = descendants(pid).filter((p) => !seen.has(p));
      if (fresh.length === 0) break;
      for (const p of fresh) {
        seen.add(p);
        signal(p, "SIGSTOP");
      }
    }
    signal(-pid, "SIGKILL");
    signal(pid, "SIGKILL");
    for (const p of seen) signal(p, "SIGKILL");
    return;
  }
  signal(-pid, "SIGKILL");
  signal(pid, "SIGKILL");
}

/** SIGKILLs what is left in the process group of a child that has exited. @internal */
export function killLeftovers(child: ChildProcess): void {
  if (process.platform !== "win32" && child.pid !== undefined) signal(-child.pid, "SIGKILL");
}

/**
 * Starts the driver (`python -I -c driver`, in the sandbox when there is one) in its own process
 * group, with stdin, stdout, stderr and a result pipe on fd 3. Throws what `spawn` throws
 * synchronously. @internal
 */
export function spawnDriver(python: string, driver: string, mode: SandboxMode = "auto"): ChildProcess {
  const launch = launchFor(python, mode);
  return spawn(launch.command, [...launch.prefix, "-I", "-c", driver, ...launch.driverArgs], {
    stdio: ["pipe", "pipe", "pipe", "pipe"],
    detached: process.platform !== "win32",
    windowsHide: true,
    env: launch.env,
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Turns a driver result object into a PythonResult; `undefined` when it is not one. @internal */
export function toResult(value: unknown, stdout: string): PythonResult | undefined {
  if (!isRecord(value)) return undefined;
  if (value.ok === true && typeof value.reward === "number" && Number.isFinite(value.reward)) {
    return { ok: true, reward: value.reward, stdout };
  }
  if (value.ok === false && (value.kind === "runtime" || value.kind === "server") && typeof value.details === "string") {
    return typeof value.type === "string"
      ? { ok: false, kind: value.kind, type: value.type, details: value.details }
      : { ok: false, kind: value.kind, details: value.details };
  }
  return undefined;
}

/** Turns the driver's result line into a PythonResult; `undefined` when there is none. */
function parseResult(text: string, stdout: string): PythonResult | undefined {
  const line = text.trim().split("\n").pop();
  if (!line) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return toResult(value, stdout);
}

function tail(text: string, max = 4000): string {
  const t = text.trim();
  return t.length > max ? `…${t.slice(-max)}` : t;
}

/** @internal */
export function invalidInput(e: unknown): PythonResult {
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, kind: "server", type: "invalid_input", details: `sample or item cannot be sent as JSON: ${message}` };
}

/** `spawn` threw synchronously. @internal */
export function startFailure(python: string, e: unknown): PythonResult {
  const message = e instanceof Error ? e.message : String(e);
  return { ok: false, kind: "server", type: "spawn_error", details: `cannot start ${python}: ${message}` };
}

/** The child emitted `error` (interpreter missing, cannot run). @internal */
export function spawnFailure(python: string, e: NodeJS.ErrnoException): PythonResult {
  if (e.code === "ENOENT") {
    return {
      ok: false,
      kind: "server",
      type: "python_not_found",
      details: `python interpreter not found: ${python} (install python3 or pass its path with the --python option)`,
    };
  }
  return { ok: false, kind: "server", type: "spawn_error", details: `cannot run ${python}: ${e.code ?? e.message}` };
}

/** @internal */
export function timeoutFailure(timeoutMs: number): PythonResult {
  return { ok: false, kind: "runtime", type: "timeout", details: `the grader ran longer than ${seconds(timeoutMs)}` };
}

/** The process ended (not by our timeout) without sending a result. @internal */
export function exitFailure(code: number | null, signal: NodeJS.Signals | null, stderr: string): PythonResult {
  if (signal === "SIGKILL") {
    return {
      ok: false,
      kind: "runtime",
      type: "memory",
      details: "the grader process was killed (SIGKILL), most likely for exceeding the memory limit",
    };
  }
  const err = tail(stderr);
  if (/\bMemoryError\b/.test(err)) return { ok: false, kind: "runtime", type: "memory", details: err };
  const how = signal ? `was killed by ${signal}` : `exited with code ${String(code)}`;
  return {
    ok: false,
    kind: "runtime",
    type: signal ? "crash" : "no_result",
    details: `the grader process ${how} without a result${err ? `:\n${err}` : ""}`,
  };
}

/**
 * Runs `grade(sample, item)` from `source` in a fresh `python3` process. Never throws.
 */
export function runPython(source: string, sample: object, item: object, options: PythonOptions = {}): Promise<PythonResult> {
  const python = options.python ?? "python3";
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;

  let request: string;
  try {
    request = JSON.stringify({ source, sample, item, memory: memoryBytes, processes: PROCESS_LIMIT });
  } catch (e) {
    return Promise.resolve(invalidInput(e));
  }

  return new Promise<PythonResult>((resolve) => {
    let settled = false;
    const timers: { kill?: NodeJS.Timeout; grace?: NodeJS.Timeout } = {};
    const finish = (result: PythonResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timers.kill);
      clearTimeout(timers.grace);
      resolve(result);
    };

    let child: ChildProcess;
    try {
      child = spawnDriver(python, PYTHON_DRIVER, options.sandbox);
    } catch (e) {
      finish(startFailure(python, e));
      return;
    }

    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    const resultPipe = child.stdio[3];
    const result = collect(resultPipe as Readable | null | undefined);
    let timedOut = false;

    child.on("error", (e: NodeJS.ErrnoException) => finish(spawnFailure(python, e)));

    timers.kill = setTimeout(() => {
      timedOut = true;
      killTree(child);
      // Grandchildren outside the group could keep the pipes open: don't wait for them forever.
      timers.grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        (resultPipe as Readable | null | undefined)?.destroy();
        finish(timeoutFailure(timeoutMs));
      }, KILL_GRACE_MS);
    }, timeoutMs);

    child.on("close", (code: number | null, signal: NodeJS.Signals | null) => {
      if (timedOut) {
        finish(timeoutFailure(timeoutMs));
        return;
      }
      // Kill whatever the grader may have left behind in its group.
      killLeftovers(child);
      finish(parseResult(result(), stdout()) ?? exitFailure(code, signal, stderr()));
    });

    child.stdin?.on("error", () => {});
    child.stdin?.end(request);
  });
}
