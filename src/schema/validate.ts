import type { Descriptor } from "./descriptor.js";
import { refinements } from "./refinements.js";

/*
 * Does a JSON value match a schema descriptor (src/schema/descriptor.ts)? The same yes or no as
 * the zod schema it was derived from (the tests ask both on every compile), without loading zod;
 * compile() asks zod for the issues only on a no. Each descriptor is turned into a function once.
 */

type Check = (v: unknown) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const compiled = new WeakMap<Descriptor, Check>();

function compileDescriptor(d: Descriptor, defs: readonly Descriptor[]): Check {
  const sub = (x: Descriptor): Check => checkOf(x, defs);
  switch (d.t) {
    case "ref": {
      let target: Check | undefined;
      return (v) => (target ??= sub(defs[d.id]!))(v);
    }
    case "string":
      return (v) => typeof v === "string";
    case "number": {
      const { int = false, min, max } = d;
      return (v) => {
        if (typeof v !== "number" || !Number.isFinite(v)) return false;
        if (int && !Number.isSafeInteger(v)) return false;
        if (min && (min[1] ? v < min[0] : v <= min[0])) return false;
        if (max && (max[1] ? v > max[0] : v >= max[0])) return false;
        return true;
      };
    }
    case "literal":
    case "enum": {
      const values: readonly unknown[] = d.values;
      return (v) => values.includes(v);
    }
    case "optional": {
      const of = sub(d.of);
      return (v) => v === undefined || of(v);
    }
    case "nullable": {
      const of = sub(d.of);
      return (v) => v === null || of(v);
    }
    case "array": {
      const of = sub(d.of);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!of(v[i])) return false;
        return true;
      };
    }
    case "tuple": {
      const items = d.items.map(sub);
      const refine = d.refine === undefined ? undefined : refinements[d.refine];
      return (v) => {
        if (!Array.isArray(v) || v.length !== items.length) return false;
        for (let i = 0; i < items.length; i++) if (!items[i]!(v[i])) return false;
        return refine === undefined || refine(v as unknown as [number, number]);
      };
    }
    case "object": {
      const keys = Object.keys(d.shape);
      const checks = keys.map((k) => sub(d.shape[k]!));
      return (v) => {
        if (!isObject(v)) return false;
        for (let i = 0; i < keys.length; i++) if (!checks[i]!(v[keys[i]!])) return false;
        return true;
      };
    }
    case "record": {
      const of = sub(d.of);
      return (v) => {
        if (!isObject(v)) return false;
        // zod leaves a `__proto__` key unchecked.
        for (const key of Object.keys(v)) if (key !== "__proto__" && !of(v[key])) return false;
        return true;
      };
    }
    case "union": {
      const options = d.options.map(sub);
      return (v) => options.some((o) => o(v));
    }
    case "discriminated": {
      // The option of each value of the discriminator.
      const byTag = new Map<unknown, Check>();
      for (const ref of d.options) {
        const option = ref.t === "ref" ? defs[ref.id]! : ref;
        const literal = option.t === "object" ? option.shape[d.key] : undefined;
        if (literal?.t !== "literal") throw new Error("a discriminated union option without its literal");
        for (const tag of literal.values) if (!byTag.has(tag)) byTag.set(tag, sub(option));
      }
      return (v) => {
        if (!isObject(v)) return false;
        const option = byTag.get(v[d.key]);
        return option !== undefined && option(v);
      };
    }
  }
}

function checkOf(d: Descriptor, defs: readonly Descriptor[]): Check {
  let check = compiled.get(d);
  if (!check) {
    check = compileDescriptor(d, defs);
    compiled.set(d, check);
  }
  return check;
}

/** Does `v` match `d`; `defs` resolves `{ t: "ref" }`. */
export function matches(d: Descriptor, v: unknown, defs: readonly Descriptor[]): boolean {
  return checkOf(d, defs)(v);
}
