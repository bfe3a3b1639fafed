import type { Rule } from "../context.js";

export const PYTHON_SOURCE_LIMIT = 256 * 1024;

/** The service refuses python sources of 256 kB or more. */
export const pythonSizeRule: Rule = {
  shared: true,
  meta: {
    id: "python-size",
    severity: "error",
    summary: "A python source of 256 kB or more (the service's limit).",
    example: 'python "big" { source: file("huge.py") }   // 300 kB',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "python") return;
      const source = ctx.pythonSourceOf(grader);
      if (!source) return;
      // The limit is on the UTF-8 bytes the service receives, not on characters.
      const bytes = Buffer.byteLength(source.text, "utf8");
      if (bytes < PYTHON_SOURCE_LIMIT) return;
      const arg = source.node.kind === "CallValue" ? source.node.args[0]?.value : undefined;
      const what = arg?.kind === "StringValue" ? `\`${arg.value}\`` : "the python source";
      report({
        message: `${what} is ${bytes} bytes (${(bytes / 1024).toFixed(1)} kB); the service accepts python sources of less than 256 kB (${PYTHON_SOURCE_LIMIT} bytes)`,
        span: source.node.span,
        suggestion: "move data out of the source, or shorten it",
      });
    },
  }),
};
