import type { Argument, Grader, Member, Node, Span } from "../../syntax/ast.js";
import type { Report, Rule } from "../context.js";

interface Named {
  readonly name: string;
  readonly span: Span;
}

/** Reports each key of `items` (read by `keyOf`; undefined: no key) given before in the list. */
function duplicates<T>(items: readonly T[], keyOf: (item: T) => Named | undefined, what: string, consequence: string, report: (r: Report) => void): void {
  const n = items.length;
  if (n < 2) return;
  const found = (key: Named, first: Named): void =>
    report({
      message: `${what} \`${key.name}\` is given twice; ${consequence}`,
      span: key.span,
      related: [{ message: "first given here", span: first.span }],
      suggestion: "remove one of them",
    });
  if (n <= 16) {
    // Few keys (the usual case): compare each with those before it, allocating nothing.
    for (let j = 1; j < n; j++) {
      const key = keyOf(items[j]!);
      if (!key) continue;
      for (let i = 0; i < j; i++) {
        const first = keyOf(items[i]!);
        if (first && first.name === key.name) {
          found(key, first);
          break;
        }
      }
    }
    return;
  }
  const seen = new Map<string, Named>();
  for (const item of items) {
    const key = keyOf(item);
    if (!key) continue;
    const first = seen.get(key.name);
    if (first) found(key, first);
    else seen.set(key.name, key);
  }
}

const fieldKey = (m: Member): Named | undefined => (m.kind === "Field" ? m.key : undefined);
const entryKey = (e: { readonly key: Named }): Named => e.key;
const argumentName = (a: Argument): Named | undefined => a.name;

const JSON_KEEPS_ONE = "JSON keeps only one of them";

/** The same key twice in one object would silently lose one value in the JSON. */
export const duplicateFieldRule: Rule = {
  shared: true,
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
          duplicates(node.members, fieldKey, "the field", JSON_KEEPS_ONE, report);
          break;
        case "ObjectValue":
          duplicates(node.entries, entryKey, "the key", JSON_KEEPS_ONE, report);
          break;
        case "GraderMap":
          duplicates(node.entries, entryKey, "the sub-grader key", JSON_KEEPS_ONE, report);
          break;
        case "ObjectType":
          duplicates(node.fields, entryKey, "the field", "a shape declares each field once", report);
          break;
        case "TestBlock":
          duplicates(node.fields, entryKey, "the field", "a test sets each field once", report);
          break;
        case "CallValue":
          // Named arguments are keys of the content part (`detail: high`).
          duplicates(node.args, argumentName, "the argument", JSON_KEEPS_ONE, report);
          break;
        default:
          break;
      }
    };
    /** `string_check "a" { name: "b" ... }`: the header already gives the name. */
    const nameTwice = (grader: Grader): void => {
      if (!grader.name || grader.body.kind !== "BlockBody") return;
      const field = grader.body.members.find((m) => m.kind === "Field" && m.key.name === "name");
      if (!field || field.kind !== "Field") return;
      report({
        message: "the name is given twice, after the kind and as a `name` field; JSON keeps only one of them",
        span: field.key.span,
        related: [{ message: "first given here", span: grader.name.span }],
        suggestion: "remove the `name` field",
      });
    };
    return { Grader: nameTwice, BlockBody: keysOf, ObjectValue: keysOf, GraderMap: keysOf, ObjectType: keysOf, TestBlock: keysOf, CallValue: keysOf };
  },
};
