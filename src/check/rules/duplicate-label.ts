import { fieldOf, type Value } from "../../syntax/ast.js";
import { stringOf, type Rule } from "../context.js";

/** A label listed twice in `labels` or `passing_labels` is at best noise, at worst a typo for another. */
export const duplicateLabelRule: Rule = {
  shared: true,
  meta: {
    id: "duplicate-label",
    severity: "error",
    summary: "A label listed twice in `labels` or `passing_labels`.",
    example: 'label_model "s" {\n  model: "gpt-4o-2024-08-06"\n  labels: [positive, negative, positive]\n  passing_labels: [positive]\n  user "{{item.text}}"\n}',
  },
  create: (_ctx, report) => ({
    Grader(grader) {
      // Only a label_model has labels; on another kind they are unknown fields (reported as such).
      if (grader.type.name !== "label_model") return;
      for (const name of ["labels", "passing_labels"]) {
        const list = fieldOf(grader, name)?.value;
        if (list?.kind !== "ListValue") continue;
        const seen = new Map<string, Value>();
        for (const item of list.items) {
          if (item === undefined) continue; // left out by the parser's recovery from a syntax error
          const label = stringOf(item);
          if (label === undefined) continue;
          const first = seen.get(label);
          if (first) {
            report({
              message: `\`${label}\` is listed twice in \`${name}\``,
              span: item.span,
              related: [{ message: "first listed here", span: first.span }],
              suggestion: "remove the second one",
            });
          } else seen.set(label, item);
        }
      }
    },
  }),
};
