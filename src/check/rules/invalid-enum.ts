import type { Identifier, Value } from "../../syntax/ast.js";
import { fieldOf } from "../../syntax/ast.js";
import { AudioFormat, EvaluationMetric, ImageDetail, ReasoningEffort, Role, StringCheckOperation } from "../../schema/graders.js";
import { stringOf, type Report, type Rule } from "../context.js";
import { fieldsOfKind, isGraderKind } from "../kinds.js";
import { didYouMean, listOf } from "../suggest.js";

function checkEnum(what: string, node: Value | Identifier, allowed: readonly string[], report: (r: Report) => void): void {
  const text = node.kind === "Identifier" ? node.name : stringOf(node);
  if (text !== undefined && allowed.includes(text)) return;
  if (node.kind === "NullValue") return; // nullable where the schema allows it; the schema check decides
  report({
    message:
      text === undefined
        ? `${what} must be one of ${listOf(allowed)}`
        : `\`${text}\` is not a valid ${what}; it is one of ${listOf(allowed)}`,
    span: node.span,
    ...(text === undefined ? {} : didYouMean(text, allowed)),
  });
}

/** Values of the JSON's enums: operation, metric, role, reasoning effort, image detail, audio format. */
export const invalidEnumRule: Rule = {
  meta: {
    id: "invalid-enum",
    severity: "error",
    summary: "A value outside its enum: `operation`, `evaluation_metric`, message role, `reasoning_effort`, image `detail`, audio `format`.",
    example: 'string_check "exact": sample.output_text equals item.label   // eq, ne, like or ilike',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      const body = grader.body;
      if (body.kind === "CompareForm") checkEnum("operation", body.operation, StringCheckOperation.options, report);
      if (body.kind === "CallForm") checkEnum("evaluation metric", body.metric, EvaluationMetric.options, report);
      const operation = fieldOf(grader, "operation")?.value;
      if (operation && operation.kind !== "GraderMap" && operation.kind !== "Formula") {
        checkEnum("operation", operation, StringCheckOperation.options, report);
      }
      const metric = fieldOf(grader, "evaluation_metric")?.value;
      if (metric && metric.kind !== "GraderMap" && metric.kind !== "Formula") {
        checkEnum("evaluation metric", metric, EvaluationMetric.options, report);
      }
      const sampling = fieldOf(grader, "sampling_params")?.value;
      if (sampling?.kind === "ObjectValue") {
        const effort = sampling.entries.find((e) => e.key.name === "reasoning_effort");
        if (effort) checkEnum("reasoning effort", effort.value, ReasoningEffort.options, report);
      }
    },
    Message(message) {
      if ((Role.options as readonly string[]).includes(message.role.name)) return;
      const grader = ctx.graders.find((g) => g.body.kind === "BlockBody" && g.body.members.includes(message));
      const kind = grader?.type.name;
      if (kind && isGraderKind(kind) && fieldsOfKind(kind, ctx.target).has(message.role.name)) {
        report({
          message: `\`${message.role.name}\` is a field: it needs a \`:\` before its value`,
          span: message.role.span,
          suggestion: `write \`${message.role.name}: ...\``,
        });
        return;
      }
      checkEnum("message role", message.role, Role.options, report);
    },
    CallValue(call) {
      for (const arg of call.args) {
        if (call.callee.name === "input_image" && arg.name?.name === "detail") checkEnum("image detail", arg.value, ImageDetail.options, report);
        if (call.callee.name === "input_audio" && arg.name?.name === "format") checkEnum("audio format", arg.value, AudioFormat.options, report);
      }
    },
  }),
};
