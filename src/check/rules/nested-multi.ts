import type { Rule } from "../context.js";

/** "You cannot nest one multigrader inside another" (the service's graders guide). */
export const nestedMultiRule: Rule = {
  shared: true,
  meta: {
    id: "nested-multi",
    severity: "error",
    summary: "A multi grader inside another multi grader.",
    example: 'multi "outer" {\n  graders { inner: multi "inner" { ... } }\n  calculate_output: inner\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      const parent = ctx.parentOf(grader);
      if (!parent) return;
      report({
        message: "a multi grader cannot hold another multi grader",
        span: grader.type.span,
        related: [{ message: "the outer multi grader", span: parent.type.span }],
        suggestion: "move this multi grader's sub-graders into the outer `graders` and combine them in its formula",
      });
    },
  }),
};
