import { type Command, InvalidArgumentError, Option } from "commander";
import type { LocalEngineOptions } from "../engine/local.js";
import type { ModelApi, ModelServerOptions } from "../engine/models.js";
import { UsageError } from "./io.js";
import { basicAuth, credentialsOf, urlSecrets } from "../api/redact.js";

/*
 * The options of the commands that run graders on the local engine (`run`, `test`, and any
 * later command that grades): one place that adds them to a command and one that turns them
 * into the engine's options, so every such command takes the same flags.
 *
 * Model graders call a model server only when one is asked for: `--model-base-url`,
 * `GRADE_MODEL_BASE_URL`, `--model-api-key` or `GRADE_MODEL_API_KEY`. OPENAI_API_KEY alone does
 * not turn calls on (`grade run` stays offline by default, and the key a user keeps for --remote
 * is not spent silently). Once on: the base URL is the flag, else GRADE_MODEL_BASE_URL, else
 * OPENAI_BASE_URL, else https://api.openai.com/v1; the key is the flag, else GRADE_MODEL_API_KEY,
 * else OPENAI_API_KEY — but that one only for the URL it belongs with (OPENAI_BASE_URL or
 * api.openai.com), so it is never sent to another server; else no key (no Authorization header).
 */

export interface LocalCommandOptions {
  readonly python?: string | undefined;
  readonly pythonTimeout?: number | undefined;
  readonly modelBaseUrl?: string | undefined;
  /** Discouraged: visible in process lists and shell history. */
  readonly modelApiKey?: string | undefined;
  /** `grader-model=served-model`, repeatable; `*=name` for every grader model. */
  readonly model?: readonly string[] | undefined;
  readonly modelApi?: ModelApi | undefined;
  readonly modelTimeout?: number | undefined;
  readonly modelMaxRetries?: number | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_MODEL_BASE_URL = "https://api.openai.com/v1";

/** The model flags, for messages that say they need a model server or the local engine. */
export const MODEL_FLAGS = [
  ["--model-base-url", "modelBaseUrl"],
  ["--model-api-key", "modelApiKey"],
  ["--model", "model"],
  ["--model-api", "modelApi"],
  ["--model-timeout", "modelTimeout"],
  ["--model-max-retries", "modelMaxRetries"],
] as const;

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError("expected a number of seconds above 0");
  return n;
}

function wholeNumber(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return Number(value);
}

function mapping(value: string, previous: string[] | undefined): string[] {
  const at = value.indexOf("=");
  if (at <= 0 || at === value.length - 1) {
    throw new InvalidArgumentError("expected <grader model>=<served model>, e.g. gpt-4o-2024-08-06=qwen2.5:7b, or *=llama3 for every model");
  }
  return [...(previous ?? []), value];
}

/** Adds the local engine's options to `command`. */
export function addLocalEngineOptions(command: Command): Command {
  return command
    .option("--python <path>", "the python interpreter for python graders (default: python3), e.g. a venv with the service's packages")
    .option("--python-timeout <seconds>", "the limit of one python grader call (default: 120, the service's 2 minutes)", seconds)
    .option("--model-base-url <url>", "call model graders (and cosine) on this OpenAI-compatible server, e.g. http://localhost:11434/v1 (env GRADE_MODEL_BASE_URL; user:pass@ in it is sent as Basic authorization)")
    .option("--model-api-key <key>", "the model server's key; prefer GRADE_MODEL_API_KEY (a flag is visible to other users of this machine)")
    .option("--model <from=to>", "serve a grader's model by another name, e.g. gpt-4o-2024-08-06=qwen2.5:7b, or '*=llama3' for all (repeatable)", mapping)
    .addOption(new Option("--model-api <api>", "Chat Completions or the Responses API for model graders (default: chat)").choices(["chat", "responses"]))
    .option("--model-timeout <seconds>", "the limit of one model call, retries included (default: 300)", seconds)
    .option("--model-max-retries <n>", "retries of a model call after 429, 5xx or a connection error (default: 2)", wholeNumber);
}

/** An environment variable, trimmed, or undefined when unset or blank. */
function readEnv(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function checkUrl(url: string, from: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`${from} \`${url}\` is not a URL (expected something like http://localhost:11434/v1)`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new UsageError(`${from} \`${url}\` is not an http or https URL`);
  return url;
}

function isOpenAI(url: string): boolean {
  try {
    return new URL(url).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

/**
 * The model server of the local engine, from the flags and the environment; undefined when none
 * is asked for (then model graders are not called). Throws a UsageError for a bad URL, or for
 * model flags without a server.
 */
export function resolveModelServer(options: LocalCommandOptions, env: Environment = process.env): ModelServerOptions | undefined {
  const flagUrl = options.modelBaseUrl;
  const envUrl = readEnv(env, "GRADE_MODEL_BASE_URL");
  const ownKey = options.modelApiKey ?? readEnv(env, "GRADE_MODEL_API_KEY");
  if (flagUrl === undefined && envUrl === undefined && ownKey === undefined) {
    const given = MODEL_FLAGS.find(([, key]) => options[key] !== undefined);
    if (given) {
      throw new UsageError(
        `${given[0]} configures the model server, and none is set: pass --model-base-url <url> or set GRADE_MODEL_BASE_URL (or GRADE_MODEL_API_KEY for the OpenAI API)`,
      );
    }
    return undefined;
  }
  let baseURL: string;
  let openaiUrl: boolean;
  if (flagUrl !== undefined) {
    baseURL = checkUrl(flagUrl, "--model-base-url");
    openaiUrl = isOpenAI(baseURL);
  } else if (envUrl !== undefined) {
    baseURL = checkUrl(envUrl, "GRADE_MODEL_BASE_URL");
    openaiUrl = isOpenAI(baseURL);
  } else {
    const openaiBase = readEnv(env, "OPENAI_BASE_URL");
    baseURL = openaiBase === undefined ? DEFAULT_MODEL_BASE_URL : checkUrl(openaiBase, "OPENAI_BASE_URL");
    openaiUrl = true;
  }
  const apiKey = ownKey ?? (openaiUrl || baseURL === readEnv(env, "OPENAI_BASE_URL") ? readEnv(env, "OPENAI_API_KEY") : undefined);
  const modelMap: Record<string, string> = {};
  for (const entry of options.model ?? []) {
    const at = entry.indexOf("=");
    modelMap[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return {
    baseURL,
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(options.modelApi !== undefined ? { api: options.modelApi } : {}),
    ...(Object.keys(modelMap).length ? { modelMap } : {}),
    ...(options.modelTimeout !== undefined ? { timeoutMs: Math.max(1, Math.round(options.modelTimeout * 1000)) } : {}),
    ...(options.modelMaxRetries !== undefined ? { maxRetries: options.modelMaxRetries } : {}),
  };
}

/** The model keys the command could hold, so that none of them is ever printed. */
export function modelSecrets(options: LocalCommandOptions, env: Environment = process.env): (string | undefined)[] {
  const urls = [options.modelBaseUrl, readEnv(env, "GRADE_MODEL_BASE_URL"), readEnv(env, "OPENAI_BASE_URL")];
  const secrets: (string | undefined)[] = [options.modelApiKey, readEnv(env, "GRADE_MODEL_API_KEY"), ...urls.flatMap(urlSecrets)];
  for (const url of urls) {
    const credentials = url === undefined ? undefined : credentialsOf(url);
    if (credentials) secrets.push(basicAuth(credentials));
  }
  // The key the engine sends: also OPENAI_API_KEY for the OpenAI API.
  try {
    secrets.push(resolveModelServer(options, env)?.apiKey);
  } catch {
    // a bad flag is reported where it is used
  }
  return secrets;
}

/** The engine's options from the parsed flags (and, for the model server, the environment). */
let unsandboxedNoticed = false;

/** The one-line notice, once per process, when python graders run without a sandbox. */
export function unsandboxedNotice(notice: string): void {
  if (unsandboxedNoticed) return;
  unsandboxedNoticed = true;
  process.stderr.write(`grade: notice: ${notice}\n`);
}

export function localEngineOptions(options: LocalCommandOptions, env: Environment = process.env): LocalEngineOptions {
  const models = resolveModelServer(options, env);
  return {
    ...(options.python !== undefined ? { python: options.python } : {}),
    ...(options.pythonTimeout !== undefined ? { timeoutMs: options.pythonTimeout * 1000 } : {}),
    ...(models ? { models } : {}),
  };
}
