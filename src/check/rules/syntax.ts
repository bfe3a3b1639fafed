import type { Rule } from "../context.js";

/** Parse errors are reported by the parser (src/syntax); this entry documents them in the catalog. */
export const syntaxRule: Rule = {
  shared: true,
  meta: {
    id: "syntax",
    severity: "error",
    summary: "The text does not parse: what was expected and what was found, several per file.",
    example: 'string_check "exact" {\n  input: sample.output_text\n  operation eq   // expected `:` after `operation`\n}',
  },
  create: () => ({}),
};
