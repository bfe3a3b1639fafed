import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as gradelang from "../../src/index.js";
import { FakeApi } from "./fake-api.js";
import { RUN_RESPONSE } from "./fixtures.js";

/* The engine API is part of the library: compile, then run through a GraderEngine. */

let api: FakeApi;
beforeAll(async () => {
  api = await FakeApi.start();
});
afterAll(() => api.close());

describe("the library's engine API", () => {
  it("compiles a grader and runs it through the RemoteEngine", async () => {
    const { grader } = gradelang.compile('string_check "s": sample.output_text eq item.label\n');
    const config = gradelang.resolveRemoteConfig(
      { baseUrl: api.baseUrl },
      { OPENAI_API_KEY: "sk-test-library-123456" },
    );
    const engine: gradelang.GraderEngine = await gradelang.RemoteEngine.create(config);
    const response = await engine.run({ grader: grader!, model_sample: "x", item: { label: "x" } });
    expect(response).toEqual(RUN_RESPONSE);
    expect(gradelang.setFlags(response)).toEqual([]);
    expect(gradelang.formatRunSummary(response)).toContain("reward 1");
    expect(api.requests[0]!.path).toBe(`/v1${gradelang.RUN_PATH}`);
  });

  it("exports the error type and the defaults", () => {
    expect(new gradelang.EngineError("timeout", "m").kind).toBe("timeout");
    expect(gradelang.DEFAULT_BASE_URL).toBe("https://api.openai.com/v1");
    expect(gradelang.DEFAULT_MAX_RETRIES).toBe(2);
  });
});
