import { fieldOf } from "../../syntax/ast.js";
import type { Rule } from "../context.js";

/** A `calculate_output` the service cannot parse fails with `formula_parse_error` on every row. */
export const formulaSyntaxRule: Rule = {
  shared: true,
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
      if (!formula) return;
      for (const p of formula.problems) {
        if (formula.text.trim() === "") {
          // Nothing to point into (an unquoted empty formula has an empty span where the next
          // line starts): point at `calculate_output`, or at the empty string.
          const map = fieldOf(grader, "graders")?.value;
          const keys = map?.kind === "GraderMap" ? map.entries.map((e) => e.key.name).filter((k) => /^[A-Za-z_]\w*$/.test(k)) : [];
          const example = keys.length > 1 ? `(${keys.join(" + ")}) / ${keys.length}` : keys[0];
          report({
            message: "the `calculate_output` formula is empty",
            span: formula.field.value.kind === "Formula" ? formula.field.key.span : formula.field.value.span,
            suggestion: `write a formula over the keys of \`graders\`${example ? `, such as \`${example}\`` : ""}`,
          });
          continue;
        }
        report({ message: p.message, span: formula.toSource(p.span) });
      }
    },
  }),
};
