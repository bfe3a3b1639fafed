import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resolveRemoteConfig, type RemoteOptions } from "../../src/api/config.js";
import { EngineError } from "../../src/api/errors.js";
import { RemoteEngine, RUN_PATH, VALIDATE_PATH } from "../../src/api/remote.js";
import { closedPort, FakeApi } from "./fake-api.js";
import { apiError, RUN_RESPONSE } from "./fixtures.js";

/*
 * The remote engine in-process against a real HTTP server on 127.0.0.1: retries, how long it
 * waits between them (Retry-After, retry-after-ms, backoff, measured at the server), the overall
 * timeout, and the kinds of failure.
 */

const KEY = "sk-test-remote-FAKEKEY-42";
const GRADER = {
  type: "string_check",
  name: "exact",
  input: "{{sample.output_text}}",
  reference: "{{item.answer}}",
  operation: "eq",
};
const REQUEST = { grader: GRADER, model_sample: "Paris", item: { answer: "Paris" } };

let api: FakeApi;
beforeAll(async () => {
  api = await FakeApi.start();
});
afterAll(() => api.close());
afterEach(() => api.reset());

const engine = (options: RemoteOptions = {}, env: Record<string, string> = {}) =>
  RemoteEngine.create(resolveRemoteConfig({ baseUrl: api.baseUrl, ...options }, { OPENAI_API_KEY: KEY, ...env }));

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).not.toContain("FAKEKEY");
    return error as EngineError;
  }
  throw new Error("expected the call to fail");
}

/** Milliseconds between the arrivals of consecutive requests. */
const gaps = () => api.requests.slice(1).map((r, i) => r.at - api.requests[i]!.at);

describe("RemoteEngine", () => {
  it("runs and validates through the generic post (bodies as given)", async () => {
    const remote = await engine();
    expect(await remote.run(REQUEST)).toEqual(RUN_RESPONSE);
    expect(await remote.validate(REQUEST)).toEqual({ grader: GRADER });
    expect(api.requests.map((r) => [r.method, r.path])).toEqual([
      ["POST", `/v1${RUN_PATH}`],
      ["POST", `/v1${VALIDATE_PATH}`],
    ]);
    expect(api.requests[0]!.body).toEqual(REQUEST);
    expect(api.requests[1]!.body).toEqual(REQUEST);
    expect(remote.url(RUN_PATH)).toBe(`${api.baseUrl}${RUN_PATH}`);
  });

  it("keeps a multi's graders a map", async () => {
    const multi = {
      type: "multi",
      name: "m",
      graders: { a: GRADER, b: { ...GRADER, name: "b" } },
      calculate_output: "a + b",
    };
    await (await engine()).run({ grader: multi, model_sample: "x" });
    expect((api.requests[0]!.body as { grader: unknown }).grader).toEqual(multi);
  });

  it("Retry-After: 1 waits one second before the retry", async () => {
    api.reply({ status: 429, headers: { "retry-after": "1" }, body: apiError("slow down") });
    await (await engine()).run(REQUEST);
    expect(api.requests).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(950);
    expect(gaps()[0]).toBeLessThan(1_900);
  });

  it("retry-after-ms: 300 waits 300 ms (and wins over Retry-After)", async () => {
    api.reply({ status: 503, headers: { "retry-after-ms": "300", "retry-after": "5" }, body: apiError("busy") });
    await (await engine()).run(REQUEST);
    expect(gaps()[0]).toBeGreaterThanOrEqual(280);
    expect(gaps()[0]).toBeLessThan(1_000);
  });

  it("Retry-After: 0 retries at once", async () => {
    api.reply({ status: 429, headers: { "retry-after": "0" } }, { status: 429, headers: { "retry-after": "0" } });
    await (await engine()).run(REQUEST);
    expect(api.requests).toHaveLength(3);
    for (const gap of gaps()) expect(gap).toBeLessThan(250);
  });

  it("without Retry-After the backoff is 0.5 s, then 1 s (less up to 25% jitter)", async () => {
    api.reply({ status: 500 }, { status: 500 });
    await (await engine({ maxRetries: 2 })).run(REQUEST);
    const [first, second] = gaps();
    expect(first).toBeGreaterThanOrEqual(370);
    expect(first).toBeLessThan(900);
    expect(second).toBeGreaterThanOrEqual(740);
    expect(second).toBeLessThan(1_500);
  });

  it("gives up after maxRetries retries with the last status", async () => {
    api.always({ status: 500, headers: { "retry-after": "0" }, body: apiError("boom", { type: "server_error" }) });
    const error = await failure((await engine({ maxRetries: 2 })).run(REQUEST));
    expect(api.requests).toHaveLength(3);
    expect(error.kind).toBe("server");
    expect(error.details).toMatchObject({ status: 500, attempts: 3, apiMessage: "boom" });
  });

  it("does not retry a 400; keeps its param and message", async () => {
    api.always({ status: 400, body: apiError("Invalid type for 'grader.input'", { param: "grader.input" }) });
    const error = await failure((await engine()).run(REQUEST));
    expect(api.requests).toHaveLength(1);
    expect(error.kind).toBe("rejected");
    expect(error.details).toMatchObject({
      status: 400,
      param: "grader.input",
      apiMessage: "Invalid type for 'grader.input'",
    });
  });

  it("--timeout bounds the whole call, waits for Retry-After included", async () => {
    api.always({ status: 429, headers: { "retry-after": "30" }, body: apiError("slow down") });
    const started = performance.now();
    const error = await failure((await engine({ timeout: 1 })).run(REQUEST));
    const elapsed = performance.now() - started;
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      "gave up within --timeout 1 s: 1 attempt, the last answered HTTP 429; try again later or raise --timeout",
    );
    expect(api.requests).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3_000);
  });

  it("a server that never answers: timeout after --timeout", async () => {
    api.always("hang");
    const started = performance.now();
    const error = await failure((await engine({ timeout: 0.5 })).run(REQUEST));
    expect(error.kind).toBe("timeout");
    expect(error.message).toBe(
      `no answer from ${api.baseUrl}${RUN_PATH} within 0.5 s (--timeout); raise --timeout if the grader needs longer`,
    );
    expect(performance.now() - started).toBeLessThan(2_500);
  });

  it("connection refused: a network error naming the base URL, after the retries", async () => {
    const port = await closedPort();
    const remote = await RemoteEngine.create(
      resolveRemoteConfig({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 0 }, { OPENAI_API_KEY: KEY }),
    );
    const error = await failure(remote.run(REQUEST));
    expect(error.kind).toBe("network");
    expect(error.message).toBe(
      `cannot reach the API at http://127.0.0.1:${port}/v1: connection refused (1 attempt); check --base-url or OPENAI_BASE_URL and the network`,
    );
  });

  it("an answer that is not JSON or has no reward", async () => {
    api.reply(
      { status: 200, body: "plain text" },
      { status: 200, headers: { "content-type": "application/json" }, body: "{not json" },
    );
    const remote = await engine();
    expect((await failure(remote.run(REQUEST))).kind).toBe("response");
    const invalid = await failure(remote.run(REQUEST));
    expect(invalid.kind).toBe("response");
    expect(invalid.message).toMatch(/^the API answered with invalid JSON: /);
  });

  it("Azure: /openai/... ?api-version, the api-key header and no Authorization", async () => {
    const config = resolveRemoteConfig(
      {},
      { AZURE_OPENAI_ENDPOINT: api.origin, AZURE_OPENAI_API_KEY: KEY, OPENAI_API_VERSION: "2025-04-01-preview" },
    );
    const remote = await RemoteEngine.create(config);
    expect(remote.url(RUN_PATH)).toBe(`${api.origin}/openai${RUN_PATH}?api-version=2025-04-01-preview`);
    await remote.run(REQUEST);
    const [request] = api.requests;
    expect(request!.path).toBe(`/openai${RUN_PATH}`);
    expect(request!.query).toEqual({ "api-version": "2025-04-01-preview" });
    expect(request!.headers["api-key"]).toBe(KEY);
    expect(request!.headers["authorization"]).toBeUndefined();
  });

  it("describe() builds the dry-run request without a key", async () => {
    const config = resolveRemoteConfig({ baseUrl: api.baseUrl }, { OPENAI_ORG_ID: "org-x" }, { requireKey: false });
    expect(await RemoteEngine.describe(config, VALIDATE_PATH, { grader: GRADER })).toEqual({
      method: "POST",
      url: `${api.baseUrl}${VALIDATE_PATH}`,
      headers: { "content-type": "application/json", "openai-organization": "org-x" },
      body: { grader: GRADER },
    });
    expect(api.requests).toHaveLength(0);
  });
});
