import type { Rule } from "../context.js";
import { didYouMean } from "../suggest.js";
import { printTemplatePath } from "../templates.js";

const NAMESPACES = ["item", "sample"];

/** Names people reach for, from other template languages and eval tools, and what they mean here. */
const MEANT: Readonly<Record<string, string>> = {
  output: "sample",
  outputs: "sample",
  response: "sample",
  completion: "sample",
  answer: "sample",
  prediction: "sample",
  model: "sample",
  input: "item",
  inputs: "item",
  row: "item",
  data: "item",
  datum: "item",
  dataset: "item",
  example: "item",
  record: "item",
};

/** The service substitutes only `item.*` and `sample.*`. */
export const unknownNamespaceRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-namespace",
    severity: "error",
    summary: "A template namespace other than `item` and `sample`.",
    example: 'string_check "exact": "{{output.text}}" eq item.label',
  },
  create: (ctx, report) => ({
    Document() {
      // Indexed loops: these run for every document, and for-of made an iterator each time.
      const strings = ctx.templateStrings();
      for (let k = 0; k < strings.length; k++) {
        const s = strings[k]!;
        for (let r = 0; r < s.refs.length; r++) {
          const ref = s.refs[r]!;
          if (NAMESPACES.includes(ref.namespace)) continue;
          const meant = MEANT[ref.namespace.toLowerCase()];
          const near =
            didYouMean(ref.namespace, NAMESPACES) ??
            (meant === "sample"
              ? { suggestion: "the model's output is `sample.output_text` (or `sample.output_json.<field>` for JSON output)" }
              : meant === "item"
                ? { suggestion: `the dataset row is \`item\`: write \`${printTemplatePath("item", ref.segments)}\``, replacement: "item" }
                : undefined);
          const span = ctx.spanInString(s.node, ref.start, ref.start + ref.namespace.length);
          report({
            message: `\`${ref.namespace}\` is not a template namespace; templates read \`item.*\` (the dataset row) or \`sample.*\` (the model's output)${ctx.inFile(s, ref.start)}`,
            span: s.node.kind === "PathValue" ? { start: s.node.span.start, end: s.node.span.start + ref.namespace.length } : span,
            // A replacement edits the .grade text: not for a namespace inside a `file()` prompt.
            ...(near === undefined ? {} : s.file === undefined ? near : { suggestion: near.suggestion }),
          });
        }
      }
    },
  }),
};
