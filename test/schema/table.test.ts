import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deriveTable, renderTable } from "../../src/schema/derive.js";
import { graderSchema, type Target } from "../../src/schema/graders.js";
import { schemaTable } from "../../src/schema/table.js";
import { matches } from "../../src/schema/validate.js";
import { arbitraryOf, trickyString } from "../property/zod-arbitrary.js";

/*
 * src/schema/table.ts is what the checker and compile() know of the grader JSON instead of the
 * zod schemas (zod takes longer to load than a small `grade check` takes to run). The schemas stay
 * the one truth: the build derives the table from them, and these tests keep the two equal.
 */

describe("the schema table", () => {
  it("is what the zod schemas give today (run `npm run build` after changing them)", () => {
    expect(schemaTable).toEqual(deriveTable());
    expect(renderTable(deriveTable())).toContain("export const schemaTable");
  });

  const targets: Target[] = ["rft", "evals"];

  /** A grader broken in one place: a value replaced, a key dropped, or a key added. */
  const broken = (target: Target) =>
    fc
      .tuple(
        arbitraryOf(graderSchema(target)),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        fc.constantFrom<unknown>(null, 0, -1, 1.5, 2.5, 1e300, "", "x", "eq", true, [], [1, 0], [0, 1], {}, { type: "input_text" }, undefined),
      )
      .map(([grader, [a = 0, b = 0, c = 0], replacement]) => {
        const copy = structuredClone(grader) as Record<string, unknown>;
        // Walk down to a random object or list inside the grader, then break it there.
        let node: unknown = copy;
        for (let depth = 0; depth < (a % 5); depth++) {
          const children = node && typeof node === "object" ? Object.values(node).filter((v) => v && typeof v === "object") : [];
          if (children.length === 0) break;
          node = children[(b + depth) % children.length];
        }
        if (node && typeof node === "object") {
          const keys = Object.keys(node);
          const key = keys.length ? keys[c % keys.length]! : "extra";
          if (c % 3 === 0) delete (node as Record<string, unknown>)[key];
          else (node as Record<string, unknown>)[c % 3 === 1 ? key : "extra"] = replacement;
        }
        return copy;
      });

  it.each(targets)("gives zod's yes or no for random %s graders, valid and broken", (target) => {
    const schema = graderSchema(target);
    const table = schemaTable.graders[target];
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(arbitraryOf(schema), broken(target), trickyString), (value) => {
        const zod = schema.safeParse(value).success;
        if (!zod) rejected++;
        expect(matches(table, value, schemaTable.defs)).toBe(zod);
      }),
      { numRuns: 3000 },
    );
    expect(rejected).toBeGreaterThan(300);
  });

  it("gives zod's answer on the corner cases of numbers, tuples and maps", () => {
    const base = { type: "score_model", model: "m", input: [{ role: "user", content: "hi" }] };
    const cases: unknown[] = [
      { ...base, range: [0, 1] },
      { ...base, range: [1, 0] },
      { ...base, range: [0, 0] },
      { ...base, range: [0, 1, 2] },
      { ...base, range: [0] },
      { ...base, sampling_params: { seed: 2 ** 53 } },
      { ...base, sampling_params: { seed: 2 ** 53 - 1 } },
      { ...base, sampling_params: { max_completions_tokens: 0 } },
      { ...base, sampling_params: { temperature: 2 } },
      { ...base, sampling_params: { temperature: Infinity } },
      { ...base, sampling_params: { top_p: NaN } },
      { ...base, sampling_params: null },
      { ...base, input: [{ role: "user", content: [{ type: "input_audio", input_audio: { data: "x", format: "ogg" } }] }] },
      { type: "multi", graders: { a: { type: "string_check", input: "a", reference: "b", operation: "eq" } }, calculate_output: "a" },
      { type: "multi", graders: { a: { type: "multi", graders: {}, calculate_output: "a" } }, calculate_output: "a" },
      { type: "multi", graders: [], calculate_output: "a" },
      { type: "multi", graders: JSON.parse('{"__proto__": 5}'), calculate_output: "a" },
      { type: "nope" },
      [],
      null,
    ];
    for (const target of targets) {
      for (const value of cases) expect(matches(schemaTable.graders[target], value, schemaTable.defs), JSON.stringify(value)).toBe(graderSchema(target).safeParse(value).success);
    }
  });
});
