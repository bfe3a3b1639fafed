import type { Rule } from "../context.js";
import { graderKinds, isGraderKind } from "../kinds.js";
import { didYouMean, listOf } from "../suggest.js";

/** A grader header names a kind the service does not have; nothing else about it can be checked. */
export const unknownKindRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-kind",
    severity: "error",
    summary: "A grader kind that does not exist (the six kinds are the JSON's `type` values).",
    example: 'string_chek "exact": sample.output_text eq item.label',
  },
  create: (_ctx, report) => ({
    Grader(grader) {
      if (isGraderKind(grader.type.name)) return;
      report({
        message: `\`${grader.type.name}\` is not a grader kind; the kinds are ${listOf([...graderKinds])}`,
        span: grader.type.span,
        ...didYouMean(grader.type.name, graderKinds),
      });
    },
  }),
};
