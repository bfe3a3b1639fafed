import type { RunResponse, ValidateResponse } from "./engine.js";
import { EngineError } from "./errors.js";

/*
 * Checks that an answer has the shape of the endpoint's response before anything reads it. The
 * object is returned as it came (unknown fields included) so `--json` prints what was sent.
 */

export function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unexpected(what: string, value: unknown): EngineError {
  const shown = typeof value === "string" ? value : JSON.stringify(value);
  const excerpt = shown === undefined ? String(value) : shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
  return new EngineError("response", `the API answered with ${what}: ${excerpt}`);
}

function isOptionalObject(value: unknown): boolean {
  return value === undefined || value === null || isObject(value);
}

function isRunResponse(value: unknown): value is RunResponse {
  if (!isObject(value) || typeof value["reward"] !== "number") return false;
  const metadata = value["metadata"];
  if (metadata !== undefined && !isObject(metadata)) return false;
  if (isObject(metadata) && !isOptionalObject(metadata["errors"])) return false;
  return isOptionalObject(value["sub_rewards"]) && isOptionalObject(value["model_grader_token_usage_per_model"]);
}

/** The answer of `/graders/run`, or an EngineError ("response") when it is something else. */
export function parseRunResponse(value: unknown): RunResponse {
  if (isRunResponse(value)) return value;
  throw unexpected("something that is not a grader run result (no numeric `reward`)", value);
}

function isValidateResponse(value: unknown): value is ValidateResponse {
  if (!isObject(value)) return false;
  const grader = value["grader"];
  return grader === undefined || grader === null || isObject(grader);
}

/** The answer of `/graders/validate`: `{grader?}`. */
export function parseValidateResponse(value: unknown): ValidateResponse {
  if (!isValidateResponse(value)) throw unexpected("something that is not a validation result", value);
  return value;
}
