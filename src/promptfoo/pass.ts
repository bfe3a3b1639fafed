import type { JsonObject } from "../emit/emit.js";

/*
 * When a reward passes. OpenAI's graders give a reward; an eval's pass/fail is the grader's own
 * rule: `pass_threshold` where the grader has one (Evals' text_similarity, python, score_model;
 * tolerated on a multi), the passing labels of a label_model (its reward is 1 exactly then), a
 * string_check's 1. A threshold given by the user (the assertion's `threshold`) wins over all of
 * them. A grader with none of these (an RFT score_model, text_similarity or python) passes above 0,
 * promptfoo's own rule for a score without a threshold — the reason says so.
 */

export interface PassRule {
  readonly passes: (reward: number) => boolean;
  /** Why the reward passed or failed, after "passed" / "failed". */
  readonly explain: (passed: boolean) => string;
}

function atLeast(threshold: number, from: string): PassRule {
  return {
    passes: (r) => r >= threshold,
    explain: (passed) => `${passed ? "at or above" : "below"} ${from} ${Number(threshold.toPrecision(6))}`,
  };
}

export function passRule(grader: JsonObject, threshold: number | undefined): PassRule {
  if (threshold !== undefined) return atLeast(threshold, "the assertion's threshold");
  const own = grader["pass_threshold"];
  if (typeof own === "number" && Number.isFinite(own)) return atLeast(own, "the grader's pass_threshold");
  switch (grader["type"]) {
    case "string_check":
      return { passes: (r) => r >= 1, explain: (passed) => (passed ? "a match" : "no match (a string_check passes at 1)") };
    case "label_model":
      return { passes: (r) => r >= 1, explain: (passed) => (passed ? "a passing label" : "not one of the passing_labels") };
    default:
      return {
        passes: (r) => r > 0,
        explain: (passed) => `${passed ? "above 0" : "not above 0"} (no pass_threshold: set the assertion's threshold for another rule)`,
      };
  }
}
