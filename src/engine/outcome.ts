import { ERROR_KEYS, type RunErrorFlag } from "../schema/run-errors.js";

/*
 * What grading one grader produced, and the `metadata.errors` object of the run response: the 14
 * keys the API always sends (flags false, companions null), in the API's order.
 */

export { ERROR_KEYS } from "../schema/run-errors.js";

/** The boolean flags among ERROR_KEYS. */
export type ErrorFlag = RunErrorFlag;

/**
 * Where a flag's explanation goes. Two flags have a `_details` companion in the API's shape; for
 * the others the local engine adds `<flag>_details` (only when the flag is set), so a user learns
 * which variable was missing or why the formula failed. `python_grader_server_error_type` holds
 * the error's type.
 */
const COMPANION: Readonly<Record<ErrorFlag, string>> = {
  formula_parse_error: "formula_parse_error_details",
  sample_parse_error: "sample_parse_error_details",
  truncated_observation_error: "truncated_observation_error_details",
  unresponsive_reward_error: "unresponsive_reward_error_details",
  invalid_variable_error: "invalid_variable_error_details",
  other_error: "other_error_details",
  python_grader_server_error: "python_grader_server_error_details",
  python_grader_runtime_error: "python_grader_runtime_error_details",
  model_grader_server_error: "model_grader_server_error_details",
  model_grader_refusal_error: "model_grader_refusal_error_details",
  model_grader_parse_error: "model_grader_parse_error_details",
};

/** One error of one grader: the flag, and what to say about it. */
export interface GradeError {
  readonly flag: ErrorFlag;
  readonly details: string;
  /** A python server error's type (`python_not_found`, ...): `python_grader_server_error_type`. */
  readonly type?: string;
}

/** The result of one grader (a multi's sub-grader, or the grader itself). */
export interface Outcome {
  readonly reward: number;
  readonly errors: readonly GradeError[];
  /** A multi's sub-graders' rewards, by key. */
  readonly subRewards?: Readonly<Record<string, number>>;
  /** A model grader's explanation of its answer (its label and reasoning steps), by sub-grader key in a multi ("" alone). */
  readonly explanations?: Readonly<Record<string, string>>;
}

export const success = (reward: number): Outcome => ({ reward, errors: [] });

/** A grader that failed: reward 0 (what the service gives an invalid result), with the error. */
export const failure = (flag: ErrorFlag, details: string, type?: string): Outcome => ({
  reward: 0,
  errors: [{ flag, details, ...(type !== undefined ? { type } : {}) }],
});

export type ErrorsObject = { [key: string]: boolean | string | null };

/**
 * `metadata.errors`: every key of ERROR_KEYS (flags false, companions null), the flags that are
 * set true with their companions. Two errors with the same flag (two sub-graders) join their
 * details, one per line.
 */
export function errorsObject(errors: readonly GradeError[]): ErrorsObject {
  const out: ErrorsObject = {};
  for (const key of ERROR_KEYS) out[key] = key.endsWith("_type") || key.endsWith("_details") ? null : false;
  for (const { flag, details, type } of errors) {
    out[flag] = true;
    if (type !== undefined && flag === "python_grader_server_error") out["python_grader_server_error_type"] = type;
    const companion = COMPANION[flag];
    const before = out[companion];
    out[companion] = typeof before === "string" && before !== "" ? `${before}\n${details}` : details;
  }
  return out;
}
