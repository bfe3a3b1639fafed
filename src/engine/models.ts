import type { OpenAI } from "openai";
import { basicAuth, createRedactor, credentialsOf, redactKeyShaped, urlSecrets, withoutCredentials, type Redactor } from "../api/redact.js";
import { isObject } from "../api/response.js";
import {
  chatBody,
  quote,
  responsesBody,
  type ModelApi,
  type ModelGraderShape,
  type RenderedMessage,
} from "./model-request.js";
import type { GradeError } from "./outcome.js";

/*
 * The model server of the local engine: an OpenAI-compatible endpoint (the OpenAI API, Ollama,
 * vLLM, llama.cpp, LM Studio, …) called through the official `openai` client, for `score_model`
 * and `label_model` (Chat Completions, or the Responses API) and for the `cosine` metric
 * (embeddings). Never throws: a failure is a GradeError whose details name the status, the
 * server's message and the URL, never the key.
 *
 * Retries are the client's: 408, 409, 429, 5xx and connection errors are retried up to
 * `maxRetries` times, waiting what `retry-after-ms` or `Retry-After` asks (up to 60 s), else an
 * exponential backoff from 0.5 s. `timeoutMs` bounds each attempt and, through an abort signal,
 * the whole call with its retries and waits.
 */

export type { ModelApi } from "./model-request.js";

/** Where and how the local engine calls models. Without it, model graders are not called. */
export interface ModelServerOptions {
  /** e.g. `https://api.openai.com/v1`, `http://localhost:11434/v1` (Ollama). */
  readonly baseURL: string;
  /** Sent as `Authorization: Bearer …`; without one no Authorization header is sent. */
  readonly apiKey?: string | undefined;
  /** Chat Completions (default) or the Responses API. */
  readonly api?: ModelApi | undefined;
  /** The grader's model name → the name the server knows; `"*"` maps every grader model (not the embedding model). */
  readonly modelMap?: Readonly<Record<string, string>> | undefined;
  /** Milliseconds for one call, its retries and their waits included (default 300 000). */
  readonly timeoutMs?: number | undefined;
  /** Retries of a call after 429, 5xx or a connection error (default 2). */
  readonly maxRetries?: number | undefined;
}

export const DEFAULT_MODEL_TIMEOUT_MS = 300_000;
export const DEFAULT_MODEL_MAX_RETRIES = 2;
/** The model of the `cosine` metric (§3), mappable with `modelMap`. */
export const EMBEDDING_MODEL = "text-embedding-3-large";

/** Token usage in the run response's shape. */
export interface TokenUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cached_tokens: number;
}

/** One call of a run, for the response's usage fields. Pushed when the call starts. */
export interface ModelCall {
  /** The model asked for (after the mapping). */
  readonly model: string;
  readonly purpose: "grade" | "embed";
  /** The model the server says answered (`model` of its answer), once it answered. */
  answeredBy?: string;
  usage?: TokenUsage;
}

export type Completion =
  | { readonly ok: true; readonly text: string; readonly truncated: boolean }
  | { readonly ok: false; readonly error: GradeError };

export type Embeddings = { readonly ok: true; readonly vectors: number[][] } | { readonly ok: false; readonly error: GradeError };

type Sdk = typeof import("openai");

/** Never sent: the client needs a key; without one the Authorization header is removed. */
const NO_KEY = "no-key";

/** A URL without user name and password, for messages. */

const ZERO: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cached_tokens: 0 };

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);

/** Usage from a Chat Completions, Responses or embeddings answer (zeros for what is missing). */
export function readUsage(usage: unknown): TokenUsage {
  if (!isObject(usage)) return { ...ZERO };
  const prompt = count(usage["prompt_tokens"] ?? usage["input_tokens"]);
  const completion = count(usage["completion_tokens"] ?? usage["output_tokens"]);
  const details = usage["prompt_tokens_details"] ?? usage["input_tokens_details"];
  const total = usage["total_tokens"];
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: typeof total === "number" && Number.isFinite(total) ? total : prompt + completion,
    cached_tokens: isObject(details) ? count(details["cached_tokens"]) : 0,
  };
}

function add(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    prompt_tokens: a.prompt_tokens + b.prompt_tokens,
    completion_tokens: a.completion_tokens + b.completion_tokens,
    total_tokens: a.total_tokens + b.total_tokens,
    cached_tokens: a.cached_tokens + b.cached_tokens,
  };
}

export interface RunUsage {
  /** The sum over every answered call; null when no call was answered. */
  readonly tokenUsage: TokenUsage | null;
  /** By the model that answered, summed over its calls. */
  readonly perModel: Record<string, TokenUsage>;
  /** The first grading call (in the order of a multi's keys) that was answered; embeddings do not count. */
  readonly sampledModel: string | null;
}

/** The usage fields of a run response from the calls of the run. */
export function runUsage(calls: readonly ModelCall[]): RunUsage {
  let total: TokenUsage | null = null;
  const perModel: Record<string, TokenUsage> = {};
  let sampledModel: string | null = null;
  for (const call of calls) {
    if (call.usage === undefined) continue;
    const name = call.answeredBy ?? call.model;
    total = add(total ?? ZERO, call.usage);
    perModel[name] = add(perModel[name] ?? ZERO, call.usage);
    if (sampledModel === null && call.purpose === "grade") sampledModel = name;
  }
  return { tokenUsage: total, perModel, sampledModel };
}

/** What the client saw during one call, for the messages. */
interface AttemptLog {
  attempts: number;
  lastStatus: number | undefined;
}

export class ModelServer {
  readonly api: ModelApi;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly redact: Redactor;
  private sdk: Promise<Sdk> | undefined;

  constructor(readonly options: ModelServerOptions) {
    this.api = options.api ?? "chat";
    this.timeoutMs = options.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
    this.maxRetries = options.maxRetries ?? DEFAULT_MODEL_MAX_RETRIES;
    // A base URL's user and password go as Basic authorization (fetch refuses a URL holding them)
    // when no key is set; the password never shows in a message or an answer.
    this.baseURL = withoutCredentials(options.baseURL);
    const credentials = credentialsOf(options.baseURL);
    this.basic = credentials ? `Basic ${basicAuth(credentials)}` : undefined;
    const redact = createRedactor([options.apiKey, ...urlSecrets(options.baseURL), credentials && basicAuth(credentials)]);
    this.redact = (text) => redactKeyShaped(redact(text));
  }

  /** The base URL without its credentials. */
  private readonly baseURL: string;
  /** `Basic ...` from the base URL's credentials. */
  private readonly basic: string | undefined;

  /** The name the server knows for a grader's model: an exact mapping, else `*`, else the name. */
  graderModel(model: string): string {
    const map = this.options.modelMap ?? {};
    return Object.hasOwn(map, model) ? map[model]! : Object.hasOwn(map, "*") ? map["*"]! : model;
  }

  /** The embedding model: only an exact mapping applies (`*` names a chat model). */
  embeddingModel(): string {
    const map = this.options.modelMap ?? {};
    return Object.hasOwn(map, EMBEDDING_MODEL) ? map[EMBEDDING_MODEL]! : EMBEDDING_MODEL;
  }

  /** Asks the grader's model for its structured answer; records the call in `calls`. */
  async complete(grader: ModelGraderShape, messages: readonly RenderedMessage[], calls: ModelCall[]): Promise<Completion> {
    const model = this.graderModel(grader.model);
    const call: ModelCall = { model, purpose: "grade" };
    calls.push(call);
    const path = this.api === "chat" ? "/chat/completions" : "/responses";
    const body = this.api === "chat" ? chatBody(model, grader, messages) : responsesBody(model, grader, messages);
    const sent = await this.send(path, body, grader.model, model);
    if (!sent.ok) return sent;
    const answer = sent.answer;
    call.answeredBy = typeof answer["model"] === "string" && answer["model"] ? answer["model"] : model;
    call.usage = readUsage(answer["usage"]);
    return this.api === "chat" ? this.readChat(answer, path) : this.readResponses(answer, path);
  }

  /** Embeds two texts in one call (`cosine`); records the call in `calls`. */
  async embed(texts: readonly [string, string], calls: ModelCall[]): Promise<Embeddings> {
    const model = this.embeddingModel();
    const call: ModelCall = { model, purpose: "embed" };
    calls.push(call);
    const sent = await this.send("/embeddings", { model, input: [...texts], encoding_format: "float" }, EMBEDDING_MODEL, model);
    if (!sent.ok) return sent;
    const answer = sent.answer;
    call.answeredBy = typeof answer["model"] === "string" && answer["model"] ? answer["model"] : model;
    call.usage = readUsage(answer["usage"]);
    const data = Array.isArray(answer["data"]) ? (answer["data"] as unknown[]) : [];
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      const item = data.find((d) => isObject(d) && d["index"] === i) ?? data[i];
      const embedding = isObject(item) ? item["embedding"] : undefined;
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === "number" && Number.isFinite(x))) {
        return this.malformed("/embeddings", `its answer has no embedding for text ${i + 1} of 2`);
      }
      vectors.push(embedding as number[]);
    }
    if (vectors[0]!.length !== vectors[1]!.length || vectors[0]!.length === 0) {
      return this.malformed("/embeddings", `its embeddings have different or no dimensions (${vectors[0]!.length} and ${vectors[1]!.length})`);
    }
    return { ok: true, vectors };
  }

  private url(path: string): string {
    return `${this.baseURL.replace(/\/+$/, "")}${path}`;
  }

  private malformed(path: string, what: string): { ok: false; error: GradeError } {
    return { ok: false, error: { flag: "model_grader_server_error", details: `the model server at ${this.redact(this.url(path))} answered, but ${what}` } };
  }

  private readChat(answer: Record<string, unknown>, path: string): Completion {
    const choices = answer["choices"];
    const choice = Array.isArray(choices) ? (choices[0] as unknown) : undefined;
    const message = isObject(choice) ? choice["message"] : undefined;
    if (!isObject(choice) || !isObject(message)) return this.malformed(path, "its answer has no `choices[0].message`");
    const refusal = message["refusal"];
    if (typeof refusal === "string" && refusal.trim()) {
      return { ok: false, error: { flag: "model_grader_refusal_error", details: `the model refused: ${quote(this.redact(refusal), 500)}` } };
    }
    const content = message["content"];
    const text = typeof content === "string" ? content : "";
    return { ok: true, text: this.redact(text), truncated: choice["finish_reason"] === "length" };
  }

  private readResponses(answer: Record<string, unknown>, path: string): Completion {
    const output = answer["output"];
    if (!Array.isArray(output)) return this.malformed(path, "its answer has no `output`");
    let text = "";
    for (const item of output) {
      if (!isObject(item) || item["type"] !== "message" || !Array.isArray(item["content"])) continue;
      for (const part of item["content"] as unknown[]) {
        if (!isObject(part)) continue;
        if (part["type"] === "refusal" && typeof part["refusal"] === "string") {
          return { ok: false, error: { flag: "model_grader_refusal_error", details: `the model refused: ${quote(this.redact(part["refusal"]), 500)}` } };
        }
        if (part["type"] === "output_text" && typeof part["text"] === "string") text += part["text"];
      }
    }
    const incomplete = answer["incomplete_details"];
    const truncated = answer["status"] === "incomplete" && isObject(incomplete) && incomplete["reason"] === "max_output_tokens";
    return { ok: true, text: this.redact(text), truncated };
  }

  private loadSdk(): Promise<Sdk> {
    this.sdk ??= import("openai");
    return this.sdk;
  }

  private client(sdk: Sdk, log: AttemptLog): OpenAI {
    const counting = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      log.attempts++;
      return globalThis.fetch(input, init).then((response) => {
        log.lastStatus = response.status;
        return response;
      });
    };
    const key = this.options.apiKey;
    return new sdk.OpenAI({
      apiKey: key ?? NO_KEY,
      baseURL: this.baseURL,
      timeout: this.timeoutMs,
      maxRetries: this.maxRetries,
      fetch: counting,
      // Nothing the client could print (headers, URLs) reaches the terminal.
      logLevel: "off",
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      // Without a key, no Authorization header at all (a local server needs none).
      ...(key === undefined ? { defaultHeaders: { Authorization: this.basic ?? null } } : {}),
    });
  }

  /** POSTs `body` to `path`; the answer as an object, or the failure as an error. */
  private async send(
    path: string,
    body: Record<string, unknown>,
    graderModel: string,
    model: string,
  ): Promise<{ ok: true; answer: Record<string, unknown> } | { ok: false; error: GradeError }> {
    const log: AttemptLog = { attempts: 0, lastStatus: undefined };
    const deadline = AbortSignal.timeout(this.timeoutMs);
    let sdk: Sdk;
    try {
      sdk = await this.loadSdk();
    } catch (error) {
      return { ok: false, error: { flag: "model_grader_server_error", details: `the openai package could not be loaded: ${String(error)}` } };
    }
    try {
      const answer = await this.client(sdk, log).post<unknown>(path, { body, signal: deadline });
      if (!isObject(answer)) return this.malformed(path, "its answer is not a JSON object");
      return { ok: true, answer };
    } catch (error) {
      const which = graderModel === model ? `\`${model}\`` : `\`${graderModel}\` (as \`${model}\`)`;
      return { ok: false, error: { flag: "model_grader_server_error", details: `${which}: ${this.describe(sdk, error, path, log, deadline)}` } };
    }
  }

  private attempts(log: AttemptLog): string {
    return `${log.attempts} attempt${log.attempts === 1 ? "" : "s"}`;
  }

  private seconds(): string {
    const s = this.timeoutMs / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  }

  /** What went wrong, for `model_grader_server_error_details`: status, the server's message, the URL; no key. */
  private describe(sdk: Sdk, error: unknown, path: string, log: AttemptLog, deadline: AbortSignal): string {
    const url = this.redact(this.url(path));
    if (deadline.aborted || error instanceof sdk.APIConnectionTimeoutError || error instanceof sdk.APIUserAbortError) {
      const last = log.lastStatus;
      return last !== undefined && last >= 400
        ? `gave up within --model-timeout ${this.seconds()}: ${this.attempts(log)} to ${url}, the last answered HTTP ${last}`
        : `no answer from ${url} within ${this.seconds()} (--model-timeout)`;
    }
    if (error instanceof sdk.APIConnectionError) {
      return (
        `cannot reach the model server at ${this.redact(this.baseURL)}: ${this.redact(connectionProblem(error))} ` +
        `(${this.attempts(log)}); check --model-base-url or GRADE_MODEL_BASE_URL, and that the server is running`
      );
    }
    if (error instanceof sdk.APIError && typeof error.status === "number") {
      const said = this.serverMessage(error);
      const status = error.status;
      const hint =
        status === 401 || status === 403
          ? "; check the key in GRADE_MODEL_API_KEY (or --model-api-key)"
          : status === 404
            ? `; check --model-base-url${this.api === "responses" ? " (or use --model-api chat)" : ""}, or map the model with --model <grader model>=<served model>`
            : "";
      return `HTTP ${status} from ${url} after ${this.attempts(log)}${said ? `: ${said}` : ""}${hint}`;
    }
    if (error instanceof SyntaxError) return `${url} answered with invalid JSON: ${this.redact(error.message)}`;
    if (error instanceof Error) return this.redact(error.message);
    return this.redact(String(error));
  }

  /** The server's own message (`{"error": {"message": ...}}`), redacted and shortened. */
  private serverMessage(error: InstanceType<Sdk["APIError"]>): string | undefined {
    const body: unknown = error.error;
    let text: string | undefined;
    if (isObject(body) && typeof body["message"] === "string") text = body["message"];
    else if (isObject(body) && isObject(body["error"]) && typeof body["error"]["message"] === "string") text = body["error"]["message"];
    else if (isObject(body) && typeof body["error"] === "string") text = body["error"];
    else if (typeof body === "string") text = body;
    else if (isObject(body) && Object.keys(body).length > 0) text = JSON.stringify(body);
    else if (body === undefined && error.message.startsWith(`${error.status} `)) {
      text = error.message.slice(`${error.status} `.length);
      if (text === "status code (no body)") text = undefined;
    }
    if (!text?.trim()) return undefined;
    const clean = this.redact(text.trim());
    return clean.length > 500 ? `${clean.slice(0, 500)}…` : clean;
  }
}

/** Why a connection failed, from the error's causes: refused, unknown host, reset, TLS. */
function connectionProblem(error: Error): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && isObject(current); depth++) {
    const code = current["code"];
    if (typeof code === "string") {
      if (code === "ECONNREFUSED") return "connection refused";
      if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
      if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "the connection was closed";
      if (code === "EHOSTUNREACH" || code === "ENETUNREACH") return "host unreachable";
      if (/CERT|TLS|SSL/.test(code)) return `TLS certificate problem (${code})`;
      return code;
    }
    current = current["cause"];
  }
  // No code: the innermost message (fetch refuses some ports outright: "bad port").
  let deepest: unknown = error;
  for (let depth = 0; depth < 6 && deepest instanceof Error && deepest.cause instanceof Error; depth++) deepest = deepest.cause;
  return (deepest instanceof Error && deepest.message) || "connection failed";
}

/** The cosine similarity of two vectors of the same length, clamped to 0..1 (0 for a zero vector). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return 0;
  const value = dot / (Math.sqrt(na) * Math.sqrt(nb));
  return Math.min(1, Math.max(0, value));
}
