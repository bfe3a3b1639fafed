import { describe, expect, it } from "vitest";
import { allowList, allows, differences, projectRows, snapshot, specRows } from "./spec-shape.js";

/*
 * The project's zod schemas against OpenAI's own API description, field by field (required or
 * optional, types, enum values, ranges), for both targets: a difference fails unless
 * test/fixtures/spec/allow-list.json lists it with its reason (docs/rules.md links the list).
 */

const snap = snapshot();
const entries = allowList();

describe("the schemas against the API description", () => {
  it("reads a pinned snapshot of the spec", () => {
    expect(snap.source.repository).toBe("openai/openai-openapi");
    expect(snap.source.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(Object.keys(snap.definitions).length).toBeGreaterThanOrEqual(25);
  });

  it("has one rft grader in the spec: /graders/run, /graders/validate and fine-tuning's method take the same", () => {
    const run = specRows(snap, "rft", "RunGraderRequest");
    expect(specRows(snap, "rft", "ValidateGraderRequest")).toEqual(run);
    expect(specRows(snap, "rft", "FineTuneReinforcementMethod")).toEqual(run);
  });

  for (const target of ["rft", "evals"] as const) {
    it(`differs for ${target} only where the allow-list says why`, () => {
      const found = differences(target, specRows(snap, target), projectRows(target));
      const unexplained = found.filter((d) => !entries.some((e) => allows(e, d)));
      expect(unexplained).toEqual([]);
      // The comparison itself sees the fields: a broken flattening would find nothing to differ.
      expect(projectRows(target).size).toBeGreaterThan(100);
    });
  }

  it("lists no difference that is not there any more, each entry with its reason", () => {
    const found = (["rft", "evals"] as const).flatMap((t) => differences(t, specRows(snap, t), projectRows(t)));
    for (const entry of entries) {
      expect(entry.why.length, entry.path).toBeGreaterThan(40);
      expect(found.some((d) => allows(entry, d)), `allow-list entry ${entry.target} ${entry.path} ${entry.aspect} matches nothing`).toBe(true);
    }
  });

  it("follows the spec on the settled points: cosine for rft, prompt_cache_breakpoint, every reasoning_effort, detail a string", () => {
    for (const target of ["rft", "evals"] as const) {
      const rows = projectRows(target);
      const spec = specRows(snap, target);
      expect(rows.get("<text_similarity>.evaluation_metric")).toEqual(spec.get("<text_similarity>.evaluation_metric"));
      expect(rows.get("<text_similarity>.evaluation_metric")!.values).toContain('"cosine"');
      const part = `<score_model>.input[].content[]<input_text>.prompt_cache_breakpoint.mode`;
      expect(rows.get(part)).toEqual({ required: true, types: "string", values: '"explicit"' });
      expect(rows.get("<score_model>.sampling_params.reasoning_effort")).toEqual(spec.get("<score_model>.sampling_params.reasoning_effort"));
      expect(rows.get("<score_model>.sampling_params.max_completions_tokens")).toEqual({ required: false, types: "integer null", min: 1 });
      expect(rows.get("<score_model>.input[].content<input_image>.detail")).toEqual({ required: false, types: "string" });
    }
  });

  it("finds a difference the allow-list does not excuse", () => {
    const spec = specRows(snap, "rft");
    const changed = new Map(spec);
    changed.set("<string_check>.operation", { required: true, types: "string", values: '"eq" "ne"' });
    const found = differences("rft", changed, spec);
    expect(found).toEqual([{ target: "rft", path: "<string_check>.operation", aspect: "values", spec: '"eq" "ne"', project: '"eq" "ilike" "like" "ne"' }]);
    expect(found.filter((d) => !entries.some((e) => allows(e, d)))).toHaveLength(1);
  });
});
