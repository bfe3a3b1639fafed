import type { Target } from "../../src/schema/graders.js";
import { fromSpec, type Shape, type Snapshot } from "../schema/spec-shape.js";

/*
 * Graders generated from the API description's snapshot (test/fixtures/spec/openapi-graders.json):
 * spec-valid graders of every kind and target (every optional field, every enum value, every
 * form of message content), and spec-invalid mutants of them, one per constraint (a required
 * field dropped, a value of the wrong type, a value outside its enum or range). The cases are
 * committed (test/fixtures/spec/conformance.json); test/conformance/conformance.test.ts keeps
 * them equal to this generator's output and runs them.
 *
 * What the project deliberately does otherwise (test/fixtures/spec/allow-list.json) is followed
 * here: a `multi`'s `graders` is a map, every grader has a name, and `name` is not mutated away.
 */

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type Path = (string | number)[];

export interface ValidCase {
  readonly id: string;
  readonly target: Target;
  readonly grader: Json;
}

export interface Mutant {
  readonly id: string;
  readonly target: Target;
  /** The valid case mutated. */
  readonly base: string;
  readonly path: Path;
  /** `drop`: the field removed; `set`: the value replaced; `insert`: the value added to the list. */
  readonly op: "drop" | "set" | "insert";
  readonly value?: Json;
  /** The field the error must name. */
  readonly field: string;
  readonly why: string;
}

/** Strings the service would take for each field (a grade function, a model, a template...). */
const STRINGS: Readonly<Record<string, string>> = {
  name: "g",
  input: "{{sample.output_text}}",
  reference: "{{item.reference}}",
  source: "def grade(sample, item):\n    return 1.0\n",
  image_tag: "2025-05-08",
  model: "gpt-4o-2024-08-06",
  text: "Score this answer: {{sample.output_text}}",
  image_url: "https://example.com/image.png",
  data: "{{item.audio}}",
  detail: "high",
  role: "user",
};
const NUMBERS: Readonly<Record<string, number>> = { pass_threshold: 0.5, temperature: 1, top_p: 1, seed: 42, max_completions_tokens: 256 };

const isObject = (v: Json | undefined): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** A value of a shape with every optional field; `key` is the field's name. */
function full(shape: Shape, key: string): Json {
  if (shape.values && shape.values.size > 0) return [...shape.values].find((v) => v !== null) as Json;
  if (key === "range") return [0, 1];
  if (key === "labels") return ["good", "bad"];
  if (key === "passing_labels") return ["good"];
  if (key === "content" && shape.items) {
    // The list form, holding a string and one part of each type.
    return [STRINGS["text"]!, ...[...(shape.items.variants?.values() ?? [])].map((v) => full(v, "part"))];
  }
  if (shape.variants && shape.variants.size > 0 && !shape.types.has("string")) return full([...shape.variants.values()][0]!, key);
  if (shape.types.has("object") && shape.props) {
    const out: { [key: string]: Json } = {};
    for (const [k, p] of shape.props) out[k] = full(p.shape, k);
    return out;
  }
  if (shape.types.has("array") && shape.items) return [full(shape.items, key)];
  if (shape.types.has("string")) return STRINGS[key] ?? "x";
  if (shape.types.has("integer")) return NUMBERS[key] ?? Math.max(shape.min ?? 1, 1);
  if (shape.types.has("number")) return NUMBERS[key] ?? 0.5;
  if (shape.types.has("boolean")) return true;
  return null;
}

/** Each concrete path of a value with the shape it has there. */
function walk(value: Json, shape: Shape, path: Path, required: boolean, visit: (path: Path, value: Json, shape: Shape, required: boolean) => void): void {
  visit(path, value, shape, required);
  if (Array.isArray(value) && shape.items) value.forEach((item, i) => walk(item, shape.items!, [...path, i], true, visit));
  else if (isObject(value)) {
    const tag = typeof value["type"] === "string" ? shape.variants?.get(value["type"]) : undefined;
    const object = tag ?? shape;
    for (const [k, p] of object.props ?? []) if (k in value) walk(value[k]!, p.shape, [...path, k], p.required, visit);
  }
}

const clone = (v: Json): Json => JSON.parse(JSON.stringify(v)) as Json;

/** The value with `path` set (or dropped, or an item inserted). */
export function mutate(value: Json, path: Path, op: Mutant["op"], replacement?: Json): Json {
  const out = clone(value);
  if (path.length === 0) return op === "set" ? replacement! : out;
  let holder = out as { [key: string]: Json } | Json[];
  for (const p of path.slice(0, -1)) holder = (holder as Record<string | number, Json>)[p] as { [key: string]: Json } | Json[];
  const last = path[path.length - 1]!;
  if (op === "drop") delete (holder as Record<string | number, Json>)[last];
  else if (op === "insert") ((holder as Record<string | number, Json>)[last] as Json[]).push(replacement!);
  else (holder as Record<string | number, Json>)[last] = replacement!;
  return out;
}

const fieldOf = (path: Path): string => String([...path].reverse().find((p) => typeof p === "string") ?? "type");
const typeOfJson = (v: Json): string => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** A value of none of the shape's types (an integer counts as a number). */
function wrongValue(shape: Shape): Json | undefined {
  for (const candidate of [null, 3, "x", true, [], {}] as Json[]) {
    const t = typeOfJson(candidate);
    if (shape.types.has(t) || (t === "integer" && shape.types.has("number"))) continue;
    return candidate;
  }
  return undefined;
}

export interface Cases {
  readonly source: Snapshot["source"];
  readonly valid: ValidCase[];
  readonly mutants: Mutant[];
}

export function generate(snap: Snapshot): Cases {
  const valid: ValidCase[] = [];
  const mutants: Mutant[] = [];
  const roots = {
    rft: fromSpec(snap.definitions["RunGraderRequest"]!.properties!["grader"]!, snap.definitions),
    evals: fromSpec(snap.testing_criteria.items!, snap.definitions),
  };
  for (const target of ["rft", "evals"] as const) {
    for (const [kind, shape] of roots[target].variants!) {
      const add = (suffix: string, grader: Json): ValidCase => {
        const c = { id: `${target}/${kind}/${suffix}`, target, grader };
        valid.push(c);
        return c;
      };
      if (kind === "multi") {
        // The map the service takes, with one sub-grader of each kind the spec lists.
        const subs = shape.props!.get("graders")!.shape.variants!;
        for (const [subKind, sub] of subs) {
          add(`with-${subKind}`, { type: "multi", name: "g", graders: { a: full(sub, "grader") }, calculate_output: "a" });
        }
        const base = `${target}/multi/with-string_check`;
        const graders = full(shape.props!.get("graders")!.shape, "graders");
        mutants.push({ id: `${base}/graders-single`, target, base, path: ["graders"], op: "set", value: graders, field: "graders", why: "a single grader where the map of named graders belongs" });
        mutants.push({ id: `${base}/graders-drop`, target, base, path: ["graders"], op: "drop", field: "graders", why: "required" });
        mutants.push({ id: `${base}/calculate_output-drop`, target, base, path: ["calculate_output"], op: "drop", field: "calculate_output", why: "required" });
        mutants.push({ id: `${base}/calculate_output-number`, target, base, path: ["calculate_output"], op: "set", value: 3, field: "calculate_output", why: "a string" });
        continue;
      }
      const grader = full(shape, "grader");
      const base = add("full", grader).id;
      // Required fields only.
      const minimal = clone(grader) as { [key: string]: Json };
      for (const [k, p] of shape.props ?? []) if (!p.required) delete minimal[k];
      add("minimal", minimal);
      // Every enum value, every nullable field as null, every form of message content.
      walk(grader, shape, [], true, (path, value, s) => {
        const key = fieldOf(path);
        const at = path.map(String).join(".");
        // A variant's `type` has one value: another is another variant, generated as such.
        for (const v of s.values ?? []) if (v !== value && v !== null) add(`${at}=${String(v)}`, mutate(grader, path, "set", v as Json));
        if (s.types.has("null") && value !== null) add(`${at}=null`, mutate(grader, path, "set", null));
        if (key === "content" && Array.isArray(value)) {
          add(`${at}=string`, mutate(grader, path, "set", STRINGS["text"]!));
          for (const part of value.slice(1)) add(`${at}=${String((part as { type: string }).type)}`, mutate(grader, path, "set", part));
        }
      });
      // One spec-invalid mutant per constraint of the full grader.
      walk(grader, shape, [], true, (path, value, s, required) => {
        if (path.length === 0) return;
        const key = fieldOf(path);
        const at = path.map(String).join(".");
        const push = (what: string, op: Mutant["op"], why: string, v?: Json, p: Path = path): void => {
          mutants.push({ id: `${base}/${at}/${what}`, target, base, path: p, op, ...(v === undefined ? {} : { value: v }), field: key, why });
        };
        if (required && typeof path[path.length - 1] === "string" && key !== "name") push("drop", "drop", "required");
        const wrong = wrongValue(s);
        if (wrong !== undefined) push(`type-${typeOfJson(wrong)}`, "set", `not ${[...s.types].join(" or ")}`, wrong);
        if (s.values && typeof value === "string") push("enum", "set", `not one of ${[...s.values].map(String).join(", ")}`, "not_a_value");
        if (s.min !== undefined) push("below-min", "set", `at least ${s.min}`, s.min - 1);
        if (s.max !== undefined) push("above-max", "set", `at most ${s.max}`, s.max + 1);
        if (Array.isArray(value) && s.items) {
          for (const item of [null, 3] as Json[]) {
            const t = typeOfJson(item);
            if (!s.items.types.has(t) && !(t === "integer" && s.items.types.has("number"))) push(`insert-${t}`, "insert", `a list of ${[...s.items.types].join(" or ")}`, item);
          }
        }
        if (key === "prompt_cache_breakpoint") {
          push("true", "set", "an object", true);
          push("implicit", "set", "mode is always explicit", { mode: "implicit" });
        }
        if (key === "type" && path.length > 1 && s.values?.has("message")) push("msg", "set", "always message", "msg");
        if (key === "type" && path[path.length - 3] === "content") {
          for (const other of ["text", "input_file"]) push(other, "set", "not a part type of grader messages", other);
        }
      });
    }
  }
  return { source: snap.source, valid, mutants };
}

/** The grader of a mutant. */
export function mutantGrader(cases: Cases, m: Mutant): Json {
  const base = cases.valid.find((v) => v.id === m.base);
  if (!base) throw new Error(`no valid case ${m.base}`);
  return mutate(base.grader, m.path, m.op, m.value);
}
