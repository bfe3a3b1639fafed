/*
 * A warm python worker per grader: one long-lived `python3 -I` process that execs the grader's
 * source ONCE and then grades many samples, one at a time, for throughput (runPython pays the
 * interpreter start-up on every sample). `grade()` answers exactly what `runPython` answers — the
 * same PythonResult, error kinds, types and messages — so a caller can swap one for the other.
 *
 * Per call: a fresh copy of sample and item (JSON, decoded anew by the driver), the timeout (the
 * process group is killed and a fresh process is started for the next call), the memory limit and
 * network block (set once per process, as runPython sets them), the 1 MB caps on stdout, stderr and
 * the result, `stdout` captured for that call only. What persists between calls in one process: the
 * grader's module-level state (globals, caches, imported modules) — see src/engine/README.md.
 *
 * Wire protocol (all on private pipes, never on the grader's stdout):
 *  - Node → python, stdin (moved by the driver to a private fd; fd 0 becomes /dev/null): first line
 *    `{"source", "memory"}`, then one line per call: `<token> {"sample", "item"}`, where `token` is
 *    32 random hex digits, new for every call;
 *  - python → Node, fd 3 (moved to a private fd): one frame per call,
 *    `\n{"token", "result", "out", "err"}\n`; a frame whose token is not the current call's is
 *    ignored, and the leading newline ends any stray bytes before it;
 *  - after each call the driver writes the token itself on fd 1 and fd 2 (`out`/`err` say whether it
 *    could): what came before it on each stream is that call's output, so output cannot leak into
 *    the next call's `stdout`. The token is cut out of the text returned.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import {
  DEFAULT_MEMORY_BYTES,
  DEFAULT_TIMEOUT_MS,
  KILL_GRACE_MS,
  OUTPUT_CAP_BYTES,
  PYTHON_PRELUDE,
  exitFailure,
  invalidInput,
  killLeftovers,
  killTree,
  spawnDriver,
  spawnFailure,
  startFailure,
  timeoutFailure,
  toResult,
  type PythonOptions,
  type PythonResult,
} from "./python.js";
import { PROCESS_LIMIT, type SandboxMode } from "./sandbox.js";

export type PythonWorkerOptions = PythonOptions;

export interface PythonWorker {
  /**
   * Runs `grade(sample, item)` in the worker's process (started on first use, restarted after a
   * timeout, crash or memory error). Calls queue and run one at a time. Never throws.
   */
  grade(sample: object, item: object): Promise<PythonResult>;
  /** Kills the process (group); pending and later calls answer `server`/`closed`. Idempotent. */
  close(): Promise<void>;
  /** The pid of the live python process, if there is one (for diagnostics and tests). */
  readonly pid: number | undefined;
}

/** The answer to a call on a closed worker, or cut short by `close()`: `server`, type `closed`. */
function closed(): PythonResult {
  return { ok: false, kind: "server", type: "closed", details: "the python worker was closed" };
}

/** The worker's driver: the shared prelude, then a loop of calls. See the protocol above. */
export const PYTHON_WORKER_DRIVER = String.raw`${PYTHON_PRELUDE}
def _mark(fd, token):
    try:
        _write_all(fd, token)
        return True
    except OSError:
        return False

def _worker():
    requests = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    out = os.dup(3)
    os.close(3)
    sys.stdin = open(os.devnull, "r")

    try:
        init = json.loads(requests.readline().decode("utf-8"))
        source, memory, processes = init["source"], init["memory"], init.get("processes", 0)
    except BaseException as e:
        source, memory, processes = None, 0, 0
        error = {"ok": False, "kind": "server", "type": "bad_request", "details": repr(e)}
    _setup(memory, processes)
    if source is not None:
        grade, error = _load(source)
    stdio = (sys.stdin, sys.stdout, sys.stderr)

    while True:
        line = requests.readline()
        if not line:
            return
        token, _, body = line.rstrip(b"\n").partition(b" ")
        if error is not None:
            result = error
        else:
            try:
                req = json.loads(body.decode("utf-8"))
                sample, item = req["sample"], req["item"]
            except BaseException as e:
                result = {"ok": False, "kind": "server", "type": "bad_request", "details": repr(e)}
            else:
                result = _grade(grade, sample, item)
                del sample, item, req
        _flush(sys.stdout, sys.stderr, stdio[1], stdio[2])
        # A grader that replaced sys.stdout & co. does so for its call only, as in a fresh process.
        sys.stdin, sys.stdout, sys.stderr = stdio
        frame = {"token": token.decode("ascii", "replace"), "result": result, "out": _mark(1, token), "err": _mark(2, token)}
        _write_all(out, ("\n" + json.dumps(frame) + "\n").encode("ascii"))

_worker()
`;

/** Bytes kept up to OUTPUT_CAP_BYTES; the rest is dropped. */
class Capture {
  private chunks: Buffer[] = [];
  private size = 0;
  add(data: Buffer): void {
    if (this.size >= OUTPUT_CAP_BYTES || data.length === 0) return;
    const part = Buffer.from(data.subarray(0, OUTPUT_CAP_BYTES - this.size));
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Feeds one output stream of the process to the current call's Capture, up to its marker. */
class Splitter {
  private marker: Buffer | undefined;
  private capture: Capture | undefined;
  private carry: Buffer = Buffer.alloc(0);
  seen = false;

  constructor(private readonly onMarker: () => void) {}

  begin(marker: Buffer, capture: Capture): void {
    this.marker = marker;
    this.capture = capture;
    this.carry = Buffer.alloc(0);
    this.seen = false;
  }

  data(chunk: Buffer): void {
    const { marker, capture } = this;
    // Between calls (after a marker, before the next request) output has no call: dropped.
    if (!marker || !capture || this.seen) return;
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const at = buf.indexOf(marker);
    if (at >= 0) {
      capture.add(buf.subarray(0, at));
      this.carry = Buffer.alloc(0);
      this.seen = true;
      this.onMarker();
      return;
    }
    // Keep the last bytes back: they may be the start of a marker split across chunks.
    const keep = Math.min(buf.length, marker.length - 1);
    capture.add(buf.subarray(0, buf.length - keep));
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
  }

  /** The stream ended: what was held back belongs to the call. */
  end(): void {
    if (!this.seen && this.capture) this.capture.add(this.carry);
    this.carry = Buffer.alloc(0);
  }
}

/** Splits the result pipe into lines, dropping any line longer than the cap. */
class Lines {
  private buf = "";
  private skipping = false;
  constructor(private readonly onLine: (line: string) => void) {}
  data(chunk: Buffer): void {
    let text = chunk.toString("latin1");
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
      const line = this.buf + text.slice(0, nl);
      text = text.slice(nl + 1);
      this.buf = "";
      if (!this.skipping && line.length > 0) this.onLine(line);
      this.skipping = false;
    }
    if (this.skipping) return;
    this.buf += text;
    if (this.buf.length > OUTPUT_CAP_BYTES) {
      this.buf = "";
      this.skipping = true;
    }
  }
}

interface Frame {
  result: unknown;
  out: boolean;
  err: boolean;
}

interface Active {
  token: string;
  timeoutMs: number;
  stdout: Capture;
  stderr: Capture;
  frame?: Frame;
  timedOut: boolean;
  finish: (result: PythonResult) => void;
}

/** Workers' children still alive, killed if Node exits without closing them. */
const live = new Set<ChildProcess>();
let exitHook = false;

function track(child: ChildProcess): void {
  live.add(child);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const c of live) killTree(c);
    });
  }
}

type Refable = { ref?: () => void; unref?: () => void };

/** One python process of a worker. Dead once it has exited or been killed: never reused. */
class Proc {
  readonly child: ChildProcess | undefined;
  dead = false;
  /** Why we killed it, if we did. */
  private killedFor: "timeout" | "close" | "restart" | undefined;
  private active: Active | undefined;
  private readonly stdout: Splitter;
  private readonly stderr: Splitter;
  private graceTimer: NodeJS.Timeout | undefined;
  private goneResolve!: () => void;
  /** Resolves once the process is gone (pipes closed, or given up on after a kill). */
  readonly gone: Promise<void>;
  private startError: PythonResult | undefined;

  constructor(
    private readonly python: string,
    source: string,
    memoryBytes: number,
    sandbox: SandboxMode | undefined,
  ) {
    this.gone = new Promise<void>((resolve) => (this.goneResolve = resolve));
    this.stdout = new Splitter(() => this.check());
    this.stderr = new Splitter(() => this.check());
    let child: ChildProcess;
    try {
      child = spawnDriver(python, PYTHON_WORKER_DRIVER, sandbox);
    } catch (e) {
      this.startError = startFailure(python, e);
      this.dead = true;
      this.goneResolve();
      return;
    }
    this.child = child;
    track(child);
    child.stdout?.on("data", (chunk: Buffer) => this.stdout.data(chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.stderr.data(chunk));
    const lines = new Lines((line) => this.frame(line));
    const resultPipe = child.stdio[3] as Readable | null | undefined;
    resultPipe?.on("data", (chunk: Buffer) => lines.data(chunk));
    for (const s of [child.stdin, child.stdout, child.stderr, resultPipe]) s?.on("error", () => {});

    child.on("error", (e: NodeJS.ErrnoException) => {
      this.active?.finish(spawnFailure(python, e));
      this.dead = true;
      if (child.pid === undefined) this.gone_();
    });
    child.on("exit", () => {
      this.dead = true;
      // Kill whatever the grader left behind in its group; that also closes pipes they held.
      killLeftovers(child);
      this.startGrace();
    });
    child.on("close", () => this.gone_());
    child.stdin?.write(`${JSON.stringify({ source, memory: memoryBytes, processes: PROCESS_LIMIT })}\n`);
  }

  /** Runs one call. The caller never calls again before this settles. */
  call(request: string, timeoutMs: number): Promise<PythonResult> {
    return new Promise<PythonResult>((resolve) => {
      if (this.startError || !this.child || this.dead) {
        resolve(this.startError ?? exitFailure(this.child?.exitCode ?? null, this.child?.signalCode ?? null, ""));
        return;
      }
      const token = randomBytes(16).toString("hex");
      const active: Active = {
        token,
        timeoutMs,
        stdout: new Capture(),
        stderr: new Capture(),
        timedOut: false,
        finish: (result) => {
          if (this.active !== active) return;
          this.active = undefined;
          clearTimeout(timer);
          resolve(result);
        },
      };
      this.active = active;
      const marker = Buffer.from(token, "ascii");
      this.stdout.begin(marker, active.stdout);
      this.stderr.begin(marker, active.stderr);
      const timer = setTimeout(() => {
        active.timedOut = true;
        this.kill("timeout");
      }, timeoutMs);
      this.child.stdin?.write(`${token} ${request}\n`);
    });
  }

  /** Kills the process group; the active call (if any) is answered once it is gone. */
  kill(reason: "timeout" | "close" | "restart"): void {
    this.killedFor ??= reason;
    this.dead = true;
    const child = this.child;
    if (!child) return;
    // Referenced while it dies, so that `await close()` (or the timed-out call) is answered.
    this.ref(true);
    // Once it has exited (and its group was cleaned then), its pid/pgid may belong to someone else.
    if (child.exitCode === null && child.signalCode === null) killTree(child);
    this.startGrace();
  }

  ref(on: boolean): void {
    const child = this.child;
    if (!child) return;
    if (on) child.ref();
    else child.unref();
    for (const s of child.stdio) {
      const r = s as unknown as Refable | null;
      if (on) r?.ref?.();
      else r?.unref?.();
    }
  }

  private startGrace(): void {
    if (this.graceTimer !== undefined) return;
    // Grandchildren outside the group could keep the pipes open: don't wait for them forever.
    this.graceTimer = setTimeout(() => {
      const child = this.child;
      if (child) for (const s of child.stdio) s?.destroy();
      this.gone_();
    }, KILL_GRACE_MS);
    // An idle process that exits by itself must not hold Node for the grace period.
    if (!this.active && !this.killedFor) this.graceTimer.unref();
  }

  private gone_(): void {
    clearTimeout(this.graceTimer);
    this.dead = true;
    if (this.child) live.delete(this.child);
    this.stdout.end();
    this.stderr.end();
    const active = this.active;
    if (active) {
      if (this.killedFor === "close") active.finish(closed());
      else if (active.timedOut) active.finish(timeoutFailure(active.timeoutMs));
      else if (active.frame) this.complete(active, active.frame);
      else active.finish(exitFailure(this.child?.exitCode ?? null, this.child?.signalCode ?? null, active.stderr.text()));
    }
    this.goneResolve();
  }

  private frame(line: string): void {
    const active = this.active;
    if (!active || active.frame || active.timedOut) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const f = value as Record<string, unknown>;
    if (f.token !== active.token) return;
    active.frame = { result: f.result, out: f.out === true, err: f.err === true };
    this.check();
  }

  /** Answers the active call once its frame and both markers (when written) are in. */
  private check(): void {
    const active = this.active;
    const frame = active?.frame;
    if (!active || !frame) return;
    if (frame.out && !this.stdout.seen) return;
    if (frame.err && !this.stderr.seen) return;
    this.complete(active, frame);
  }

  private complete(active: Active, frame: Frame): void {
    const result = toResult(frame.result, active.stdout.text()) ?? {
      ok: false,
      kind: "runtime",
      type: "no_result",
      details: "the grader process sent a malformed result",
    };
    // A MemoryError may leave the process short of memory (module state is kept): start afresh.
    if (!result.ok && result.type === "memory") this.kill("restart");
    active.finish(result);
  }
}

interface Queued {
  request: string;
  resolve: (result: PythonResult) => void;
}

class Worker implements PythonWorker {
  private readonly python: string;
  private readonly timeoutMs: number;
  private readonly memoryBytes: number;
  private readonly sandbox: SandboxMode | undefined;
  private proc: Proc | undefined;
  private readonly procs = new Set<Proc>();
  private readonly queue: Queued[] = [];
  private running = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly source: string,
    options: PythonWorkerOptions,
  ) {
    this.python = options.python ?? "python3";
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
    this.sandbox = options.sandbox;
  }

  get pid(): number | undefined {
    return this.proc && !this.proc.dead ? this.proc.child?.pid : undefined;
  }

  grade(sample: object, item: object): Promise<PythonResult> {
    if (this.closing) return Promise.resolve(closed());
    let request: string;
    try {
      // Serialised now: later changes to sample/item by the caller do not reach the grader.
      request = JSON.stringify({ sample, item });
    } catch (e) {
      return Promise.resolve(invalidInput(e));
    }
    return new Promise<PythonResult>((resolve) => {
      this.queue.push({ request, resolve });
      this.pump();
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const q of this.queue.splice(0)) q.resolve(closed());
      const procs = [...this.procs];
      for (const p of procs) p.kill("close");
      this.proc = undefined;
      await Promise.all(procs.map((p) => p.gone));
    })();
    return this.closing;
  }

  private pump(): void {
    if (this.running || this.closing) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = true;
    const proc = this.current();
    proc.ref(true);
    void proc.call(next.request, this.timeoutMs).then((result) => {
      this.running = false;
      if (proc.dead) this.forget(proc);
      else proc.ref(this.queue.length > 0);
      next.resolve(result);
      this.pump();
    });
  }

  private current(): Proc {
    if (this.proc && !this.proc.dead) return this.proc;
    const proc = new Proc(this.python, this.source, this.memoryBytes, this.sandbox);
    this.proc = proc;
    this.procs.add(proc);
    void proc.gone.then(() => this.procs.delete(proc));
    return proc;
  }

  private forget(proc: Proc): void {
    if (this.proc === proc) this.proc = undefined;
  }
}

/**
 * A warm worker for one grader's `source`: a long-lived python process that loads the source once
 * and grades many samples. Same options and results as `runPython`. Never throws.
 */
export function createPythonWorker(source: string, options: PythonWorkerOptions = {}): PythonWorker {
  return new Worker(source, options);
}
