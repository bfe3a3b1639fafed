import { jsonPointer } from "../emit/emit.js";
import type { Span } from "../syntax/ast.js";

/*
 * An API error names the field it is about, in its `param` or in its message:
 * "Invalid type for 'grader.graders.input': expected an object, but got a string instead." The
 * path is relative to the request body (`grader.…`) or, in some messages, to the grader itself
 * (`'graders.name.reference'`). With the source map of `compile()` (JSON pointer → span) it
 * points back at the `.grade` text.
 */

/** A dotted path with optional `[n]` indexes, as the service quotes it. */
const PATH = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*$/;
const QUOTED = /'([^'\s]+)'|`([^`\s]+)`/g;

/** Candidate request paths an API error names: its `param` first, then quoted paths in the message. */
export function apiErrorPaths(param: string | null | undefined, message: string | undefined): string[] {
  const paths: string[] = [];
  if (param && PATH.test(param)) paths.push(param);
  for (const match of (message ?? "").matchAll(QUOTED)) {
    const candidate = match[1] ?? match[2] ?? "";
    if (PATH.test(candidate) && !paths.includes(candidate)) paths.push(candidate);
  }
  return paths;
}

/** `a.b[0].c` → `["a", "b", "0", "c"]`. */
export function pathSegments(path: string): string[] {
  return [...path.matchAll(/[^.[\]]+/g)].map((m) => m[0]);
}

const pointerOf = (segments: readonly string[]): string => jsonPointer(segments);

export interface SourceLocation {
  /** The request path the error named (`grader.graders.input`). */
  readonly path: string;
  /** The JSON pointer inside the grader that was found (the path itself or its closest ancestor). */
  readonly pointer: string;
  readonly span: Span;
  /** False when only an ancestor of the named field is in the source map. */
  readonly exact: boolean;
}

/**
 * The source span of the first path that lies inside the grader. A path starting with `grader`
 * always does (it falls back to the grader itself); another path counts only when its first
 * field is one of the grader's (`graders.name.reference`), so `model_sample`, `item.x` or a
 * quoted model name are not taken for grader fields.
 */
export function locateApiError(
  paths: readonly string[],
  sourceMap: ReadonlyMap<string, Span>,
): SourceLocation | undefined {
  for (const path of paths) {
    const all = pathSegments(path);
    let segments: string[];
    if (all[0] === "grader") segments = all.slice(1);
    else if (all.length > 0 && sourceMap.has(pointerOf(all.slice(0, 1)))) segments = all;
    else continue;
    for (let n = segments.length; n >= 0; n--) {
      const pointer = pointerOf(segments.slice(0, n));
      const span = sourceMap.get(pointer);
      if (span) return { path, pointer, span, exact: n === segments.length };
    }
  }
  return undefined;
}
