import { fieldOf } from "../../syntax/ast.js";
import { formulaNodes } from "../../formula/ast.js";
import type { Rule } from "../context.js";
import { didYouMean, listOf } from "../suggest.js";

/** Formula names are the keys of `graders` (not the sub-graders' `name`s). */
export const unknownGraderRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-grader",
    severity: "error",
    summary: "A name in `calculate_output` that is no key of `graders`, with a suggestion.",
    example: 'multi "m" {\n  graders { name: string_check "n": sample.output_text eq item.name }\n  calculate_output: nmae\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      const formula = ctx.formulaOf(grader);
      const map = fieldOf(grader, "graders")?.value;
      if (!formula?.expr || map?.kind !== "GraderMap") return;
      // A map left empty by a syntax error (a single grader written there, in JSON) is reported as such.
      if (map.entries.length === 0 && ctx.hasSyntaxErrors) return;
      const keys = map.entries.map((e) => e.key.name);
      const nodes = formulaNodes(formula.expr);
      const callees = new Set(nodes.flatMap((n) => (n.kind === "FormulaCall" ? [n.callee] : [])));
      for (const node of nodes) {
        if (node.kind !== "FormulaName" || keys.includes(node.name) || callees.has(node)) continue;
        const subName = map.entries.find((e) => e.grader.name?.value === node.name);
        report({
          message: `\`${node.name}\` is not a key of \`graders\`; ${keys.length ? `the keys are ${listOf(keys, "and")}` : "it has none"}`,
          span: formula.toSource(node.span),
          ...(subName
            ? { suggestion: `\`${node.name}\` is the name of the sub-grader keyed \`${subName.key.name}\`; formulas use keys`, replacement: subName.key.name }
            : (didYouMean(node.name, keys) ?? {})),
        });
      }
    },
  }),
};
