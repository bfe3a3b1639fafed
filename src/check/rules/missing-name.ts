import { fieldOf } from "../../syntax/ast.js";
import type { Rule } from "../context.js";

/** The API types require a name; the service accepts graders without one, so this only warns. */
export const missingNameRule: Rule = {
  shared: true,
  meta: {
    id: "missing-name",
    severity: "warning",
    summary: "A grader without a name (the API types require one; results are easier to read with it).",
    example: 'python { source: "def grade(sample, item): return 1.0" }',
  },
  create: (_ctx, report) => ({
    Grader(grader, parents) {
      const kind = grader.type.name;
      if (grader.name && grader.name.value.trim() !== "") return;
      if (!grader.name && fieldOf(grader, "name")) return; // written as a field; duplicate-field and the schema judge it
      // A sub-grader's key is a good name for it.
      const entry = parents[parents.length - 1];
      const name = entry?.kind === "GraderEntry" && entry.key.name.trim() !== "" ? entry.key.name : "my grader";
      report({
        message: grader.name ? `this \`${kind}\` grader's name is empty` : `this \`${kind}\` grader has no name`,
        span: grader.name ? grader.name.span : grader.type.span,
        suggestion: `${grader.name ? "write one" : "add one after the kind"}: \`${kind} ${JSON.stringify(name)}\``,
      });
    },
  }),
};
