import * as jsoncModule from "jsonc-parser";
import type { Span } from "../syntax/ast.js";

/*
 * Where the cursor is in a grader JSON: the key under it (or being typed), the object it belongs
 * to, and that object's grader kind (its `"type"`). Hover and completion in `.json` files read it.
 */

// Node loads jsonc-parser's CommonJS build (its API on `default`); the bundler its ESM build.
const jsonc: typeof jsoncModule =
  "default" in jsoncModule ? (jsoncModule as unknown as { default: typeof jsoncModule }).default : jsoncModule;

const KINDS = new Set(["string_check", "text_similarity", "python", "score_model", "label_model", "multi"]);

export interface JsonPlace {
  /** The path of the object the cursor is in (keys and indices). */
  readonly objectPath: readonly (string | number)[];
  /** The grader kind of the nearest object up the path with a known `"type"`. */
  readonly kind: string | undefined;
  /** The keys the object already has. */
  readonly present: readonly string[];
  /** At a key (or where one is being typed), else at a value. */
  readonly atKey: boolean;
  /** The key whose value the cursor is in (at a value), or the key being typed. */
  readonly key: string | undefined;
  /** The string or word at the cursor. */
  readonly span: Span;
}

function kindAt(root: jsoncModule.Node | undefined, path: readonly (string | number)[]): string | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = root && jsonc.findNodeAtLocation(root, [...path.slice(0, n)]);
    if (node?.type !== "object") continue;
    const type = jsonc.findNodeAtLocation(node, ["type"]);
    if (typeof type?.value === "string" && KINDS.has(type.value)) return type.value;
  }
  return undefined;
}

export function jsonPlace(text: string, offset: number): JsonPlace {
  const location = jsonc.getLocation(text, offset);
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const path = location.path;
  const atKey = location.isAtPropertyKey;
  const objectPath = atKey ? path.slice(0, -1) : path.slice(0, -1);
  const last = path[path.length - 1];
  const object = root ? jsonc.findNodeAtLocation(root, [...objectPath]) : undefined;
  const present = object?.type === "object" ? (object.children ?? []).map((p) => p.children?.[0]?.value as string) : [];
  const previous = location.previousNode;
  const span = previous && previous.offset <= offset && offset <= previous.offset + previous.length ? { start: previous.offset, end: previous.offset + previous.length } : { start: offset, end: offset };
  return { objectPath, kind: kindAt(root, objectPath), present, atKey, key: typeof last === "string" ? last : undefined, span };
}

/** The key under the cursor, with the kind of the grader it belongs to. */
export function jsonKeyAt(text: string, offset: number): { name: string; kind: string | undefined; span: Span } | undefined {
  const place = jsonPlace(text, offset);
  if (!place.atKey || !place.key) return undefined;
  return { name: place.key, kind: place.kind, span: place.span };
}
