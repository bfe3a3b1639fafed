import type { Rule } from "../context.js";

/** A `calculate_output` the service cannot parse fails with `formula_parse_error` on every row. */
export const formulaSyntaxRule: Rule = {
  meta: {
    id: "formula-syntax",
    severity: "error",
    summary: "The `calculate_output` formula does not parse (or nests more than 200 levels).",
    example: 'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  calculate_output: (a + 1\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      const formula = ctx.formulaOf(grader);
      for (const p of formula?.problems ?? []) report({ message: p.message, span: formula!.toSource(p.span) });
    },
  }),
};
