import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../src/compile.js";
import { gradeAsync } from "../api/cli.js";
import { closedPort, FakeApi } from "../api/fake-api.js";
import { apiError, FLAGGED_RUN_RESPONSE, MULTI_RUN_RESPONSE, RUN_RESPONSE } from "../api/fixtures.js";
import { hasStackTrace, root, type Run } from "../helpers/cli.js";

/*
 * `grade run` and `grade validate` against a real HTTP server on 127.0.0.1: what the CLI sends
 * (method, path, headers, body) and what it prints for each answer. No other address is used.
 */

/** Recognisable, and never allowed in any output. */
const KEY = "sk-test-FAKEKEY-0123456789abcdefXYZ";
const AZURE_KEY = "azure-FAKEKEY-9876543210fedcba";

const SCORE = "examples/seeds/score-text-alignment.grade";
const MULTI = "examples/reference/guide-name-email-multi.grade";
const compiled = (file: string) => compile(fs.readFileSync(path.join(root, file), "utf8"), { target: "rft" }).grader;

let api: FakeApi;
let dir: string;

beforeAll(async () => {
  api = await FakeApi.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-run-"));
});
afterAll(() => api.close());
afterEach(() => api.reset());

const env = (extra: Record<string, string | undefined> = {}) => ({
  OPENAI_API_KEY: KEY,
  OPENAI_BASE_URL: api.baseUrl,
  ...extra,
});

/** No key and no stack trace in anything the CLI printed. */
function expectClean(run: Run): void {
  const all = run.stdout + run.stderr;
  expect(all).not.toContain(KEY);
  expect(all).not.toContain(AZURE_KEY);
  expect(all).not.toContain("FAKEKEY");
  expect(hasStackTrace(all)).toBe(false);
  expect(all).not.toContain("internal error");
}

const runScore = (args: string[] = [], extraEnv: Record<string, string | undefined> = {}) =>
  gradeAsync(
    [
      "run",
      SCORE,
      "--sample",
      "fuzzy wuzzy was a bear",
      "--item",
      '{"reference_answer": "fuzzy wuzzy was a bear"}',
      "--remote",
      ...args,
    ],
    {
      env: env(extraEnv),
    },
  );

describe("grade run --remote", () => {
  it("sends POST /v1/fine_tuning/alpha/graders/run with the key, JSON and the exact body; prints the reward", async () => {
    const run = await runScore();
    expectClean(run);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/v1/fine_tuning/alpha/graders/run");
    expect(request!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toEqual({
      grader: compiled(SCORE),
      model_sample: "fuzzy wuzzy was a bear",
      item: { reference_answer: "fuzzy wuzzy was a bear" },
    });
    // The compiled grader is the documented one.
    expect((request!.body as { grader: unknown }).grader).toEqual(
      JSON.parse(fs.readFileSync(path.join(root, "examples/seeds/score-text-alignment.json"), "utf8")),
    );
    expect(run.stdout).toBe(
      [
        'reward 1  ("Example score model grader" score_model)',
        "errors none",
        "token usage",
        "  gpt-4o-2024-08-06  190 prompt, 324 total, 134 completion, 0 cached",
        "execution time 4.37 s",
        "sampled model gpt-4o-2024-08-06",
        "",
      ].join("\n"),
    );
  });

  it("sends the organization and project headers when they are set", async () => {
    const run = await runScore([], { OPENAI_ORG_ID: "org-test", OPENAI_PROJECT_ID: "proj_test" });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.headers["openai-organization"]).toBe("org-test");
    expect(api.requests[0]!.headers["openai-project"]).toBe("proj_test");
  });

  it("leaves `item` out when --item is not given", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote"], { env: env() });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ grader: compiled(SCORE), model_sample: "x" });
  });

  it("an error flag that is set: exit 1, the flag and its details printed", async () => {
    api.reply({ status: 200, body: FLAGGED_RUN_RESPONSE });
    const run = await runScore();
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("reward 0");
    expect(run.stdout).toContain("errors (2 set)");
    expect(run.stdout).toContain("✖ invalid_variable_error");
    expect(run.stdout).toContain("✖ python_grader_runtime_error");
    expect(run.stdout).toContain("details:  Traceback (most recent call last):");
    expect(run.stdout).toContain("KeyError: 'answer'");
    expect(run.stdout).not.toContain("model_grader_server_error");
  });

  it("prints the sub-rewards of a multi by key", async () => {
    api.reply({ status: 200, body: MULTI_RUN_RESPONSE });
    const run = await gradeAsync(
      [
        "run",
        MULTI,
        "--sample",
        '{"name": "Ada", "email": "a@b.c"}',
        "--item",
        '{"name": "Ada", "email": "a@b.c"}',
        "--remote",
      ],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("reward 0.75");
    expect(run.stdout).toContain("sub-rewards\n  name   0.5\n  email  1\n");
    // The multi's `graders` is sent as the map it is.
    expect((api.requests[0]!.body as { grader: { graders: unknown } }).grader.graders).toEqual(
      compiled(MULTI)!["graders"],
    );
  });

  it("--json prints the API's answer", async () => {
    const run = await runScore(["--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(RUN_RESPONSE);
  });

  it("--json with an error flag set still exits 1", async () => {
    api.reply({ status: 200, body: FLAGGED_RUN_RESPONSE });
    const run = await runScore(["--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual(FLAGGED_RUN_RESPONSE);
  });

  it("two 429s with Retry-After: 0, then a 200: succeeds after 3 requests", async () => {
    const limited = {
      status: 429,
      headers: { "retry-after": "0" },
      body: apiError("Rate limit reached", { type: "requests" }),
    };
    api.reply(limited, limited);
    const run = await runScore();
    expectClean(run);
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(3);
    expect(run.stdout).toContain("reward 1");
    // The same body each time.
    expect(api.requests[2]!.rawBody).toBe(api.requests[0]!.rawBody);
  });

  it("constant 500s: 1 + --max-retries requests, then a clear error in bounded time (exit 3)", async () => {
    api.always({
      status: 500,
      body: apiError("The server had an error while processing your request.", { type: "server_error" }),
    });
    const run = await runScore(["--max-retries", "2"]);
    expectClean(run);
    expect(run.code).toBe(3);
    expect(api.requests).toHaveLength(3);
    expect(run.stderr).toBe(
      "grade: the API failed (HTTP 500: The server had an error while processing your request.) after 3 attempts; try again later\n",
    );
    expect(run.ms).toBeLessThan(6_000);
    expect(run.stdout).toBe("");
  });

  it("--max-retries 0 sends one request", async () => {
    api.always({ status: 503, body: apiError("overloaded", { type: "server_error" }) });
    const run = await runScore(["--max-retries", "0"]);
    expect(run.code).toBe(3);
    expect(api.requests).toHaveLength(1);
    expect(run.stderr).toContain("HTTP 503: overloaded) after 1 attempt;");
  });

  it("429 until the retries run out: rate limited, exit 3", async () => {
    api.always({
      status: 429,
      headers: { "retry-after": "0" },
      body: apiError("Rate limit reached for requests", { type: "requests" }),
    });
    const run = await runScore(["--max-retries", "1"]);
    expect(run.code).toBe(3);
    expect(api.requests).toHaveLength(2);
    expect(run.stderr).toContain("grade: rate limited (HTTP 429: Rate limit reached for requests) after 2 attempts;");
  });

  it("401: names OPENAI_API_KEY, never the key (even when the server quotes it)", async () => {
    api.reply((request) => ({
      status: 401,
      body: apiError(
        `Incorrect API key provided: ${String(request.headers["authorization"]).slice(7)}. Masked: sk-test-***********XYZ.`,
        {
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      ),
    }));
    const run = await runScore();
    expectClean(run);
    expect(run.code).toBe(3);
    expect(api.requests).toHaveLength(1);
    expect(run.stderr).toContain("set OPENAI_API_KEY to a valid key");
    expect(run.stderr).toContain("HTTP 401: Incorrect API key provided: [redacted]. Masked: [redacted].");
  });

  it("403: says what to check", async () => {
    api.reply({
      status: 403,
      body: apiError("You are not allowed to use this endpoint.", { type: "permission_error" }),
    });
    const run = await runScore();
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("HTTP 403: You are not allowed to use this endpoint.");
    expect(run.stderr).toContain("OPENAI_API_KEY");
  });

  it("404: names the URL and the base URL settings", async () => {
    const run = await runScore([], { OPENAI_BASE_URL: `${api.origin}/wrong` });
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `the API has no /fine_tuning/alpha/graders/run at ${api.origin}/wrong/fine_tuning/alpha/graders/run (HTTP 404`,
    );
    expect(run.stderr).toContain("check --base-url or OPENAI_BASE_URL");
  });

  it("400 naming a grader path: printed at the .grade line and column with the code", async () => {
    const message = "Invalid type for 'grader.graders.name.reference': expected a string, but got an object instead.";
    api.reply({
      status: 400,
      body: apiError(message, { param: "grader.graders.name.reference", code: "invalid_type" }),
    });
    const run = await gradeAsync(["run", MULTI, "--sample", "{}", "--remote"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${MULTI}:8:18: error[api]: ${message}`);
    expect(run.stderr).toContain("> 8 |       reference: item.name");
    expect(run.stderr).toMatch(/\|\s+\^{9}\n/);
    expect(run.stderr).toContain("grade: the API rejected the grader (HTTP 400)");
  });

  it("400 with a path relative to the grader ('graders.email.input') and no param: mapped too", async () => {
    api.reply({
      status: 400,
      body: apiError("Invalid type for 'graders.email.input': expected an object, but got a string instead."),
    });
    const run = await gradeAsync(["run", MULTI, "--sample", "{}", "--remote"], { env: env() });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`${MULTI}:12:41: error[api]: Invalid type for 'graders.email.input'`);
  });

  it("400 naming a field the source map lacks: the closest part of the grader, with a note", async () => {
    api.reply({
      status: 400,
      body: apiError("Invalid value for 'grader.sampling_params.max_completions_tokens': must be at least 1."),
    });
    const run = await runScore();
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `${SCORE}:15:19: error[api]: Invalid value for 'grader.sampling_params.max_completions_tokens'`,
    );
    expect(run.stderr).toContain(
      "help: the API named `grader.sampling_params.max_completions_tokens`; this is the closest part of the grader",
    );
  });

  it("400 about something else than the grader: the API's message", async () => {
    api.reply({
      status: 400,
      body: apiError("Invalid type for 'model_sample': expected a string.", { param: "model_sample" }),
    });
    const run = await runScore();
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      "grade: the API rejected the request (HTTP 400): Invalid type for 'model_sample': expected a string.\n",
    );
  });

  it("a server that never answers, --timeout 1: a timeout message within a few seconds", async () => {
    api.always("hang");
    const run = await runScore(["--timeout", "1"]);
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `grade: no answer from ${api.baseUrl}/fine_tuning/alpha/graders/run within 1 s (--timeout); raise --timeout if the grader needs longer\n`,
    );
    expect(run.ms).toBeGreaterThan(900);
    expect(run.ms).toBeLessThan(6_000);
  });

  it("connection refused: a network message naming the base URL", async () => {
    const port = await closedPort();
    const run = await runScore(["--max-retries", "1"], { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `grade: cannot reach the API at http://127.0.0.1:${port}/v1: connection refused (2 attempts); check --base-url or OPENAI_BASE_URL and the network\n`,
    );
  });

  it("--base-url wins over OPENAI_BASE_URL", async () => {
    const port = await closedPort();
    const run = await runScore(["--base-url", api.baseUrl], { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` });
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(1);
  });

  it("--api-key is used and never printed", async () => {
    api.reply((request) => ({ status: 401, body: apiError(`bad key ${String(request.headers["authorization"])}`) }));
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote", "--api-key", KEY], {
      env: { OPENAI_BASE_URL: api.baseUrl },
    });
    expectClean(run);
    expect(api.requests[0]!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(run.stderr).toContain("bad key Bearer [redacted]");
  });

  it("--dry-run prints the exact request without any key and sends nothing", async () => {
    const run = await runScore(["--dry-run"]);
    expectClean(run);
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(0);
    const [head, body] = run.stdout.split("\n\n");
    expect(head).toBe(`POST ${api.baseUrl}/fine_tuning/alpha/graders/run\ncontent-type: application/json`);
    expect(JSON.parse(body!)).toEqual({
      grader: compiled(SCORE),
      model_sample: "fuzzy wuzzy was a bear",
      item: { reference_answer: "fuzzy wuzzy was a bear" },
    });
    expect(run.stdout.toLowerCase()).not.toContain("authorization");
    expect(run.stderr).toBe("grade: dry run: nothing was sent (authentication headers are not shown)\n");
  });

  it("--dry-run needs no key, and --json prints it as JSON", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote", "--dry-run", "--json"], {
      env: { OPENAI_BASE_URL: api.baseUrl },
    });
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(0);
    expect(JSON.parse(run.stdout)).toEqual({
      method: "POST",
      url: `${api.baseUrl}/fine_tuning/alpha/graders/run`,
      headers: { "content-type": "application/json" },
      body: { grader: compiled(SCORE), model_sample: "x" },
    });
  });

  it("--dry-run without a base URL shows the OpenAI URL (and still sends nothing)", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote", "--dry-run"], {
      env: { OPENAI_API_KEY: KEY },
    });
    expectClean(run);
    expect(run.stdout.split("\n")[0]).toBe("POST https://api.openai.com/v1/fine_tuning/alpha/graders/run");
  });

  it("no OPENAI_API_KEY: exit 2, names the variable, no request", async () => {
    const run = await runScore([], { OPENAI_API_KEY: undefined });
    expectClean(run);
    expect(run.code).toBe(2);
    expect(api.requests).toHaveLength(0);
    expect(run.stderr).toBe(
      "grade: no API key: set OPENAI_API_KEY (or pass --api-key, which other users of this machine can see)\n",
    );
  });

  it("without --remote: runs on the local engine and sends nothing (a model grader is not called there)", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--item", '{"reference_answer": "x"}'], { env: env() });
    expectClean(run);
    expect(api.requests).toHaveLength(0);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("model_grader_server_error");
    expect(run.stdout).toContain("the local engine does not call models yet");
  });

  it("a .grade file with an error: findings printed, exit 2, nothing sent", async () => {
    fs.writeFileSync(path.join(dir, "bad.grade"), 'string_check "b": sample.output_text equals item.a\n');
    const run = await gradeAsync(["run", path.join(dir, "bad.grade"), "--sample", "x", "--remote"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(2);
    expect(api.requests).toHaveLength(0);
    expect(run.stderr).toContain("error[invalid-enum]: `equals` is not a valid operation");
    expect(run.stderr).toContain("1 error in");
    expect(run.stderr).toContain("nothing was sent");
  });

  it("a .grade file with a warning: printed, and the grader is sent", async () => {
    const run = await gradeAsync(["run", MULTI, "--sample", "{}", "--remote"], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning[");
    expect(api.requests).toHaveLength(1);
  });

  it("a .json grader is sent as it is", async () => {
    const grader = {
      type: "string_check",
      name: "exact",
      input: "{{sample.output_text}}",
      reference: "{{item.answer}}",
      operation: "eq",
      extra_field: 1,
    };
    const file = path.join(dir, "grader.json");
    fs.writeFileSync(file, JSON.stringify(grader));
    const run = await gradeAsync(["run", file, "--sample", "Paris", "--item", '{"answer": "Paris"}', "--remote"], {
      env: env(),
    });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ grader, model_sample: "Paris", item: { answer: "Paris" } });
  });

  it("a .json request body: its sample and item are used, the flags win", async () => {
    const body = {
      grader: { type: "string_check", name: "s", input: "a", reference: "b", operation: "eq" },
      model_sample: "from body",
      item: { a: 1 },
    };
    const file = path.join(dir, "body.json");
    fs.writeFileSync(file, JSON.stringify(body));
    const fromBody = await gradeAsync(["run", file, "--remote"], { env: env() });
    expect(fromBody.code).toBe(0);
    expect(api.requests[0]!.body).toEqual(body);
    const overridden = await gradeAsync(["run", file, "--remote", "--sample", "flag"], { env: env() });
    expect(overridden.code).toBe(0);
    expect(api.requests[1]!.body).toEqual({ ...body, model_sample: "flag" });
  });

  it("--sample @file and --item @file read files", async () => {
    fs.writeFileSync(path.join(dir, "sample.txt"), "line one\nline two\n");
    fs.writeFileSync(path.join(dir, "item.json"), '{"reference_answer": "r"}');
    const run = await gradeAsync(
      [
        "run",
        SCORE,
        "--sample",
        `@${path.join(dir, "sample.txt")}`,
        "--item",
        `@${path.join(dir, "item.json")}`,
        "--remote",
      ],
      {
        env: env(),
      },
    );
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toMatchObject({
      model_sample: "line one\nline two\n",
      item: { reference_answer: "r" },
    });
  });

  it("--sample @- reads standard input", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "@-", "--remote"], { env: env(), input: "from stdin" });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toMatchObject({ model_sample: "from stdin" });
  });

  it.each([
    [["--item", "{not json"], /^grade: --item is not valid JSON: .+/],
    [["--item", "[1, 2]"], /^grade: --item must be a JSON object \(the dataset row\), not an array\n$/],
    [
      ["--item", "@/nonexistent/item.json"],
      /^grade: cannot read --item file `\/nonexistent\/item.json`: no such file or directory\n$/,
    ],
    [["--timeout", "0"], /error: option '--timeout <seconds>' argument '0' is invalid/],
    [["--max-retries", "-1"], /error: option '--max-retries <n>' argument '-1' is invalid/],
    [["--base-url", "not a url"], /^grade: --base-url `not a url` is not a URL/],
  ])("bad option %j: exit 2, a clear message, nothing sent", async (args, message) => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote", ...args], { env: env() });
    expectClean(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(api.requests).toHaveLength(0);
  });

  it("a grader from standard input and --sample @- together: exit 2", async () => {
    const run = await gradeAsync(["run", "-", "--sample", "@-", "--remote"], {
      env: env(),
      input: 'string_check "s": sample.output_text eq "a"\n',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("only one of the grader, --sample, --sample-json and --item can read standard input");
  });

  it("a grader from standard input (-) is compiled as .grade", async () => {
    const run = await gradeAsync(["run", "-", "--sample", "a", "--remote"], {
      env: env(),
      input: 'string_check "s": sample.output_text eq "a"\n',
    });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({
      grader: { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "a", operation: "eq" },
      model_sample: "a",
    });
  });

  it("no --sample: exit 2", async () => {
    const run = await gradeAsync(["run", SCORE, "--remote"], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`grade run` needs --sample <text|@file>");
  });

  it.each([
    ["[]", /is not a grader: expected a JSON object with a "type" string/],
    ['{"name": "no type"}', /is not a grader: expected a JSON object with a "type" string/],
    ['{"grader": "x"}', /"grader" in `.+` is not a grader/],
    ["{oops", /is not valid JSON: /],
  ])("a .json file that is no grader (%s): exit 2", async (content, message) => {
    const file = path.join(dir, "not-grader.json");
    fs.writeFileSync(file, content);
    const run = await gradeAsync(["run", file, "--sample", "x", "--remote"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(api.requests).toHaveLength(0);
  });

  it("an answer that is no run result: exit 3", async () => {
    api.reply({ status: 200, body: { hello: "world" } });
    const run = await runScore();
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'grade: the API answered with something that is not a grader run result (no numeric `reward`): {"hello":"world"}\n',
    );
  });
});

describe("Azure OpenAI", () => {
  it("AZURE_OPENAI_ENDPOINT: POST /openai/fine_tuning/alpha/graders/run?api-version=..., api-key header, no Authorization", async () => {
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote"], {
      env: {
        AZURE_OPENAI_ENDPOINT: `${api.origin}/`,
        AZURE_OPENAI_API_KEY: AZURE_KEY,
        OPENAI_API_VERSION: "2025-04-01-preview",
        OPENAI_API_KEY: KEY,
      },
    });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.method).toBe("POST");
    expect(request!.path).toBe("/openai/fine_tuning/alpha/graders/run");
    expect(request!.query).toEqual({ "api-version": "2025-04-01-preview" });
    expect(request!.headers["api-key"]).toBe(AZURE_KEY);
    expect(request!.headers["authorization"]).toBeUndefined();
    expect(request!.body).toEqual({ grader: compiled(SCORE), model_sample: "x" });
  });

  it("--azure-endpoint and --api-version flags", async () => {
    const run = await gradeAsync(
      ["validate", SCORE, "--remote", "--azure-endpoint", api.origin, "--api-version", "v-test"],
      {
        env: { AZURE_OPENAI_API_KEY: AZURE_KEY },
      },
    );
    expect(run.code).toBe(0);
    expect(api.requests[0]!.path).toBe("/openai/fine_tuning/alpha/graders/validate");
    expect(api.requests[0]!.query).toEqual({ "api-version": "v-test" });
  });

  it("401 names AZURE_OPENAI_API_KEY", async () => {
    api.reply({
      status: 401,
      body: { error: { code: "401", message: "Access denied due to invalid subscription key or wrong API endpoint." } },
    });
    const run = await gradeAsync(
      ["run", SCORE, "--sample", "x", "--remote", "--azure", "--azure-endpoint", api.origin, "--api-version", "v"],
      {
        env: { AZURE_OPENAI_API_KEY: AZURE_KEY },
      },
    );
    expectClean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("set AZURE_OPENAI_API_KEY to a valid key");
  });

  it("no Azure key or no API version: exit 2 naming the variable, no request", async () => {
    const noKey = await gradeAsync(["run", SCORE, "--sample", "x", "--remote"], {
      env: { AZURE_OPENAI_ENDPOINT: api.origin, OPENAI_API_VERSION: "v", OPENAI_API_KEY: KEY },
    });
    expectClean(noKey);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("set AZURE_OPENAI_API_KEY");
    const noVersion = await gradeAsync(["run", SCORE, "--sample", "x", "--remote"], {
      env: { AZURE_OPENAI_ENDPOINT: api.origin, AZURE_OPENAI_API_KEY: AZURE_KEY },
    });
    expectClean(noVersion);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toContain("set OPENAI_API_VERSION or pass --api-version");
    expect(api.requests).toHaveLength(0);
  });

  it("--no-azure uses the OpenAI API even with AZURE_OPENAI_ENDPOINT set", async () => {
    const port = await closedPort();
    const run = await gradeAsync(["run", SCORE, "--sample", "x", "--remote", "--no-azure"], {
      env: env({ AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${port}`, AZURE_OPENAI_API_KEY: AZURE_KEY }),
    });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.path).toBe("/v1/fine_tuning/alpha/graders/run");
    expect(api.requests[0]!.headers["authorization"]).toBe(`Bearer ${KEY}`);
  });

  it("--dry-run shows the Azure URL", async () => {
    const run = await gradeAsync(
      [
        "run",
        SCORE,
        "--sample",
        "x",
        "--remote",
        "--dry-run",
        "--azure-endpoint",
        `${api.origin}//`,
        "--api-version",
        "v1-test",
      ],
      {},
    );
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(
      `POST ${api.origin}/openai/fine_tuning/alpha/graders/run?api-version=v1-test`,
    );
    expect(api.requests).toHaveLength(0);
  });
});

describe("grade validate --remote", () => {
  it("sends {grader} to /v1/fine_tuning/alpha/graders/validate and prints valid + the grader", async () => {
    const run = await gradeAsync(["validate", SCORE, "--remote"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.path).toBe("/v1/fine_tuning/alpha/graders/validate");
    expect(api.requests[0]!.headers["authorization"]).toBe(`Bearer ${KEY}`);
    expect(api.requests[0]!.body).toEqual({ grader: compiled(SCORE) });
    expect(run.stdout).toBe(`valid\n${JSON.stringify(compiled(SCORE), null, 2)}\n`);
  });

  it("--json prints the answer", async () => {
    const run = await gradeAsync(["validate", SCORE, "--remote", "--json"], { env: env() });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ grader: compiled(SCORE) });
  });

  it("an answer without a grader: just valid", async () => {
    api.reply({ status: 200, body: {} });
    const run = await gradeAsync(["validate", SCORE, "--remote"], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("valid\n");
  });

  it("a rejected grader: exit 1, the error at its .grade line", async () => {
    api.reply({
      status: 400,
      body: apiError("Invalid value for 'grader.model': model gpt-5-mini is not supported.", { param: "grader.model" }),
    });
    const run = await gradeAsync(["validate", SCORE, "--remote"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${SCORE}:14:10: error[api]: Invalid value for 'grader.model'`);
    expect(run.stderr).toContain("grade: invalid: the API rejected the grader (HTTP 400)");
  });

  it("a .json request body: only its grader is validated", async () => {
    const body = {
      grader: { type: "string_check", name: "s", input: "a", reference: "b", operation: "eq" },
      model_sample: "x",
    };
    const file = path.join(dir, "validate-body.json");
    fs.writeFileSync(file, JSON.stringify(body));
    const run = await gradeAsync(["validate", file, "--remote"], { env: env() });
    expect(run.code).toBe(0);
    expect(api.requests[0]!.body).toEqual({ grader: body.grader });
  });

  it("a 500 after the retries: exit 3", async () => {
    api.always({ status: 502, body: "Bad Gateway" });
    const run = await gradeAsync(["validate", SCORE, "--remote", "--max-retries", "1"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(3);
    expect(api.requests).toHaveLength(2);
    expect(run.stderr).toContain("the API failed (HTTP 502: Bad Gateway) after 2 attempts");
  });

  it("without --remote: exit 2, points at grade check", async () => {
    const run = await gradeAsync(["validate", SCORE], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("`grade check` validates locally");
  });

  it("--dry-run sends nothing", async () => {
    const run = await gradeAsync(["validate", SCORE, "--remote", "--dry-run"], { env: env() });
    expectClean(run);
    expect(run.code).toBe(0);
    expect(api.requests).toHaveLength(0);
    expect(run.stdout.split("\n")[0]).toBe(`POST ${api.baseUrl}/fine_tuning/alpha/graders/validate`);
  });
});

describe("help", () => {
  it.each(["run", "validate"])("grade %s --help documents the flags, variables and exit codes", async (command) => {
    const run = await gradeAsync([command, "--help"]);
    expect(run.code).toBe(0);
    for (const text of [
      "--remote",
      "--json",
      "--dry-run",
      "--base-url",
      "--api-key",
      "--timeout",
      "--max-retries",
      "--azure",
      "--azure-endpoint",
      "--api-version",
      "OPENAI_API_KEY",
      "OPENAI_BASE_URL",
      "AZURE_OPENAI_ENDPOINT",
      "Exit codes:",
      "Examples:",
    ]) {
      expect(run.stdout).toContain(text);
    }
  });
});
