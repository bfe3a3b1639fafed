import { readTests } from "../../emit/tests.js";
import type { Rule } from "../context.js";

/** A `test` block must be runnable by `grade test`: known fields, a sample, an expected reward, and `given` values that fit the grader. */
export const testBlockRule: Rule = {
  meta: {
    id: "test-block",
    severity: "error",
    summary:
      "A `test` block `grade test` cannot run: an unknown field, no `sample` or `expect`, a value of the wrong type, an empty range, or a `given` that names no sub-grader or does not fit its kind.",
    example: 'string_check "s": sample.output_text eq item.label\n\ntest "exact" {\n  sample: "yes"\n  expcet: 1\n}',
  },
  create: (_ctx, report) => ({
    Document(document) {
      for (const problem of readTests(document).problems) report(problem);
    },
  }),
};
