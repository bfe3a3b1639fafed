import { fieldOf } from "../../syntax/ast.js";
import { formulaNodes } from "../../formula/ast.js";
import type { Rule } from "../context.js";
import { closest } from "../suggest.js";

/** A sub-grader the formula never reads still runs (and costs) on every sample. */
export const unusedGraderRule: Rule = {
  shared: true,
  meta: {
    id: "unused-grader",
    severity: "warning",
    summary: "A sub-grader that `calculate_output` never uses.",
    example: 'multi "m" {\n  graders {\n    a: string_check "a": sample.output_text eq item.a\n    b: string_check "b": sample.output_text eq item.b\n  }\n  calculate_output: a\n}',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      if (grader.type.name !== "multi") return;
      // After a syntax error the formula may have been cut short (`a b` ends it at `a`): a
      // warning that `b` is unused would send the reader the wrong way.
      if (ctx.hasSyntaxErrors) return;
      const formula = ctx.formulaOf(grader);
      const map = fieldOf(grader, "graders")?.value;
      if (!formula?.expr || map?.kind !== "GraderMap") return;
      const keys = map.entries.map((e) => e.key.name);
      const used = new Set<string>();
      for (const node of formulaNodes(formula.expr)) {
        if (node.kind !== "FormulaName") continue;
        used.add(node.name);
        // A misspelt use (`unknown-grader` suggests the key) is a use: one finding is enough.
        const meant = keys.includes(node.name) ? undefined : closest(node.name, keys);
        if (meant) used.add(meant);
      }
      for (const entry of map.entries) {
        const key = entry.key.name;
        if (used.has(key)) continue;
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
          // A formula can only name keys that are identifiers: "use it" would be no help.
          const fixed = key.replace(/[^A-Za-z0-9_]+/g, "_").replace(/^(?=\d)|^$/, "_");
          report({
            message: `the sub-grader \`${key}\` is never used in \`calculate_output\`, and cannot be: formulas name keys that are identifiers`,
            span: entry.key.span,
            suggestion: `rename the key to an identifier such as \`${fixed}\` and use it in the formula, or remove it`,
          });
          continue;
        }
        report({
          message: `the sub-grader \`${key}\` is never used in \`calculate_output\``,
          span: entry.key.span,
          suggestion: "use it in the formula, or remove it",
        });
      }
    },
  }),
};
