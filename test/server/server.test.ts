import { spawnSync } from "node:child_process";
import OpenAI, { AzureOpenAI } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRequest, RunResponse, ValidateRequest, ValidateResponse } from "../../src/api/engine.js";
import { LocalEngine } from "../../src/engine/local.js";
import { startServer, type RunningServer, type ServerEngine } from "../../src/server/server.js";
import { hasStackTrace } from "../helpers/cli.js";
import {
  MULTI,
  RUN_PATH,
  STRING_CHECK,
  VALIDATE_PATH,
  client,
  deferred,
  postJson,
  pythonGrader,
  request,
  sleep,
  timeless,
} from "./helpers.js";

/* `grade serve` in-process: startServer() on 127.0.0.1, port 0, driven by the official openai client and raw HTTP. */

const hasPython = spawnSync("python3", ["--version"]).status === 0;
if (!hasPython) console.warn("python3 not found on PATH: skipping the python tests of grade serve");

const reference = new LocalEngine();
afterAll(() => reference.close());

describe("grade serve: the API's routes on the local engine", () => {
  let server: RunningServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startServer({ port: 0, engineOptions: { timeoutMs: 2000 }, log: (line) => lines.push(line) });
  });
  afterAll(() => server.close());

  it("listens on loopback, port 0 → a free port, and gives the OpenAI base URL", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.baseUrl).toBe(`${server.url}/v1`);
  });

  it("openai client: graders.run of a string_check gives the local engine's answer", async () => {
    const body = { grader: STRING_CHECK, model_sample: "Paris", item: { answer: "Paris" } };
    const answer = await client(server.baseUrl).fineTuning.alpha.graders.run(body as never);
    expect(answer.reward).toBe(1);
    expect(Object.keys(answer.metadata.errors)).toHaveLength(14);
    expect(timeless(answer)).toEqual(timeless(await reference.run(body as RunRequest)));
    const miss = await client(server.baseUrl).fineTuning.alpha.graders.run({ ...body, model_sample: "Lyon" } as never);
    expect(miss.reward).toBe(0);
  });

  it("openai client: a multi (graders as a map) gives the sub_rewards, through graders.run and the generic post", async () => {
    const body = { grader: MULTI, model_sample: '{"name": "Ada", "city": "Pariss"}', item: { name: "Ada", city: "Paris" } };
    const expected = await reference.run(body as RunRequest);
    expect(expected.sub_rewards?.["name"]).toBe(1);
    const viaRun = await client(server.baseUrl).fineTuning.alpha.graders.run(body as never);
    expect(timeless(viaRun)).toEqual(timeless(expected));
    const viaPost = await client(server.baseUrl).post<RunResponse>("/fine_tuning/alpha/graders/run", { body });
    expect(timeless(viaPost)).toEqual(timeless(expected));
    expect(Object.keys(viaPost.sub_rewards ?? {})).toEqual(["name", "city"]);
  });

  it.skipIf(!hasPython)("openai client: a python grader runs in python3", async () => {
    const grader = pythonGrader("def grade(sample, item):\n    return len(sample['output_text']) / 10\n");
    const answer = await client(server.baseUrl).fineTuning.alpha.graders.run({ grader, model_sample: "hello" } as never);
    expect(answer.reward).toBe(0.5);
    expect(answer.metadata.type).toBe("python");
    expect(answer.metadata.errors.python_grader_runtime_error).toBe(false);
  });

  it("openai client: graders.validate echoes a valid grader", async () => {
    const answer = await client(server.baseUrl).fineTuning.alpha.graders.validate({ grader: STRING_CHECK } as never);
    expect(answer).toEqual({ grader: STRING_CHECK });
    const multi = await client(server.baseUrl).post("/fine_tuning/alpha/graders/validate", { body: { grader: MULTI } });
    expect(multi).toEqual({ grader: MULTI });
  });

  it("the routes answer without the /v1 prefix too", async () => {
    const answer = await client(server.url).fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } } as never);
    expect(answer.reward).toBe(1);
  });

  it("an invalid grader: 400 in the API's shape, param naming the field; the client raises BadRequestError with it", async () => {
    const grader = { ...STRING_CHECK, operation: "equals" };
    const raw = await postJson(server.url, VALIDATE_PATH, { grader });
    expect(raw.status).toBe(400);
    expect(raw.headers["content-type"]).toBe("application/json");
    expect(raw.json.error).toMatchObject({ type: "invalid_request_error", param: "grader.operation", code: null });
    expect(raw.json.error!.message).toMatch(/^Invalid value for 'grader\.operation': /);

    const error = await client(server.baseUrl).fineTuning.alpha.graders.run({ grader, model_sample: "x" } as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(bad.status).toBe(400);
    expect(bad.param).toBe("grader.operation");
    expect(bad.message).toContain("Invalid value for 'grader.operation'");

    const nested = await postJson(server.url, RUN_PATH, {
      grader: { ...MULTI, graders: { ...(MULTI["graders"] as object), city: { type: "text_similarity", name: "c", input: "a", reference: "b" } } },
      model_sample: "x",
    });
    expect(nested.status).toBe(400);
    expect(nested.json.error!.param).toBe("grader.graders.city.evaluation_metric");
  });

  it("a top-level label_model is refused as on the API (rft graders only); inside a multi it is accepted", async () => {
    const labelModel = {
      type: "label_model",
      name: "tone",
      model: "gpt-4o-2024-08-06",
      input: [{ role: "user", content: "{{sample.output_text}}" }],
      labels: ["polite", "rude"],
      passing_labels: ["polite"],
    };
    for (const [path, body] of [[RUN_PATH, { grader: labelModel, model_sample: "hi" }], [VALIDATE_PATH, { grader: labelModel }]] as const) {
      const raw = await postJson(server.url, path, body);
      expect(raw.status).toBe(400);
      expect(raw.json.error).toMatchObject({ type: "invalid_request_error", param: "grader.type" });
      expect(raw.json.error!.message).toContain("'label_model' is not accepted at the top level");
    }
    const inMulti = await postJson(server.url, VALIDATE_PATH, { grader: { type: "multi", name: "m", graders: { tone: labelModel }, calculate_output: "tone" } });
    expect(inMulti.status).toBe(200);
  });

  it("malformed bodies: 400 with a clear message, in the error shape", async () => {
    const cases: [string | undefined, string, RegExp, string | null][] = [
      [undefined, '{"grader": ', /could not parse the JSON body/, null],
      [undefined, "", /body is empty/, null],
      [undefined, "[1, 2]", /must be a JSON object \{grader, model_sample, item\?\}, but it is an array/, null],
      [undefined, JSON.stringify({ grader: STRING_CHECK }), /^Missing required parameter: 'model_sample'\.$/, "model_sample"],
      [undefined, JSON.stringify({ model_sample: "x" }), /^Missing required parameter: 'grader'\.$/, "grader"],
      [undefined, JSON.stringify({ grader: "exact", model_sample: "x" }), /^Invalid type for 'grader': expected an object, but got a string instead\.$/, "grader"],
      [undefined, JSON.stringify({ grader: STRING_CHECK, model_sample: 42 }), /^Invalid type for 'model_sample': expected a string, but got an integer instead\.$/, "model_sample"],
      [undefined, JSON.stringify({ grader: STRING_CHECK, model_sample: "x", item: [1] }), /^Invalid type for 'item': expected an object, but got an array instead\.$/, "item"],
      [undefined, JSON.stringify({ grader: STRING_CHECK, model_sample: "x", item: "row" }), /^Invalid type for 'item': expected an object, but got a string instead\.$/, "item"],
      [undefined, JSON.stringify({ grader: STRING_CHECK, model_sample: "x", extra: 1 }), /^Unrecognized request argument supplied: extra$/, null],
      ["text/plain", JSON.stringify({ grader: STRING_CHECK, model_sample: "x" }), /Content-Type must be application\/json, not 'text\/plain'/, null],
      ["application/x-www-form-urlencoded", "grader=x", /with curl: -H 'Content-Type: application\/json'/, null],
    ];
    for (const [type, body, message, param] of cases) {
      const raw = await request(server.url, { path: RUN_PATH, headers: { "content-type": type ?? "application/json" }, body });
      expect(raw.status, body).toBe(400);
      expect(raw.json.error!.message, body).toMatch(message);
      expect(raw.json.error!.param, body).toBe(param);
      expect(raw.json.error!.type).toBe("invalid_request_error");
    }
    const noType = await request(server.url, { path: RUN_PATH, body: "{}" });
    expect(noType.status).toBe(400);
    expect(noType.json.error!.message).toContain("not missing");
    const charset = await postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } }, { "content-type": "application/json; charset=utf-8" });
    expect(charset.status).toBe(200);
  });

  it("unknown routes: 404 in the error shape (the client raises NotFoundError); wrong method: 405 with Allow", async () => {
    const missing = await request(server.url, { method: "GET", path: "/v1/models" });
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({ type: "invalid_request_error", param: null });
    expect(missing.json.error!.message).toMatch(/^Invalid URL \(GET \/v1\/models\)/);
    const error = await client(server.baseUrl).models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);

    const wrong = await request(server.url, { method: "GET", path: RUN_PATH });
    expect(wrong.status).toBe(405);
    expect(wrong.headers["allow"]).toBe("POST");
    expect(wrong.json.error!.message).toBe(`Method GET is not allowed on ${RUN_PATH}; use POST.`);
    const put = await request(server.url, { method: "PUT", path: VALIDATE_PATH, body: "{}" });
    expect(put.status).toBe(405);
  });

  it("GET /health answers ok with the load", async () => {
    const raw = await request(server.url, { method: "GET", path: "/health" });
    expect(raw.status).toBe(200);
    expect(raw.json).toMatchObject({ status: "ok", running: 0, queued: 0 });
  });

  it("logs one concise line per request: method, path, status, ms", () => {
    expect(lines.some((l) => /^POST \/v1\/fine_tuning\/alpha\/graders\/run 200 \d+\.\d ms$/.test(l))).toBe(true);
    expect(lines.some((l) => /^GET \/v1\/models 404 \d+\.\d ms$/.test(l))).toBe(true);
    expect(lines.every((l) => !hasStackTrace(`\n${l}`))).toBe(true);
  });
});

describe("grade serve: body size limit", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, maxBodyBytes: 1000 });
  });
  afterAll(() => server.close());

  const big = JSON.stringify({ grader: STRING_CHECK, model_sample: "x".repeat(5000) });

  it("a body over --max-body: 413 in the error shape (declared length, and chunked without one)", async () => {
    const declared = await postJson(server.url, RUN_PATH, big);
    expect(declared.status).toBe(413);
    expect(declared.json.error).toMatchObject({ type: "invalid_request_error", code: "request_too_large" });
    expect(declared.json.error!.message).toContain("larger than the server's limit of 1000 bytes");
    const chunked = await request(server.url, { path: RUN_PATH, headers: { "content-type": "application/json" }, body: [big.slice(0, 600), big.slice(600)] });
    expect(chunked.status).toBe(413);
  });

  it("the openai client gets a clean APIError 413, also for a body of megabytes it is still sending", async () => {
    for (const body of [JSON.parse(big), { grader: STRING_CHECK, model_sample: "x".repeat(8 * 1024 * 1024) }]) {
      const error = await client(server.baseUrl).fineTuning.alpha.graders.run(body as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    }
  });

  it("a body just under the limit is read", async () => {
    const ok = await postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } });
    expect(ok.status).toBe(200);
  });
});

describe("grade serve: bearer token", () => {
  const token = "tok-3f9a1c2e7b6d5a4c";
  let server: RunningServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startServer({ port: 0, token, log: (line) => lines.push(line) });
  });
  afterAll(() => server.close());

  it("a missing or wrong token: 401 in the error shape (AuthenticationError); the right one: 200", async () => {
    const body = { grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } };
    const none = await postJson(server.url, RUN_PATH, body);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(none.json.error).toMatchObject({ type: "invalid_request_error", code: "invalid_api_key", param: null });
    expect(none.json.error!.message).toContain("didn't provide a token");
    const basic = await postJson(server.url, RUN_PATH, body, { authorization: `Basic ${token}` });
    expect(basic.status).toBe(401);

    const wrong = await client(server.baseUrl, "tok-wrong-guess").fineTuning.alpha.graders.run(body as never).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as Error).message).toContain("Incorrect token provided");
    const prefix = await postJson(server.url, RUN_PATH, body, { authorization: `Bearer ${token.slice(0, -1)}` });
    expect(prefix.status).toBe(401);

    const right = await client(server.baseUrl, token).fineTuning.alpha.graders.run(body as never);
    expect(right.reward).toBe(1);
    const validate = await client(server.baseUrl, token).fineTuning.alpha.graders.validate({ grader: STRING_CHECK } as never);
    expect(validate.grader).toEqual(STRING_CHECK);
  });

  it("Azure OpenAI clients work too: AzureOpenAI (/openai/...?api-version=, `api-key` header) and the v1 base URL /openai/v1", async () => {
    const body = { grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } };
    const azure = (apiKey: string) => new AzureOpenAI({ endpoint: server.url, apiKey, apiVersion: "2025-04-01-preview", maxRetries: 0 });
    expect((await azure(token).fineTuning.alpha.graders.run(body as never)).reward).toBe(1);
    expect((await azure(token).fineTuning.alpha.graders.validate({ grader: STRING_CHECK } as never)).grader).toEqual(STRING_CHECK);
    expect(await azure("tok-wrong-guess").fineTuning.alpha.graders.run(body as never).catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await client(`${server.url}/openai/v1`, token).fineTuning.alpha.graders.run(body as never)).reward).toBe(1);
    const apiKeyHeader = await postJson(server.url, "/openai/v1/fine_tuning/alpha/graders/run", body, { "api-key": token });
    expect(apiKeyHeader.status).toBe(200);
    expect((await postJson(server.url, "/openai/v1/fine_tuning/alpha/graders/run", body, { "api-key": "" })).status).toBe(401);
  });

  it("the token is checked before anything else (an unknown route is 401 too), but /health needs none", async () => {
    expect((await request(server.url, { method: "GET", path: "/v1/models" })).status).toBe(401);
    expect((await request(server.url, { method: "GET", path: "/health" })).status).toBe(200);
  });

  it("the token never appears in an answer or the log", async () => {
    const answers = [
      await postJson(server.url, `${RUN_PATH}?key=x`, { grader: { ...STRING_CHECK, operation: "bad" }, model_sample: "x" }, { authorization: `Bearer ${token}` }),
      await postJson(server.url, RUN_PATH, {}, { authorization: `Bearer ${token}x` }),
    ];
    for (const a of answers) expect(a.text).not.toContain(token);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(token);
    expect(lines.join("\n")).not.toContain("?key");
  });
});

/** An engine the test finishes by hand: each run waits until released. */
function manualEngine() {
  const pending: { request: RunRequest; done: ReturnType<typeof deferred<RunResponse>> }[] = [];
  const engine: ServerEngine = {
    run(request: RunRequest) {
      const done = deferred<RunResponse>();
      pending.push({ request, done });
      return done.promise;
    },
    validate: (request: ValidateRequest): Promise<ValidateResponse> => Promise.resolve({ grader: request.grader }),
  };
  const finish = (index: number, reward = 1) => pending[index]!.done.resolve({ reward, metadata: { name: String(index) } });
  return { engine, pending, finish };
}

const until = async (condition: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(5);
  }
};

describe("grade serve: bounded concurrency", () => {
  it("beyond --concurrency requests wait in a FIFO queue; beyond --max-queue: 429 with Retry-After", async () => {
    const { engine, pending, finish } = manualEngine();
    const server = await startServer({ port: 0, engine, concurrency: 2, maxQueue: 1 });
    try {
      const body = (n: number) => ({ grader: STRING_CHECK, model_sample: String(n) });
      const first = postJson(server.url, RUN_PATH, body(1));
      const second = postJson(server.url, RUN_PATH, body(2));
      await until(() => pending.length === 2);
      const third = postJson(server.url, RUN_PATH, body(3));
      await until(() => server.stats().queued === 1);
      expect(server.stats()).toMatchObject({ running: 2, queued: 1 });

      const refused = await postJson(server.url, RUN_PATH, body(4));
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.json.error).toMatchObject({ code: "rate_limit_exceeded", type: "requests" });
      expect(refused.json.error!.message).toContain("2 running and 1 waiting");

      finish(1);
      expect((await second).json).toMatchObject({ reward: 1, metadata: { name: "1" } });
      await until(() => pending.length === 3);
      expect(pending[2]!.request.model_sample).toBe("3");
      finish(0);
      finish(2);
      expect((await first).status).toBe(200);
      expect((await third).status).toBe(200);
      expect(server.stats()).toMatchObject({ running: 0, queued: 0 });
    } finally {
      await server.close();
    }
  });

  it("the openai client retries a 429 after Retry-After and gets its answer", async () => {
    const { engine, pending, finish } = manualEngine();
    const server = await startServer({ port: 0, engine, concurrency: 1, maxQueue: 0 });
    try {
      const first = client(server.baseUrl).fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "a" } as never);
      await until(() => pending.length === 1);
      const second = client(server.baseUrl, "unused", 2).fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "b" } as never);
      await sleep(200);
      finish(0, 0.25);
      expect((await first).reward).toBe(0.25);
      await until(() => pending.length === 2);
      finish(1, 0.75);
      expect((await second).reward).toBe(0.75);
    } finally {
      await server.close();
    }
  });

  it("--request-timeout: 504 in the error shape; the slot is held until the engine is done", async () => {
    const { engine, pending, finish } = manualEngine();
    const server = await startServer({ port: 0, engine, concurrency: 1, maxQueue: 5, requestTimeoutMs: 300 });
    try {
      const slow = await postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "a" });
      expect(slow.status).toBe(504);
      expect(slow.json.error).toMatchObject({ type: "server_error", code: "timeout" });
      expect(slow.json.error!.message).toContain("within 0.3 s");
      expect(server.stats().running).toBe(1);
      const queued = await postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "b" });
      expect(queued.status).toBe(504);
      expect(pending).toHaveLength(1);
      expect(server.stats()).toMatchObject({ running: 1, queued: 0 });
      finish(0);
      await until(() => server.stats().running === 0);
    } finally {
      await server.close();
    }
  });

  it("an engine that throws: 500 in the error shape, one log line, never a stack trace", async () => {
    const lines: string[] = [];
    const engine: ServerEngine = {
      run: () => Promise.reject(new TypeError("boom inside")),
      validate: () => Promise.reject(new Error("kaput")),
    };
    const server = await startServer({ port: 0, engine, log: (line) => lines.push(line) });
    try {
      const raw = await postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "a" });
      expect(raw.status).toBe(500);
      expect(raw.json.error).toMatchObject({ type: "server_error", message: "The local engine failed: boom inside" });
      expect(hasStackTrace(raw.text)).toBe(false);
      expect(raw.text).not.toMatch(/\bat \w+ \(|\.ts:\d+/);
      expect(lines.some((l) => l === "error: req_1: The local engine failed: boom inside")).toBe(true);
      expect(hasStackTrace(lines.join("\n"))).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe.skipIf(!hasPython)("grade serve: python graders", () => {
  it("a hanging python grader is stopped by the python timeout and does not block other requests", async () => {
    const server = await startServer({ port: 0, engineOptions: { timeoutMs: 5000 } });
    try {
      const hang = pythonGrader("import time\ndef grade(sample, item):\n    time.sleep(60)\n    return 1\n", "hangs");
      let settled = false;
      const hanging = client(server.baseUrl).fineTuning.alpha.graders.run({ grader: hang, model_sample: "x" } as never);
      void hanging.finally(() => (settled = true)).catch(() => {});
      await sleep(300);
      const quick = await client(server.baseUrl).fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "x", item: { answer: "x" } } as never);
      expect(quick.reward).toBe(1);
      expect(settled).toBe(false);
      const other = await client(server.baseUrl).fineTuning.alpha.graders.run({ grader: pythonGrader("def grade(s, i):\n    return 0.5\n", "other"), model_sample: "x" } as never);
      expect(other.reward).toBe(0.5);
      expect(settled).toBe(false);
      expect((await request(server.url, { method: "GET", path: "/health" })).json).toMatchObject({ running: 1 });

      const answer = await hanging;
      expect(answer.reward).toBe(0);
      expect(answer.metadata.errors.python_grader_runtime_error).toBe(true);
      expect(answer.metadata.errors.python_grader_runtime_error_details).toMatch(/longer than 5 s/);
    } finally {
      await server.close();
    }
  });

  it("allowPython false (--disable-python): python graders, also inside a multi, get 400", async () => {
    const server = await startServer({ port: 0, allowPython: false });
    try {
      const py = pythonGrader("def grade(s, i):\n    return 1\n");
      const top = await postJson(server.url, RUN_PATH, { grader: py, model_sample: "x" });
      expect(top.status).toBe(400);
      expect(top.json.error).toMatchObject({ param: "grader.type" });
      expect(top.json.error!.message).toContain("python graders are disabled on this server");
      const inMulti = await postJson(server.url, VALIDATE_PATH, { grader: { type: "multi", name: "m", graders: { a: STRING_CHECK, p: py }, calculate_output: "a + p" } });
      expect(inMulti.status).toBe(400);
      expect(inMulti.json.error!.param).toBe("grader.graders.p.type");
      expect((await postJson(server.url, VALIDATE_PATH, { grader: STRING_CHECK })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe("grade serve: shutdown", () => {
  it("close() stops accepting, lets a request in flight finish, then closes", async () => {
    const { engine, pending, finish } = manualEngine();
    const server = await startServer({ port: 0, engine });
    const inFlight = postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "a" });
    await until(() => pending.length === 1);
    const closed = server.close(5000);
    await sleep(50);
    await expect(request(server.url, { method: "GET", path: "/health" })).rejects.toThrow(/ECONNREFUSED/);
    finish(0, 0.5);
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.json["reward"]).toBe(0.5);
    expect(answer.headers["connection"]).toBe("close");
    expect(await closed).toEqual({ cut: 0 });
  });

  it("a request still running after the grace period is cut off and counted", async () => {
    const { engine, pending } = manualEngine();
    const server = await startServer({ port: 0, engine });
    const inFlight = postJson(server.url, RUN_PATH, { grader: STRING_CHECK, model_sample: "a" }).catch((e: Error) => e);
    await until(() => pending.length === 1);
    const started = performance.now();
    expect(await server.close(200)).toEqual({ cut: 1 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it("close() with nothing in flight is immediate; the local engine's python workers are closed", async () => {
    const server = await startServer({ port: 0 });
    const started = performance.now();
    expect(await server.close()).toEqual({ cut: 0 });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a port in use: startServer rejects with EADDRINUSE", async () => {
    const server = await startServer({ port: 0 });
    try {
      await expect(startServer({ port: server.port })).rejects.toMatchObject({ code: "EADDRINUSE" });
    } finally {
      await server.close();
    }
  });
});
