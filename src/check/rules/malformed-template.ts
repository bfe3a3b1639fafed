import type { Rule } from "../context.js";

/** A `{{ }}` the service cannot substitute fails every row at training time. */
export const malformedTemplateRule: Rule = {
  shared: true,
  meta: {
    id: "malformed-template",
    severity: "error",
    summary: "An unbalanced or empty `{{ }}`, extra `}}`, or a template that is not a `namespace.path`.",
    example: 'string_check "exact": "{{sample.output_text" eq item.label',
  },
  create: (ctx, report) => ({
    Document() {
      // Indexed loops: these run for every document, and for-of made an iterator each time.
      const strings = ctx.templateStrings();
      for (let k = 0; k < strings.length; k++) {
        const s = strings[k]!;
        for (let q = 0; q < s.problems.length; q++) {
          const p = s.problems[q]!;
          report({
            message: p.message + ctx.inFile(s, p.start),
            span: ctx.spanInString(s.node, p.start, p.end),
            ...(p.suggestion ? { suggestion: p.suggestion } : {}),
            ...(p.severity ? { severity: p.severity } : {}),
            // A replacement is text of the decoded string; it applies to the source only when the
            // problem's characters are written as themselves (a string value, not a bare path).
            ...(p.replacement !== undefined && s.node.kind === "StringValue" ? { replacement: p.replacement } : {}),
          });
        }
      }
    },
  }),
};
