import { jsonOf, readTests, testField } from "../../emit/tests.js";
import { sampleFromObject } from "../../engine/sample.js";
import type { Rule } from "../context.js";
import { isObject } from "../json-match.js";

/** A `test` block must be runnable by `grade test`: known fields, a sample the engine accepts, an expected reward, and `given` values that fit the grader. */
export const testBlockRule: Rule = {
  meta: {
    id: "test-block",
    severity: "error",
    summary:
      "A `test` block `grade test` cannot run: an unknown field, no `sample` or `expect`, a value of the wrong type (a sample field too), an empty range, or a `given` that names no sub-grader or does not fit its kind.",
    example: 'string_check "s": sample.output_text eq item.label\n\ntest "exact" {\n  sample: "yes"\n  expcet: 1\n}',
  },
  create: (ctx, report) => ({
    Document(document) {
      for (const problem of readTests(document, (call) => ctx.fileOf(call)).problems) report(problem);
      // A sample object the engine refuses (`output_text: 3`): the test would not run.
      for (const test of document.tests) {
        const node = testField(test, "sample");
        if (node?.kind !== "ObjectValue") continue;
        const json = jsonOf(node);
        if (!isObject(json)) continue;
        const built = sampleFromObject(json);
        if (built.ok) continue;
        const entry = node.entries.findLast((e) => built.message.startsWith(`\`${e.key.name}\``));
        report({ message: built.message, span: entry ? entry.value.span : node.span });
      }
    },
  }),
};
