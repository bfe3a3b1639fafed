import type { Rule } from "../context.js";
import { didYouMean, listOf } from "../suggest.js";

export const TYPE_NAMES = ["string", "number", "integer", "boolean", "any", "null"];

/** A declared shape with a misspelt type would check every template against the wrong shape. */
export const unknownTypeRule: Rule = {
  shared: true,
  meta: {
    id: "unknown-type",
    severity: "error",
    summary: "A type in an `item` or `sample` declaration that is not `string number integer boolean any null`, a list, an object or a string literal.",
    example: "item {\n  answer: strng   // did you mean `string`?\n}",
  },
  create: (_ctx, report) => ({
    NamedType(type) {
      if (TYPE_NAMES.includes(type.name)) return;
      report({
        message: `\`${type.name}\` is not a type; the types are ${listOf(TYPE_NAMES)}, \`[T]\`, \`{ ... }\` and string literals`,
        span: type.span,
        ...didYouMean(type.name, TYPE_NAMES),
      });
    },
  }),
};
