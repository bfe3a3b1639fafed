import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { decompile } from "../../src/decompile.js";
import { type Cases, type Json, mutate, type Path } from "../conformance/generate.js";
import { fixtures } from "../schema/spec-shape.js";

/*
 * `grade check` and `grade compile` give one verdict on every input: random mutations of the
 * spec-valid graders of the conformance cases, as JSON and as `.grade` text, have check errors
 * exactly when compile gives no JSON.
 */

const cases = JSON.parse(fs.readFileSync(path.join(fixtures, "conformance.json"), "utf8")) as Cases;

function pathsOf(value: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

const replacement = fc.oneof(
  fc.constantFrom<Json>(null, 0, -1, 1.5, 3, "", "x", "not_a_value", "message", "msg", "explicit", "implicit", "input_text", "text", true, false, [], {}),
  fc.constantFrom<Json>({ mode: "explicit" }, { mode: "implicit" }, { type: "input_text" }, { type: "input_image" }, [null], [3], ["a", null], { role: "user" }),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
);

/** One mutation of one valid case: a value dropped, replaced, or a list item added. */
const mutated = fc
  .record({ c: fc.constantFrom(...cases.valid), pick: fc.nat(), op: fc.constantFrom("drop", "set", "insert") as fc.Arbitrary<"drop" | "set" | "insert">, value: replacement })
  .map(({ c, pick, op, value }) => {
    const paths = pathsOf(c.grader).slice(1);
    const at = paths[pick % paths.length]!;
    let holder: Json | undefined = c.grader;
    for (const p of at) holder = (holder as Record<string | number, Json>)[p];
    const realOp = op === "insert" && !Array.isArray(holder) ? "set" : op;
    return { target: c.target, grader: mutate(c.grader, at, realOp, value) };
  });

const verdict = (text: string, options: { target: "rft" | "evals"; filename?: string }) => {
  const checked = check(text, options);
  const compiled = compile(text, options);
  return { checkErrors: checked.errors, compiles: compiled.grader !== undefined, messages: checked.diagnostics.map((d) => d.message) };
};

describe("check and compile give one verdict", () => {
  it("on random mutations of spec-valid JSON graders", () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutated, ({ target, grader }) => {
        const v = verdict(JSON.stringify(grader, null, 2), { target, filename: "grader.json" });
        if (v.checkErrors > 0) rejected++;
        expect(v.checkErrors > 0, v.messages.join("\n")).toBe(!v.compiles);
      }),
      { numRuns: 1000, seed: 19 },
    );
    // The mutations do reach both verdicts.
    expect(rejected).toBeGreaterThan(200);
    expect(rejected).toBeLessThan(1000);
  });

  let gradeTexts: { target: "rft" | "evals"; text: string }[] = [];
  beforeAll(async () => {
    gradeTexts = await Promise.all(cases.valid.map(async (c) => ({ target: c.target, text: (await decompile(JSON.stringify(c.grader))).text! })));
  });

  it("on random edits of their .grade text", () => {
    const snippet = fc.constantFrom("null", "3", '"x"', "[", "]", "{}", "(", ")", ",", "input_text(", "input_image(", "detail: ultra", "type: msg", "prompt_cache_breakpoint: true", "user", "message", "-1", "[1, 0]", "\n", "");
    const edit = fc.record({ i: fc.nat(), at: fc.nat(), length: fc.nat({ max: 12 }), insert: snippet });
    let rejected = 0;
    fc.assert(
      fc.property(edit, ({ i, at, length, insert }) => {
        const { target, text } = gradeTexts[i % gradeTexts.length]!;
        const start = at % (text.length + 1);
        const edited = text.slice(0, start) + insert + text.slice(start + length);
        const v = verdict(edited, { target });
        if (v.checkErrors > 0) rejected++;
        expect(v.checkErrors > 0, v.messages.join("\n")).toBe(!v.compiles);
      }),
      { numRuns: 1000, seed: 19 },
    );
    expect(rejected).toBeGreaterThan(200);
  });
});
