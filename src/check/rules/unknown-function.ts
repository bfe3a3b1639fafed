import { FORMULA_FUNCTIONS, formulaNodes } from "../../formula/ast.js";
import { fieldOf } from "../../syntax/ast.js";
import type { Rule } from "../context.js";
import { didYouMean, listOf } from "../suggest.js";

/** The service documents eight formula functions; anything else is a `formula_parse_error`. */
export const unknownFunctionRule: Rule = {
  shared: true,
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
      const map = fieldOf(grader, "graders")?.value;
      const keys = map?.kind === "GraderMap" ? map.entries.map((e) => e.key.name) : [];
      for (const node of formulaNodes(formula.expr)) {
        if (node.kind !== "FormulaCall" || Object.hasOwn(FORMULA_FUNCTIONS, node.callee.name)) continue;
        const name = node.callee.name;
        // `a(b + c)`: a grader key before `(` is usually a product missing its `*`.
        const keyHint = keys.includes(name) && !didYouMean(name, names)
          ? { suggestion: `\`${name}\` is a key of \`graders\`, not a function; to multiply, write \`${name} * (...)\`` }
          : undefined;
        report({
          message: `\`${name}\` is not a formula function; the functions are ${listOf(names)}`,
          span: formula.toSource(node.callee.span),
          ...(keyHint ?? didYouMean(name, names)),
        });
      }
    },
  }),
};
