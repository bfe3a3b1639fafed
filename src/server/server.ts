import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { RunRequest, RunResponse, ValidateRequest, ValidateResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { basicAuth, createRedactor, credentialsOf, headerSecrets, urlSecrets } from "../api/redact.js";
import type { JsonObject } from "../emit/emit.js";
import { LocalEngine, type LocalEngineOptions } from "../engine/local.js";
import { sandboxStatus } from "../engine/sandbox.js";
import { HttpError, invalidType, missingParameter } from "./errors.js";
import { Limiter, type Release } from "./limiter.js";
import { HARDENING_HEADERS, bearerCheck, hostCheck, originOf } from "./security.js";

/*
 * `grade serve`: the local engine behind the API's own routes, so an OpenAI client whose base URL
 * points here works unchanged.
 *
 *   POST /v1/fine_tuning/alpha/graders/run        {grader, model_sample, item?} → the run answer
 *   POST /v1/fine_tuning/alpha/graders/validate   {grader}                      → {grader}
 *   GET  /health                                  {"status": "ok", ...} (no token needed)
 *
 * The same routes without `/v1` answer too (a base URL without the version), and at Azure
 * OpenAI's `/openai/v1/...` and `/openai/...` (its clients' paths). Every error is in
 * the API's shape, `{"error": {message, type, param, code}}`; no stack trace is ever sent or
 * logged. Plain node:http: two routes need no framework.
 */

/** What the server runs graders with: the local engine, or any engine of that shape (tests). */
export interface ServerEngine {
  run(request: RunRequest): Promise<RunResponse>;
  validate(request: ValidateRequest): Promise<ValidateResponse>;
  close?(): Promise<void>;
}

export interface ServerOptions {
  /** 0 picks a free port (default 0). */
  readonly port?: number;
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** When set, every route but /health needs `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
  /** Gradings at once (default 8, the local engine's warm python workers). */
  readonly concurrency?: number;
  /** Requests that may wait for a slot beyond `concurrency` (default 100); more get 429. */
  readonly maxQueue?: number;
  /** The largest request body (default 1 MiB); larger gets 413. */
  readonly maxBodyBytes?: number;
  /** From arrival to answer, queue included (default 300 s); later gets 504. */
  readonly requestTimeoutMs?: number;
  /** The engine's options, for the local engine the server makes (and closes). */
  readonly engineOptions?: LocalEngineOptions;
  /** Another engine (the caller closes it). */
  readonly engine?: ServerEngine;
  /** False: python graders (also inside a multi) are refused with 400. Default true. */
  readonly allowPython?: boolean;
  /**
   * Python graders where no sandbox is available (engine/sandbox.ts): refused with 400 unless
   * this is true. Default false. Only for the server's own local engine (`engine` unset).
   */
  readonly unsandboxedPython?: boolean;
  /** Host names (beyond loopback names and the bound address) that `Host` and `Origin` may name. */
  readonly allowHosts?: readonly string[];
  /** One line per request (method, path, status, ms) and per internal error; default: silent. */
  readonly log?: ((line: string) => void) | undefined;
  /**
   * Secrets masked in every answer and log line, besides the token and the model server's key and
   * URL password (always masked): e.g. other keys in the environment.
   */
  readonly secrets?: readonly (string | undefined)[] | undefined;
}

export interface CloseResult {
  /** Requests still running when the grace period ended (their connections were cut). */
  readonly cut: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:8787` */
  readonly url: string;
  /** The base URL for OpenAI clients: `<url>/v1`. */
  readonly baseUrl: string;
  readonly host: string;
  readonly port: number;
  /** Requests being answered, and those of them waiting for a slot. */
  stats(): { inFlight: number; running: number; queued: number };
  /** Whether python graders run in a sandbox (undefined: python disabled, or another engine). */
  readonly pythonSandboxed: boolean | undefined;
  /** One line on what holds for python graders (undefined as above). */
  readonly pythonNotice: string | undefined;
  /**
   * Stops accepting connections, lets the requests in flight finish for up to `graceMs` (default
   * 30 s; a second call with 0 cuts them at once), then closes every connection and the engine.
   */
  close(graceMs?: number): Promise<CloseResult>;
}

export const DEFAULTS = {
  port: 8787,
  host: "127.0.0.1",
  concurrency: 8,
  maxQueue: 100,
  maxBodyBytes: 1024 * 1024,
  requestTimeoutMs: 300_000,
  graceMs: 30_000,
} as const;

/** Seconds a refused (429) client is asked to wait. */
const RETRY_AFTER_SECONDS = 1;

/** `/v1/...`, `/...`, and Azure OpenAI's `/openai/v1/...` and `/openai/...` (its api-version query is ignored). */
const GRADER_ROUTE = /^(?:\/openai)?(?:\/v1)?\/fine_tuning\/alpha\/graders\/(run|validate)$/;
const HEALTH_ROUTE = "/health";
const RUN_KEYS = new Set(["grader", "model_sample", "item"]);
const VALIDATE_KEYS = new Set(["grader"]);
const RFT_TYPES = "'string_check' | 'text_similarity' | 'python' | 'score_model' | 'multi'";

/** Why waiting was abandoned: the request ran out of time, or its client went away. */
class Abandoned extends Error {
  constructor(readonly why: "timeout" | "gone") {
    super(why);
  }
}

/** The path for the log: no query string, printable ASCII only, at most 200 characters. */
function loggablePath(url: string): string {
  const path = url.split("?")[0]!;
  const safe = path.replace(/[^\x21-\x7e]/g, "?");
  return safe.length > 200 ? `${safe.slice(0, 200)}...` : safe;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the body, up to `limit` bytes: 413 beyond it, a rejection naming "gone" if the client leaves. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      req.off("data", onData).off("end", onEnd).off("error", onGone).off("aborted", onGone);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onGone = () => done(new Abandoned("gone"));
    req.on("data", onData).on("end", onEnd).on("error", onGone).on("aborted", onGone);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `The request body is larger than the server's limit of ${limit} bytes (grade serve --max-body).`, "invalid_request_error", null, "request_too_large");
}

/** The body as a JSON object, or a 400 saying what is wrong with it. */
function parseJsonObject(raw: Buffer, shape: string): JsonObject {
  if (raw.length === 0) throw new HttpError(400, `The request body is empty; send a JSON object ${shape}.`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new HttpError(400, "The request body is not valid UTF-8; send a JSON object encoded in UTF-8.");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `We could not parse the JSON body of your request: ${(error as Error).message}. Send a JSON object ${shape}.`);
  }
  if (!isJsonObject(body)) throw new HttpError(400, `The request body must be a JSON object ${shape}, but it is ${body === null ? "null" : Array.isArray(body) ? "an array" : `a ${typeof body}`}.`);
  return body;
}

function rejectUnknownKeys(body: JsonObject, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw new HttpError(400, `Unrecognized request argument supplied: ${key}`, "invalid_request_error", null, "unknown_parameter");
  }
}

function graderOf(body: JsonObject): JsonObject {
  if (!("grader" in body)) throw missingParameter("grader");
  const grader = body["grader"];
  if (!isJsonObject(grader)) throw invalidType("grader", "an object", grader);
  return grader;
}

/** Whether a grader needs python: a python grader, or a multi with one. */
function needsPython(grader: JsonObject): boolean {
  if (grader["type"] === "python") return true;
  const graders = grader["graders"];
  return grader["type"] === "multi" && isJsonObject(graders) && Object.values(graders).some((g) => isJsonObject(g) && g["type"] === "python");
}

/** The rules the routes add to the engine's: rft graders only, and python only when allowed. */
function checkGrader(grader: JsonObject, allowPython: boolean, pythonRefusal = "python graders are disabled on this server (grade serve --disable-python)."): void {
  if (grader["type"] === "label_model") {
    throw new HttpError(
      400,
      `Invalid value for 'grader.type': 'label_model' is not accepted at the top level of /graders/run and /graders/validate (nor by the API); expected ${RFT_TYPES}. A label_model may be a grader of a multi, or an Evals testing criterion.`,
      "invalid_request_error",
      "grader.type",
    );
  }
  if (allowPython) return;
  const refuse = (param: string) =>
    new HttpError(400, `Invalid value for '${param}': ${pythonRefusal}`, "invalid_request_error", param);
  if (grader["type"] === "python") throw refuse("grader.type");
  const graders = grader["graders"];
  if (grader["type"] === "multi" && isJsonObject(graders)) {
    for (const [key, sub] of Object.entries(graders)) {
      if (isJsonObject(sub) && sub["type"] === "python") throw refuse(`grader.graders.${key}.type`);
    }
  }
}

function parseRun(raw: Buffer): RunRequest {
  const body = parseJsonObject(raw, "{grader, model_sample, item?}");
  rejectUnknownKeys(body, RUN_KEYS);
  const grader = graderOf(body);
  if (!("model_sample" in body)) throw missingParameter("model_sample");
  const sample = body["model_sample"];
  if (typeof sample !== "string") throw invalidType("model_sample", "a string", sample);
  if (!("item" in body) || body["item"] === undefined) return { grader, model_sample: sample };
  const item = body["item"];
  if (!isJsonObject(item)) throw invalidType("item", "an object", item);
  return { grader, model_sample: sample, item };
}

function parseValidate(raw: Buffer): ValidateRequest {
  const body = parseJsonObject(raw, "{grader}");
  rejectUnknownKeys(body, VALIDATE_KEYS);
  return { grader: graderOf(body) };
}

/** An engine's rejection of the grader → 400 naming the field; anything else is a bug (500). */
function fromEngineError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof EngineError && error.kind === "rejected") {
    return new HttpError(400, error.details.apiMessage ?? error.message, "invalid_request_error", error.details.param ?? null);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new HttpError(500, `The local engine failed: ${message}`, "server_error");
}

/** Starts the server; resolves once it listens (rejects with the listen error, e.g. EADDRINUSE). */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const maxBody = options.maxBodyBytes ?? DEFAULTS.maxBodyBytes;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const wantPython = options.allowPython ?? true;
  // Python graders run only in a sandbox, unless the user said otherwise (--unsandboxed-python).
  const sandbox = wantPython && !options.engine ? sandboxStatus(options.engineOptions?.python, options.engineOptions?.sandbox) : undefined;
  // (An interpreter that cannot start runs nothing: its graders answer python_not_found.)
  const unsandboxedRefused = sandbox !== undefined && !sandbox.sandboxed && sandbox.runnable && options.unsandboxedPython !== true;
  const allowPython = wantPython && !unsandboxedRefused;
  const pythonRefusal = unsandboxedRefused
    ? "python graders are refused: this server has no sandbox for them (on Linux install bubblewrap; or start grade serve with --unsandboxed-python to run them anyway, with access to this machine)."
    : undefined;
  // Separate slots: python graders that hang cannot hold the slots of graders that need no python.
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  const maxQueue = options.maxQueue ?? DEFAULTS.maxQueue;
  const limiter = new Limiter(concurrency, maxQueue);
  const pythonLimiter = new Limiter(concurrency, maxQueue);
  const ownEngine = options.engine ? undefined : new LocalEngine({ ...options.engineOptions, target: "rft" });
  const engine: ServerEngine = options.engine ?? ownEngine!;
  const authorize = options.token !== undefined ? bearerCheck(options.token) : undefined;
  // A model server may echo its request (and so its key) back: no answer carries a secret.
  const models = options.engineOptions?.models;
  const credentials = models ? credentialsOf(models.baseURL) : undefined;
  const redact = createRedactor([
    options.token,
    models?.apiKey,
    ...urlSecrets(models?.baseURL),
    credentials && basicAuth(credentials),
    ...(options.secrets ?? []),
  ]);
  const log = options.log && ((line: string) => options.log!(redact(line)));

  let requests = 0;
  let inFlight = 0;
  let hostAllowed: (host: string) => boolean = () => false;

  /** DNS rebinding and cross-site requests: only this server's own names, from no other site. */
  function checkHost(req: http.IncomingMessage): void {
    const host = req.headers.host;
    if (host !== undefined && !hostAllowed(host)) {
      throw new HttpError(
        421,
        `The Host header names ${JSON.stringify(host.slice(0, 100))}, not this server: grade serve answers only its own names (loopback names and the address it listens on; more with --allow-host).`,
        "invalid_request_error",
        null,
        "host_not_allowed",
      );
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let name: string | undefined;
      try {
        const parsed = new URL(origin);
        name = parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.host : undefined;
      } catch {
        name = undefined;
      }
      if (name === undefined || !hostAllowed(name)) {
        throw new HttpError(
          403,
          `Requests from web pages are refused: the Origin ${JSON.stringify(origin.slice(0, 100))} is not this server (grade serve --allow-host adds a name).`,
          "invalid_request_error",
          null,
          "origin_not_allowed",
        );
      }
    }
  }
  let draining = false;
  let onIdle: (() => void) | undefined;

  /** Resolves with the answer, or throws an HttpError; "gone" when there is no one to answer. */
  async function route(req: http.IncomingMessage, path: string, signal: AbortSignal): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const method = req.method ?? "";
    if (path === HEALTH_ROUTE) {
      if (method !== "GET" && method !== "HEAD") throw notAllowed(method, path, "GET, HEAD");
      // The health check itself is in flight while it answers: not counted (in_flight is the work).
      const stats = { in_flight: inFlight - 1, running: limiter.active + pythonLimiter.active, queued: limiter.queued + pythonLimiter.queued };
      return draining ? { status: 503, body: { status: "shutting_down", ...stats } } : { status: 200, body: { status: "ok", ...stats } };
    }
    if (draining) throw new HttpError(503, "The server is shutting down; retry on another instance.", "server_error");
    if (authorize) {
      const verdict = authorize(req.headers.authorization, req.headers["api-key"]);
      if (verdict !== "ok") {
        throw new HttpError(
          401,
          verdict === "missing"
            ? "You didn't provide a token. This grade serve needs `Authorization: Bearer <token>` or `api-key: <token>` (the token it was started with: GRADE_SERVE_TOKEN or --token); OpenAI and Azure OpenAI clients send their api key that way."
            : "Incorrect token provided. This grade serve needs `Authorization: Bearer <token>` with the token it was started with (GRADE_SERVE_TOKEN or --token).",
          "invalid_request_error",
          null,
          "invalid_api_key",
          { "www-authenticate": 'Bearer realm="grade serve"' },
        );
      }
    }
    const endpoint = GRADER_ROUTE.exec(path)?.[1] as "run" | "validate" | undefined;
    if (!endpoint) {
      throw new HttpError(
        404,
        `Invalid URL (${method} ${path}): grade serve answers POST /v1/fine_tuning/alpha/graders/run, POST /v1/fine_tuning/alpha/graders/validate and GET /health.`,
        "invalid_request_error",
        null,
        "unknown_url",
      );
    }
    if (method !== "POST") throw notAllowed(method, path, "POST");
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new HttpError(
        400,
        `The Content-Type must be application/json, not ${type ? `'${type}'` : "missing"} (with curl: -H 'Content-Type: application/json').`,
        "invalid_request_error",
        null,
        "invalid_content_type",
      );
    }
    const raw = await readBody(req, maxBody);
    const request = endpoint === "run" ? parseRun(raw) : parseValidate(raw);
    checkGrader(request.grader, allowPython, pythonRefusal);

    const slots = needsPython(request.grader) ? pythonLimiter : limiter;
    const waiting = slots.acquire(signal);
    if (!waiting) {
      throw new HttpError(
        429,
        `Too many requests: ${slots.concurrency} running and ${slots.maxQueue} waiting (grade serve --concurrency, --max-queue). Retry after ${RETRY_AFTER_SECONDS} s.`,
        "requests",
        null,
        "rate_limit_exceeded",
        { "retry-after": String(RETRY_AFTER_SECONDS) },
      );
    }
    const release: Release = await waiting;
    // The slot is held until the engine is done, also when the request times out or its client
    // leaves first: `concurrency` bounds the work really running (python timeouts end it).
    const work = (endpoint === "run" ? engine.run(request as RunRequest) : engine.validate(request)).finally(release);
    work.catch(() => {});
    const abandoned = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(signal.reason);
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    abandoned.catch(() => {});
    return { status: 200, body: await Promise.race([work, abandoned]) };
  }

  function notAllowed(method: string, path: string, allow: string): HttpError {
    return new HttpError(405, `Method ${method} is not allowed on ${path}; use ${allow.replace(", ", " or ")}.`, "invalid_request_error", null, "method_not_allowed", { allow });
  }

  function send(req: http.IncomingMessage, res: http.ServerResponse, id: string, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    // The request's own Authorization / api-key values are masked too (nothing should echo them).
    const own = headerSecrets({ authorization: req.headers.authorization, "api-key": String(req.headers["api-key"] ?? "") });
    const text = (own.length ? createRedactor(own) : (t: string) => t)(redact(JSON.stringify(body)));
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      "x-request-id": id,
      ...HARDENING_HEADERS,
      // A body left unread (an early error) or a server going away: do not reuse the connection.
      ...(!req.complete || draining ? { connection: "close" } : {}),
      ...headers,
    });
    res.end(text);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const id = `req_${++requests}`;
    const started = performance.now();
    const method = (req.method ?? "").replace(/[^A-Z]/g, "?").slice(0, 16);
    const path = loggablePath(req.url ?? "/");
    inFlight++;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Abandoned("timeout")), requestTimeoutMs);
    res.once("close", () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new Abandoned("gone"));
      inFlight--;
      const ms = (performance.now() - started).toFixed(1);
      log?.(`${method} ${path} ${res.writableFinished ? res.statusCode : "aborted"} ${ms} ms`);
      if (inFlight === 0) onIdle?.();
    });
    try {
      checkHost(req);
      const answer = await route(req, (req.url ?? "/").split("?")[0]!, controller.signal);
      send(req, res, id, answer.status, answer.body, answer.headers);
    } catch (caught) {
      if (caught instanceof Abandoned) {
        if (caught.why === "gone") return;
        const error = new HttpError(504, `The request did not finish within ${requestTimeoutMs / 1000} s (grade serve --request-timeout).`, "server_error", null, "timeout");
        send(req, res, id, error.status, error.body(), { ...error.headers });
        return;
      }
      const error = fromEngineError(caught);
      if (error.status >= 500) log?.(`error: ${id}: ${error.message.replace(/\s+/g, " ")}`);
      send(req, res, id, error.status, error.body(), { ...error.headers });
    }
  }

  const server = http.createServer({ headersTimeout: 20_000, requestTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log?.(`error: ${(error as Error)?.message ?? String(error)}`);
      if (!res.headersSent) res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once("error", onError);
    server.listen(options.port ?? 0, options.host ?? DEFAULTS.host, () => {
      server.off("error", onError);
      resolve();
    });
  }).catch(async (error: unknown) => {
    await ownEngine?.close();
    throw error;
  });
  server.on("error", (error) => log?.(`error: ${error.message}`));

  const address = server.address() as AddressInfo;
  const url = originOf(address.address, address.port);
  hostAllowed = hostCheck(address.address, options.allowHosts ?? []);
  let closing: Promise<CloseResult> | undefined;
  let cutNow: (() => void) | undefined;

  return {
    url,
    baseUrl: `${url}/v1`,
    host: address.address,
    port: address.port,
    stats: () => ({ inFlight, running: limiter.active + pythonLimiter.active, queued: limiter.queued + pythonLimiter.queued }),
    pythonSandboxed: sandbox && sandbox.runnable ? sandbox.sandboxed : undefined,
    pythonNotice: sandbox?.notice,
    close(graceMs = DEFAULTS.graceMs) {
      if (closing) {
        if (graceMs <= 0) cutNow?.();
        return closing;
      }
      draining = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      closing = (async () => {
        if (inFlight > 0) {
          let timer: NodeJS.Timeout | undefined;
          await new Promise<void>((resolve) => {
            onIdle = cutNow = resolve;
            if (graceMs > 0) timer = setTimeout(resolve, graceMs);
            else resolve();
          });
          clearTimeout(timer);
        }
        const cut = inFlight;
        server.closeAllConnections();
        await stopped;
        await ownEngine?.close();
        return { cut };
      })();
      return closing;
    },
  };
}
