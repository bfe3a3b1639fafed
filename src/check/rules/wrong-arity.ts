import { FORMULA_FUNCTIONS, formulaNodes } from "../../formula/ast.js";
import type { Rule } from "../context.js";

/** `min`/`max` take two or more arguments, the other functions exactly one. */
export const wrongArityRule: Rule = {
  shared: true,
  meta: {
    id: "wrong-arity",
    severity: "error",
    summary: "A formula function called with the wrong number of arguments (`min`/`max` two or more, the others one).",
    example: 'multi "m" {\n  graders { a: string_check "a": sample.output_text eq item.a }\n  calculate_output: max(a)\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      const formula = ctx.formulaOf(grader);
      if (!formula?.expr) return;
      for (const node of formulaNodes(formula.expr)) {
        if (node.kind !== "FormulaCall") continue;
        if (!Object.hasOwn(FORMULA_FUNCTIONS, node.callee.name)) continue; // `unknown-function`
        const arity = FORMULA_FUNCTIONS[node.callee.name]!;
        const [min, max] = arity;
        const n = node.args.length;
        if (n >= min && n <= max) continue;
        const wanted = max === Infinity ? `${min} or more arguments` : `exactly ${min} argument${min === 1 ? "" : "s"}`;
        report({ message: `\`${node.callee.name}\` takes ${wanted}, not ${n}`, span: formula.toSource(node.span) });
      }
    },
  }),
};
