import type { JsonObject } from "../emit/emit.js";

/*
 * When a reward passes. OpenAI's graders give a reward; an eval's pass/fail is the grader's own
 * rule: `pass_threshold` where the grader has one (Evals' text_similarity, python, score_model;
 * tolerated on a multi), the passing labels of a label_model (its reward is 1 exactly then), a
 * string_check's 1. A threshold given by the user (the assertion's `threshold`) wins over all of
 * them. A grader with none of these (an RFT score_model, text_similarity or python) passes above 0,
 * promptfoo's own rule for a score without a threshold — the reason says so.
 */

export type PassRule =
  | { readonly kind: "threshold"; readonly threshold: number; readonly from: string; readonly passes: (reward: number) => boolean }
  | { readonly kind: "fixed"; readonly description: string; readonly passes: (reward: number) => boolean };

export function passRule(grader: JsonObject, threshold: number | undefined): PassRule {
  const atLeast = (t: number, from: string): PassRule => ({ kind: "threshold", threshold: t, from, passes: (r) => r >= t });
  if (threshold !== undefined) return atLeast(threshold, "the assertion's threshold");
  const own = grader["pass_threshold"];
  if (typeof own === "number" && Number.isFinite(own)) return atLeast(own, "the grader's pass_threshold");
  switch (grader["type"]) {
    case "string_check":
      return { kind: "fixed", description: "a string_check passes when it matches (reward 1)", passes: (r) => r >= 1 };
    case "label_model":
      return { kind: "fixed", description: "a label_model passes with one of its passing_labels (reward 1)", passes: (r) => r >= 1 };
    default:
      return {
        kind: "fixed",
        description: "no pass_threshold, so it passes above 0 (set the assertion's threshold)",
        passes: (r) => r > 0,
      };
  }
}
