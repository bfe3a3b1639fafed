import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { decompile } from "../../src/decompile.js";
import { fixtures, snapshot } from "../schema/spec-shape.js";
import { type Cases, generate, mutantGrader } from "./generate.js";

/*
 * The generated conformance cases (test/conformance/generate.ts, from the API description's
 * snapshot): every spec-valid grader checks clean and compiles back unchanged, from JSON and
 * from the `.grade` text it decompiles to; every spec-invalid mutant gets an error naming its
 * field from `grade check`, and `grade compile` refuses it too.
 * GRADE_UPDATE_CONFORMANCE=1 rewrites the committed cases from the generator.
 */

const file = path.join(fixtures, "conformance.json");
const generated = generate(snapshot());
if (process.env["GRADE_UPDATE_CONFORMANCE"] === "1") fs.writeFileSync(file, `${JSON.stringify(generated, null, 1)}\n`);
const cases = JSON.parse(fs.readFileSync(file, "utf8")) as Cases;

const errorsOf = (result: ReturnType<typeof check>) => result.diagnostics.filter((d) => d.severity === "error");

describe("conformance to the API description", () => {
  it("keeps the committed cases equal to the generator's (GRADE_UPDATE_CONFORMANCE=1 rewrites them)", () => {
    expect(cases).toEqual(generated);
    expect(cases.valid.length + cases.mutants.length).toBeGreaterThan(300);
    // Every kind of each target, and both targets.
    const kinds = new Set(cases.valid.map((c) => `${c.target}/${String((c.grader as { type: string }).type)}`));
    expect([...kinds].sort()).toEqual([
      "evals/label_model", "evals/python", "evals/score_model", "evals/string_check", "evals/text_similarity",
      "rft/multi", "rft/python", "rft/score_model", "rft/string_check", "rft/text_similarity",
    ]);
  });

  it.each(cases.valid.map((c) => [c.id, c] as const))("%s checks clean and compiles back unchanged", async (_id, c) => {
    const json = JSON.stringify(c.grader, null, 2);
    const checked = check(json, { target: c.target, filename: "grader.json" });
    expect(errorsOf(checked)).toEqual([]);
    expect(compile(json, { target: c.target, filename: "grader.json" }).grader).toEqual(c.grader);
    // The same grader written as `.grade`.
    const grade = await decompile(json);
    expect(grade.text, JSON.stringify(grade.diagnostics)).toBeDefined();
    expect(errorsOf(check(grade.text!, { target: c.target }))).toEqual([]);
    expect(compile(grade.text!, { target: c.target }).grader).toEqual(c.grader);
  });

  it.each(cases.mutants.map((m) => [m.id, m] as const))("%s is an error naming its field, for check and compile alike", (_id, m) => {
    const json = JSON.stringify(mutantGrader(cases, m), null, 2);
    const errors = errorsOf(check(json, { target: m.target, filename: "grader.json" }));
    expect(errors.length, `${m.why}: ${json}`).toBeGreaterThan(0);
    // The field by its key, or in the words of the rule that knows it (`evaluation metric`; a grader's `type` is its kind).
    const names = [m.field, m.field.replaceAll("_", " "), ...(m.path.length === 1 && m.field === "type" ? ["grader kind"] : [])];
    const messages = errors.map((e) => e.message).join("\n");
    expect(names.some((n) => messages.includes(n)), `${messages} names none of ${names.join(", ")}`).toBe(true);
    expect(compile(json, { target: m.target, filename: "grader.json" }).grader).toBeUndefined();
  });
});
