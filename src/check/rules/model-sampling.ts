import { fieldOf } from "../../syntax/ast.js";
import type { Rule } from "../context.js";
import { stringOf } from "../context.js";

/** OpenAI's reasoning models (o1, o3, o4-mini, the gpt-5 family): the names start so. */
const REASONING = /^(o[1-9](?![0-9])|gpt-5)/;
/** Models that are known not to reason (gpt-4o, gpt-4.1, gpt-4, gpt-3.5 and their minis). */
const NOT_REASONING = /^(gpt-4|gpt-3\.5|chatgpt-4o)/;

/**
 * The graders guide: "`temperature` changes not supported for reasoning models" and
 * "`reasoning_effort` is not supported for non-reasoning models". A warning: model names change,
 * and a server gradelang calls locally may take either.
 */
export const modelSamplingRule: Rule = {
  shared: true,
  meta: {
    id: "model-sampling",
    severity: "warning",
    summary:
      "A `sampling_params` field the grader's model does not take, per the graders guide: a `temperature` other than 1 on a reasoning model (o1, o3, o4-mini, gpt-5...), `reasoning_effort` on a non-reasoning one (gpt-4o, gpt-4.1...).",
    example: 'score_model "s" {\n  model: "o3-mini-2025-01-31"\n  sampling_params { temperature: 0.2 }\n  user "..."\n}',
  },
  create: (_ctx, report) => ({
    Grader(grader) {
      const model = fieldOf(grader, "model")?.value;
      const sampling = fieldOf(grader, "sampling_params")?.value;
      const name = model ? stringOf(model) : undefined;
      if (name === undefined || sampling?.kind !== "ObjectValue") return;
      const reasoning = REASONING.test(name);
      if (!reasoning && !NOT_REASONING.test(name)) return; // a model we know nothing about
      for (const entry of sampling.entries) {
        const key = entry.key.name;
        // Reasoning models run at temperature 1; writing 1 changes nothing (OpenAI's own API
        // reference does it, with gpt-5-mini), any other value is what the guide refuses.
        const isOne = entry.value.kind === "NumberValue" && entry.value.value === 1;
        if (reasoning && key === "temperature" && entry.value.kind !== "NullValue" && !isOne) {
          report({
            message: `\`${name}\` is a reasoning model: the graders guide says "temperature changes not supported for reasoning models"`,
            span: entry.key.span,
            suggestion: "remove `temperature` (or use `reasoning_effort` to trade quality for speed)",
          });
        } else if (!reasoning && key === "reasoning_effort" && entry.value.kind !== "NullValue") {
          report({
            message: `\`${name}\` is not a reasoning model: the graders guide says "reasoning_effort is not supported for non-reasoning models"`,
            span: entry.key.span,
            suggestion: "remove `reasoning_effort`, or use a reasoning model such as `o4-mini-2025-04-16`",
          });
        }
      }
    },
  }),
};
