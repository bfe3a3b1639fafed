import type { Rule } from "../context.js";
import { gradeFunctionProblem } from "../python.js";

/** The service calls `grade(sample, item)`: without it every sample scores 0. */
export const pythonGradeFunctionRule: Rule = {
  meta: {
    id: "python-grade-function",
    severity: "error",
    summary: "A python source without a top-level `def grade(sample, item)` taking exactly two parameters.",
    example: 'python "p" {\n  source: """\n    def score(sample, item):\n        return 1.0\n    """\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "python") return;
      const source = ctx.pythonSourceOf(grader);
      if (!source) return;
      const problem = gradeFunctionProblem(source.text);
      if (problem) report({ message: source.fromFile ? `${problem.message} (in the file)` : problem.message, span: source.node.span, suggestion: problem.suggestion });
    },
  }),
};
