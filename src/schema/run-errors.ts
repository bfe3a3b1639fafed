/**
 * The error flags of a run response's `metadata.errors` (booleans; the API sends them all, false
 * when unset). One list for the engine that sets them and the tests that expect them.
 */
export const RUN_ERROR_FLAGS = [
  "formula_parse_error",
  "sample_parse_error",
  "truncated_observation_error",
  "unresponsive_reward_error",
  "invalid_variable_error",
  "other_error",
  "python_grader_server_error",
  "python_grader_runtime_error",
  "model_grader_server_error",
  "model_grader_refusal_error",
  "model_grader_parse_error",
] as const;

export type RunErrorFlag = (typeof RUN_ERROR_FLAGS)[number];
