import type { Value } from "./ast.js";

/**
 * What a value is, for messages that say what was expected instead: "must be a number, not a
 * string". Literals the reader can see are shown (`true`, `null`); a bare path is named as one,
 * since that is what was written, although it stands for the string `"{{path}}"`.
 */
export function describeValue(value: Value): string {
  switch (value.kind) {
    case "StringValue":
    case "NameValue":
      return "a string";
    case "NumberValue":
      return "a number";
    case "BooleanValue":
      return `\`${value.value}\``;
    case "NullValue":
      return "`null`";
    case "PathValue":
      return "a template path";
    case "ListValue":
      return "a list";
    case "ObjectValue":
      return "an object";
    case "CallValue":
      return `\`${value.callee.name}(...)\``;
    case "RangeValue":
      return "a range";
    case "ToleranceValue":
      return "a `within` value";
  }
}
