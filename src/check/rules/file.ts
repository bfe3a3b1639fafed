import type { Rule } from "../context.js";

/** `file()` must name a readable file inside the project: a grader cannot read anything else. */
export const fileRule: Rule = {
  shared: true,
  meta: {
    id: "file",
    severity: "error",
    summary: "A `file()` target that is missing, unreadable, or outside the project (absolute, `..` out of it, or a symlink out of it).",
    example: 'python "p" { source: file("../../etc/passwd") }',
  },
  create: (ctx, report) => ({
    CallValue(call) {
      if (call.callee.name !== "file") return;
      const result = ctx.fileOf(call);
      if (result.ok) return;
      // The path when there is one; the extra arguments when there are several; else the call.
      const [first, second] = call.args;
      const last = call.args[call.args.length - 1];
      const span =
        second && last ? { start: second.span.start, end: last.span.end } : first ? first.span : call.span;
      report({ message: result.message, span, ...(result.suggestion ? { suggestion: result.suggestion } : {}) });
    },
  }),
};
