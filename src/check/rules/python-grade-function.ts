import type { Rule } from "../context.js";
import { gradeFunctionProblem } from "../python.js";

/** The service calls `grade(sample, item)`: without it every sample scores 0. */
export const pythonGradeFunctionRule: Rule = {
  shared: true,
  meta: {
    id: "python-grade-function",
    severity: "error",
    summary: "A python source without a top-level `def grade(sample, item)` the service can call with exactly two arguments (further parameters need defaults).",
    example: 'python "p" {\n  source: """\n    def score(sample, item):\n        return 1.0\n    """\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "python") return;
      const source = ctx.pythonSourceOf(grader);
      if (!source) return;
      const problem = gradeFunctionProblem(source.text);
      if (!problem) return;
      const node = source.node;
      if (node.kind === "CallValue") {
        // A file: name it; the span is the `file(...)` call.
        const arg = node.args[0]?.value;
        const where = arg?.kind === "StringValue" ? ` (in \`${arg.value}\`)` : " (in the file)";
        report({ message: `${problem.message}${where}`, span: node.span, suggestion: problem.suggestion });
        return;
      }
      // Inline source: point at the offending `def grade(...)` when there is one.
      const span = problem.at ? ctx.spanInString(node, problem.at.start, problem.at.end) : node.span;
      report({ message: problem.message, span, suggestion: problem.suggestion });
    },
  }),
};
