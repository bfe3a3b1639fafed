/*
 * Answers of the grader endpoints, copied from the API reference (seed 000: the documented run
 * of the "Example score model grader"), and variants of them.
 */

/** The documented answer of POST /fine_tuning/alpha/graders/run (score_model, reward 1.0). */
export const RUN_RESPONSE = {
  reward: 1.0,
  metadata: {
    name: "Example score model grader",
    type: "score_model",
    errors: {
      formula_parse_error: false,
      sample_parse_error: false,
      truncated_observation_error: false,
      unresponsive_reward_error: false,
      invalid_variable_error: false,
      other_error: false,
      python_grader_server_error: false,
      python_grader_server_error_type: null,
      python_grader_runtime_error: false,
      python_grader_runtime_error_details: null,
      model_grader_server_error: false,
      model_grader_refusal_error: false,
      model_grader_parse_error: false,
      model_grader_server_error_details: null,
    },
    execution_time: 4.365238428115845,
    scores: {},
    token_usage: {
      prompt_tokens: 190,
      total_tokens: 324,
      completion_tokens: 134,
      cached_tokens: 0,
    },
    sampled_model_name: "gpt-4o-2024-08-06",
  },
  sub_rewards: {},
  model_grader_token_usage_per_model: {
    "gpt-4o-2024-08-06": {
      prompt_tokens: 190,
      total_tokens: 324,
      completion_tokens: 134,
      cached_tokens: 0,
    },
  },
};

/** A run whose python grader raised: reward 0, two flags set, with their details. */
export const FLAGGED_RUN_RESPONSE = {
  ...RUN_RESPONSE,
  reward: 0,
  metadata: {
    ...RUN_RESPONSE.metadata,
    name: "python grader",
    type: "python",
    errors: {
      ...RUN_RESPONSE.metadata.errors,
      python_grader_runtime_error: true,
      python_grader_runtime_error_details:
        "Traceback (most recent call last):\n  File \"grader.py\", line 3, in grade\nKeyError: 'answer'",
      invalid_variable_error: true,
    },
    token_usage: null,
    sampled_model_name: null,
  },
  model_grader_token_usage_per_model: {},
};

/** A multi run: sub-rewards by key. */
export const MULTI_RUN_RESPONSE = {
  ...RUN_RESPONSE,
  reward: 0.75,
  metadata: { ...RUN_RESPONSE.metadata, name: "multi", type: "multi" },
  sub_rewards: { name: 0.5, email: 1 },
};

/** An OpenAI-style error body. */
export function apiError(message: string, extra: { type?: string; param?: string | null; code?: string | null } = {}) {
  return {
    error: {
      message,
      type: extra.type ?? "invalid_request_error",
      param: extra.param ?? null,
      code: extra.code ?? null,
    },
  };
}
