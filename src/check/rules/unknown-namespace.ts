import type { Rule } from "../context.js";
import { didYouMean } from "../suggest.js";

const NAMESPACES = ["item", "sample"];

/** The service substitutes only `item.*` and `sample.*`. */
export const unknownNamespaceRule: Rule = {
  meta: {
    id: "unknown-namespace",
    severity: "error",
    summary: "A template namespace other than `item` and `sample`.",
    example: 'string_check "exact": "{{output.text}}" eq item.label',
  },
  create: (ctx, report) => ({
    Document() {
      for (const s of ctx.templateStrings()) {
        for (const ref of s.refs) {
          if (NAMESPACES.includes(ref.namespace)) continue;
          const near = didYouMean(ref.namespace, NAMESPACES);
          const span = ctx.spanInString(s.node, ref.start, ref.start + ref.namespace.length);
          report({
            message: `\`${ref.namespace}\` is not a template namespace; templates read \`item.*\` (the dataset row) or \`sample.*\` (the model's output)`,
            span: s.node.kind === "PathValue" ? { start: s.node.span.start, end: s.node.span.start + ref.namespace.length } : span,
            ...(near ?? {}),
          });
        }
      }
    },
  }),
};
