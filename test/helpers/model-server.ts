import * as http from "node:http";
import type { AddressInfo } from "node:net";

/*
 * A scripted OpenAI-compatible model server on 127.0.0.1 (port 0), for the local engine's model
 * graders: `/v1/chat/completions`, `/v1/responses` and `/v1/embeddings`, answered in the API's
 * shapes. It records every request so tests assert exactly what the engine sends. Queued replies
 * are used first, in order, then `always`, then the default: a chat or responses answer with
 * `{"steps": [...], "result": 0.5}` (the first label when the schema has an enum), and
 * letter-count embeddings (similar texts get similar vectors).
 */

export interface ModelRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly rawBody: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any field
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface JsonReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** "hang": accept the request and never answer. */
export type Reply = JsonReply | "hang" | ((request: ModelRequest) => JsonReply | "hang");

export interface Usage {
  readonly prompt?: number;
  readonly completion?: number;
  readonly cached?: number;
}

/** A Chat Completions answer: the content (a JSON value is serialised), or a refusal. */
export function chatReply(
  answer: unknown,
  options: { model?: string; usage?: Usage | null; finishReason?: string; refusal?: string } = {},
): JsonReply {
  const { prompt = 100, completion = 20, cached = 0 } = options.usage ?? {};
  const content = options.refusal !== undefined ? null : typeof answer === "string" ? answer : JSON.stringify(answer);
  return {
    status: 200,
    body: {
      id: "chatcmpl-1",
      object: "chat.completion",
      created: 1_700_000_000,
      model: options.model ?? "served-model",
      choices: [
        {
          index: 0,
          finish_reason: options.finishReason ?? "stop",
          message: { role: "assistant", content, refusal: options.refusal ?? null },
        },
      ],
      ...(options.usage === null
        ? {}
        : {
            usage: {
              prompt_tokens: prompt,
              completion_tokens: completion,
              total_tokens: prompt + completion,
              prompt_tokens_details: { cached_tokens: cached },
            },
          }),
    },
  };
}

/** A Responses API answer: output text (a JSON value is serialised), or a refusal part. */
export function responsesReply(
  answer: unknown,
  options: { model?: string; usage?: Usage; refusal?: string; incomplete?: boolean } = {},
): JsonReply {
  const { prompt = 100, completion = 20, cached = 0 } = options.usage ?? {};
  const part =
    options.refusal !== undefined
      ? { type: "refusal", refusal: options.refusal }
      : { type: "output_text", text: typeof answer === "string" ? answer : JSON.stringify(answer), annotations: [] };
  return {
    status: 200,
    body: {
      id: "resp_1",
      object: "response",
      created_at: 1_700_000_000,
      model: options.model ?? "served-model",
      status: options.incomplete ? "incomplete" : "completed",
      incomplete_details: options.incomplete ? { reason: "max_output_tokens" } : null,
      output: [
        { type: "reasoning", id: "rs_1", summary: [] },
        { type: "message", id: "msg_1", role: "assistant", status: "completed", content: [part] },
      ],
      usage: {
        input_tokens: prompt,
        output_tokens: completion,
        total_tokens: prompt + completion,
        input_tokens_details: { cached_tokens: cached },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    },
  };
}

/** An OpenAI-style error answer. */
export function errorReply(status: number, message: string, headers: Record<string, string> = {}): JsonReply {
  return { status, headers, body: { error: { message, type: "server_error", param: null, code: null } } };
}

/** Letter counts a..z: a crude embedding where texts with the same letters are close. */
export function letterVector(text: string): number[] {
  const v = new Array<number>(26).fill(0);
  for (const c of text.toLowerCase()) {
    const i = c.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) v[i]!++;
  }
  return v;
}

function defaultReply(request: ModelRequest): JsonReply {
  const body = request.body ?? {};
  if (request.method === "POST" && request.path === "/v1/embeddings") {
    const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
    return {
      status: 200,
      body: {
        object: "list",
        model: body.model,
        data: inputs.map((text, index) => ({ object: "embedding", index, embedding: letterVector(String(text)) })),
        usage: { prompt_tokens: 8, total_tokens: 8 },
      },
    };
  }
  const schema = body.response_format?.json_schema?.schema ?? body.text?.format?.schema;
  const labels: string[] | undefined = schema?.properties?.result?.enum;
  const answer = { steps: [{ description: "compared", conclusion: "close" }], result: labels ? labels[0] : 0.5 };
  if (request.method === "POST" && request.path === "/v1/chat/completions") return chatReply(answer, { model: body.model });
  if (request.method === "POST" && request.path === "/v1/responses") return responsesReply(answer, { model: body.model });
  return errorReply(404, `Invalid URL (${request.method} ${request.path})`);
}

export class FakeModelServer {
  readonly requests: ModelRequest[] = [];
  private readonly queue: Reply[] = [];
  private fallback: Reply | undefined;

  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:<port>` */
    readonly origin: string,
  ) {}

  static async start(): Promise<FakeModelServer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeModelServer(server, `http://127.0.0.1:${port}`);
    server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => void fake.handle(req, res));
    return fake;
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

  /** The reply to every request once the queue is empty (instead of the default). */
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
    const recorded: ModelRequest = { method: req.method ?? "", path: url.pathname, headers: req.headers, rawBody, body, at: performance.now() };
    this.requests.push(recorded);
    let reply = this.queue.shift() ?? this.fallback ?? defaultReply;
    if (typeof reply === "function") reply = reply(recorded);
    if (reply === "hang") return;
    const text = reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      "content-type": typeof reply.body === "string" ? "text/plain" : "application/json",
      ...reply.headers,
    });
    res.end(text);
  }
}

/** A port on 127.0.0.1 where nothing listens (connection refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
