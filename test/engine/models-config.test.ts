import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addLocalEngineOptions, localEngineOptions, modelSecrets, resolveModelServer, type LocalCommandOptions } from "../../src/cli/local-options.js";
import { UsageError } from "../../src/cli/io.js";

/*
 * Where the local engine's model graders go: the flags and variables, in order, and the rule that
 * keeps `grade run` offline unless a model server is asked for.
 */

const KEY = "sk-openai-FAKEKEY-0000";
const MODEL_KEY = "model-FAKEKEY-1111";

/** The options commander gives for `args` on a command with the local engine's flags. */
function parse(args: string[]): LocalCommandOptions {
  const command = addLocalEngineOptions(new Command("x").exitOverride().configureOutput({ writeErr: () => {} }));
  command.parse(args, { from: "user" });
  return command.opts<LocalCommandOptions>();
}

describe("when the engine calls models", () => {
  it("not without a model server asked for: OPENAI_API_KEY and OPENAI_BASE_URL alone do not turn calls on", () => {
    expect(resolveModelServer({}, {})).toBeUndefined();
    expect(resolveModelServer({}, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "http://127.0.0.1:1/v1" })).toBeUndefined();
    expect(localEngineOptions({}, { OPENAI_API_KEY: KEY })).toEqual({});
  });

  it("--model-base-url: that server; OPENAI_API_KEY is not sent to it", () => {
    expect(resolveModelServer(parse(["--model-base-url", "http://localhost:11434/v1"]), { OPENAI_API_KEY: KEY })).toEqual({
      baseURL: "http://localhost:11434/v1",
    });
  });

  it("GRADE_MODEL_BASE_URL; the flag wins over it", () => {
    expect(resolveModelServer({}, { GRADE_MODEL_BASE_URL: "http://gpu:8000/v1" })?.baseURL).toBe("http://gpu:8000/v1");
    expect(resolveModelServer({ modelBaseUrl: "http://a:1/v1" }, { GRADE_MODEL_BASE_URL: "http://gpu:8000/v1" })?.baseURL).toBe("http://a:1/v1");
  });

  it("GRADE_MODEL_API_KEY alone: the OpenAI API (or OPENAI_BASE_URL) with that key", () => {
    expect(resolveModelServer({}, { GRADE_MODEL_API_KEY: MODEL_KEY, OPENAI_API_KEY: KEY })).toEqual({
      baseURL: "https://api.openai.com/v1",
      apiKey: MODEL_KEY,
    });
    expect(resolveModelServer({}, { GRADE_MODEL_API_KEY: MODEL_KEY, OPENAI_BASE_URL: "http://proxy:4000/v1" })?.baseURL).toBe("http://proxy:4000/v1");
  });

  it("OPENAI_API_KEY goes only with its own URL: api.openai.com or OPENAI_BASE_URL", () => {
    expect(resolveModelServer({ modelBaseUrl: "https://api.openai.com/v1" }, { OPENAI_API_KEY: KEY })?.apiKey).toBe(KEY);
    expect(resolveModelServer({ modelBaseUrl: "http://proxy:4000/v1" }, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "http://proxy:4000/v1" })?.apiKey).toBe(KEY);
    expect(resolveModelServer({ modelBaseUrl: "http://other:4000/v1" }, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "http://proxy:4000/v1" })?.apiKey).toBeUndefined();
  });

  it("the key: --model-api-key, else GRADE_MODEL_API_KEY", () => {
    const env = { GRADE_MODEL_BASE_URL: "http://gpu:8000/v1", GRADE_MODEL_API_KEY: MODEL_KEY };
    expect(resolveModelServer({}, env)?.apiKey).toBe(MODEL_KEY);
    expect(resolveModelServer({ modelApiKey: "flag-FAKEKEY" }, env)?.apiKey).toBe("flag-FAKEKEY");
    expect(modelSecrets({ modelApiKey: "flag-FAKEKEY" }, env).filter(Boolean)).toEqual(["flag-FAKEKEY", MODEL_KEY, "flag-FAKEKEY"]);
    // and a base URL's password, as written and decoded, and as the Basic authorization it becomes
    expect(modelSecrets({ modelBaseUrl: "http://me:p%40ss-w0rd@gpu:8000/v1" }, {}).filter(Boolean)).toEqual(["p%40ss-w0rd", "p@ss-w0rd", Buffer.from("me:p@ss-w0rd").toString("base64")]);
  });

  it("blank variables count as unset", () => {
    expect(resolveModelServer({}, { GRADE_MODEL_BASE_URL: "  ", GRADE_MODEL_API_KEY: "" })).toBeUndefined();
  });
});

describe("the model flags", () => {
  it("--model (repeatable, '*' for all), --model-api, --model-timeout, --model-max-retries", () => {
    const options = parse([
      "--model-base-url",
      "http://localhost:11434/v1",
      "--model",
      "gpt-4o-2024-08-06=qwen2.5:7b",
      "--model",
      "*=llama3",
      "--model-api",
      "responses",
      "--model-timeout",
      "2.5",
      "--model-max-retries",
      "0",
    ]);
    expect(localEngineOptions(options, {})).toEqual({
      models: {
        baseURL: "http://localhost:11434/v1",
        api: "responses",
        modelMap: { "gpt-4o-2024-08-06": "qwen2.5:7b", "*": "llama3" },
        timeoutMs: 2500,
        maxRetries: 0,
      },
    });
  });

  it("rejects a mapping without `=`, an unknown API, a bad timeout or retry count", () => {
    expect(() => parse(["--model", "gpt-4o"])).toThrow(/expected <grader model>=<served model>/);
    expect(() => parse(["--model", "=x"])).toThrow(/expected <grader model>=<served model>/);
    expect(() => parse(["--model-api", "completions"])).toThrow(/Allowed choices are chat, responses/);
    expect(() => parse(["--model-timeout", "0"])).toThrow(/above 0/);
    expect(() => parse(["--model-max-retries", "-1"])).toThrow();
  });

  it("model flags without a model server are a usage error naming the flag", () => {
    expect(() => resolveModelServer(parse(["--model", "a=b"]), {})).toThrow(UsageError);
    expect(() => resolveModelServer(parse(["--model-timeout", "5"]), {})).toThrow("--model-timeout configures the model server");
  });

  it("a base URL that is not an http(s) URL is a usage error", () => {
    expect(() => resolveModelServer({ modelBaseUrl: "localhost:11434" }, {})).toThrow(/--model-base-url `localhost:11434` is not/);
    expect(() => resolveModelServer({}, { GRADE_MODEL_BASE_URL: "nope" })).toThrow(/GRADE_MODEL_BASE_URL `nope` is not a URL/);
  });
});
