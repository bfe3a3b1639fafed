import { fieldOf } from "../../syntax/ast.js";
import { stringOf, type Rule } from "../context.js";
import { didYouMean } from "../suggest.js";

/** `passing_labels` must be a subset of `labels`: a passing label the model can never choose is a bug. */
export const labelNotInLabelsRule: Rule = {
  shared: true,
  meta: {
    id: "label-not-in-labels",
    severity: "error",
    summary: "A passing label that is not one of `labels`.",
    example: 'label_model "s" {\n  model: "gpt-4o-2024-08-06"\n  labels: [positive, negative]\n  passing_labels: [postive]\n  user "{{item.text}}"\n}',
  },
  create: (_ctx, report) => ({
    Grader(grader) {
      // Only a label_model has labels; on another kind they are unknown fields (reported as such).
      if (grader.type.name !== "label_model") return;
      const labels = fieldOf(grader, "labels")?.value;
      const passing = fieldOf(grader, "passing_labels")?.value;
      if (labels?.kind !== "ListValue" || passing?.kind !== "ListValue") return;
      const names = labels.items.filter((i) => i !== undefined).map(stringOf).filter((s): s is string => s !== undefined);
      for (const item of passing.items) {
        if (item === undefined) continue; // left out by the parser's recovery from a syntax error
        const label = stringOf(item);
        if (label === undefined || names.includes(label)) continue;
        report({
          message: `the passing label \`${label}\` is not one of \`labels\``,
          span: item.span,
          related: [{ message: "the labels", span: labels.span }],
          ...(didYouMean(label, names) ?? { suggestion: `add \`${label}\` to \`labels\`` }),
        });
      }
    },
  }),
};
