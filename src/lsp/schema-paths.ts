import type { Descriptor } from "../schema/descriptor.js";
import type { Target } from "../schema/graders.js";
import { schemaTable } from "../schema/table.js";

/*
 * What the grader schema allows at a path, read from the table derived from the zod schemas
 * (src/schema/table.ts): the enum values of `operation` for a target, the keys of
 * `sampling_params`, the `detail` of an image. Completion offers exactly what the checker accepts.
 */

const deref = (d: Descriptor): Descriptor => (d.t === "ref" ? deref(schemaTable.defs[d.id]!) : d);

function unwrap(d: Descriptor): Descriptor {
  let at = deref(d);
  while (at.t === "optional" || at.t === "nullable") at = deref(at.of);
  return at;
}

/** The object schemas `d` can be (the options of unions, the elements of lists). */
function objects(d: Descriptor, out: Extract<Descriptor, { t: "object" }>[] = []): Extract<Descriptor, { t: "object" }>[] {
  const at = unwrap(d);
  if (at.t === "object") out.push(at);
  else if (at.t === "union" || at.t === "discriminated") for (const o of at.options) objects(o, out);
  else if (at.t === "array") objects(at.of, out);
  else if (at.t === "record") objects(at.of, out);
  return out;
}

/** The object schema of a grader kind in a target (a sub-grader of a multi, for label_model in rft). */
function kindSchema(target: Target, kind: string): Extract<Descriptor, { t: "object" }> | undefined {
  const seen = new Set<Descriptor>();
  const search = (d: Descriptor): Extract<Descriptor, { t: "object" }> | undefined => {
    for (const o of objects(d)) {
      if (seen.has(o)) continue;
      seen.add(o);
      const type = o.shape["type"];
      if (type?.t === "literal" && type.values[0] === kind) return o;
      for (const field of Object.values(o.shape)) {
        const found = search(field);
        if (found) return found;
      }
    }
    return undefined;
  };
  return search(schemaTable.graders[target]);
}

/** The schema at `path` (field names) under a grader kind. */
export function schemaAt(target: Target, kind: string, path: readonly string[]): Descriptor | undefined {
  let at: Descriptor | undefined = kindSchema(target, kind);
  for (const key of path) {
    if (!at) return undefined;
    at = objects(at).map((o) => o.shape[key]).find((d) => d !== undefined);
  }
  return at;
}

/** The enum (or literal) values allowed at `path`, or undefined when it is no enum. */
export function enumValuesAt(target: Target, kind: string, path: readonly string[]): readonly string[] | undefined {
  const d = schemaAt(target, kind, path);
  if (!d) return undefined;
  const at = unwrap(d);
  if (at.t === "enum") return at.values;
  return undefined;
}

/** The keys of the object at `path` (such as `sampling_params`). */
export function keysAt(target: Target, kind: string, path: readonly string[]): readonly string[] {
  const d = schemaAt(target, kind, path);
  if (!d) return [];
  return [...new Set(objects(d).flatMap((o) => Object.keys(o.shape)))];
}

/** The enum values of a message or content-part field anywhere in the schema (`role`, `detail`, `format`). */
export function enumOfPartField(field: "role" | "detail" | "format"): readonly string[] {
  return field === "role" ? schemaTable.enums.Role : field === "detail" ? schemaTable.enums.ImageDetail : schemaTable.enums.AudioFormat;
}
