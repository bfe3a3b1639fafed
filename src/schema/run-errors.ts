/**
 * The `metadata.errors` object of a run response: the 14 keys the API always sends (flags false,
 * companions null), in the API's order. One list for the engine that fills it and the tests that
 * expect a flag.
 */
export const ERROR_KEYS = [
  "formula_parse_error",
  "sample_parse_error",
  "truncated_observation_error",
  "unresponsive_reward_error",
  "invalid_variable_error",
  "other_error",
  "python_grader_server_error",
  "python_grader_server_error_type",
  "python_grader_runtime_error",
  "python_grader_runtime_error_details",
  "model_grader_server_error",
  "model_grader_refusal_error",
  "model_grader_parse_error",
  "model_grader_server_error_details",
] as const;

type ErrorKey = (typeof ERROR_KEYS)[number];

/** The boolean flags among ERROR_KEYS (the others are their `_details` / `_type` companions). */
export type RunErrorFlag = Exclude<ErrorKey, `${string}_details` | `${string}_type`>;

export const RUN_ERROR_FLAGS: readonly RunErrorFlag[] = ERROR_KEYS.filter(
  (key): key is RunErrorFlag => !key.endsWith("_details") && !key.endsWith("_type"),
);
