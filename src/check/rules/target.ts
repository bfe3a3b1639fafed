import { fieldOf } from "../../syntax/ast.js";
import { targetPragmaComment, type Rule } from "../context.js";
import { didYouMean } from "../suggest.js";

/** The rft and evals targets accept different graders (LANGUAGE.md, "Targets"). */
export const targetRule: Rule = {
  shared: true,
  meta: {
    id: "target",
    severity: "error",
    summary:
      "A construct the target does not allow: `label_model` at the top level for rft; `multi`, or `text_similarity` without `pass_threshold`, for evals.",
    example: '// grade check --target rft\nlabel_model "s" { ... }   // label_model only inside a multi for rft',
  },
  create: (ctx, report) => ({
    Document(document) {
      const pragma = targetPragmaComment(document);
      if (!pragma || pragma.target === "rft" || pragma.target === "evals") return;
      report({
        message: `\`${pragma.target || "(nothing)"}\` is not a target; \`// @target\` names \`rft\` or \`evals\``,
        span: pragma.comment.span,
        ...(didYouMean(pragma.target, ["rft", "evals"]) ?? {}),
      });
    },
    Grader(grader) {
      const kind = grader.type.name;
      const topLevel = ctx.document.grader === grader;
      if (ctx.target === "rft") {
        if (kind === "label_model" && topLevel) {
          report({
            message: "a `label_model` grader is not allowed at the top level for the rft target",
            span: grader.type.span,
            suggestion: "use it inside a `multi` grader, or check with `--target evals`",
          });
        }
      } else {
        if (kind === "multi" && topLevel) {
          report({ message: "`multi` graders are only for the rft target", span: grader.type.span, suggestion: "use `--target rft`" });
        }
        // Inside a multi (itself reported above) the requirement is moot: no noise for its sub-graders.
        if (kind === "text_similarity" && !fieldOf(grader, "pass_threshold") && !ctx.parentOf(grader)) {
          report({
            message: "a `text_similarity` grader needs `pass_threshold` for the evals target",
            span: grader.name ? { start: grader.type.span.start, end: grader.name.span.end } : grader.type.span,
            suggestion:
              grader.body.kind === "CallForm"
                ? "write it in block form with `pass_threshold: 0.8`"
                : "add `pass_threshold: 0.8`",
          });
        }
      }
    },
  }),
};
