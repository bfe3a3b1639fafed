import { afterAll, beforeAll, afterEach, describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/emit/emit.js";
import { LocalEngine } from "../../src/engine/local.js";
import type { ModelServerOptions } from "../../src/engine/models.js";
import { sampleFromText } from "../../src/engine/sample.js";
import { chatReply, closedPort, errorReply, FakeModelServer, letterVector, responsesReply } from "../helpers/model-server.js";

/*
 * score_model, label_model and cosine on the local engine, against a scripted OpenAI-compatible
 * server on 127.0.0.1: what the engine sends (path, model after mapping, schema, messages,
 * sampling parameters, Authorization), the reward it computes, the usage fields, and every
 * error flag with its details. No other address is used.
 */

/** Recognisable, and never allowed in any answer. */
const KEY = "sk-model-FAKEKEY-0123456789abcdef";

let server: FakeModelServer;
const engines: LocalEngine[] = [];
beforeAll(async () => {
  server = await FakeModelServer.start();
});
afterEach(() => server.reset());
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await server.close();
});

function engine(options: Partial<ModelServerOptions> = {}): LocalEngine {
  const e = new LocalEngine({ models: { baseURL: server.baseUrl, apiKey: KEY, maxRetries: 0, ...options } });
  engines.push(e);
  return e;
}

type Response = Awaited<ReturnType<LocalEngine["grade"]>>;
const errorsOf = (response: Response) => response.metadata!.errors as Record<string, unknown>;
const setFlags = (response: Response) =>
  Object.entries(errorsOf(response))
    .filter(([, v]) => v === true)
    .map(([k]) => k);
const grade = (e: LocalEngine, grader: JsonObject, sample = "Paris", item: JsonObject | undefined = { ref: "Paris" }) =>
  e.grade({ grader, sample: sampleFromText(sample), item });

const SCORE = {
  type: "score_model",
  name: "closeness",
  model: "gpt-4o-2024-08-06",
  input: [
    { role: "system", content: "You compare answers." },
    { role: "user", content: [{ type: "input_text", text: "Reference: {{item.ref}}\nAnswer: {{sample.output_text}}" }] },
  ],
  range: [0, 5],
  sampling_params: { temperature: 0.2, top_p: 0.9, seed: 7, max_completions_tokens: 300, reasoning_effort: null },
} satisfies JsonObject;

const LABEL = {
  type: "label_model",
  name: "tone",
  model: "gpt-4o-mini-2024-07-18",
  input: [{ role: "user", content: "Classify the tone: {{sample.output_text}}" }],
  labels: ["positive", "neutral", "negative"],
  passing_labels: ["positive", "neutral"],
} satisfies JsonObject;

const USAGE = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, cached_tokens: 0 };

describe("score_model through Chat Completions", () => {
  it("sends the rendered messages after the engine's system text, the strict schema and the mapped sampling parameters", async () => {
    server.reply(chatReply({ steps: [{ description: "same city", conclusion: "equal" }], result: 4.5 }, { model: "qwen2.5:7b" }));
    const response = await grade(engine({ modelMap: { "gpt-4o-2024-08-06": "qwen2.5:7b" } }), SCORE);
    expect(response.reward).toBe(4.5);
    expect(setFlags(response)).toEqual([]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v1/chat/completions");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.headers["content-type"]).toContain("application/json");
    expect(request!.body).toEqual({
      model: "qwen2.5:7b",
      messages: [
        {
          role: "system",
          content:
            'You are a grader. Follow the instructions in the messages below and grade as they ask. Answer with a JSON object: "steps", your reasoning as a list of {"description", "conclusion"} objects, then "result", the score: a number from 0 to 5.',
        },
        { role: "system", content: "You compare answers." },
        { role: "user", content: [{ type: "text", text: "Reference: Paris\nAnswer: Paris" }] },
      ],
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "score_model_result",
          strict: true,
          schema: {
            type: "object",
            properties: {
              steps: {
                type: "array",
                items: {
                  type: "object",
                  properties: { description: { type: "string" }, conclusion: { type: "string" } },
                  required: ["description", "conclusion"],
                  additionalProperties: false,
                },
              },
              result: { type: "number" },
            },
            required: ["steps", "result"],
            additionalProperties: false,
          },
        },
      },
      max_completion_tokens: 300,
      seed: 7,
      temperature: 0.2,
      top_p: 0.9,
    });
  });

  it("the usage fields: token_usage, the usage per model that answered, sampled_model_name", async () => {
    server.reply(chatReply({ steps: [], result: 3 }, { model: "qwen2.5:7b", usage: { prompt: 190, completion: 134, cached: 64 } }));
    const response = await grade(engine(), SCORE);
    const usage = { prompt_tokens: 190, completion_tokens: 134, total_tokens: 324, cached_tokens: 64 };
    expect(response.metadata!.token_usage).toEqual(usage);
    expect(Object.keys(response.metadata!.token_usage as object)).toEqual(["prompt_tokens", "completion_tokens", "total_tokens", "cached_tokens"]);
    expect(response.metadata!.sampled_model_name).toBe("qwen2.5:7b");
    expect(response.model_grader_token_usage_per_model).toEqual({ "qwen2.5:7b": usage });
  });

  it("a score outside range is clamped to it; the default range is 0..1", async () => {
    server.reply(chatReply({ steps: [], result: 9 }), chatReply({ steps: [], result: -2 }), chatReply({ steps: [], result: 1.7 }));
    expect((await grade(engine(), SCORE)).reward).toBe(5);
    expect((await grade(engine(), SCORE)).reward).toBe(0);
    const { range: _range, ...defaultRange } = SCORE;
    expect((await grade(engine(), defaultRange)).reward).toBe(1);
    expect(server.requests[2]!.body.messages[0].content).toContain("a number from 0 to 1.");
  });

  it("without a key: no Authorization header (a local server needs none)", async () => {
    server.reply(chatReply({ steps: [], result: 1 }));
    const response = await grade(engine({ apiKey: undefined }), SCORE);
    expect(response.reward).toBe(1);
    expect(server.requests[0]!.headers["authorization"]).toBeUndefined();
  });

  it("'*' maps every grader model; an exact mapping wins", async () => {
    const e = engine({ modelMap: { "*": "llama3", "gpt-4o-mini-2024-07-18": "phi4" } });
    await grade(e, SCORE);
    await grade(e, LABEL);
    expect(server.requests.map((r) => r.body.model)).toEqual(["llama3", "phi4"]);
  });

  it("null and absent sampling parameters are left out", async () => {
    await grade(engine(), { ...SCORE, sampling_params: { temperature: null, seed: null } });
    await grade(engine(), { ...SCORE, sampling_params: { reasoning_effort: "low" } });
    const { sampling_params: _s, ...none } = SCORE;
    await grade(engine(), none);
    const keys = server.requests.map((r) => Object.keys(r.body).sort());
    expect(keys[0]).toEqual(["messages", "model", "response_format"]);
    expect(keys[1]).toEqual(["messages", "model", "reasoning_effort", "response_format"]);
    expect(server.requests[1]!.body.reasoning_effort).toBe("low");
    expect(keys[2]).toEqual(["messages", "model", "response_format"]);
  });

  it("images as image_url parts, audio as input_audio parts, output_text as text; templates substituted in URLs and audio data", async () => {
    const grader: JsonObject = {
      ...SCORE,
      input: [
        { role: "developer", content: { type: "input_text", text: "Judge {{item.kind}}." } },
        { role: "assistant", content: [{ type: "output_text", text: "Earlier: {{sample.output_text}}" }] },
        {
          role: "user",
          content: [
            "Caption: {{sample.output_text}}",
            { type: "input_image", image_url: "https://img.example/{{item.image}}.png", detail: "low" },
            { type: "input_image", image_url: "data:image/png;base64,{{item.png}}" },
            { type: "input_audio", input_audio: { data: "{{item.audio}}", format: "wav" } },
          ],
        },
      ],
    };
    await grade(engine(), grader, "a cat", { kind: "captions", image: "cat-1", png: "iVBORw0", audio: "UklGRg==" });
    expect(server.requests[0]!.body.messages.slice(1)).toEqual([
      { role: "developer", content: "Judge captions." },
      { role: "assistant", content: [{ type: "text", text: "Earlier: a cat" }] },
      {
        role: "user",
        content: [
          { type: "text", text: "Caption: a cat" },
          { type: "image_url", image_url: { url: "https://img.example/cat-1.png", detail: "low" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0" } },
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
        ],
      },
    ]);
  });

  it("a missing variable is invalid_variable_error and nothing is sent", async () => {
    const response = await grade(engine(), SCORE, "x", {});
    expect(setFlags(response)).toEqual(["invalid_variable_error"]);
    expect(server.requests).toHaveLength(0);
    expect(response.metadata!.token_usage).toBeNull();
  });

  it("a stub (`given`) replaces the call: nothing is sent", async () => {
    const response = await engine().grade({ grader: SCORE, sample: sampleFromText("x"), item: { ref: "y" }, given: 2 });
    expect(response.reward).toBe(2);
    expect(server.requests).toHaveLength(0);
    expect(response.metadata!.token_usage).toBeNull();
    expect(response.metadata!.sampled_model_name).toBeNull();
    expect(response.model_grader_token_usage_per_model).toEqual({});
  });
});

describe("label_model", () => {
  it("the answer is constrained to the labels (enum); 1 when it passes, 0 when not", async () => {
    server.reply(chatReply({ steps: [], result: "neutral" }), chatReply({ steps: [], result: "negative" }));
    const pass = await grade(engine(), LABEL, "It is fine.");
    expect(pass.reward).toBe(1);
    expect(setFlags(pass)).toEqual([]);
    const fail = await grade(engine(), LABEL, "Awful.");
    expect(fail.reward).toBe(0);
    expect(setFlags(fail)).toEqual([]);
    const body = server.requests[0]!.body;
    expect(body.response_format.json_schema.name).toBe("label_model_result");
    expect(body.response_format.json_schema.schema.properties.result).toEqual({ type: "string", enum: ["positive", "neutral", "negative"] });
    expect(body.messages[0].content).toContain('exactly one of these labels: "positive", "neutral", "negative".');
    expect(body.messages[1]).toEqual({ role: "user", content: "Classify the tone: It is fine." });
  });

  it("an answer outside the labels is model_grader_parse_error", async () => {
    server.reply(chatReply({ steps: [], result: "sarcastic" }));
    const response = await grade(engine(), LABEL);
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["model_grader_parse_error"]);
    expect(errorsOf(response)["model_grader_parse_error_details"]).toBe(
      'the model\'s answer "sarcastic" is not one of the labels ["positive","neutral","negative"]',
    );
    // The call was answered: its usage counts.
    expect(response.metadata!.token_usage).toEqual(USAGE);
  });
});

describe("answers that are not a score", () => {
  const details = (response: Response) => errorsOf(response)["model_grader_parse_error_details"];

  it("not JSON, no `result`, a non-numeric result: model_grader_parse_error, reward 0", async () => {
    server.reply(chatReply("I would say 0.8"), chatReply({ score: 0.8 }), chatReply({ steps: [], result: "high" }));
    const text = await grade(engine(), SCORE);
    expect(text.reward).toBe(0);
    expect(setFlags(text)).toEqual(["model_grader_parse_error"]);
    expect(details(text)).toBe('the model\'s answer is not JSON: "I would say 0.8"');
    expect(details(await grade(engine(), SCORE))).toBe('the model\'s answer has no `result`: "{\\"score\\":0.8}"');
    expect(details(await grade(engine(), SCORE))).toBe('the model\'s `result` "high" is not a number');
  });

  it("an answer cut at the token limit says so", async () => {
    server.reply(chatReply('{"steps": [{"descr', { finishReason: "length" }));
    const response = await grade(engine(), SCORE);
    expect(setFlags(response)).toEqual(["model_grader_parse_error"]);
    expect(details(response)).toContain("cut at the token limit");
  });

  it("lenient about a <think> block and a code fence around the JSON (local models)", async () => {
    server.reply(chatReply('<think>hmm</think>\n```json\n{"steps": [], "result": 0.75}\n```'));
    expect((await grade(engine(), SCORE)).reward).toBe(0.75);
  });

  it("a refusal (message.refusal) is model_grader_refusal_error with the model's words", async () => {
    server.reply(chatReply(null, { refusal: "I can't help with that." }));
    const response = await grade(engine(), SCORE);
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["model_grader_refusal_error"]);
    expect(errorsOf(response)["model_grader_refusal_error_details"]).toBe('the model refused: "I can\'t help with that."');
  });
});

describe("HTTP failures", () => {
  it("429 then 200: retried after what Retry-After asks, then graded", async () => {
    server.reply(errorReply(429, "Rate limit reached", { "retry-after": "1" }), chatReply({ steps: [], result: 0.5 }));
    const response = await grade(engine({ maxRetries: 2 }), SCORE);
    expect(setFlags(response)).toEqual([]);
    expect(response.reward).toBe(0.5);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it("constant 500s: model_grader_server_error after the retries, with the status and the server's message, never the key", async () => {
    server.always(errorReply(500, `The server had an error (key ${KEY})`, { "retry-after-ms": "10" }));
    const response = await grade(engine({ maxRetries: 2 }), SCORE);
    expect(response.reward).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    const details = errorsOf(response)["model_grader_server_error_details"] as string;
    expect(details).toBe(
      `\`gpt-4o-2024-08-06\`: HTTP 500 from ${server.baseUrl}/chat/completions after 3 attempts: The server had an error (key [redacted])`,
    );
    expect(JSON.stringify(response)).not.toContain("FAKEKEY");
    expect(response.metadata!.token_usage).toBeNull();
  });

  it("401 with the key quoted back: redacted, and the details name GRADE_MODEL_API_KEY", async () => {
    server.reply(errorReply(401, `Incorrect API key provided: ${KEY}.`));
    const response = await grade(engine(), SCORE);
    const details = errorsOf(response)["model_grader_server_error_details"] as string;
    expect(details).toContain("HTTP 401");
    expect(details).toContain("GRADE_MODEL_API_KEY");
    expect(JSON.stringify(response)).not.toContain("FAKEKEY");
  });

  it("404 (an unknown model): the server's message and how to map the model", async () => {
    server.reply(errorReply(404, "model 'gpt-4o-2024-08-06' not found"));
    const details = errorsOf(await grade(engine(), SCORE))["model_grader_server_error_details"] as string;
    expect(details).toContain("model 'gpt-4o-2024-08-06' not found");
    expect(details).toContain("--model <grader model>=<served model>");
  });

  it("no server listening: model_grader_server_error, connection refused at the URL, never a crash", async () => {
    const port = await closedPort();
    const e = new LocalEngine({ models: { baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 1 } });
    engines.push(e);
    const response = await grade(e, SCORE);
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    expect(errorsOf(response)["model_grader_server_error_details"]).toBe(
      `\`gpt-4o-2024-08-06\`: cannot reach the model server at http://127.0.0.1:${port}/v1: connection refused (2 attempts); ` +
        "check --model-base-url or GRADE_MODEL_BASE_URL, and that the server is running",
    );
  });

  it("a server that does not answer: the timeout bounds the call", async () => {
    server.always("hang");
    const started = performance.now();
    const response = await grade(engine({ timeoutMs: 300 }), SCORE);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(errorsOf(response)["model_grader_server_error_details"]).toContain("within 0.3 s (--model-timeout)");
  });

  it("an answer without choices is a server error, not a crash", async () => {
    server.reply({ status: 200, body: { object: "chat.completion", choices: [] } });
    expect(errorsOf(await grade(engine(), SCORE))["model_grader_server_error_details"]).toContain("has no `choices[0].message`");
  });
});

describe("the Responses API (--model-api responses)", () => {
  it("POST /v1/responses: instructions, input with input_text/output_text/input_image/input_audio, text.format, mapped sampling (no seed), store false", async () => {
    server.reply(responsesReply({ steps: [], result: 4 }, { model: "gpt-4o-2024-08-06", usage: { prompt: 50, completion: 10, cached: 5 } }));
    const grader: JsonObject = {
      ...SCORE,
      sampling_params: { temperature: 0.2, top_p: 0.9, seed: 7, max_completions_tokens: 300, reasoning_effort: "medium" },
      input: [
        { role: "assistant", content: [{ type: "output_text", text: "Earlier: {{sample.output_text}}" }] },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Ref {{item.ref}}" },
            { type: "input_image", image_url: "https://img.example/a.png" },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "mp3" } },
          ],
        },
      ],
    };
    const response = await grade(engine({ api: "responses" }), grader);
    expect(response.reward).toBe(4);
    expect(response.metadata!.token_usage).toEqual({ prompt_tokens: 50, completion_tokens: 10, total_tokens: 60, cached_tokens: 5 });
    const request = server.requests[0]!;
    expect(request.path).toBe("/v1/responses");
    expect(request.body).toEqual({
      model: "gpt-4o-2024-08-06",
      instructions: expect.stringContaining("a number from 0 to 5."),
      input: [
        { role: "assistant", content: [{ type: "output_text", text: "Earlier: Paris" }] },
        {
          role: "user",
          content: [
            { type: "input_text", text: "Ref Paris" },
            { type: "input_image", image_url: "https://img.example/a.png", detail: "auto" },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "mp3" } },
          ],
        },
      ],
      text: { format: { type: "json_schema", name: "score_model_result", strict: true, schema: expect.objectContaining({ required: ["steps", "result"] }) } },
      store: false,
      max_output_tokens: 300,
      reasoning: { effort: "medium" },
      temperature: 0.2,
      top_p: 0.9,
    });
  });

  it("a refusal content part is model_grader_refusal_error; an incomplete answer says it was cut", async () => {
    server.reply(responsesReply(null, { refusal: "No." }), responsesReply('{"steps": [', { incomplete: true }));
    const e = engine({ api: "responses" });
    expect(setFlags(await grade(e, SCORE))).toEqual(["model_grader_refusal_error"]);
    const cut = await grade(e, SCORE);
    expect(setFlags(cut)).toEqual(["model_grader_parse_error"]);
    expect(errorsOf(cut)["model_grader_parse_error_details"]).toContain("cut at the token limit");
  });
});

describe("multi", () => {
  const exact = { type: "string_check", name: "exact", input: "{{sample.output_text}}", reference: "{{item.ref}}", operation: "eq" };

  it("a model grader and a string_check: sub_rewards, the formula, the usage summed per model, the first model grader's model", async () => {
    server.always((request) =>
      request.body.response_format.json_schema.schema.properties.result.enum
        ? chatReply({ steps: [], result: "positive" }, { model: request.body.model })
        : chatReply({ steps: [], result: 0.2 }, { model: request.body.model }),
    );
    const second = { ...SCORE, range: [0, 1], input: [{ role: "user", content: "second {{sample.output_text}}" }] };
    const grader = {
      type: "multi",
      name: "m",
      graders: { score: { ...SCORE, range: [0, 1] }, exact, again: second, other: { ...LABEL, model: "phi4" } },
      calculate_output: "score + exact + again + other",
    };
    server.reply(chatReply({ steps: [], result: 0.6 }, { model: "gpt-4o-2024-08-06", usage: { prompt: 10, completion: 2, cached: 1 } }));
    const response = await grade(engine(), grader);
    expect(setFlags(response)).toEqual([]);
    expect(response.sub_rewards).toEqual({ score: 0.6, exact: 1, again: 0.2, other: 1 });
    expect(response.reward).toBeCloseTo(2.8, 12);
    expect(server.requests).toHaveLength(3);
    expect(response.model_grader_token_usage_per_model).toEqual({
      "gpt-4o-2024-08-06": { prompt_tokens: 110, completion_tokens: 22, total_tokens: 132, cached_tokens: 1 },
      phi4: USAGE,
    });
    expect(response.metadata!.token_usage).toEqual({ prompt_tokens: 210, completion_tokens: 42, total_tokens: 252, cached_tokens: 1 });
    expect(response.metadata!.sampled_model_name).toBe("gpt-4o-2024-08-06");
  });

  it("a failing model sub-grader counts 0; its flag is set on the multi with the key", async () => {
    server.always(errorReply(400, "bad request"));
    const response = await grade(engine(), { type: "multi", name: "m", graders: { s: SCORE, exact }, calculate_output: "s + exact" });
    expect(response.sub_rewards).toEqual({ s: 0, exact: 1 });
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    expect(errorsOf(response)["model_grader_server_error_details"]).toMatch(/^graders\.s: `gpt-4o-2024-08-06`: HTTP 400 from .* after 1 attempt: bad request$/);
  });
});

describe("cosine (text_similarity)", () => {
  const cosine = { type: "text_similarity", name: "c", input: "{{sample.output_text}}", reference: "{{item.ref}}", evaluation_metric: "cosine", pass_threshold: 0.5 };

  it("one embeddings call with both texts (text-embedding-3-large, floats); the cosine of the vectors; usage counted", async () => {
    const response = await grade(engine(), cosine, "the cat sat", { ref: "the hat sat" });
    const [a, b] = [letterVector("the cat sat"), letterVector("the hat sat")];
    const dot = a.reduce((s, x, i) => s + x * b[i]!, 0);
    const expected = dot / Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
    expect(response.reward).toBeCloseTo(expected, 12);
    expect(setFlags(response)).toEqual([]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe("/v1/embeddings");
    expect(server.requests[0]!.body).toEqual({ model: "text-embedding-3-large", input: ["the cat sat", "the hat sat"], encoding_format: "float" });
    expect(response.model_grader_token_usage_per_model).toEqual({ "text-embedding-3-large": { prompt_tokens: 8, completion_tokens: 0, total_tokens: 8, cached_tokens: 0 } });
    // Embeddings are not sampled.
    expect(response.metadata!.sampled_model_name).toBeNull();
  });

  it("the embedding model is mapped by its exact name only ('*' is for grader models)", async () => {
    await grade(engine({ modelMap: { "*": "llama3" } }), cosine);
    await grade(engine({ modelMap: { "text-embedding-3-large": "nomic-embed-text" } }), cosine);
    expect(server.requests.map((r) => r.body.model)).toEqual(["text-embedding-3-large", "nomic-embed-text"]);
  });

  it("opposite vectors clamp to 0; identical texts give 1; empty texts are decided without a call", async () => {
    server.reply({ status: 200, body: { data: [{ index: 0, embedding: [1, 0] }, { index: 1, embedding: [-1, 0] }], model: "e" } });
    expect((await grade(engine(), cosine, "a", { ref: "b" })).reward).toBe(0);
    expect((await grade(engine(), cosine, "same text", { ref: "same text" })).reward).toBeCloseTo(1, 12);
    expect((await grade(engine(), cosine, "", { ref: "" })).reward).toBe(1);
    expect((await grade(engine(), cosine, "", { ref: "x" })).reward).toBe(0);
    expect(server.requests).toHaveLength(2);
  });

  it("embeddings of different sizes: model_grader_server_error", async () => {
    server.reply({ status: 200, body: { data: [{ index: 0, embedding: [1, 0] }, { index: 1, embedding: [1] }] } });
    const response = await grade(engine(), cosine, "a", { ref: "b" });
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    expect(errorsOf(response)["model_grader_server_error_details"]).toContain("different or no dimensions");
  });

  it("without a model server: other_error saying how to configure one", async () => {
    const response = await grade(new LocalEngine(), cosine, "a", { ref: "b" });
    expect(setFlags(response)).toEqual(["other_error"]);
    expect(errorsOf(response)["other_error_details"]).toContain("--model-base-url");
  });
});

describe("no model server configured", () => {
  it("model graders are not called: model_grader_server_error says how to configure one", async () => {
    const response = await grade(new LocalEngine(), SCORE);
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    const details = errorsOf(response)["model_grader_server_error_details"] as string;
    expect(details).toContain("no model server is configured");
    expect(details).toContain("--model-base-url");
    expect(details).toContain("GRADE_MODEL_BASE_URL");
    expect(response.metadata!.token_usage).toBeNull();
  });
});
