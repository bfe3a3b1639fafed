import { describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL, isAzure, knownSecrets, resolveRemoteConfig } from "../../src/api/config.js";
import { EngineError } from "../../src/api/errors.js";

const KEY = "sk-test-config-0123456789";

function configError(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe("config");
    return error as EngineError;
  }
  throw new Error("expected a configuration error");
}

describe("resolveRemoteConfig: OpenAI", () => {
  it("reads the key, base URL, organization and project from the environment", () => {
    const config = resolveRemoteConfig(
      {},
      {
        OPENAI_API_KEY: ` ${KEY}\n`,
        OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
        OPENAI_ORG_ID: "org-1",
        OPENAI_PROJECT_ID: "proj-1",
      },
    );
    expect(config).toEqual({
      provider: "openai",
      baseURL: "http://127.0.0.1:9/v1",
      apiKey: KEY,
      keyVariable: "OPENAI_API_KEY",
      organization: "org-1",
      project: "proj-1",
      timeoutMs: 300_000,
      maxRetries: 2,
    });
  });

  it("defaults to the OpenAI API; flags win over variables", () => {
    expect(resolveRemoteConfig({}, { OPENAI_API_KEY: KEY }).baseURL).toBe(DEFAULT_BASE_URL);
    const config = resolveRemoteConfig(
      { baseUrl: "http://127.0.0.1:1/x", apiKey: "sk-flag-key", timeout: 1.5, maxRetries: 0 },
      { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" },
    );
    expect(config).toMatchObject({
      baseURL: "http://127.0.0.1:1/x",
      apiKey: "sk-flag-key",
      timeoutMs: 1500,
      maxRetries: 0,
    });
  });

  it("a blank variable counts as unset", () => {
    expect(configError(() => resolveRemoteConfig({}, { OPENAI_API_KEY: "  " })).message).toBe(
      "no API key: set OPENAI_API_KEY (or pass --api-key, which other users of this machine can see)",
    );
  });

  it("a dry run needs no key", () => {
    expect(resolveRemoteConfig({}, {}, { requireKey: false }).apiKey).toBeUndefined();
  });

  it("rejects a base URL that is no http(s) URL, naming where it came from", () => {
    expect(
      configError(() => resolveRemoteConfig({}, { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "localhost:8080" })).message,
    ).toBe("OPENAI_BASE_URL `localhost:8080` is not an http or https URL");
    expect(configError(() => resolveRemoteConfig({ baseUrl: "nope" }, { OPENAI_API_KEY: KEY })).message).toMatch(
      /^--base-url `nope` is not a URL/,
    );
  });

  it("rejects a timeout of 0 and a negative retry count", () => {
    expect(configError(() => resolveRemoteConfig({ timeout: 0 }, { OPENAI_API_KEY: KEY })).message).toContain(
      "--timeout",
    );
    expect(configError(() => resolveRemoteConfig({ maxRetries: -1 }, { OPENAI_API_KEY: KEY })).message).toContain(
      "--max-retries",
    );
  });
});

describe("resolveRemoteConfig: Azure OpenAI", () => {
  const azureEnv = {
    AZURE_OPENAI_ENDPOINT: "https://res.openai.azure.com/",
    AZURE_OPENAI_API_KEY: "azure-key-123456",
    OPENAI_API_VERSION: "2025-04-01-preview",
  };

  it("AZURE_OPENAI_ENDPOINT switches to Azure: endpoint + /openai, the Azure key, the API version", () => {
    expect(isAzure({}, azureEnv)).toBe(true);
    expect(
      resolveRemoteConfig({}, { ...azureEnv, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: "http://127.0.0.1:9/v1" }),
    ).toEqual({
      provider: "azure",
      baseURL: "https://res.openai.azure.com/openai",
      apiKey: "azure-key-123456",
      keyVariable: "AZURE_OPENAI_API_KEY",
      apiVersion: "2025-04-01-preview",
      timeoutMs: 300_000,
      maxRetries: 2,
    });
  });

  it("--azure, --azure-endpoint and --api-version", () => {
    expect(isAzure({ azure: true }, {})).toBe(true);
    expect(isAzure({}, {})).toBe(false);
    expect(isAzure({ azure: false }, azureEnv)).toBe(false);
    const config = resolveRemoteConfig(
      { azureEndpoint: "https://other.openai.azure.com", apiVersion: "v2", apiKey: "flag-key-123" },
      azureEnv,
    );
    expect(config).toMatchObject({
      baseURL: "https://other.openai.azure.com/openai",
      apiVersion: "v2",
      apiKey: "flag-key-123",
    });
    expect(
      resolveRemoteConfig(
        { azure: true, baseUrl: "https://res.openai.azure.com/openai/v1" },
        { AZURE_OPENAI_API_KEY: "k-123456", OPENAI_API_VERSION: "v" },
      ).baseURL,
    ).toBe("https://res.openai.azure.com/openai/v1");
  });

  it("names what is missing", () => {
    expect(
      configError(() =>
        resolveRemoteConfig({ azure: true }, { AZURE_OPENAI_API_KEY: "k-123456", OPENAI_API_VERSION: "v" }),
      ).message,
    ).toContain("set AZURE_OPENAI_ENDPOINT");
    expect(
      configError(() => resolveRemoteConfig({}, { ...azureEnv, AZURE_OPENAI_API_KEY: undefined, OPENAI_API_KEY: KEY }))
        .message,
    ).toContain("set AZURE_OPENAI_API_KEY");
    expect(configError(() => resolveRemoteConfig({}, { ...azureEnv, OPENAI_API_VERSION: undefined })).message).toBe(
      "Azure OpenAI needs an API version: set OPENAI_API_VERSION or pass --api-version",
    );
    expect(
      configError(() => resolveRemoteConfig({ baseUrl: "https://a/openai", azureEndpoint: "https://b" }, azureEnv))
        .message,
    ).toContain("give one");
  });
});

describe("knownSecrets", () => {
  it("collects the flag and every key variable", () => {
    expect(
      knownSecrets({ apiKey: "flag" }, { OPENAI_API_KEY: "a", AZURE_OPENAI_API_KEY: "b", OPENAI_ADMIN_KEY: "c" }),
    ).toEqual(["flag", "a", "b", "c"]);
  });
});
