import type { Descriptor } from "./descriptor.js";
import { refinements } from "./refinements.js";
import { matches } from "./validate.js";

/*
 * Why a JSON value does not match a schema descriptor: the issues, each at the path of the value
 * it is about, in words a user reads. matches() (src/schema/validate.ts) says yes or no; this is
 * asked only on a no, so `grade check` and `grade compile` give the same verdict, and the same
 * findings, without loading zod.
 */

export type IssueKind = "missing" | "type" | "enum" | "range";

export interface SchemaIssue {
  /** The path of the value the issue is about: `["input", 0, "content"]`. */
  readonly path: readonly (string | number)[];
  readonly kind: IssueKind;
  readonly message: string;
  /** For an `enum` issue: the values allowed there. */
  readonly allowed?: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `input[0].content`: the path as a user writes it. */
export function pathText(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/** A JSON value in a few words: `null`, `a number (3)`, `a list`, `"msg"`. */
export function describeJson(v: unknown): string {
  if (v === null) return "`null`";
  if (v === undefined) return "nothing";
  if (typeof v === "string") return v.length <= 40 ? `\`${JSON.stringify(v)}\`` : "a string";
  if (typeof v === "number") return `a number (${v})`;
  if (typeof v === "boolean") return `\`${v}\``;
  if (Array.isArray(v)) return "a list";
  return "an object";
}

const quoteList = (values: readonly unknown[]): string => {
  const q = values.map((v) => `\`${typeof v === "string" ? v : JSON.stringify(v)}\``);
  return q.length <= 1 ? (q[0] ?? "") : `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`;
};

/** What a descriptor asks for, in a few words (for "must be …, not …"). */
function wanted(d: Descriptor, defs: readonly Descriptor[]): string {
  switch (d.t) {
    case "ref":
      return wanted(defs[d.id]!, defs);
    case "string":
      return "a string";
    case "number":
      return d.int ? "an integer" : "a number";
    case "literal":
    case "enum":
      return quoteList(d.values);
    case "optional":
      return wanted(d.of, defs);
    case "nullable":
      return `${wanted(d.of, defs)} or \`null\``;
    case "array":
      return "a list";
    case "tuple":
      return `a list of ${d.items.length}`;
    case "object":
    case "record":
      return "an object";
    case "discriminated": {
      const tags = tagsOf(d, defs);
      return tags.length === 1 ? `a \`${tags[0]}\` object` : `an object whose \`${d.key}\` is ${quoteList(tags)}`;
    }
    case "union": {
      // An object told apart by its `type` reads best last: "a string, a list or an object whose `type` is …".
      const last = (o: Descriptor): number => (resolve(o, defs).t === "discriminated" ? 1 : 0);
      const parts = [...new Set([...d.options].sort((a, b) => last(a) - last(b)).map((o) => wanted(o, defs)))];
      return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} or ${parts[parts.length - 1]}`;
    }
  }
}

const resolve = (d: Descriptor, defs: readonly Descriptor[]): Descriptor => (d.t === "ref" ? resolve(defs[d.id]!, defs) : d);

function tagsOf(d: Extract<Descriptor, { t: "discriminated" }>, defs: readonly Descriptor[]): string[] {
  const tags: string[] = [];
  for (const option of d.options) {
    const o = resolve(option, defs);
    const literal = o.t === "object" ? o.shape[d.key] : undefined;
    if (literal?.t === "literal") for (const v of literal.values) tags.push(String(v));
  }
  return tags;
}

/** The JSON type a value has, as the union options are told apart. */
const jsonType = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** The JSON types a descriptor can match. */
function typesOf(d: Descriptor, defs: readonly Descriptor[]): string[] {
  switch (d.t) {
    case "ref":
      return typesOf(defs[d.id]!, defs);
    case "string":
      return ["string"];
    case "number":
      return ["number"];
    case "literal":
    case "enum":
      return d.values.map(jsonType);
    case "optional":
      return [...typesOf(d.of, defs), "undefined"];
    case "nullable":
      return [...typesOf(d.of, defs), "null"];
    case "array":
    case "tuple":
      return ["array"];
    case "object":
    case "record":
    case "discriminated":
      return ["object"];
    case "union":
      return d.options.flatMap((o) => typesOf(o, defs));
  }
}

/** The value at a path, named for a message: the grader, a message, a content part, a sub-grader. */
function nounOf(path: readonly (string | number)[], v: unknown): string {
  if (path.length === 0) return "the grader";
  const where = `\`${pathText(path)}\``;
  const type = isObject(v) && typeof v["type"] === "string" ? v["type"] : undefined;
  const parent = path[path.length - 2];
  if (typeof path[path.length - 1] === "number" && parent === "input") return `the message ${where}`;
  if (type !== undefined && (parent === "content" || path[path.length - 1] === "content")) return `the \`${type}\` part ${where}`;
  if (type !== undefined && parent === "graders") return `the \`${type}\` sub-grader ${where}`;
  return where;
}

function walk(d: Descriptor, v: unknown, path: (string | number)[], defs: readonly Descriptor[], out: SchemaIssue[]): void {
  const at = (kind: IssueKind, message: string): void => void out.push({ path: [...path], kind, message });
  const where = path.length ? `\`${pathText(path)}\`` : "the grader";
  const notIt = (): void => at("type", `${where} must be ${wanted(d, defs)}, not ${describeJson(v)}`);
  switch (d.t) {
    case "ref":
      return walk(defs[d.id]!, v, path, defs, out);
    case "string":
      if (typeof v !== "string") notIt();
      return;
    case "number": {
      if (typeof v === "number" && !Number.isFinite(v)) return at("range", `${where} must be a finite number, not ${v}`);
      if (typeof v !== "number") return notIt();
      if (d.int && !Number.isInteger(v)) return at("type", `${where} must be an integer, not ${v}`);
      if (d.int && !Number.isSafeInteger(v)) return at("range", `${where} must be an integer of at most ${Number.MAX_SAFE_INTEGER} in size, not ${v}`);
      const { min, max } = d;
      const low = min && (min[1] ? v < min[0] : v <= min[0]);
      const high = max && (max[1] ? v > max[0] : v >= max[0]);
      if (low || high) {
        const bound =
          min && max
            ? `between ${min[0]} and ${max[0]}`
            : min
              ? `${min[1] ? "at least" : "more than"} ${min[0]}`
              : `${max![1] ? "at most" : "less than"} ${max![0]}`;
        at("range", `${where} must be ${bound}, not ${v}`);
      }
      return;
    }
    case "literal":
    case "enum":
      if (!(d.values as readonly unknown[]).includes(v)) {
        if (v === undefined) at("missing", `${where} is missing; it is ${quoteList(d.values)}`);
        else {
          const message = `${where} must be ${d.values.length > 1 ? "one of " : ""}${quoteList(d.values)}, not ${describeJson(v)}`;
          out.push({ path: [...path], kind: "enum", message, allowed: d.values.map(String) });
        }
      }
      return;
    case "optional":
      if (v !== undefined) walk(d.of, v, path, defs, out);
      return;
    case "nullable":
      if (v !== null) walk(d.of, v, path, defs, out);
      return;
    case "array":
      if (!Array.isArray(v)) return notIt();
      v.forEach((item, i) => walk(d.of, item, [...path, i], defs, out));
      return;
    case "tuple":
      if (!Array.isArray(v)) return notIt();
      if (v.length !== d.items.length) return at("type", `${where} must be a list of ${d.items.length}, not of ${v.length}`);
      d.items.forEach((item, i) => walk(item, v[i], [...path, i], defs, out));
      if (out.length === 0 && d.refine && !refinements[d.refine](v as unknown as [number, number])) {
        at("range", `${where} must be two increasing numbers, not [${v.map(String).join(", ")}]`);
      }
      return;
    case "object":
      if (!isObject(v)) return notIt();
      for (const [key, field] of Object.entries(d.shape)) {
        const value = v[key];
        if (value === undefined && !typesOf(field, defs).includes("undefined")) {
          out.push({ path: [...path, key], kind: "missing", message: `${nounOf(path, v)} needs \`${key}\`` });
        } else walk(field, value, [...path, key], defs, out);
      }
      return;
    case "record":
      if (!isObject(v)) return notIt();
      for (const key of Object.keys(v)) if (key !== "__proto__") walk(d.of, v[key], [...path, key], defs, out);
      return;
    case "discriminated": {
      if (!isObject(v)) return notIt();
      const tags = tagsOf(d, defs);
      const tag = v[d.key];
      const option = d.options.map((o) => resolve(o, defs)).find((o) => o.t === "object" && (o.shape[d.key] as { values?: unknown[] } | undefined)?.values?.includes(tag));
      if (!option) {
        const p = [...path, d.key];
        if (tag === undefined) out.push({ path: p, kind: "missing", message: `${nounOf(path, v)} needs \`${d.key}\`: ${quoteList(tags)}` });
        else out.push({ path: p, kind: "enum", message: `\`${pathText(p)}\` must be one of ${quoteList(tags)}, not ${describeJson(tag)}`, allowed: tags });
        return;
      }
      return walk(option, v, path, defs, out);
    }
    case "union": {
      // The option of the value's JSON type (the first that matches, else the first of that type).
      const type = jsonType(v);
      const fitting = d.options.filter((o) => typesOf(o, defs).includes(type));
      if (fitting.length === 0) return notIt();
      if (fitting.some((o) => matches(o, v, defs))) return;
      return walk(fitting[0]!, v, path, defs, out);
    }
  }
}

/** The issues of a value a descriptor rejects (none when it matches). */
export function explain(d: Descriptor, v: unknown, defs: readonly Descriptor[]): SchemaIssue[] {
  const out: SchemaIssue[] = [];
  walk(d, v, [], defs, out);
  return out;
}
