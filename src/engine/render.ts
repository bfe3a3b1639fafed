import { scanTemplates, type PathSegment } from "../check/templates.js";

/*
 * Substitutes `{{ item.x }}` / `{{ sample.y[0].z }}` in a grader string, as the service does
 * before grading. Choices the service leaves undocumented are listed in src/engine/README.md.
 */

export type RenderResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly missing: string[] };

export interface RenderNamespaces {
  readonly item: unknown;
  readonly sample: unknown;
}

const NOT_FOUND: unique symbol = Symbol("not found");

function resolve(root: unknown, segments: readonly PathSegment[]): unknown {
  let value = root;
  for (const segment of segments) {
    if (segment.kind === "index") {
      if (!Array.isArray(value) || segment.index >= value.length) return NOT_FOUND;
      value = (value as unknown[])[segment.index];
    } else {
      if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, segment.name))
        return NOT_FOUND;
      value = (value as Record<string, unknown>)[segment.name];
    }
    if (value === undefined) return NOT_FOUND;
  }
  return value;
}

/** The text a value is substituted as: strings as they are, anything else as compact JSON. */
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  try {
    // `undefined` for functions and symbols, a throw for bigints and cycles: only JS callers can pass those.
    return JSON.stringify(value) as string | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Renders every template of `text`. A path that does not resolve makes the result
 * `{ ok: false, missing }`, listing each such path once, in order of appearance. Malformed
 * templates (which the checker reports) are left as written. Substituted text is not scanned again.
 */
export function renderTemplate(text: string, namespaces: RenderNamespaces): RenderResult {
  const { refs } = scanTemplates(text);
  const missing: string[] = [];
  const parts: string[] = [];
  let at = 0;
  for (const ref of refs) {
    const root =
      ref.namespace === "item" ? namespaces.item : ref.namespace === "sample" ? namespaces.sample : undefined;
    const value = root === undefined ? NOT_FOUND : resolve(root, ref.segments);
    const rendered = value === NOT_FOUND ? undefined : textOf(value);
    if (rendered === undefined) {
      if (!missing.includes(ref.path)) missing.push(ref.path);
      continue;
    }
    // The braces around the path: the inner text holds only whitespace besides it, and no `{{` or `}}`.
    const open = text.lastIndexOf("{{", ref.start);
    const close = text.indexOf("}}", ref.end);
    parts.push(text.slice(at, open), rendered);
    at = close + 2;
  }
  if (missing.length > 0) return { ok: false, missing };
  parts.push(text.slice(at));
  return { ok: true, text: parts.join("") };
}
