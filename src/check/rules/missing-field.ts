import { fieldsOf, messagesOf } from "../../syntax/ast.js";
import { schemaTable } from "../../schema/table.js";
import type { Rule } from "../context.js";
import { fieldsOfKind, isGraderKind, modelKinds, requiredFieldsOfKind, targets } from "../kinds.js";
import { closest } from "../suggest.js";

const HINTS: Readonly<Record<string, string>> = {
  input: "add `input: sample.output_text`",
  reference: "add `reference: item.answer` (the dataset field to compare with)",
  model: 'add `model: "gpt-4o-2024-08-06"` (any model the service supports)',
  labels: "add `labels: [positive, neutral, negative]`",
  passing_labels: "add `passing_labels: [positive]` (a subset of `labels`)",
  source: 'add `source: """ ... """` or `source: file("grader.py")`',
  operation: "add `operation: eq` (eq, ne, like or ilike)",
  evaluation_metric: "add `evaluation_metric: fuzzy_match`",
  calculate_output: "add a formula over the sub-grader keys, such as `calculate_output: (a + b) / 2`",
  graders: "add `graders { key: <grader> ... }`",
};

const MESSAGE_HINT = 'add at least one message, such as `user "Score this: {{sample.output_text}}"`';

/** A field the kind requires is absent (fields required only by one target are the `target` rule's). */
export const missingFieldRule: Rule = {
  shared: true,
  meta: {
    id: "missing-field",
    severity: "error",
    summary: "A required field is absent (`model`, `input`, `labels`, `source`, `operation`, ...).",
    example: 'label_model "sentiment" {\n  model: "gpt-4o-2024-08-06"\n  passing_labels: [positive]\n  user "{{item.text}}"\n}   // no `labels`',
  },
  create: (ctx, report) => ({
    Grader(grader) {
      const kind = grader.type.name;
      if (!isGraderKind(kind) || grader.body.kind !== "BlockBody" || ctx.hasSyntaxErrors) return;
      const known = fieldsOfKind(kind, ctx.target);
      // Whether a field was given (or stands for one), and the required fields some unknown
      // field misspells: asked only about required fields, the latter made on first need.
      const fields = fieldsOf(grader);
      const messages = messagesOf(grader);
      const given = (name: string): boolean => {
        for (const f of fields) if (f.key.name === name) return true;
        // A message written as a field (`user: "..."`) is reported by `unknown-field`.
        if (name === "input" && modelKinds.has(kind) && (messages.length > 0 || fields.some((f) => schemaTable.enums.Role.includes(f.key.name)))) return true;
        // `model "x"`: a field written without its colon is a message to the parser; `invalid-enum`
        // reports the missing colon, so the field is not reported missing as well.
        for (const m of messages) if (m.role && m.role.name === name) return true;
        return false;
      };
      let misspelt: Set<string> | undefined;
      for (const field of requiredFieldsOfKind(kind, ctx.target)) {
        if (given(field.name)) continue;
        misspelt ??= new Set(
          fields
            .filter((f) => !known.has(f.key.name))
            .map((f) => closest(f.key.name, known.keys()))
            .filter((n): n is string => n !== undefined),
        );
        if (misspelt.has(field.name)) continue;
        const everywhere = targets.every((t) => fieldsOfKind(kind, t).get(field.name)?.required);
        if (!everywhere) continue;
        const messagesInput = field.name === "input" && modelKinds.has(kind);
        const what = messagesInput ? "needs at least one message (its `input`)" : `needs \`${field.name}\``;
        const hint = messagesInput ? MESSAGE_HINT : HINTS[field.name];
        report({
          message: `\`${kind}\`${grader.name ? ` "${grader.name.value}"` : ""} ${what}`,
          span: grader.name ? { start: grader.type.span.start, end: grader.name.span.end } : grader.type.span,
          ...(hint ? { suggestion: hint } : {}),
        });
      }
    },
  }),
};
