import type { RunResponse } from "../api/engine.js";
import type { EngineError } from "../api/errors.js";
import type { EngineFactory, ReadyRow, RowEngine, RowOutcome } from "./engines.js";
import { readLines } from "./lines.js";
import type { Progress } from "./progress.js";
import type { ResultWriter, RowSet } from "./results.js";
import { isBlank, parseRow, type Engine } from "./rows.js";
import { thousands, type ResultRecord, type Tally } from "./summary.js";

/*
 * The loop of `grade eval`: rows are read one at a time from the dataset (never the whole file),
 * at most `concurrency` are graded at once, and each result is counted and written as soon as it
 * is known. Rows already in the results file are skipped.
 *
 * Backing off (the API): a row that comes back "retry" (429, 5xx, a timeout or no connection, after
 * the openai client's own retries) goes back in the queue, and no request starts for a while:
 * 1 s, then 2, 4, ... up to 60 s while failures go on (failures of requests that started before
 * the last pause do not count again). A 429 also halves the requests allowed at once (down to 1);
 * each run of that many successes allows one more, up to --concurrency. After `maxStreak` pauses in
 * a row with no success between them the run stops (exit 3), its finished rows kept.
 *
 * Stopping: SIGINT or SIGTERM stops taking rows; the rows in flight finish and are written. A
 * second signal drops them (they are not written, so a resumed run grades them). Either way the
 * results written are complete lines, and the summary so far is printed.
 */

export interface Backoff {
  /** The first pause, in ms (doubles with each pause in a row). */
  readonly baseMs: number;
  readonly maxMs: number;
  /** Pauses in a row, with no success between them, before the run stops. */
  readonly maxStreak: number;
}

/** Rows started between two turns of the event loop. */
const YIELD_EVERY = 256;

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1000, maxMs: 60_000, maxStreak: 6 };

export interface EvaluateOptions {
  readonly data: string;
  readonly engine: Engine;
  readonly concurrency: number;
  readonly createEngine: EngineFactory;
  /** Rows already done (from the results file): skipped. */
  readonly done: RowSet;
  readonly tally: Tally;
  readonly writer: ResultWriter;
  readonly progress?: Progress | undefined;
  /** A message for the user (standard error, above the progress bar). */
  readonly notice: (message: string) => void;
  readonly backoff?: Backoff | undefined;
  /** Where SIGINT and SIGTERM come from: `process` in the CLI; none by default (tests pass an emitter). */
  readonly signals?: Pick<NodeJS.EventEmitter, "on" | "off"> | undefined;
  /** Stops the run at once, dropping the rows in flight (standard output was closed). */
  readonly abort?: AbortSignal | undefined;
}

export interface EvaluateResult {
  /** The signal that stopped the run. */
  readonly interrupted: "SIGINT" | "SIGTERM" | undefined;
  /** True when a second signal dropped the rows in flight. */
  readonly dropped: boolean;
  /** The failure that stopped the run (an API error every row would meet). */
  readonly fatal: EngineError | undefined;
  /** A message when the run stopped because the API kept failing. */
  readonly gaveUp: string | undefined;
}

interface Pending extends ReadyRow {
  readonly id: string | number | undefined;
}

const COMPANION = /_(details|type)$/;

/** The set flags of a run and their companions; `{}` when none is set. */
function setErrors(errors: { readonly [key: string]: unknown } | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!errors) return out;
  for (const key in errors) {
    const value = errors[key];
    if (value === true) out[key] = true;
    else if (COMPANION.test(key) && value !== null && value !== undefined && value !== "" && value !== false) out[key] = value;
  }
  return out;
}

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || (typeof value === "object" && Object.keys(value as object).length === 0);

/**
 * The result line of a graded row: row, id, reward, the error flags that are set (with their
 * details), sub-rewards, execution time; scores, token usage and the sampled model only when the
 * engine gave them (model graders).
 */
export function resultOf(row: number, id: string | number | undefined, response: RunResponse): ResultRecord {
  const metadata = response.metadata ?? {};
  const seconds = metadata.execution_time;
  const record: Record<string, unknown> = { row };
  if (id !== undefined) record["id"] = id;
  record["reward"] = response.reward;
  record["errors"] = setErrors(metadata.errors);
  record["sub_rewards"] = response.sub_rewards ?? {};
  if (typeof seconds === "number") record["execution_time"] = Math.round(seconds * 1e6) / 1e6;
  if (!isEmpty(metadata.scores)) record["scores"] = metadata.scores;
  if (!isEmpty(metadata.token_usage)) record["token_usage"] = metadata.token_usage;
  if (metadata.sampled_model_name) record["sampled_model_name"] = metadata.sampled_model_name;
  if (!isEmpty(response.model_grader_token_usage_per_model)) {
    record["model_grader_token_usage_per_model"] = response.model_grader_token_usage_per_model;
  }
  return record as unknown as ResultRecord;
}

/** The result line of a row that has no reward: malformed (its line) or failed (its grading). */
export function problemOf(row: number, id: string | number | undefined, kind: "malformed" | "failed", message: string, status?: number): ResultRecord {
  return {
    row,
    ...(id !== undefined ? { id } : {}),
    reward: null,
    error: message,
    error_kind: kind,
    ...(status !== undefined ? { status } : {}),
  };
}

/**
 * A promise that is resolved and replaced each time something changes (a row finished, a pause
 * ended, the run is stopping): whoever waits for a change awaits the current one. Nothing waits on
 * a promise that lives for the whole run, so no reaction piles up over a million rows.
 */
class Wake {
  private promise!: Promise<void>;
  private resolve!: () => void;
  constructor() {
    this.arm();
  }
  private arm(): void {
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }
  wait(): Promise<void> {
    return this.promise;
  }
  fire(): void {
    const resolve = this.resolve;
    this.arm();
    resolve();
  }
}

/** Permits for rows in flight, a limit that can shrink and grow, and a pause everyone waits out. */
class Limiter {
  inUse = 0;
  private pausedUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by each pause: failures of requests started before it do not count again. */
  epoch = 0;

  constructor(
    public limit: number,
    private readonly wake: Wake,
  ) {}

  /** Takes a permit if one is free now. */
  tryAcquire(): boolean {
    if (this.inUse < this.limit && !this.paused()) {
      this.inUse++;
      return true;
    }
    return false;
  }

  release(): void {
    this.inUse--;
    this.wake.fire();
  }

  paused(): boolean {
    return this.pausedUntil > 0 && performance.now() < this.pausedUntil;
  }

  pause(ms: number): void {
    this.epoch++;
    this.pausedUntil = Math.max(this.pausedUntil, performance.now() + ms);
    this.arm();
  }

  /** Wakes everyone when the pause is over (a timer may fire a little early: it is armed again). */
  private arm(): void {
    clearTimeout(this.timer);
    const left = this.pausedUntil - performance.now();
    if (left <= 0) this.wake.fire();
    else this.timer = setTimeout(() => this.arm(), left + 1);
  }

  close(): void {
    clearTimeout(this.timer);
  }
}

/** The rows of the dataset still to do: blank lines and rows already done are skipped. */
async function* todo(data: string, done: RowSet): AsyncGenerator<{ line: number; text: string | undefined }> {
  for await (const entry of readLines(data)) {
    if (done.has(entry.line)) continue;
    if (entry.text !== undefined && isBlank(entry.text)) continue;
    yield entry;
  }
}

export async function evaluate(options: EvaluateOptions): Promise<EvaluateResult> {
  const { tally, writer, progress, notice, done } = options;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const wake = new Wake();
  const limiter = new Limiter(options.concurrency, wake);
  const reader = todo(options.data, done);
  const retries: Pending[] = [];
  const inFlight = new Set<Promise<void>>();
  const idle: RowEngine[] = [];
  const engines: RowEngine[] = [];
  const noticed = new Set<string>();

  let readerDone = false;
  let stopping = false;
  let dropped = false;
  let interrupted: "SIGINT" | "SIGTERM" | undefined;
  let fatal: EngineError | undefined;
  let gaveUp: string | undefined;
  let droppedNow!: () => void;
  const drop = new Promise<void>((resolve) => (droppedNow = resolve));
  /** Pauses in a row with no success between them; successes since the limit last changed. */
  let streak = 0;
  let successes = 0;

  const halt = (): void => {
    if (stopping) return;
    stopping = true;
    wake.fire();
  };

  const dropNow = (signal: string): void => {
    if (dropped) return;
    dropped = true;
    const n = inFlight.size;
    if (n > 0) notice(`grade eval: ${signal}: dropping ${n} row${n === 1 ? "" : "s"} in flight (a resumed run grades ${n === 1 ? "it" : "them"})`);
    droppedNow();
  };

  const onSignal = (signal: "SIGINT" | "SIGTERM"): void => {
    if (interrupted !== undefined || stopping) {
      // A second signal, or one while a failure is stopping the run: do not wait any longer.
      interrupted ??= signal;
      dropNow(interrupted === signal ? `${signal} again` : signal);
      return;
    }
    interrupted = signal;
    halt();
    const n = inFlight.size;
    notice(
      n > 0
        ? `grade eval: ${signal}: stopping; waiting for ${n} row${n === 1 ? "" : "s"} in flight (press Ctrl-C again to drop ${n === 1 ? "it" : "them"})`
        : `grade eval: ${signal}: stopping`,
    );
  };
  const onAbort = (): void => {
    halt();
    dropped = true;
    droppedNow();
  };
  options.abort?.addEventListener("abort", onAbort);
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  options.signals?.on("SIGINT", onInt);
  options.signals?.on("SIGTERM", onTerm);

  const notify = (key: string, message: string): void => {
    if (noticed.has(key)) return;
    noticed.add(key);
    notice(message);
  };

  const record = (result: ResultRecord): void => {
    done.add(result.row);
    tally.add(result);
    writer.write(JSON.stringify(result));
    progress?.rowDone(tally.rows);
  };

  const onOutcome = (row: Pending, outcome: RowOutcome, epoch: number): void => {
    if (dropped) return;
    switch (outcome.kind) {
      case "graded":
        streak = 0;
        // Only requests sent since the last pause count toward one more at once.
        if (epoch === limiter.epoch && limiter.limit < options.concurrency && ++successes >= limiter.limit) {
          successes = 0;
          limiter.limit++;
        }
        record(resultOf(row.row, row.id, outcome.response));
        return;
      case "failed":
        record(problemOf(row.row, row.id, "failed", outcome.message, outcome.status));
        return;
      case "fatal":
        if (!fatal) {
          fatal = outcome.error;
          halt();
        }
        return;
      case "retry": {
        retries.push(row);
        if (stopping || epoch !== limiter.epoch) return;
        streak++;
        if (streak > backoff.maxStreak) {
          gaveUp = `the API kept failing: ${outcome.message}; ${thousands(tally.thisRun)} rows were graded before it stopped`;
          halt();
          return;
        }
        const ms = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (streak - 1));
        if (outcome.rateLimited && limiter.limit > 1) limiter.limit = Math.max(1, Math.floor(limiter.limit / 2));
        successes = 0;
        limiter.pause(ms);
        notice(
          `grade eval: row ${row.row}: ${outcome.message}; waiting ${ms / 1000} s` +
            (outcome.rateLimited ? `, then ${limiter.limit} request${limiter.limit === 1 ? "" : "s"} at once` : "") +
            " (the row will be retried)",
        );
        return;
      }
    }
  };

  const run = async (row: Pending): Promise<void> => {
    while (limiter.paused() && !stopping) await wake.wait();
    if (stopping) return; // not sent: a resumed run grades it
    let engine = idle.pop();
    if (!engine) {
      engine = await options.createEngine();
      engines.push(engine);
    }
    const epoch = limiter.epoch;
    try {
      onOutcome(row, await engine.grade(row), epoch);
    } finally {
      idle.push(engine);
    }
  };

  const start = (row: Pending): void => {
    const task: Promise<void> = run(row)
      .catch((error: unknown) => {
        if (!dropped) record(problemOf(row.row, row.id, "failed", `internal error: ${error instanceof Error ? error.message : String(error)}`));
      })
      .finally(() => {
        inFlight.delete(task);
        limiter.release();
      });
    inFlight.add(task);
  };

  /** The next row to grade: one put back, else the next line; undefined at the end (or when stopping). */
  const next = async (): Promise<{ line: number; text: string | undefined } | Pending | undefined> => {
    for (;;) {
      const retry = retries.shift();
      if (retry) return retry;
      if (!readerDone) {
        const entry = await reader.next();
        if (!entry.done) return entry.value;
        readerDone = true;
      }
      if (inFlight.size === 0 || stopping) return undefined;
      await wake.wait(); // a row finished (it may have been put back), or the run is stopping
      if (stopping) return undefined;
    }
  };

  progress?.start();
  try {
    let permit = false;
    let sinceYield = 0;
    for (;;) {
      while (!permit && !stopping) {
        permit = limiter.tryAcquire();
        if (!permit) await wake.wait();
      }
      if (stopping) break;
      // Let timers and I/O in now and then (progress, signals, the writer, V8's GC tasks), even
      // when every row is graded within microtasks.
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const entry = await next();
      if (entry === undefined || stopping) break;
      if ("row" in entry) {
        // A row put back (the API asked to wait): graded again.
        permit = false;
        start(entry);
        continue;
      }
      if (entry.text === undefined) {
        record(problemOf(entry.line, undefined, "malformed", "the line is longer than 64 MiB"));
        continue;
      }
      const parsed = parseRow(entry.text, options.engine);
      if (!parsed.ok) {
        record(problemOf(entry.line, undefined, "malformed", parsed.message));
        continue;
      }
      if (parsed.unknownKeys) {
        for (const key of parsed.unknownKeys.slice(0, 3)) {
          notify(`key:${key}`, `grade eval: row ${entry.line} has a key \`${key}\` that is not item, sample or id: it is ignored`);
        }
      }
      if (parsed.dropped) {
        notify("dropped", `grade eval: row ${entry.line}: with --remote only the sample's output_text is sent (model_sample); ${parsed.dropped.join(", ")} ${parsed.dropped.length === 1 ? "is" : "are"} not sent`);
      }
      permit = false;
      start({ row: entry.line, id: parsed.id, item: parsed.item, sample: parsed.sample, text: parsed.text });
    }
    if (permit) limiter.release();
    // The rows in flight finish (and are written), unless a second signal drops them.
    await Promise.race([Promise.allSettled([...inFlight]), drop]);
  } finally {
    options.signals?.off("SIGINT", onInt);
    options.signals?.off("SIGTERM", onTerm);
    options.abort?.removeEventListener("abort", onAbort);
    progress?.stop();
    limiter.close();
    writer.flush();
    await reader.return(undefined);
    // Closing ends python workers; rows still in flight (dropped) answer "closed" and are not written.
    await Promise.all(engines.map((e) => e.close().catch(() => undefined)));
  }
  return { interrupted, dropped, fatal, gaveUp };
}
