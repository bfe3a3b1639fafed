import { Worker } from "node:worker_threads";
import type { RunResponse } from "../api/engine.js";
import { EngineError, type EngineErrorDetails, type EngineErrorKind } from "../api/errors.js";
import type { JsonObject } from "../emit/emit.js";
import type { EngineFactory, ReadyRow, RowEngine, RowOutcome } from "./engines.js";

/*
 * `grade eval --workers N`: local graders that need nothing but the CPU (string_check,
 * text_similarity but `cosine`, multi of those) graded on N worker threads instead of the main
 * one. Only the row dispatch changes: the loop of ./evaluate.ts still reads the rows, counts and
 * writes each result once, skips the rows already done and stops on signals; here, the rows it
 * starts are batched (all those started in one turn of the event loop, up to BATCH a thread),
 * sent to the thread with the fewest rows in flight, and their outcomes handed back **in the order
 * the rows were started** (a FIFO across the threads), so results come out in row order as they
 * do with one thread. Python graders (their own warm workers), model graders (their own requests
 * at once) and --remote keep their own pools.
 */

/** Rows a thread gets in one message. */
const BATCH = 128;

/** Rows in flight per thread that keep it busy between two batches. */
export const ROWS_IN_FLIGHT_PER_WORKER = 8 * BATCH;

/** True when every grader in `grader` needs the CPU only: string_check, text_similarity (not cosine), multi of those. */
export function cpuOnlyGrader(grader: JsonObject): boolean {
  switch (grader["type"]) {
    case "string_check":
      return true;
    case "text_similarity":
      return grader["evaluation_metric"] !== "cosine";
    case "multi": {
      const graders = grader["graders"];
      if (graders === null || typeof graders !== "object" || Array.isArray(graders)) return false;
      return Object.values(graders).every((g) => g !== null && typeof g === "object" && !Array.isArray(g) && cpuOnlyGrader(g as JsonObject));
    }
    default:
      return false;
  }
}

export interface WorkerBatch {
  readonly id: number;
  readonly rows: readonly { readonly sample: unknown; readonly item: unknown }[];
}

export interface WorkerAnswer {
  readonly id: number;
  readonly results: readonly (
    | { readonly response: RunResponse }
    | { readonly engineError: { readonly kind: EngineErrorKind; readonly message: string; readonly details: EngineErrorDetails } }
    | { readonly internal: string }
  )[];
}

interface Waiting {
  outcome: RowOutcome | undefined;
  readonly resolve: (outcome: RowOutcome) => void;
}

function outcomeOf(result: WorkerAnswer["results"][number]): RowOutcome {
  if ("response" in result) return { kind: "graded", response: result.response };
  if ("engineError" in result) {
    const e = result.engineError;
    return { kind: "fatal", error: new EngineError(e.kind, e.message, e.details) };
  }
  return { kind: "failed", message: `internal error: ${result.internal}` };
}

/** N threads grading one grader, shared by every slot of the eval loop. */
class Pool {
  private readonly threads: { worker: Worker; inFlight: number }[] = [];
  /** Rows started and not yet handed back, in the order they were started. */
  private readonly order: Waiting[] = [];
  private readonly sent = new Map<number, { thread: number; waiting: Waiting[] }>();
  private pending: { sample: unknown; item: unknown; waiting: Waiting }[] = [];
  private scheduled = false;
  private nextBatch = 0;
  private failure: string | undefined;
  private closed = false;

  constructor(grader: JsonObject, workers: number, script: URL) {
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(script, { workerData: { grader } });
      worker.on("message", (answer: WorkerAnswer) => this.answered(i, answer));
      worker.on("error", (error: Error) => this.fail(`a grading thread failed: ${error.message}`));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(`a grading thread exited (code ${code})`);
      });
      this.threads.push({ worker, inFlight: 0 });
    }
  }

  grade(row: ReadyRow): Promise<RowOutcome> {
    if (this.failure !== undefined) return Promise.resolve({ kind: "failed", message: `internal error: ${this.failure}` });
    return new Promise((resolve) => {
      const waiting: Waiting = { outcome: undefined, resolve };
      this.order.push(waiting);
      this.pending.push({ sample: row.sample, item: row.item, waiting });
      if (this.pending.length >= BATCH) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const rows = this.pending.splice(0, BATCH);
      let thread = 0;
      for (let i = 1; i < this.threads.length; i++) {
        if ((this.threads[i] as { inFlight: number }).inFlight < (this.threads[thread] as { inFlight: number }).inFlight) thread = i;
      }
      const target = this.threads[thread] as { worker: Worker; inFlight: number };
      const id = this.nextBatch++;
      this.sent.set(id, { thread, waiting: rows.map((r) => r.waiting) });
      target.inFlight += rows.length;
      const batch: WorkerBatch = { id, rows: rows.map((r) => ({ sample: r.sample, item: r.item })) };
      target.worker.postMessage(batch);
    }
  }

  private answered(thread: number, answer: WorkerAnswer): void {
    const batch = this.sent.get(answer.id);
    if (!batch) return;
    this.sent.delete(answer.id);
    (this.threads[thread] as { inFlight: number }).inFlight -= batch.waiting.length;
    batch.waiting.forEach((w, i) => (w.outcome = outcomeOf(answer.results[i] as WorkerAnswer["results"][number])));
    this.release();
  }

  /** Hands back the outcomes known at the head of the start order. */
  private release(): void {
    let n = 0;
    while (n < this.order.length && (this.order[n] as Waiting).outcome !== undefined) n++;
    for (const w of this.order.splice(0, n)) w.resolve(w.outcome as RowOutcome);
  }

  private fail(message: string): void {
    if (this.failure !== undefined) return;
    this.failure = message;
    for (const w of this.order) w.outcome ??= { kind: "failed", message: `internal error: ${message}` };
    for (const p of this.pending) p.waiting.outcome ??= { kind: "failed", message: `internal error: ${message}` };
    this.pending = [];
    this.release();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}

/**
 * Engines for `grade eval` that grade on `workers` threads (one pool for all slots). The thread
 * script is ./worker-main.js beside this module (dist/eval/, or dist/bundle/ in the bundle).
 */
export function workerEngines(grader: JsonObject, workers: number): EngineFactory {
  let pool: Pool | undefined;
  let slots = 0;
  return () => {
    pool ??= new Pool(grader, workers, new URL("./worker-main.js", import.meta.url));
    const shared = pool;
    slots++;
    const engine: RowEngine = {
      grade: (row) => shared.grade(row),
      close: async () => {
        if (--slots === 0) await shared.close();
      },
    };
    return Promise.resolve(engine);
  };
}
