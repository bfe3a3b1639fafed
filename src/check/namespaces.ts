import type { Document, TypeExpr } from "../syntax/ast.js";
import type { PathSegment } from "./templates.js";
import { printTemplatePath } from "./templates.js";

/*
 * The shapes of the `item` and `sample` namespaces, from the file's declarations and the
 * service's documented sample fields, and the resolution of a template path against them.
 */

export type Shape =
  | { readonly kind: "any" }
  | { readonly kind: "scalar"; readonly name: string }
  | { readonly kind: "list"; readonly element: Shape }
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Shape> }
  | { readonly kind: "union"; readonly members: readonly Shape[] };

const ANY: Shape = { kind: "any" };
const STRING: Shape = { kind: "scalar", name: "string" };
const obj = (fields: Record<string, Shape>): Shape => ({ kind: "object", fields: new Map(Object.entries(fields)) });

const OUTPUT_TOOLS: Shape = {
  kind: "list",
  element: obj({ id: STRING, type: STRING, function: obj({ name: STRING, arguments: STRING }) }),
};
const CHOICES: Shape = { kind: "list", element: ANY };
const OUTPUT_AUDIO: Shape = obj({ data: STRING, transcript: STRING });

/** The `sample` fields the service documents (the python grader's first argument). A new map each time; the shapes are shared. */
export function builtinSample(outputJson: Shape = ANY): Map<string, Shape> {
  return new Map<string, Shape>()
    .set("output_text", STRING)
    .set("output_json", outputJson)
    .set("output_tools", OUTPUT_TOOLS)
    .set("choices", CHOICES)
    .set("output_audio", OUTPUT_AUDIO);
}

/** A type's shape; a part error recovery left out (`[string |]`, already reported) is `any`. */
export function shapeOf(type: TypeExpr | undefined): Shape {
  if (type === undefined || type === null) return ANY;
  switch (type.kind) {
    case "NamedType":
      return type.name === "any" ? ANY : { kind: "scalar", name: type.name };
    case "LiteralType":
      return STRING;
    case "ListType":
      return { kind: "list", element: shapeOf(type.element) };
    case "ObjectType": {
      const fields = new Map<string, Shape>();
      for (const f of type.fields) fields.set(f.key.name, shapeOf(f.type));
      return { kind: "object", fields };
    }
    case "UnionType":
      return { kind: "union", members: type.members.map(shapeOf) };
  }
}

export interface Namespaces {
  /** Undefined when the file declares no `item` shape: item paths are then unchecked. */
  readonly item: Shape | undefined;
  readonly sample: Shape;
}

/** The `sample` namespace of a file that declares none (shared: shapes are never changed). */
const BUILTIN_SAMPLE: Shape = { kind: "object", fields: builtinSample() };

export function namespacesOf(document: Document): Namespaces {
  let itemDecl: Document["declarations"][number] | undefined;
  let sampleDecl: Document["declarations"][number] | undefined;
  for (const d of document.declarations) {
    if (d.namespace.name === "item") itemDecl ??= d;
    else if (d.namespace.name === "sample") sampleDecl ??= d;
  }
  let sample = BUILTIN_SAMPLE;
  if (sampleDecl) {
    const sampleFields = builtinSample();
    for (const field of sampleDecl.type.fields) sampleFields.set(field.key.name, shapeOf(field.type));
    sample = { kind: "object", fields: sampleFields };
  }
  return { item: itemDecl ? shapeOf(itemDecl.type) : undefined, sample };
}

export interface Unresolved {
  /** Index of the first segment that does not resolve. */
  readonly at: number;
  readonly message: string;
  /** A corrected path, when a close field name exists. */
  readonly suggestion?: string;
}

/** Resolves `segments` against `shape`; undefined when the path exists. */
export function resolvePath(
  namespace: string,
  shape: Shape,
  segments: readonly PathSegment[],
  closest: (word: string, candidates: Iterable<string>) => string | undefined,
): Unresolved | undefined {
  return resolveFrom(namespace, segments, closest, shape, 0);
}

/** The path up to segment `i`, for messages only (made when one is). */
const pathBefore = (namespace: string, segments: readonly PathSegment[], i: number): string => printTemplatePath(namespace, segments.slice(0, i));

/** resolvePath from segment `i` on, at `current` (a plain function: it runs for every template). */
function resolveFrom(
  namespace: string,
  segments: readonly PathSegment[],
  closest: (word: string, candidates: Iterable<string>) => string | undefined,
  current: Shape,
  i: number,
): Unresolved | undefined {
  if (i >= segments.length || current.kind === "any") return undefined;
  const segment = segments[i]!;
  switch (current.kind) {
    case "union": {
      // Resolves when any member does. Otherwise report the member that got furthest; when
      // several object members lack the same field, name the fields of all of them.
      const results: Unresolved[] = [];
      for (const member of current.members) {
        const result = resolveFrom(namespace, segments, closest, member, i);
        if (!result) return undefined;
        results.push(result);
      }
      const furthest = Math.max(...results.map((r) => r.at));
      const objects = current.members.filter((m): m is Extract<Shape, { kind: "object" }> => m.kind === "object");
      if (furthest === i && segment.kind === "field" && objects.length > 0) {
        return resolveFrom(namespace, segments, closest, { kind: "object", fields: new Map(objects.flatMap((o) => [...o.fields])) }, i);
      }
      return results.find((r) => r.at === furthest);
    }
    case "scalar": {
      const what = current.name === "null" ? "null" : `${/^[aeiou]/.test(current.name) ? "an" : "a"} ${current.name}`;
      return { at: i, message: `\`${pathBefore(namespace, segments, i)}\` is ${what}; it has no ${segment.kind === "field" ? `field \`${segment.name}\`` : "items"}` };
    }
    case "list":
      if (segment.kind === "index") return resolveFrom(namespace, segments, closest, current.element, i + 1);
      return { at: i, message: `\`${pathBefore(namespace, segments, i)}\` is a list; index it, as in \`${pathBefore(namespace, segments, i)}[0]\``, suggestion: undefined };
    case "object": {
      if (segment.kind === "index") return { at: i, message: `\`${pathBefore(namespace, segments, i)}\` is an object, not a list` };
      const field = current.fields.get(segment.name);
      if (field) return resolveFrom(namespace, segments, closest, field, i + 1);
      const near = closest(segment.name, current.fields.keys());
      const fixed = near === undefined ? undefined : printTemplatePath(namespace, [...segments.slice(0, i), { kind: "field", name: near }, ...segments.slice(i + 1)]);
      const known = [...current.fields.keys()];
      return {
        at: i,
        message: `\`${pathBefore(namespace, segments, i)}\` has no field \`${segment.name}\`${known.length && known.length <= 8 ? ` (it has ${known.map((k) => `\`${k}\``).join(", ")})` : ""}`,
        ...(fixed ? { suggestion: fixed } : {}),
      };
    }
  }
}
