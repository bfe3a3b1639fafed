import type { Rule } from "../context.js";

/** The API types require a name; the service accepts graders without one, so this only warns. */
export const missingNameRule: Rule = {
  meta: {
    id: "missing-name",
    severity: "warning",
    summary: "A grader without a name (the API types require one; results are easier to read with it).",
    example: 'python { source: "def grade(sample, item): return 1.0" }',
  },
  create: (_ctx, report) => ({
    Grader(grader) {
      if (grader.name) return;
      report({
        message: `this \`${grader.type.name}\` grader has no name`,
        span: grader.type.span,
        suggestion: `add one after the kind: \`${grader.type.name} "my grader"\``,
      });
    },
  }),
};
