import { distance } from "fastest-levenshtein";
import type { Identifier, Value } from "../../syntax/ast.js";
import { fieldOf } from "../../syntax/ast.js";
import { schemaTable } from "../../schema/table.js";
import { stringOf, type Report, type Rule } from "../context.js";
import { fieldsOfKind, isGraderKind, modelKinds, targetsWithField } from "../kinds.js";
import { didYouMean, listOf } from "../suggest.js";

const { AudioFormat, EvaluationMetric, ImageDetail, ReasoningEffort, Role, StringCheckOperation } = schemaTable.enums;

/** Words people write for an operation, from other tools and languages. */
const OPERATION_SYNONYMS: Readonly<Record<string, string>> = {
  "=": "eq",
  "==": "eq",
  "===": "eq",
  equals: "eq",
  equal: "eq",
  is: "eq",
  "!=": "ne",
  "!==": "ne",
  neq: "ne",
  not_equal: "ne",
  not_equals: "ne",
  contains: "like",
  includes: "like",
  matches: "like",
  icontains: "ilike",
};

/** A close value (when no other is as close), a well-known synonym, or the one value that starts with what was written. */
function suggestionFor(text: string, allowed: readonly string[], synonyms: Readonly<Record<string, string>>) {
  const near = didYouMean(text, allowed);
  const d = (a: string): number => distance(text.toLowerCase(), a.toLowerCase());
  // `rouge` is as close to `rouge_1` as to `rouge_l`: naming one would be a guess.
  if (near && allowed.filter((a) => d(a) === d(near.replacement)).length === 1) return near;
  const synonym = synonyms[text.toLowerCase()];
  if (synonym && allowed.includes(synonym)) return { suggestion: `did you mean \`${synonym}\`?`, replacement: synonym };
  const prefixed = text.length >= 2 ? allowed.filter((a) => a.startsWith(text.toLowerCase())) : [];
  if (prefixed.length === 1) return { suggestion: `did you mean \`${prefixed[0]}\`?`, replacement: prefixed[0]! };
  return undefined;
}

interface EnumOptions {
  /** The schema allows `null` (only `reasoning_effort`). */
  readonly nullable?: boolean;
  readonly synonyms?: Readonly<Record<string, string>>;
}

function checkEnum(what: string, node: Value | Identifier | undefined, allowed: readonly string[], report: (r: Report) => void, options: EnumOptions = {}): void {
  if (!node) return; // left out by the parser's recovery from a syntax error (already reported)
  const text = node.kind === "Identifier" ? node.name : stringOf(node);
  if (text !== undefined && allowed.includes(text)) return;
  if (node.kind === "Identifier" && text === "") return; // invented by syntax-error recovery, already reported
  if (node.kind === "NullValue" && options.nullable) return;
  report({
    message:
      text === undefined
        ? `${what} must be one of ${listOf(allowed)}`
        : `\`${text}\` is not a valid ${what}; it is one of ${listOf(allowed)}`,
    span: node.span,
    ...(text === undefined ? {} : suggestionFor(text, allowed, options.synonyms ?? {})),
  });
}

/** Values of the JSON's enums: operation, metric, role, reasoning effort, image detail, audio format. */
export const invalidEnumRule: Rule = {
  shared: true,
  meta: {
    id: "invalid-enum",
    severity: "error",
    summary: "A value outside its enum: `operation`, `evaluation_metric`, message role, `reasoning_effort`, image `detail`, audio `format`.",
    example: 'string_check "exact": sample.output_text equals item.label   // eq, ne, like or ilike',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      const body = grader.body;
      if (body.kind === "CompareForm") checkEnum("operation", body.operation, StringCheckOperation, report, { synonyms: OPERATION_SYNONYMS });
      if (body.kind === "CallForm") checkEnum("evaluation metric", body.metric, EvaluationMetric, report);
      // On a kind without them these are unknown fields, kept as written (`unknown-field` warns).
      const has = (field: string): boolean => isGraderKind(grader.type.name) && targetsWithField(grader.type.name, field).length > 0;
      const operation = has("operation") ? fieldOf(grader, "operation")?.value : undefined;
      if (operation && operation.kind !== "GraderMap" && operation.kind !== "Formula") {
        checkEnum("operation", operation, StringCheckOperation, report, { synonyms: OPERATION_SYNONYMS });
      }
      const metric = has("evaluation_metric") ? fieldOf(grader, "evaluation_metric")?.value : undefined;
      if (metric && metric.kind !== "GraderMap" && metric.kind !== "Formula") {
        checkEnum("evaluation metric", metric, EvaluationMetric, report);
      }
      const sampling = has("sampling_params") ? fieldOf(grader, "sampling_params")?.value : undefined;
      if (sampling?.kind === "ObjectValue") {
        const effort = sampling.entries.find((e) => e.key.name === "reasoning_effort");
        if (effort) checkEnum("reasoning effort", effort.value, ReasoningEffort, report, { nullable: true });
      }
    },
    Message(message, parents) {
      if (!message.role) return;
      if (Role.includes(message.role.name)) return;
      // A role the parser recovered from a syntax error (a quoted string, a keyword) is no role.
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(message.role.name)) return;
      // The grader whose body holds the message: the walk's grandparent (the search is the fallback).
      const up = parents[parents.length - 2];
      const grader =
        up?.kind === "Grader" && up.body === parents[parents.length - 1] && up.body.kind === "BlockBody" && up.body.members.includes(message)
          ? up
          : ctx.graders.find((g) => g.body.kind === "BlockBody" && g.body.members.includes(message));
      const kind = grader?.type.name;
      if (!kind || !isGraderKind(kind)) return; // an unknown kind is reported as such
      if (fieldsOfKind(kind, ctx.target).has(message.role.name)) {
        report({
          message: `\`${message.role.name}\` is a field: it needs a \`:\` before its value`,
          span: message.role.span,
          suggestion: `write \`${message.role.name}: ...\``,
          replacement: `${message.role.name}:`,
        });
        return;
      }
      // Other kinds have no messages at all; `unknown-field` says so.
      if (modelKinds.has(kind)) checkEnum("message role", message.role, Role, report);
    },
    CallValue(call) {
      for (const arg of call.args) {
        // A string in the API description, whose text names these three: another value is a warning.
        if (call.callee.name === "input_image" && arg.name?.name === "detail") {
          checkEnum("image detail", arg.value, ImageDetail, (r) => report(stringOf(arg.value) === undefined ? r : { ...r, severity: "warning" }));
        }
        if (call.callee.name === "input_audio" && arg.name?.name === "format") checkEnum("audio format", arg.value, AudioFormat, report);
      }
    },
  }),
};
