import * as http from "node:http";
import OpenAI from "openai";
import type { RunResponse } from "../../src/api/engine.js";
import type { JsonObject } from "../../src/emit/emit.js";

/* Shared pieces of the `grade serve` tests. */

export const RUN_PATH = "/v1/fine_tuning/alpha/graders/run";
export const VALIDATE_PATH = "/v1/fine_tuning/alpha/graders/validate";

export const STRING_CHECK: JsonObject = {
  type: "string_check",
  name: "exact",
  input: "{{sample.output_text}}",
  reference: "{{item.answer}}",
  operation: "eq",
};

export const MULTI: JsonObject = {
  type: "multi",
  name: "name and city",
  graders: {
    name: { type: "string_check", name: "name", input: "{{sample.output_json.name}}", reference: "{{item.name}}", operation: "eq" },
    city: { type: "text_similarity", name: "city", input: "{{sample.output_json.city}}", reference: "{{item.city}}", evaluation_metric: "fuzzy_match" },
  },
  calculate_output: "0.5 * name + 0.5 * city",
};

export const pythonGrader = (source: string, name = "py"): JsonObject => ({ type: "python", name, source });

/** The official client, pointed at the server, without retries (each test says what it sends). */
export function client(baseURL: string, apiKey = "unused", maxRetries = 0): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries, timeout: 30_000 });
}

/** A run answer without its timing, to compare two runs. */
export function timeless(answer: object): unknown {
  const run = answer as RunResponse;
  return { ...run, metadata: { ...run.metadata, execution_time: "(time)" } };
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: { error?: { message: string; type: string; param: string | null; code: string | null } } & Record<string, unknown>;
}

/**
 * One raw HTTP request (node:http, so headers, methods and bodies can be anything, chunked
 * included: `body` as an array is written chunk by chunk without a content-length).
 */
export function request(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer | (string | Buffer)[] },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path, url);
    const req = http.request(target, { method: options.method ?? "POST", headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: RawAnswer["json"] = {};
        try {
          json = JSON.parse(text) as RawAnswer["json"];
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    const body = options.body;
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else req.end(body);
  });
}

/** POST JSON to a route. */
export function postJson(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return request(url, { path, headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** A promise with its resolve, for engines the test drives by hand. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
