import type { Rule } from "../context.js";
import { resolvePath } from "../namespaces.js";
import { closest } from "../suggest.js";
import { builtinSample } from "../namespaces.js";

/**
 * A template path the declared `item` shape, or the documented `sample` fields (with a declared
 * `output_json`), do not have: at training time that is `invalid_variable_error`.
 */
export const unknownVariableRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-variable",
    severity: "error",
    summary: "A template path that the declared `item` shape or the `sample` fields lack, and with `--items data.jsonl` one that some rows of the dataset lack (how many, and the first line), with a suggestion.",
    example: 'item { reference_answer: string }\nstring_check "exact": sample.output_text eq item.referenceanswer',
  },
  create: (ctx, report) => ({
    Document(document) {
      // Indexed loops: these run for every document, and for-of made an iterator each time.
      const strings = ctx.templateStrings();
      for (let k = 0; k < strings.length; k++) {
        const s = strings[k]!;
        for (let r = 0; r < s.refs.length; r++) {
          const ref = s.refs[r]!;
          const shape = ref.namespace === "item" ? ctx.namespaces.item : ref.namespace === "sample" ? ctx.namespaces.sample : undefined;
          if (!shape) continue;
          const problem = resolvePath(ref.namespace, shape, ref.segments, closest);
          if (!problem) continue;
          const span = s.node.kind === "PathValue" ? s.node.span : ctx.spanInString(s.node, ref.start, ref.end);
          report({
            message: problem.message + ctx.inFile(s, ref.start),
            span,
            // A replacement edits the .grade text: not for a path inside a `file()` prompt.
            ...(problem.suggestion
              ? { suggestion: `did you mean \`${problem.suggestion}\`?`, ...(s.file === undefined ? { replacement: problem.suggestion } : {}) }
              : {}),
          });
        }
      }
      const sampleDecl = document.declarations.find((d) => d.namespace.name === "sample");
      if (!sampleDecl) return;
      const known = [...builtinSample().keys()];
      for (const field of sampleDecl.type.fields ?? []) {
        if (known.includes(field.key.name)) continue;
        const near = closest(field.key.name, known);
        report({
          message: `the \`sample\` namespace has no field \`${field.key.name}\`; it has ${known.map((k) => `\`${k}\``).join(", ")}`,
          span: field.key.span,
          ...(near ? { suggestion: `did you mean \`${near}\`?`, replacement: near } : {}),
        });
      }
    },
  }),
};
