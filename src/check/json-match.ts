import type * as A from "../syntax/ast.js";
import type { PathSegment } from "./templates.js";

/*
 * JSON values against template paths and declared types, as the service sees them: a path
 * resolves through own fields and list indexes only, and a value fits a type by its JSON kind.
 * Shared by the `--items` dataset check (src/check/dataset.ts, which compiles them per row for
 * speed) and the `test-data` rule (test items and samples).
 */

export type JsonObject = Record<string, unknown>;

export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

/** Names `Object.prototype` also has: reading them needs an own-property check. */
export const inherited = (name: string): boolean => name in Object.prototype;

/** A JSON object's own field `name`, or undefined (JSON has no undefined, so it means absent). */
export function own(value: JsonObject, name: string, isInherited: boolean): unknown {
  if (!isInherited) return value[name];
  return Object.hasOwn(value, name) ? Object.getOwnPropertyDescriptor(value, name)!.value : undefined;
}

/** A path compiled for fast lookup: field names (with their inherited flag) and list indexes. */
export interface CompiledPath {
  readonly keys: readonly (string | number)[];
  readonly inherited: readonly boolean[];
}

export function compilePath(segments: readonly PathSegment[]): CompiledPath {
  return {
    keys: segments.map((s) => (s.kind === "field" ? s.name : s.index)),
    inherited: segments.map((s) => s.kind === "field" && inherited(s.name)),
  };
}

/** Where `row` lacks the path: the index of the first missing segment and the value it is missing from; undefined when the path is there. */
export function lookup(row: JsonObject, path: CompiledPath): { at: number; parent: unknown } | undefined {
  let value: unknown = row;
  const { keys } = path;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    let next: unknown;
    if (typeof key === "string") next = isObject(value) ? (path.inherited[i] ? own(value, key, true) : value[key]) : undefined;
    else next = Array.isArray(value) ? value[key] : undefined;
    if (next === undefined) return { at: i, parent: value };
    value = next;
  }
  return undefined;
}

/** Whether `value` fits `type` entirely. */
export function fits(value: unknown, type: A.TypeExpr): boolean {
  switch (type.kind) {
    case "NamedType":
      return scalarFits(value, type.name);
    case "LiteralType":
      return value === type.value;
    case "ListType":
      return Array.isArray(value) && value.every((v) => fits(v, type.element));
    case "ObjectType":
      return (
        isObject(value) &&
        type.fields.every((f) => {
          const v = own(value, f.key.name, inherited(f.key.name));
          return v === undefined ? f.optional : fits(v, f.type);
        })
      );
    case "UnionType":
      return type.members.some((m) => fits(value, m));
  }
}

export function scalarFits(value: unknown, name: string): boolean {
  switch (name) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true; // `any`, or a misspelt type the `unknown-type` rule reports
  }
}

/** What a JSON value is, for "is declared `integer` but is a string" (against `type`, when it does not fit it). */
export function describeJson(value: unknown, type?: A.TypeExpr): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string": {
      const literals = type?.kind === "LiteralType" || (type?.kind === "UnionType" && type.members.some((m) => m.kind === "LiteralType"));
      return literals ? "another string" : "a string";
    }
    case "number":
      return type?.kind === "NamedType" && type.name === "integer" ? "a fractional number" : "a number";
    case "boolean":
      return "a boolean";
    default:
      return "an object";
  }
}

/** A declared type as written, for messages: `integer`, `"a" | "b"`; long object and list types by their kind. */
export function typeText(type: A.TypeExpr, text: string): string {
  const written = text.slice(type.span.start, type.span.end).replace(/\s+/g, " ");
  if (written.length <= 40) return written;
  return type.kind === "ObjectType" ? "an object" : type.kind === "ListType" ? "a list" : written.slice(0, 39) + "…";
}

/** Where a value does not fit its declared type: a required field it lacks, or a value of another type. */
export type Mismatch =
  | { readonly kind: "missing"; readonly path: readonly PathSegment[]; readonly field: A.TypeField }
  | { readonly kind: "type"; readonly path: readonly PathSegment[]; readonly type: A.TypeExpr; readonly value: unknown };

/**
 * Every place `value` does not fit `type`, each at the deepest declared field or list item it
 * can be pinned to (the per-value counterpart of the dataset's compiled checkers, which tally
 * the same mismatches over many rows). A union is checked as a whole.
 */
export function mismatchesOf(value: unknown, type: A.TypeExpr, path: readonly PathSegment[] = []): Mismatch[] {
  const out: Mismatch[] = [];
  collect(value, type, [...path], out);
  return out;
}

function collect(value: unknown, type: A.TypeExpr, path: PathSegment[], out: Mismatch[]): void {
  if (type.kind === "ListType" && Array.isArray(value)) {
    value.forEach((v, index) => collect(v, type.element, [...path, { kind: "index", index }], out));
  } else if (type.kind === "ObjectType" && isObject(value)) {
    for (const field of type.fields) {
      const v = own(value, field.key.name, inherited(field.key.name));
      const at: PathSegment[] = [...path, { kind: "field", name: field.key.name }];
      if (v !== undefined) collect(v, field.type, at, out);
      else if (!field.optional) out.push({ kind: "missing", path: at, field });
    }
  } else if (!fits(value, type)) out.push({ kind: "type", path, type, value });
}
