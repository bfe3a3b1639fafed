import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { graderSchema, graderSchemas } from "../../src/schema/graders.js";

const refs = path.resolve(import.meta.dirname, "../fixtures/graders");
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(refs, name), "utf8"));

describe("zod schemas of the grader JSON", () => {
  it("accept every seed and reference grader for its target", () => {
    for (const name of fs.readdirSync(refs).filter((f) => f.startsWith("seed-"))) {
      expect(graderSchema("rft").safeParse(load(name)).success, name).toBe(true);
    }
    expect(graderSchema("rft").safeParse(load("02-guide-name-email-multi.json")).success).toBe(true);
    expect(graderSchema("rft").safeParse(load("05-guide-python-minimal.json")).success).toBe(true);
    expect(graderSchema("evals").safeParse(load("16-openapi-label-model.json")).success).toBe(true);
  });

  it("model multi.graders as a map, and reject the spec's array form", () => {
    const result = graderSchema("rft").safeParse(load("18-openapi-multi-example-MALFORMED.json"));
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(["graders"]);
  });

  it("differ per target", () => {
    const label = load("16-openapi-label-model.json");
    expect(graderSchema("rft").safeParse(label).success).toBe(false); // not at the top level for rft
    const similarity = { type: "text_similarity", name: "s", input: "a", reference: "b", evaluation_metric: "cosine" };
    // `cosine` for rft as well: the API description lists it for /fine_tuning/alpha/graders/run.
    expect(graderSchema("rft").safeParse(similarity).success).toBe(true);
    expect(graderSchema("evals").safeParse(similarity).success).toBe(false); // pass_threshold is required
    expect(graderSchema("evals").safeParse({ ...similarity, pass_threshold: 0.8 }).success).toBe(true);
    expect(graderSchema("evals").safeParse(load("02-guide-name-email-multi.json")).success).toBe(false);
  });

  it("allow label_model inside a multi for rft and reject a nested multi", () => {
    const multi = load("02-guide-name-email-multi.json");
    const withLabel = { ...multi, graders: { ...multi.graders, tone: load("16-openapi-label-model.json") } };
    expect(graderSchema("rft").safeParse(withLabel).success).toBe(true);
    const nested = { ...multi, graders: { inner: multi } };
    expect(graderSchema("rft").safeParse(nested).success).toBe(false);
  });

  it("check sampling params and range", () => {
    const base = load("seed-score-text-alignment.json");
    const ok = (sampling_params: object) => graderSchema("rft").safeParse({ ...base, sampling_params }).success;
    expect(ok({ temperature: 2, top_p: 0, seed: 1, max_completions_tokens: 1, reasoning_effort: "xhigh" })).toBe(true);
    expect(ok({ temperature: 2.1 })).toBe(false);
    expect(ok({ top_p: 1.5 })).toBe(false);
    expect(ok({ seed: 1.5 })).toBe(false);
    expect(ok({ max_completions_tokens: 0 })).toBe(false);
    expect(ok({ reasoning_effort: "extreme" })).toBe(false);
    expect(graderSchema("rft").safeParse({ ...base, range: [1, 0] }).success).toBe(false);
    expect(graderSchema("rft").safeParse({ ...base, range: [0, 5] }).success).toBe(true);
  });

  it("keep unknown fields (the service tolerates some)", () => {
    const parsed = graderSchemas("rft").StringCheck.parse({ ...load("seed-validate-string-check.json"), extra: 1 });
    expect(parsed).toMatchObject({ extra: 1 });
  });
});
