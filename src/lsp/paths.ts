import type { Namespaces, Shape } from "../check/namespaces.js";
import type { PathSegment } from "../check/templates.js";

/*
 * Template paths a file can use (`sample.output_text`, `item.answer`, `item.address.city`), from
 * the namespaces the checker built (the service's sample fields and the file's declarations),
 * and how a path's type is written for a hover.
 */

export interface KnownPath {
  readonly path: string;
  readonly shape: Shape;
}

const MAX_DEPTH = 4;
const MAX_PATHS = 300;

/** Every path of `item` (when declared) and `sample`, breadth first, up to a few levels. */
export function knownPaths(namespaces: Namespaces): KnownPath[] {
  const out: KnownPath[] = [];
  const queue: { path: string; shape: Shape; depth: number }[] = [];
  if (namespaces.item) queue.push({ path: "item", shape: namespaces.item, depth: 0 });
  queue.push({ path: "sample", shape: namespaces.sample, depth: 0 });
  while (queue.length && out.length < MAX_PATHS) {
    const { path, shape, depth } = queue.shift()!;
    if (depth > 0) out.push({ path, shape });
    if (depth >= MAX_DEPTH) continue;
    for (const [name, child] of childrenOf(shape)) queue.push({ path: `${path}${name}`, shape: child, depth: depth + 1 });
  }
  return out;
}

/** The next segments of a shape: `.field` for objects, `[0]` for lists. */
function childrenOf(shape: Shape): [string, Shape][] {
  switch (shape.kind) {
    case "object":
      return [...shape.fields].map(([name, s]) => [`.${name}`, s]);
    case "list":
      return [["[0]", shape.element]];
    case "union":
      return shape.members.flatMap(childrenOf);
    default:
      return [];
  }
}

/** The shape at a path, or undefined when it does not resolve. */
export function shapeAtPath(namespaces: Namespaces, namespace: string, segments: readonly PathSegment[]): Shape | undefined {
  let at: Shape | undefined = namespace === "item" ? (namespaces.item ?? { kind: "any" }) : namespace === "sample" ? namespaces.sample : undefined;
  for (const segment of segments) {
    if (!at) return undefined;
    at = step(at, segment);
  }
  return at;
}

function step(shape: Shape, segment: PathSegment): Shape | undefined {
  switch (shape.kind) {
    case "any":
      return shape;
    case "object":
      return segment.kind === "field" ? shape.fields.get(segment.name) : undefined;
    case "list":
      return segment.kind === "index" ? shape.element : undefined;
    case "union": {
      const options = shape.members.map((m) => step(m, segment)).filter((s): s is Shape => s !== undefined);
      return options.length === 0 ? undefined : options.length === 1 ? options[0] : { kind: "union", members: options };
    }
    default:
      return undefined;
  }
}

/** A shape as the declarations write it: `string`, `[string]`, `{ city: string }`, `a | b`. */
export function printShape(shape: Shape, depth = 0): string {
  switch (shape.kind) {
    case "any":
      return "any";
    case "scalar":
      return shape.name;
    case "list":
      return `[${printShape(shape.element, depth + 1)}]`;
    case "union":
      return shape.members.map((m) => printShape(m, depth + 1)).join(" | ");
    case "object":
      if (depth > 2) return "{ ... }";
      return `{ ${[...shape.fields].map(([k, v]) => `${k}: ${printShape(v, depth + 1)}`).join(", ")} }`;
  }
}
