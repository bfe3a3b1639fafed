import fc from "fast-check";
import type { ZodType } from "zod";

/*
 * A fast-check arbitrary generated from a zod schema: the grader JSON's own definition drives
 * the random graders, so they stay in step with it. Covers the zod kinds the grader schemas use;
 * leaf values that break a refinement are filtered by the leaf schema itself.
 */

interface Def {
  type: string;
  [key: string]: unknown;
}

const defOf = (schema: ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Text that stresses printing: quotes, backslashes, templates, block-string delimiters, line breaks. */
export const trickyString = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom("", "a", "eq", "item.x", "{{item.x}}", "{{ sample.output_text }}", "x\ny", '"""', '\\"""', 'end"', "\ttab", "a\r\nb", "\\d+\\.\\s", "é ✓ 𝒳", "true", "null") },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom("a", " ", "\n", '"', "\\", "{{", "}}", "item.a", "'", "\t", "#", "//", "é"), { maxLength: 12 })
      .map((parts) => parts.join("")),
  },
);

export function arbitraryOf(schema: ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case "string":
      return trickyString;
    case "number": {
      const base = fc.oneof(
        fc.constantFrom(0, 1, 2, 0.5, 0.25, 10, 42, -1, 1e-3, 123456),
        fc.integer({ min: -100, max: 1000 }),
        fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
      );
      return base.filter((n) => schema.safeParse(n).success);
    }
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "literal":
      return fc.constantFrom(...(def["values"] as unknown[]));
    case "enum":
      return fc.constantFrom(...Object.values(def["entries"] as Record<string, string>));
    case "optional":
      return fc.option(arbitraryOf(def["innerType"] as ZodType), { nil: undefined });
    case "nullable":
      return fc.option(arbitraryOf(def["innerType"] as ZodType), { nil: null });
    case "array":
      return fc.array(arbitraryOf(def["element"] as ZodType), { minLength: 1, maxLength: 3 });
    case "tuple":
      return fc.tuple(...(def["items"] as ZodType[]).map(arbitraryOf)).filter((t) => schema.safeParse(t).success);
    case "union":
      return fc.oneof(...(def["options"] as ZodType[]).map(arbitraryOf));
    case "record":
      return fc
        .uniqueArray(fc.tuple(fc.constantFrom("a", "b", "name", "email", "score_1", "x y", "graders"), arbitraryOf(def["valueType"] as ZodType)), {
          minLength: 1,
          maxLength: 3,
          selector: ([k]) => k,
        })
        .map((entries) => Object.fromEntries(entries));
    case "object": {
      const shape = def["shape"] as Record<string, ZodType>;
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, field] of Object.entries(shape)) record[key] = arbitraryOf(field);
      // Drop the keys whose optional value came out undefined: JSON has no undefined.
      return fc.record(record).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
    }
    default:
      throw new Error(`no arbitrary for zod type ${def.type}`);
  }
}
