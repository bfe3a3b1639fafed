import type { ZodType } from "zod";
import { type Descriptor, type Expected, type FieldRow, type SchemaTable, tableKinds, tableTargets } from "./descriptor.js";
import * as G from "./graders.js";
import { type RefinementName, refinements } from "./refinements.js";

/*
 * Derives the checker's table (src/schema/table.ts) from the zod schemas, which stay the one
 * truth about the grader JSON. Run by the build (scripts/schema-table.js) and by a test that keeps
 * the committed table equal to it; never at run time.
 */

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

const schemaKey = {
  string_check: "StringCheck",
  text_similarity: "TextSimilarity",
  python: "Python",
  score_model: "ScoreModel",
  label_model: "LabelModel",
  multi: "Multi",
} as const satisfies Record<(typeof tableKinds)[number], keyof G.GraderSchemas>;

/** The plain JSON type a field's schema asks for (what `invalid-value` checks). */
function expectedType(schema: unknown): Expected | null {
  let def = defOf(schema);
  let nullable = false;
  while (def["innerType"] && (def.type === "optional" || def.type === "nullable")) {
    nullable ||= def.type === "nullable";
    def = defOf(def["innerType"]);
  }
  if (def.type === "string" || def.type === "number") return { type: def.type, nullable };
  if (def.type === "array" && def["element"] && defOf(def["element"]).type === "string") return { type: "strings", nullable };
  return null;
}

function refinementName(fn: unknown): RefinementName {
  for (const [name, known] of Object.entries(refinements)) if (known === fn) return name as RefinementName;
  throw new Error("a grader schema has a refinement not listed in src/schema/refinements.ts");
}

/** The descriptor of a zod schema; throws on a construct the zod-free validator does not know. */
export function describeSchema(schema: unknown): Descriptor {
  const def = defOf(schema);
  const checks = (def["checks"] as unknown[] | undefined) ?? [];
  const unknown = (what: string): never => {
    throw new Error(`src/schema/derive.ts does not know ${what}; teach it and src/schema/validate.ts`);
  };
  if (def.type !== "number" && def.type !== "tuple" && checks.length > 0) unknown(`checks on a ${def.type} schema`);
  switch (def.type) {
    case "string":
      return { t: "string" };
    case "number": {
      let int = false;
      let min: readonly [number, boolean] | undefined;
      let max: readonly [number, boolean] | undefined;
      const apply = (c: Def & { check?: string }): void => {
        if (c.check === "number_format" && c["format"] === "safeint") int = true;
        else if (c.check === "greater_than") min = [c["value"] as number, c["inclusive"] as boolean];
        else if (c.check === "less_than") max = [c["value"] as number, c["inclusive"] as boolean];
        else unknown(`the number check ${String(c.check)}`);
      };
      if ((def as { check?: string }).check !== undefined) apply(def);
      for (const c of checks) apply(defOf(c));
      return { t: "number", ...(int ? { int } : {}), ...(min ? { min } : {}), ...(max ? { max } : {}) };
    }
    case "literal":
      return { t: "literal", values: def["values"] as (string | number | boolean | null)[] };
    case "enum":
      return { t: "enum", values: Object.values(def["entries"] as Record<string, string>) };
    case "optional":
    case "nullable":
      return { t: def.type, of: describeSchema(def["innerType"]) };
    case "array":
      return { t: "array", of: describeSchema(def["element"]) };
    case "tuple": {
      if (def["rest"]) unknown("a tuple with a rest element");
      const refine = checks.map((c) => {
        const d = defOf(c) as Def & { check?: string; fn?: unknown };
        return d.check === "custom" ? refinementName(d.fn) : unknown(`the tuple check ${String(d.check)}`);
      });
      if (refine.length > 1) unknown("a tuple with several refinements");
      return { t: "tuple", items: (def["items"] as unknown[]).map(describeSchema), ...(refine[0] ? { refine: refine[0] } : {}) };
    }
    case "object": {
      const catchall = def["catchall"];
      if (!catchall || defOf(catchall).type !== "unknown") unknown("an object that is not loose");
      const shape: Record<string, Descriptor> = {};
      for (const [key, value] of Object.entries(def["shape"] as Record<string, unknown>)) shape[key] = describeSchema(value);
      return { t: "object", shape };
    }
    case "record":
      if (defOf(def["keyType"]).type !== "string") unknown("a record with keys other than strings");
      return { t: "record", of: describeSchema(def["valueType"]) };
    case "union": {
      const options = (def["options"] as unknown[]).map(describeSchema);
      if (def["discriminator"] === undefined) return { t: "union", options };
      if (def["inclusive"] !== false) unknown("an inclusive discriminated union");
      return { t: "discriminated", key: def["discriminator"] as string, options };
    }
    default:
      return unknown(`the zod type ${def.type}`);
  }
}

const rowsOf = (schema: unknown): FieldRow[] => {
  const rows: FieldRow[] = [];
  for (const [name, field] of Object.entries((schema as { shape: Record<string, ZodType> }).shape)) {
    if (name === "type") continue;
    rows.push([name, !field.safeParse(undefined).success, expectedType(field)]);
  }
  return rows;
};

/** Writes each object and union once, in `defs`, and refers to it elsewhere. */
function hoist(d: Descriptor, defs: Descriptor[], ids: Map<string, number>): Descriptor {
  const h = (c: Descriptor): Descriptor => hoist(c, defs, ids);
  let out: Descriptor;
  switch (d.t) {
    case "optional":
    case "nullable":
    case "array":
    case "record":
      return { ...d, of: h(d.of) };
    case "tuple":
      return { ...d, items: d.items.map(h) };
    case "object":
      out = { t: "object", shape: Object.fromEntries(Object.entries(d.shape).map(([k, v]) => [k, h(v)])) };
      break;
    case "union":
    case "discriminated":
      out = { ...d, options: d.options.map(h) };
      break;
    default:
      return d;
  }
  const key = JSON.stringify(out);
  let id = ids.get(key);
  if (id === undefined) {
    id = defs.length;
    defs.push(out);
    ids.set(key, id);
  }
  return { t: "ref", id };
}

/** The table the checker and compile() read instead of the zod schemas. */
export function deriveTable(): SchemaTable {
  const fields = {} as Record<string, Record<string, FieldRow[]>>;
  const graders = {} as Record<string, Descriptor>;
  const defs: Descriptor[] = [];
  const ids = new Map<string, number>();
  for (const target of tableTargets) {
    const schemas = G.graderSchemas(target);
    fields[target] = Object.fromEntries(tableKinds.map((kind) => [kind, rowsOf(schemas[schemaKey[kind]])]));
    graders[target] = hoist(describeSchema(G.graderSchema(target)), defs, ids);
  }
  return {
    targets: [...G.targets],
    enums: {
      StringCheckOperation: [...G.StringCheckOperation.options],
      EvaluationMetric: [...G.EvaluationMetric.options],
      Role: [...G.Role.options],
      ReasoningEffort: [...G.ReasoningEffort.options],
      ImageDetail: [...G.ImageDetail.options],
      AudioFormat: [...G.AudioFormat.options],
    },
    samplingParams: Object.keys(G.SamplingParams.shape),
    fields: fields as unknown as SchemaTable["fields"],
    graders: graders as unknown as SchemaTable["graders"],
    defs,
  };
}

/** JSON, one line per value that fits in 100 columns. */
function printJson(value: unknown, indent = ""): string {
  const flat = JSON.stringify(value);
  if (flat.length + indent.length <= 100 || value === null || typeof value !== "object") return flat;
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((v) => inner + printJson(v, inner))
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${printJson(v, inner)}`);
  return Array.isArray(value) ? `[\n${items.join(",\n")}\n${indent}]` : `{\n${items.join(",\n")}\n${indent}}`;
}

/** The text of src/schema/table.ts. */
export function renderTable(table: SchemaTable): string {
  return `// Generated from the zod schemas (src/schema/graders.ts) by src/schema/derive.ts, which
// \`npm run build\` runs (scripts/schema-table.js); test/schema/table.test.ts keeps the two equal.
// Do not edit: change the schemas and build.
import type { SchemaTable } from "./descriptor.js";

export const schemaTable: SchemaTable = ${printJson(table)};
`;
}
