import { EngineError } from "./errors.js";
import { urlSecrets } from "./redact.js";

/*
 * Where the remote engine sends requests and how: flags first, then the environment variables
 * the openai client itself reads, then defaults. Everything is resolved here, explicitly, so the
 * messages can name the base URL and the variable to set, and so nothing else in the
 * environment changes where a request goes.
 */

/** The flags of `grade run` / `grade validate` that configure the API. */
export interface RemoteOptions {
  readonly baseUrl?: string | undefined;
  /** Discouraged: visible in process lists and shell history. */
  readonly apiKey?: string | undefined;
  /** Seconds for the whole call, retries and their waits included. */
  readonly timeout?: number | undefined;
  readonly maxRetries?: number | undefined;
  readonly azure?: boolean | undefined;
  readonly azureEndpoint?: string | undefined;
  readonly apiVersion?: string | undefined;
}

interface CommonConfig {
  /** Requests go to `${baseURL}/fine_tuning/alpha/graders/...`. */
  readonly baseURL: string;
  /** Undefined only when the caller did not require one (a dry run). */
  readonly apiKey: string | undefined;
  /** The variable that holds the key, named in messages. */
  readonly keyVariable: "OPENAI_API_KEY" | "AZURE_OPENAI_API_KEY";
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export interface OpenAIConfig extends CommonConfig {
  readonly provider: "openai";
  readonly organization: string | undefined;
  readonly project: string | undefined;
}

export interface AzureConfig extends CommonConfig {
  readonly provider: "azure";
  /** Sent as the `api-version` query parameter. */
  readonly apiVersion: string;
}

export type RemoteConfig = OpenAIConfig | AzureConfig;

export const DEFAULT_BASE_URL = "https://api.openai.com/v1";
export const DEFAULT_TIMEOUT_SECONDS = 300;
export const DEFAULT_MAX_RETRIES = 2;

export type Environment = Readonly<Record<string, string | undefined>>;

/** An environment variable, trimmed, or undefined when unset or blank (as the openai client reads it). */
function readEnv(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function configError(message: string): EngineError {
  return new EngineError("config", message);
}

function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw configError(`${from} \`${url}\` is not a URL (expected something like https://api.openai.com/v1)`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw configError(`${from} \`${url}\` is not an http or https URL`);
  }
  return url;
}

function timeoutMs(options: RemoteOptions): number {
  const seconds = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (!Number.isFinite(seconds) || seconds <= 0) throw configError(`--timeout must be a number of seconds above 0`);
  return Math.max(1, Math.round(seconds * 1000));
}

function maxRetries(options: RemoteOptions): number {
  const n = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isSafeInteger(n) || n < 0) throw configError(`--max-retries must be a whole number, 0 or more`);
  return n;
}

/**
 * True when the request goes to Azure OpenAI: `--azure`, `--azure-endpoint` or
 * `AZURE_OPENAI_ENDPOINT`; `--no-azure` (azure: false) turns it off whatever the variable says.
 */
export function isAzure(options: RemoteOptions, env: Environment = process.env): boolean {
  if (options.azure === false) return false;
  return (
    options.azure === true || options.azureEndpoint !== undefined || readEnv(env, "AZURE_OPENAI_ENDPOINT") !== undefined
  );
}

export interface ResolveOptions {
  /** A dry run sends nothing, so it needs no key. */
  readonly requireKey?: boolean;
}

/** Resolves the configuration; throws an EngineError of kind "config" naming what to set. */
export function resolveRemoteConfig(
  options: RemoteOptions,
  env: Environment = process.env,
  { requireKey = true }: ResolveOptions = {},
): RemoteConfig {
  const common = { timeoutMs: timeoutMs(options), maxRetries: maxRetries(options) };
  if (isAzure(options, env)) {
    const keyVariable = "AZURE_OPENAI_API_KEY";
    const apiKey = options.apiKey ?? readEnv(env, keyVariable);
    if (requireKey && !apiKey) {
      throw configError(
        `no API key for Azure OpenAI: set ${keyVariable} (or pass --api-key, which other users of this machine can see)`,
      );
    }
    if (options.baseUrl !== undefined && options.azureEndpoint !== undefined) {
      throw configError("--base-url and --azure-endpoint both say where to send the request; give one");
    }
    let baseURL: string;
    if (options.baseUrl !== undefined) baseURL = checkUrl(options.baseUrl, "--base-url");
    else {
      const fromFlag = options.azureEndpoint !== undefined;
      const endpoint = options.azureEndpoint ?? readEnv(env, "AZURE_OPENAI_ENDPOINT");
      if (endpoint === undefined) {
        throw configError(
          "Azure OpenAI needs an endpoint: set AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com) or pass --azure-endpoint",
        );
      }
      // As the AzureOpenAI client does: the endpoint without trailing slashes, then `/openai`.
      baseURL = `${checkUrl(endpoint, fromFlag ? "--azure-endpoint" : "AZURE_OPENAI_ENDPOINT").replace(/\/+$/, "")}/openai`;
    }
    const apiVersion = options.apiVersion ?? readEnv(env, "OPENAI_API_VERSION");
    if (!apiVersion) {
      throw configError("Azure OpenAI needs an API version: set OPENAI_API_VERSION or pass --api-version");
    }
    return { provider: "azure", baseURL, apiKey, keyVariable, apiVersion, ...common };
  }
  const keyVariable = "OPENAI_API_KEY";
  const apiKey = options.apiKey ?? readEnv(env, keyVariable);
  if (requireKey && !apiKey) {
    throw configError(`no API key: set ${keyVariable} (or pass --api-key, which other users of this machine can see)`);
  }
  const fromFlag = options.baseUrl !== undefined;
  const baseUrl = options.baseUrl ?? readEnv(env, "OPENAI_BASE_URL");
  return {
    provider: "openai",
    baseURL: baseUrl === undefined ? DEFAULT_BASE_URL : checkUrl(baseUrl, fromFlag ? "--base-url" : "OPENAI_BASE_URL"),
    apiKey,
    keyVariable,
    organization: readEnv(env, "OPENAI_ORG_ID"),
    project: readEnv(env, "OPENAI_PROJECT_ID"),
    ...common,
  };
}

/** Every key the command could hold (flag and variables), so that none of them is ever printed. */
export function knownSecrets(options: RemoteOptions, env: Environment = process.env): (string | undefined)[] {
  return [
    options.apiKey,
    ...["OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "OPENAI_ADMIN_KEY"].map((name) => readEnv(env, name)),
    // The password of a base URL (`https://user:pass@host/v1`).
    ...[options.baseUrl, options.azureEndpoint, readEnv(env, "OPENAI_BASE_URL"), readEnv(env, "AZURE_OPENAI_ENDPOINT")].flatMap(urlSecrets),
  ];
}
