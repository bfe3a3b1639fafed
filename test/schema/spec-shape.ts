import * as fs from "node:fs";
import * as path from "node:path";
import { describeSchema } from "../../src/schema/derive.js";
import type { Descriptor } from "../../src/schema/descriptor.js";
import { graderSchema, type Target } from "../../src/schema/graders.js";

/*
 * The spec's grader definitions (the committed snapshot, test/fixtures/spec/openapi-graders.json)
 * and the project's zod schemas, both flattened to the same rows: one per JSON path, saying
 * what the path may hold. A path reads `<score_model>.input[].content[]<input_text>.text`:
 * `<tag>` the option of a union told apart by its `type`, `[]` a list item, `{}` a map value.
 */

export const fixtures = path.resolve(import.meta.dirname, "../fixtures/spec");

export interface Snapshot {
  readonly source: { readonly repository: string; readonly commit: string; readonly file: string };
  readonly testing_criteria: Spec;
  readonly definitions: Readonly<Record<string, Spec>>;
}

// A JSON Schema node of the spec, as far as the grader definitions use it.
export interface Spec {
  readonly $ref?: string;
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly items?: Spec;
  readonly properties?: Readonly<Record<string, Spec>>;
  readonly required?: readonly string[];
  readonly allOf?: readonly Spec[];
  readonly oneOf?: readonly Spec[];
  readonly anyOf?: readonly Spec[];
  readonly description?: string;
}

export const snapshot = (): Snapshot => JSON.parse(fs.readFileSync(path.join(fixtures, "openapi-graders.json"), "utf8")) as Snapshot;

/** The normal form both sides are turned into. */
export interface Shape {
  types: Set<string>;
  /** Allowed values; undefined: any value of the types. */
  values?: Set<unknown> | undefined;
  min?: number | undefined;
  max?: number | undefined;
  minItems?: number | undefined;
  maxItems?: number | undefined;
  props?: Map<string, { shape: Shape; required: boolean }>;
  items?: Shape;
  record?: Shape;
  /** Objects told apart by their required single-valued `type`. */
  variants?: Map<string, Shape> | undefined;
}

const ANY = ["string", "number", "integer", "boolean", "null", "array", "object"];

function tagOf(s: Shape): string | undefined {
  const t = s.props?.get("type");
  if (!t || !t.required || !t.shape.values || t.shape.values.size !== 1) return undefined;
  return String([...t.shape.values][0]);
}

function mergeObjects(objects: Shape[]): Shape {
  const props = new Map<string, { shape: Shape; required: boolean }>();
  const keys = new Set(objects.flatMap((o) => [...(o.props?.keys() ?? [])]));
  for (const key of keys) {
    const present = objects.map((o) => o.props?.get(key)).filter((p): p is { shape: Shape; required: boolean } => p !== undefined);
    props.set(key, { shape: union(present.map((p) => p.shape)), required: present.length === objects.length && present.every((p) => p.required) });
  }
  const out: Shape = { types: new Set(["object"]), props };
  const records = objects.map((o) => o.record).filter((r): r is Shape => r !== undefined);
  if (records.length) out.record = union(records);
  return out;
}

/** The shape of a value matching any of the options. */
export function union(given: Shape[]): Shape {
  if (given.length === 1) return given[0]!;
  // A union's variants are options of the union that holds it.
  const options = given.flatMap((o) => {
    if (!o.variants) return [o];
    const rest: Shape[] = o.props || o.record || o.types.size > 1 ? [{ ...o, variants: undefined, types: o.props || o.record ? o.types : new Set([...o.types].filter((t) => t !== "object")) }] : [];
    return [...o.variants.values(), ...rest.filter((r) => r.types.size > 0)];
  });
  const out: Shape = { types: new Set(options.flatMap((o) => [...o.types])) };
  // Values: kept when every option with a type of theirs lists its values.
  const scalar = options.filter((o) => [...o.types].some((t) => t !== "object" && t !== "array"));
  if (scalar.length && scalar.every((o) => o.values)) out.values = new Set(scalar.flatMap((o) => [...o.values!]));
  const numeric = options.filter((o) => o.types.has("number") || o.types.has("integer"));
  if (numeric.length === 1) Object.assign(out, { min: numeric[0]!.min, max: numeric[0]!.max });
  const objects = options.filter((o) => o.types.has("object"));
  const tagged = objects.filter((o) => tagOf(o) !== undefined);
  const plain = objects.filter((o) => tagOf(o) === undefined);
  if (tagged.length) {
    out.variants = new Map();
    for (const o of tagged) {
      const tag = tagOf(o)!;
      const known = out.variants.get(tag);
      out.variants.set(tag, known ? mergeObjects([known, o]) : o);
    }
  }
  if (plain.length) Object.assign(out, { props: mergeObjects(plain).props, record: mergeObjects(plain).record });
  const arrays = options.filter((o) => o.types.has("array"));
  if (arrays.length) {
    const items = arrays.map((a) => a.items).filter((i): i is Shape => i !== undefined);
    if (items.length) out.items = union(items);
    if (arrays.length === 1) Object.assign(out, { minItems: arrays[0]!.minItems, maxItems: arrays[0]!.maxItems });
  }
  return out;
}

/** A node of the spec in the normal form ($ref, allOf, oneOf and anyOf resolved). */
export function fromSpec(node: Spec, defs: Readonly<Record<string, Spec>>): Shape {
  if (node.$ref) {
    const name = node.$ref.replace("#/components/schemas/", "");
    const def = defs[name];
    if (!def) throw new Error(`the snapshot lacks ${name}`);
    return fromSpec(def, defs);
  }
  if (node.allOf) return mergeAll(node.allOf.map((n) => fromSpec(n, defs)));
  const alternatives = node.oneOf ?? node.anyOf;
  if (alternatives) return union(alternatives.map((n) => fromSpec(n, defs)));
  switch (node.type) {
    case undefined:
      return { types: new Set(ANY) };
    case "null":
      return { types: new Set(["null"]), values: new Set([null]) };
    case "string":
    case "boolean":
      return { types: new Set([node.type]), ...(node.enum ? { values: new Set(node.enum) } : {}) };
    case "number":
    case "integer":
      return { types: new Set([node.type]), min: node.minimum, max: node.maximum };
    case "array":
      return { types: new Set(["array"]), items: node.items ? fromSpec(node.items, defs) : { types: new Set(ANY) }, minItems: node.minItems, maxItems: node.maxItems };
    case "object": {
      const props = new Map<string, { shape: Shape; required: boolean }>();
      for (const [key, value] of Object.entries(node.properties ?? {})) props.set(key, { shape: fromSpec(value, defs), required: node.required?.includes(key) ?? false });
      return { types: new Set(["object"]), props };
    }
    default:
      throw new Error(`the spec type ${node.type} is not known here`);
  }
}

/** allOf: an object with the properties of each part. */
function mergeAll(parts: Shape[]): Shape {
  const props = new Map<string, { shape: Shape; required: boolean }>();
  for (const part of parts) {
    for (const [key, value] of part.props ?? []) {
      const known = props.get(key);
      props.set(key, known ? { shape: known.shape, required: known.required || value.required } : value);
    }
  }
  return { types: new Set(["object"]), props };
}

/** A project descriptor (src/schema/derive.ts, from the zod schemas) in the normal form. */
export function fromDescriptor(d: Descriptor): Shape {
  switch (d.t) {
    case "string":
      return { types: new Set(["string"]) };
    case "number":
      // Exclusive bounds do not occur in the grader schemas; the test fails if one appears.
      if ((d.min && !d.min[1]) || (d.max && !d.max[1])) throw new Error("an exclusive bound");
      return { types: new Set([d.int ? "integer" : "number"]), min: d.min?.[0], max: d.max?.[0] };
    case "literal":
    case "enum":
      return { types: new Set(d.values.map((v) => (v === null ? "null" : typeof v))), values: new Set(d.values) };
    case "optional":
      return fromDescriptor(d.of);
    case "nullable": {
      const of = fromDescriptor(d.of);
      return { ...of, types: new Set([...of.types, "null"]), ...(of.values ? { values: new Set([...of.values, null]) } : {}) };
    }
    case "array":
      return { types: new Set(["array"]), items: fromDescriptor(d.of) };
    case "tuple":
      return { types: new Set(["array"]), items: union(d.items.map(fromDescriptor)), minItems: d.items.length, maxItems: d.items.length };
    case "object": {
      const props = new Map<string, { shape: Shape; required: boolean }>();
      for (const [key, value] of Object.entries(d.shape)) props.set(key, { shape: fromDescriptor(value), required: value.t !== "optional" });
      return { types: new Set(["object"]), props };
    }
    case "record":
      return { types: new Set(["object"]), record: fromDescriptor(d.of) };
    case "union":
    case "discriminated":
      return union(d.options.map(fromDescriptor));
    case "ref":
      throw new Error("describeSchema() gives no refs");
  }
}

export interface Row {
  readonly required: boolean;
  readonly types: string;
  readonly values?: string;
  readonly min?: number;
  readonly max?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

const sortedText = (values: Iterable<unknown>): string => [...values].map((v) => JSON.stringify(v)).sort().join(" ");

/** Every path of a shape and what it may hold. */
export function flatten(shape: Shape, at = "", required = true, rows = new Map<string, Row>()): Map<string, Row> {
  const row: { -readonly [K in keyof Row]: Row[K] } = { required, types: [...shape.types].sort().join(" ") };
  if (shape.values) {
    // A null of a nullable enum shows in `types`.
    const values = [...shape.values].filter((v) => v !== null);
    row.values = sortedText(values);
  }
  if (shape.min !== undefined) row.min = shape.min;
  if (shape.max !== undefined) row.max = shape.max;
  if (shape.minItems !== undefined) row.minItems = shape.minItems;
  if (shape.maxItems !== undefined) row.maxItems = shape.maxItems;
  rows.set(at, row);
  for (const [key, p] of shape.props ?? []) flatten(p.shape, `${at}.${key}`, p.required, rows);
  if (shape.items) flatten(shape.items, `${at}[]`, true, rows);
  if (shape.record) flatten(shape.record, `${at}{}`, true, rows);
  for (const [tag, v] of shape.variants ?? []) flatten(v, `${at}<${tag}>`, true, rows);
  return rows;
}

/** The rows of the spec's top-level grader of a target. */
export function specRows(snap: Snapshot, target: Target, root: "RunGraderRequest" | "ValidateGraderRequest" | "FineTuneReinforcementMethod" = "RunGraderRequest"): Map<string, Row> {
  const node = target === "rft" ? snap.definitions[root]!.properties!["grader"]! : snap.testing_criteria.items!;
  return flatten(fromSpec(node, snap.definitions));
}

/** The rows of the project's top-level grader of a target. */
export function projectRows(target: Target): Map<string, Row> {
  return flatten(fromDescriptor(describeSchema(graderSchema(target))));
}

export interface Difference {
  readonly target: Target;
  readonly path: string;
  /** `required`, `types`, `values`, `min`, `max`, `minItems`, `maxItems`, or `only-in-spec` / `only-in-project`. */
  readonly aspect: string;
  readonly spec: unknown;
  readonly project: unknown;
}

export function differences(target: Target, spec: Map<string, Row>, project: Map<string, Row>): Difference[] {
  const out: Difference[] = [];
  const paths = [...new Set([...spec.keys(), ...project.keys()])].sort();
  for (const p of paths) {
    const s = spec.get(p);
    const o = project.get(p);
    if (!s || !o) {
      // Only the topmost path of a subtree one side lacks.
      const parent = paths.find((q) => q !== p && p.startsWith(q) && /^[.[{<]/.test(p.slice(q.length)) && (!spec.get(q) || !project.get(q)));
      if (!parent) out.push({ target, path: p, aspect: s ? "only-in-spec" : "only-in-project", spec: s, project: o });
      continue;
    }
    for (const aspect of ["required", "types", "values", "min", "max", "minItems", "maxItems"] as const) {
      if (s[aspect] !== o[aspect]) out.push({ target, path: p, aspect, spec: s[aspect], project: o[aspect] });
    }
  }
  return out;
}

export interface AllowEntry {
  /** `rft`, `evals`, or `both`. */
  readonly target: string;
  /** A path; `*` stands for any text. */
  readonly path: string;
  /** An aspect of Difference, or `*`. */
  readonly aspect: string;
  /** Why the project differs: the reason a reviewer reads. */
  readonly why: string;
}

export const allowList = (): AllowEntry[] => (JSON.parse(fs.readFileSync(path.join(fixtures, "allow-list.json"), "utf8")) as { entries: AllowEntry[] }).entries;

export function allows(entry: AllowEntry, d: Difference): boolean {
  if (entry.target !== "both" && entry.target !== d.target) return false;
  if (entry.aspect !== "*" && entry.aspect !== d.aspect) return false;
  const pattern = new RegExp(`^${entry.path.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return pattern.test(d.path);
}
