import type { JsonObject } from "../emit/emit.js";

/*
 * What runs a grader. `grade run` and `grade validate` talk to an engine, never to HTTP directly:
 * the remote engine (src/api/remote.ts) sends the request to `/fine_tuning/alpha/graders/run`
 * and `/validate`; a local engine can implement the same interface and become the default.
 */

/** The body of `POST /fine_tuning/alpha/graders/run`. */
export interface RunRequest {
  /** The grader JSON, as `grade compile` prints it (a multi's `graders` is a map). */
  readonly grader: JsonObject;
  /** The model output to grade: fills the `sample` namespace (`output_json` when it is JSON). */
  readonly model_sample: string;
  /** The dataset row: fills the `item` namespace. */
  readonly item?: JsonObject;
}

/** The body of `POST /fine_tuning/alpha/graders/validate`. */
export interface ValidateRequest {
  readonly grader: JsonObject;
}

/**
 * The error flags of a run. The 14 documented keys are booleans (the flags) and strings or null
 * (their `*_details` and `*_type` companions); unknown keys are kept.
 */
export type RunErrors = { readonly [flag: string]: unknown };

export interface RunMetadata {
  readonly name?: string;
  readonly type?: string;
  readonly errors?: RunErrors;
  readonly execution_time?: number;
  readonly scores?: { readonly [key: string]: unknown };
  /** An object `{prompt_tokens, ...}`, a number, or null, depending on the service version. */
  readonly token_usage?: unknown;
  readonly sampled_model_name?: string | null;
}

/**
 * The answer of a run, with unknown fields kept so `--json` prints all of it. The service sends
 * every field; only `reward` is required here, so a compatible server may send less.
 */
export interface RunResponse {
  readonly reward: number;
  readonly metadata?: RunMetadata;
  readonly sub_rewards?: { readonly [key: string]: unknown };
  readonly model_grader_token_usage_per_model?: { readonly [model: string]: unknown };
}

/** The answer of a validation: the grader as the service normalised it, when it returns one. */
export interface ValidateResponse {
  readonly grader?: JsonObject | null;
}

export interface GraderEngine {
  /** Shown in messages: "remote" (the API), later "local". */
  readonly name: string;
  /** Runs the grader on one sample. Rejects with an EngineError when the run cannot be done. */
  run(request: RunRequest): Promise<RunResponse>;
  /** Validates the grader; an engine that cannot validate leaves it out. */
  validate?(request: ValidateRequest): Promise<ValidateResponse>;
}
