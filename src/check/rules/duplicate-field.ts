import type { Key, Node } from "../../syntax/ast.js";
import type { Report, Rule } from "../context.js";

function duplicates(keys: readonly Key[], what: string, report: (r: Report) => void): void {
  const seen = new Map<string, Key>();
  for (const key of keys) {
    const first = seen.get(key.name);
    if (first) {
      report({
        message: `${what} \`${key.name}\` is given twice; JSON keeps only one of them`,
        span: key.span,
        related: [{ message: "first given here", span: first.span }],
        suggestion: "remove one of them",
      });
    } else seen.set(key.name, key);
  }
}

/** The same key twice in one object would silently lose one value in the JSON. */
export const duplicateFieldRule: Rule = {
  meta: {
    id: "duplicate-field",
    severity: "error",
    summary: "A field, object key, sub-grader key or declared type field given twice in the same place.",
    example: 'python "p" {\n  source: "def grade(s, i): return 1"\n  source: "def grade(s, i): return 0"\n}',
  },
  create: (_ctx, report) => {
    const keysOf = (node: Node): void => {
      switch (node.kind) {
        case "BlockBody":
          duplicates(
            node.members.flatMap((m) => (m.kind === "Field" ? [m.key] : [])),
            "the field",
            report,
          );
          break;
        case "ObjectValue":
          duplicates(node.entries.map((e) => e.key), "the key", report);
          break;
        case "GraderMap":
          duplicates(node.entries.map((e) => e.key), "the sub-grader key", report);
          break;
        case "ObjectType":
          duplicates(node.fields.map((f) => f.key), "the field", report);
          break;
        case "TestBlock":
          duplicates(node.fields.map((f) => f.key), "the field", report);
          break;
        default:
          break;
      }
    };
    return { BlockBody: keysOf, ObjectValue: keysOf, GraderMap: keysOf, ObjectType: keysOf, TestBlock: keysOf };
  },
};
