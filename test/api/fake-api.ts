import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { RUN_RESPONSE } from "./fixtures.js";

/*
 * A real HTTP server on 127.0.0.1 (port 0) that implements the two grader endpoints with the
 * API reference's answer shapes and records every request, so tests assert exactly what the
 * CLI sends. Replies can be scripted: queued replies are used first, in order, then the default
 * (`/.../graders/run` → the documented run answer, `/.../graders/validate` → `{grader}` echoed).
 */

export interface Recorded {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly body: unknown;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface JsonReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** "hang": accept the request and never answer. */
export type Reply = JsonReply | "hang" | ((request: Recorded) => JsonReply | "hang");

export class FakeApi {
  readonly requests: Recorded[] = [];
  private readonly queue: Reply[] = [];
  private fallback: Reply | undefined;

  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:<port>` */
    readonly origin: string,
  ) {}

  static async start(): Promise<FakeApi> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const api = new FakeApi(server, `http://127.0.0.1:${port}`);
    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => void api.handle(req, res));
    return api;
  }

  /** The OpenAI-style base URL (`/v1`). */
  get baseUrl(): string {
    return `${this.origin}/v1`;
  }

  /** Queues replies for the next requests, in order. */
  reply(...replies: Reply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** The reply to every request once the queue is empty (instead of the endpoints' default). */
  always(reply: Reply): this {
    this.fallback = reply;
    return this;
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.fallback = undefined;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const url = new URL(req.url ?? "/", this.origin);
    const recorded: Recorded = {
      method: req.method ?? "",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      rawBody,
      body,
      at: performance.now(),
    };
    this.requests.push(recorded);
    let reply = this.queue.shift() ?? this.fallback ?? defaultReply;
    if (typeof reply === "function") reply = reply(recorded);
    if (reply === "hang") return;
    const text =
      reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
      "x-request-id": `req_${this.requests.length}`,
      ...reply.headers,
    });
    res.end(text);
  }
}

/** The endpoints, under the OpenAI base path (`/v1`) or the Azure one (`/openai`). */
const ENDPOINT = /^\/(?:v1|openai)\/fine_tuning\/alpha\/graders\/(run|validate)$/;

function defaultReply(request: Recorded): JsonReply {
  const endpoint = request.method === "POST" ? ENDPOINT.exec(request.path)?.[1] : undefined;
  if (endpoint === "run") {
    return { status: 200, body: RUN_RESPONSE };
  }
  if (endpoint === "validate") {
    const grader =
      typeof request.body === "object" && request.body !== null
        ? (request.body as { grader?: unknown }).grader
        : undefined;
    return { status: 200, body: { grader } };
  }
  return {
    status: 404,
    body: {
      error: {
        message: `Invalid URL (${request.method} ${request.path})`,
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (connection refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
