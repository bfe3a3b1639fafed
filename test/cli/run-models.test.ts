import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { gradeAsync } from "../api/cli.js";
import { hasStackTrace, type Run } from "../helpers/cli.js";
import { chatReply, closedPort, errorReply, FakeModelServer } from "../helpers/model-server.js";

/*
 * `grade run` and `grade test` with model graders on the local engine, against a scripted
 * OpenAI-compatible server on 127.0.0.1 (the real CLI on dist/: `npm run build` first). What the
 * CLI sends, the clamped score, the usage, the error flags, and the key never printed.
 */

/** Recognisable, and never allowed in any output. */
const KEY = "sk-grade-FAKEKEY-0123456789abcdef";
const SCORE = "examples/seeds/score-text-alignment.grade";

let server: FakeModelServer;
beforeAll(async () => {
  server = await FakeModelServer.start();
});
afterEach(() => server.reset());
afterAll(() => server.close());

/** The model variables are never inherited from the developer's shell. */
const env = (extra: Record<string, string | undefined> = {}) => ({ GRADE_MODEL_BASE_URL: undefined, GRADE_MODEL_API_KEY: undefined, ...extra });

function expectClean(run: Run): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(KEY);
  expect(all).not.toContain("FAKEKEY");
  expect(hasStackTrace(all)).toBe(false);
}

const runScore = (args: string[], extra: Record<string, string | undefined> = {}) =>
  gradeAsync(["run", SCORE, "--sample", "Paris", "--item", '{"reference_answer": "Paris"}', ...args], { env: env(extra) });

describe("grade run with a model server", () => {
  it("score-text-alignment: the mapped model is asked, the score clamped to 0..1, the usage in the answer", async () => {
    server.reply(chatReply({ steps: [{ description: "same", conclusion: "equal" }], result: 1.5 }, { model: "qwen2.5:7b", usage: { prompt: 190, completion: 134, cached: 0 } }));
    const run = await runScore(["--model-base-url", server.baseUrl, "--model", "gpt-5-mini=qwen2.5:7b", "--json"], { GRADE_MODEL_API_KEY: KEY });
    expectClean(run);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout);
    expect(answer.reward).toBe(1);
    expect(answer.metadata.token_usage).toEqual({ prompt_tokens: 190, completion_tokens: 134, total_tokens: 324, cached_tokens: 0 });
    expect(answer.metadata.sampled_model_name).toBe("qwen2.5:7b");
    expect(answer.model_grader_token_usage_per_model).toEqual({ "qwen2.5:7b": answer.metadata.token_usage });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.path).toBe("/v1/chat/completions");
    expect(request.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request.body.model).toBe("qwen2.5:7b");
    expect(request.body).toMatchObject({ temperature: 1, top_p: 1, seed: 42 });
    expect(request.body.response_format.json_schema.name).toBe("score_model_result");
    const user = request.body.messages[1];
    expect(user.role).toBe("user");
    expect(user.content[0].text).toContain("Reference answer: Paris\n\nModel answer: Paris");
  });

  it("the summary shows the reward, the token usage per model and the sampled model", async () => {
    server.reply(chatReply({ steps: [], result: 0.8 }, { model: "qwen2.5:7b" }));
    const run = await runScore([], { GRADE_MODEL_BASE_URL: server.baseUrl });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("reward 0.8");
    expect(run.stdout).toContain("qwen2.5:7b");
    expect(run.stdout).toContain("100 prompt, 20 completion, 120 total, 0 cached");
    // No key configured: no Authorization header.
    expect(server.requests[0]!.headers["authorization"]).toBeUndefined();
  });

  it("a refusal sets model_grader_refusal_error: exit 1, the model's words", async () => {
    server.reply(chatReply(null, { refusal: "I cannot grade this." }));
    const run = await runScore(["--model-base-url", server.baseUrl]);
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✖ model_grader_refusal_error");
    expect(run.stdout).toContain("I cannot grade this.");
  });

  it("the Responses API with --model-api responses", async () => {
    const run = await runScore(["--model-base-url", server.baseUrl, "--model-api", "responses", "--json"]);
    expectClean(run);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).reward).toBe(0.5);
    expect(server.requests[0]!.path).toBe("/v1/responses");
  });

  it("500s with the key echoed (given with --model-api-key): model_grader_server_error, exit 1, the key redacted everywhere", async () => {
    server.always(errorReply(500, `upstream failed for ${KEY}`, { "retry-after-ms": "5" }));
    const run = await runScore(["--model-base-url", server.baseUrl, "--model-api-key", KEY, "--model-max-retries", "1", "--json"]);
    expectClean(run);
    expect(run.code).toBe(1);
    const errors = JSON.parse(run.stdout).metadata.errors;
    expect(errors.model_grader_server_error).toBe(true);
    expect(errors.model_grader_server_error_details).toContain("HTTP 500");
    expect(errors.model_grader_server_error_details).toContain("after 2 attempts");
    expect(errors.model_grader_server_error_details).toContain("[redacted]");
    expect(server.requests).toHaveLength(2);
  });

  it("no server listening: model_grader_server_error naming the URL, exit 1, no crash", async () => {
    const port = await closedPort();
    const run = await runScore(["--model-max-retries", "0"], { GRADE_MODEL_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✖ model_grader_server_error");
    expect(run.stdout).toContain(`cannot reach the model server at http://127.0.0.1:${port}/v1: connection refused`);
  });

  it("no model server configured: nothing is called (OPENAI_API_KEY alone does not turn calls on)", async () => {
    const run = await runScore(["--json"], { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: server.baseUrl });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(server.requests).toHaveLength(0);
    expect(JSON.parse(run.stdout).metadata.errors.model_grader_server_error_details).toContain("no model server is configured");
  });

  it("model flags with --remote, or without a model server, are usage errors (exit 2)", async () => {
    const remote = await runScore(["--remote", "--model-base-url", server.baseUrl], { OPENAI_API_KEY: KEY });
    expectClean(remote);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain("--model-base-url is for the local engine");
    const alone = await runScore(["--model", "gpt-5-mini=llama3"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain("--model configures the model server");
    expect(server.requests).toHaveLength(0);
  });
});

describe("grade test with a model server", () => {
  it("`given` keeps priority: the test passes and nothing is sent", async () => {
    const run = await gradeAsync(["test", SCORE, "--model-base-url", server.baseUrl], { env: env() });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("1 passed, 0 failed");
    expect(server.requests).toHaveLength(0);
  });
});
