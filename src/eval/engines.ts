import type { RemoteConfig } from "../api/config.js";
import type { RunResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import type { JsonObject } from "../emit/emit.js";
import type { LocalEngineOptions } from "../engine/local.js";
import type { Sample } from "../engine/sample.js";

/*
 * What grades one row for `grade eval`: the local engine or the API, behind one small interface
 * whose answer says what to do with the row — write its result, write its failure, put it back
 * for later (the API is rate limited or down), or stop the run (the key is wrong: every row would
 * fail the same way). `grade eval` makes one engine per concurrent slot, so a python grader gets a
 * warm worker per slot (and runs in parallel) and each API call has its own attempt count.
 */

/** A row ready to grade: the sample for the local engine, the text for the API. */
export interface ReadyRow {
  readonly row: number;
  readonly item: JsonObject | undefined;
  readonly sample: Sample | undefined;
  readonly text: string | undefined;
}

export type RowOutcome =
  | { readonly kind: "graded"; readonly response: RunResponse }
  /** The row cannot be graded (its result says why); the run goes on. */
  | { readonly kind: "failed"; readonly message: string; readonly status?: number | undefined }
  /** Not now: the row goes back in the queue; `rateLimited` also lowers the concurrency. */
  | { readonly kind: "retry"; readonly rateLimited: boolean; readonly message: string }
  /** Nothing more can be graded (a wrong key, an invalid grader): the run stops. */
  | { readonly kind: "fatal"; readonly error: EngineError };

export interface RowEngine {
  grade(row: ReadyRow): Promise<RowOutcome>;
  close(): Promise<void>;
}

export type EngineFactory = () => Promise<RowEngine>;

function internal(error: unknown): RowOutcome {
  return { kind: "failed", message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
}

/** Engines of the local engine, one per slot. Only an invalid grader stops the run. */
export function localEngines(grader: JsonObject, options: LocalEngineOptions): EngineFactory {
  return async () => {
    const { LocalEngine } = await import("../engine/local.js");
    const engine = new LocalEngine(options);
    return {
      async grade(row: ReadyRow): Promise<RowOutcome> {
        try {
          return { kind: "graded", response: await engine.grade({ grader, sample: row.sample!, item: row.item }) };
        } catch (error) {
          if (error instanceof EngineError) return { kind: "fatal", error };
          return internal(error);
        }
      },
      close: () => engine.close(),
    };
  };
}

/**
 * What an API failure (after the client's own retries) means for the run:
 *  - 401, 403, 404, configuration: stop (every row would fail alike);
 *  - 400/422 about the grader (`isGraderError`): stop; about the row (its sample or item): the row failed;
 *  - 429: back off with fewer requests at once, and retry the row; 5xx, a timeout, no connection:
 *    back off and retry the row (the run stops when they persist);
 *  - any other status, an answer that is no run result: the row failed.
 */
export function classify(error: EngineError, isGraderError: (error: EngineError) => boolean): RowOutcome {
  switch (error.kind) {
    case "config":
    case "auth":
    case "permission":
    case "not-found":
      return { kind: "fatal", error };
    case "rejected":
      return isGraderError(error) ? { kind: "fatal", error } : { kind: "failed", message: error.message, status: error.details.status };
    case "rate-limit":
      return { kind: "retry", rateLimited: true, message: error.message };
    case "server":
    case "timeout":
    case "network":
      return { kind: "retry", rateLimited: false, message: error.message };
    case "http":
    case "response":
      return { kind: "failed", message: error.message, status: error.details.status };
  }
}

/** Engines that send each row to `POST /fine_tuning/alpha/graders/run`, one client per slot. */
export function remoteEngines(
  grader: JsonObject,
  config: RemoteConfig,
  isGraderError: (error: EngineError) => boolean,
): EngineFactory {
  return async () => {
    const { RemoteEngine } = await import("../api/remote.js");
    const engine = await RemoteEngine.create(config);
    return {
      async grade(row: ReadyRow): Promise<RowOutcome> {
        try {
          const response = await engine.run({ grader, model_sample: row.text!, ...(row.item !== undefined ? { item: row.item } : {}) });
          return { kind: "graded", response };
        } catch (error) {
          if (error instanceof EngineError) return classify(error, isGraderError);
          return internal(error);
        }
      },
      close: () => Promise.resolve(),
    };
  };
}
