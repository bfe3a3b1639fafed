import type { OpenAI } from "openai";
import type { RemoteConfig } from "./config.js";
import type { GraderEngine, RunRequest, RunResponse, ValidateRequest, ValidateResponse } from "./engine.js";
import { EngineError } from "./errors.js";
import { createRedactor, redactKeyShaped, urlSecrets, withoutCredentials, type Redactor } from "./redact.js";
import { isObject, parseRunResponse, parseValidateResponse } from "./response.js";

/*
 * The remote engine: the grader endpoints of the OpenAI API (or Azure OpenAI, or any compatible
 * server), called through the official `openai` client's generic `post`, so the body is sent as
 * built (a multi's `graders` stays a map whatever the SDK's types say).
 *
 * Retries are the client's: 408, 409, 429, 5xx and connection errors are retried up to
 * `maxRetries` times, waiting what `retry-after-ms` or `Retry-After` asks (up to 60 s), else an
 * exponential backoff from 0.5 s. `timeoutMs` bounds each attempt and, through an abort signal,
 * the whole call with its retries and waits.
 */

export const RUN_PATH = "/fine_tuning/alpha/graders/run";
export const VALIDATE_PATH = "/fine_tuning/alpha/graders/validate";

type Sdk = typeof import("openai");

/** What a dry run prints: the request, without any authentication header. */
export interface DescribedRequest {
  readonly method: "POST";
  readonly url: string;
  /** Only the headers that carry no secret: content type, organization, project. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: RunRequest | ValidateRequest;
}

/** What the transport saw during one call, for the messages. */
interface AttemptLog {
  attempts: number;
  lastStatus: number | undefined;
}

/** Never sent: a dry run builds its client with this instead of a key. */
const NO_KEY = "dry-run-no-key";

function createClient(sdk: Sdk, config: RemoteConfig, apiKey: string, log: AttemptLog | undefined): OpenAI {
  const counting = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (log) log.attempts++;
    return globalThis.fetch(input, init).then((response) => {
      if (log) log.lastStatus = response.status;
      return response;
    });
  };
  const common = {
    apiKey,
    // fetch refuses a URL holding a user and password; the API takes the key.
    baseURL: withoutCredentials(config.baseURL),
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    fetch: counting,
    // The client's logger is off: nothing it could print (headers, URLs) reaches the terminal.
    logLevel: "off" as const,
    adminAPIKey: null,
    webhookSecret: null,
  };
  if (config.provider === "azure") {
    return new sdk.AzureOpenAI({ ...common, apiVersion: config.apiVersion, organization: null, project: null });
  }
  return new sdk.OpenAI({ ...common, organization: config.organization ?? null, project: config.project ?? null });
}

async function loadSdk(): Promise<Sdk> {
  return import("openai");
}

export class RemoteEngine implements GraderEngine {
  readonly name = "remote";
  private readonly log: AttemptLog = { attempts: 0, lastStatus: undefined };
  private readonly redact: Redactor;
  private readonly client: OpenAI;

  private constructor(
    private readonly sdk: Sdk,
    readonly config: RemoteConfig,
  ) {
    if (config.apiKey === undefined) {
      throw new EngineError("config", `no API key: set ${config.keyVariable} (or pass --api-key)`);
    }
    this.redact = createRedactor([config.apiKey, ...urlSecrets(config.baseURL)]);
    this.client = this.guard(() => createClient(sdk, config, config.apiKey!, this.log));
  }

  /** An engine for `config` (which must hold a key). Loads the `openai` package on first use. */
  static async create(config: RemoteConfig): Promise<RemoteEngine> {
    return new RemoteEngine(await loadSdk(), config);
  }

  /** The request `run` or `validate` would send, for `--dry-run`. Needs no key; sends nothing. */
  static async describe(
    config: RemoteConfig,
    path: string,
    body: RunRequest | ValidateRequest,
  ): Promise<DescribedRequest> {
    const sdk = await loadSdk();
    const client = createClient(sdk, config, NO_KEY, undefined);
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (config.provider === "openai" && config.organization) headers["openai-organization"] = config.organization;
    if (config.provider === "openai" && config.project) headers["openai-project"] = config.project;
    return { method: "POST", url: client.buildURL(path, undefined), headers, body };
  }

  /** The full URL of an endpoint path (with `api-version` on Azure). */
  url(path: string): string {
    return this.client.buildURL(path, undefined);
  }

  async run(request: RunRequest): Promise<RunResponse> {
    return parseRunResponse(await this.post(RUN_PATH, request));
  }

  async validate(request: ValidateRequest): Promise<ValidateResponse> {
    return parseValidateResponse(await this.post(VALIDATE_PATH, request));
  }

  private guard<T>(create: () => T): T {
    try {
      return create();
    } catch (error) {
      if (error instanceof this.sdk.OpenAIError) throw new EngineError("config", this.redact(error.message));
      throw error;
    }
  }

  private async post(path: string, body: RunRequest | ValidateRequest): Promise<unknown> {
    this.log.attempts = 0;
    this.log.lastStatus = undefined;
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    try {
      return await this.client.post<unknown>(path, { body, signal: deadline });
    } catch (error) {
      throw this.describeFailure(error, path, deadline);
    }
  }

  private seconds(): string {
    const s = this.config.timeoutMs / 1000;
    return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
  }

  private attempts(): string {
    const n = this.log.attempts;
    return `${n} attempt${n === 1 ? "" : "s"}`;
  }

  private where(): string {
    return this.config.provider === "azure"
      ? "--azure-endpoint, AZURE_OPENAI_ENDPOINT or --base-url"
      : "--base-url or OPENAI_BASE_URL";
  }

  /** Turns whatever the client threw into an EngineError with a message fit for a user. */
  private describeFailure(error: unknown, path: string, deadline: AbortSignal): EngineError | unknown {
    const { sdk } = this;
    const url = this.redact(this.url(path));
    const attempts = this.log.attempts;
    if (deadline.aborted || error instanceof sdk.APIConnectionTimeoutError || error instanceof sdk.APIUserAbortError) {
      const last = this.log.lastStatus;
      const message =
        last !== undefined && last >= 400
          ? `gave up within --timeout ${this.seconds()}: ${this.attempts()}, the last answered HTTP ${last}; try again later or raise --timeout`
          : `no answer from ${url} within ${this.seconds()} (--timeout); raise --timeout if the grader needs longer`;
      return new EngineError("timeout", message, { status: last, attempts });
    }
    if (error instanceof sdk.APIConnectionError) {
      return new EngineError(
        "network",
        `cannot reach the API at ${this.redact(withoutCredentials(this.config.baseURL))}: ${this.redact(connectionProblem(error))} (${this.attempts()}); check ${this.where()} and the network`,
        { attempts },
      );
    }
    if (error instanceof sdk.APIError && typeof error.status === "number") {
      return this.describeStatus(error.status, error, path, url);
    }
    if (error instanceof SyntaxError) {
      return new EngineError("response", `the API answered with invalid JSON: ${this.redact(error.message)}`, {
        attempts,
      });
    }
    if (error instanceof sdk.OpenAIError) return new EngineError("config", this.redact(error.message), { attempts });
    return error;
  }

  private describeStatus(status: number, error: InstanceType<Sdk["APIError"]>, path: string, url: string): EngineError {
    const apiMessage = this.apiMessage(error);
    const said = apiMessage ? `: ${apiMessage}` : "";
    const param = typeof error.param === "string" ? error.param : undefined;
    const details = { status, apiMessage, param, attempts: this.log.attempts };
    const key = this.config.keyVariable;
    switch (true) {
      case status === 401:
        return new EngineError(
          "auth",
          `the API did not accept the key (HTTP 401${said}); set ${key} to a valid key`,
          details,
        );
      case status === 403:
        return new EngineError(
          "permission",
          `the API refused the request (HTTP 403${said}); check that the key in ${key} may use the fine-tuning graders` +
            (this.config.provider === "openai" ? " (and OPENAI_ORG_ID / OPENAI_PROJECT_ID, when set)" : ""),
          details,
        );
      case status === 404:
        return new EngineError(
          "not-found",
          `the API has no ${path} at ${url} (HTTP 404${said}); check ${this.where()}`,
          details,
        );
      case status === 400 || status === 422:
        return new EngineError("rejected", `the API rejected the request (HTTP ${status})${said}`, details);
      case status === 429:
        return new EngineError(
          "rate-limit",
          `rate limited (HTTP 429${said}) after ${this.attempts()}; wait and try again, or raise --max-retries`,
          details,
        );
      case status >= 500:
        return new EngineError(
          "server",
          `the API failed (HTTP ${status}${said}) after ${this.attempts()}; try again later`,
          details,
        );
      default:
        return new EngineError("http", `the API answered HTTP ${status}${said}`, details);
    }
  }

  /** The service's own message (`{"error": {"message": ...}}`), redacted and shortened. */
  private apiMessage(error: InstanceType<Sdk["APIError"]>): string | undefined {
    const body: unknown = error.error;
    let text: string | undefined;
    if (isObject(body) && typeof body["message"] === "string") text = body["message"];
    else if (typeof body === "string") text = body;
    else if (isObject(body) && Object.keys(body).length > 0) text = JSON.stringify(body);
    else if (body === undefined && error.message.startsWith(`${error.status} `)) {
      // A body that is not JSON: the client keeps its text in the message, after the status.
      text = error.message.slice(`${error.status} `.length);
      if (text === "status code (no body)") text = undefined;
    }
    if (!text?.trim()) return undefined;
    const clean = redactKeyShaped(this.redact(text.trim()));
    return clean.length > 1000 ? `${clean.slice(0, 1000)}…` : clean;
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
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  return cause || "connection failed";
}
