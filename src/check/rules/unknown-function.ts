import { FORMULA_FUNCTIONS, formulaNodes } from "../../formula/ast.js";
import type { Rule } from "../context.js";
import { didYouMean, listOf } from "../suggest.js";

/** The service documents eight formula functions; anything else is a `formula_parse_error`. */
export const unknownFunctionRule: Rule = {
  meta: {
    id: "unknown-function",
    severity: "error",
    summary: "A formula function other than `min max abs floor ceil exp sqrt log`.",
    example: 'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  calculate_output: round(a)\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      const formula = ctx.formulaOf(grader);
      if (!formula?.expr) return;
      const names = Object.keys(FORMULA_FUNCTIONS);
      for (const node of formulaNodes(formula.expr)) {
        if (node.kind !== "FormulaCall" || FORMULA_FUNCTIONS[node.callee.name]) continue;
        report({
          message: `\`${node.callee.name}\` is not a formula function; the functions are ${listOf(names)}`,
          span: formula.toSource(node.callee.span),
          ...didYouMean(node.callee.name, names),
        });
      }
    },
  }),
};
