import type { Rule } from "../context.js";

/** `file()` must name a readable file inside the project: a grader cannot read anything else. */
export const fileRule: Rule = {
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
      report({ message: result.message, span: call.args[0]?.value.span ?? call.span, ...(result.suggestion ? { suggestion: result.suggestion } : {}) });
    },
  }),
};
