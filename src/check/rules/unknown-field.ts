import { fieldOf, fieldsOf, type Grader } from "../../syntax/ast.js";
import type { Rule } from "../context.js";
import { fieldsOfKind, isGraderKind, modelKinds, targetsWithField } from "../kinds.js";
import { closest } from "../suggest.js";

/** The message roles and the keys `sampling_params` has, read from the schema (through its table). */
import { schemaTable } from "../../schema/table.js";

/**
 * A field the kind does not have for the target. It is kept in the JSON (the service tolerates
 * some, such as `pass_threshold` on an RFT sub-grader) and reported as a warning; when it looks
 * like a misspelling of a required field that is missing, it is an error.
 */
export const unknownFieldRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-field",
    severity: "warning",
    summary: "A field the grader kind or target does not have, with \"did you mean\"; an error when it misspells a missing required field.",
    example: 'string_check "exact" {\n  input: sample.output_text\n  reference: item.label\n  opration: eq   // did you mean `operation`?\n}',
  },
  create: (ctx, report) => ({
    Grader(grader: Grader) {
      const kind = grader.type.name;
      if (!isGraderKind(kind)) return;
      const known = fieldsOfKind(kind, ctx.target);
      const fields = fieldsOf(grader);
      let given: Set<string> | undefined; // made when a field is unknown
      for (const field of fields) {
        const name = field.key.name;
        if (known.has(name)) continue;
        if (name === "type") {
          report({ message: "`type` comes from the grader kind written before the name; remove this field", span: field.key.span, severity: "error" });
          continue;
        }
        if (modelKinds.has(kind) && schemaTable.enums.Role.includes(name)) {
          // `user: "..."` or `user { ... }`: meant as a message, kept as a field the service ignores.
          const colon = ctx.text.slice(field.key.span.end).trimStart().startsWith(":");
          report({
            message: colon
              ? `\`${name}\` is a message role, not a field: a message is written without \`:\`, as in \`${name} "..."\``
              : `\`${name} { ... }\` is a field, not a message: message content is a string, a list or a part, as in \`${name} "..."\``,
            span: field.key.span,
            severity: "error",
            suggestion: colon ? "remove the `:`" : `write \`${name} "..."\` or \`${name} [ ... ]\``,
          });
          continue;
        }
        const elsewhere = targetsWithField(kind, name);
        if (elsewhere.length > 0) {
          report({
            message: `\`${name}\` is not a field of \`${kind}\` for the ${ctx.target} target (it is for ${elsewhere.join(", ")}); it is kept in the JSON`,
            span: field.key.span,
          });
          continue;
        }
        const near = closest(name, known.keys());
        given ??= new Set(fields.map((f) => f.key.name));
        const misspeltRequired = near !== undefined && known.get(near)!.required && !given.has(near);
        report({
          message: misspeltRequired
            ? `\`${kind}\` has no field \`${name}\`, and the \`${near}\` it needs is missing`
            : `\`${kind}\` has no field \`${name}\`; it is kept in the JSON as written`,
          span: field.key.span,
          ...(misspeltRequired ? { severity: "error" as const } : {}),
          ...(near ? { suggestion: `did you mean \`${near}\`?`, replacement: near } : {}),
        });
      }
      if (!modelKinds.has(kind) && grader.body.kind === "BlockBody") {
        for (const member of grader.body.members) {
          if (member.kind !== "Message" || !member.role) continue;
          // `operation "eq"`: a field without its colon; `invalid-enum` says so.
          if (known.has(member.role.name)) continue;
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(member.role.name)) continue; // recovered from a syntax error
          report({
            message: `\`${kind}\` graders have no messages (only \`score_model\` and \`label_model\` do)`,
            span: member.role.span,
            severity: "error",
            suggestion: `if \`${member.role.name}\` is a field, write \`${member.role.name}: ...\``,
          });
        }
      }
      // On a kind without `sampling_params` the whole field is reported above; its keys are not.
      const sampling = targetsWithField(kind, "sampling_params").length > 0 ? fieldOf(grader, "sampling_params")?.value : undefined;
      if (sampling?.kind === "ObjectValue") {
        const keys = schemaTable.samplingParams;
        for (const entry of sampling.entries) {
          if (keys.includes(entry.key.name)) continue;
          const near = closest(entry.key.name, keys);
          report({
            message: `\`sampling_params\` has no field \`${entry.key.name}\`; it is kept in the JSON as written`,
            span: entry.key.span,
            ...(near ? { suggestion: `did you mean \`${near}\`?`, replacement: near } : {}),
          });
        }
      }
    },
  }),
};
