import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { gradeAsync } from "../api/cli.js";
import { FakeApi } from "../api/fake-api.js";
import { RUN_RESPONSE } from "../api/fixtures.js";
import { hasStackTrace, root, type Run } from "../helpers/cli.js";
import { chatReply, closedPort, FakeModelServer, type ModelRequest } from "../helpers/model-server.js";

/*
 * Configured secrets never reach an output: a hostile (or careless) model server or API on
 * loopback that echoes its whole request — headers included — back in a 200 answer, in every
 * string it can (the model's text, the model name, the error details). Neither the API key nor a
 * base URL's password may then be in `grade serve`'s answer, a `grade eval` results file (local and
 * --remote), or anything a command prints; URLs are printed without their credentials.
 */

const KEY = "sk-test-echo-SECRET-5f1c2a9b";
const PASSWORD = "pa55-SECRET-w0rd";
const API_KEY = "sk-test-api-SECRET-77aa01";

let dir: string;
let model: FakeModelServer;
let api: FakeApi;

/** The request as a string (headers first, so a shortened quote still holds the Authorization). */
const echo = (request: { method: string; path: string; headers: Record<string, unknown>; rawBody: string }) =>
  JSON.stringify({ authorization: request.headers["authorization"], headers: request.headers, method: request.method, path: request.path, body: request.rawBody });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-secrets-"));
  model = await FakeModelServer.start();
  model.always((request: ModelRequest) => chatReply(echo(request), { model: echo(request).slice(0, 300) }));
  api = await FakeApi.start();
  api.always((request) => ({
    status: 200,
    body: {
      ...RUN_RESPONSE,
      metadata: {
        ...RUN_RESPONSE.metadata,
        sampled_model_name: echo(request).slice(0, 400),
        errors: { ...RUN_RESPONSE.metadata.errors, model_grader_server_error_details: echo(request) },
      },
    },
  }));
  fs.writeFileSync(
    path.join(dir, "score.grade"),
    'score_model "judge" {\n  model: "gpt-4o"\n  user "Rate {{sample.output_text}} from 0 to 1"\n  range: [0, 1]\n}\n',
  );
  fs.writeFileSync(path.join(dir, "rows.jsonl"), `${JSON.stringify({ item: {}, sample: "fine" })}\n${JSON.stringify({ item: {}, sample: "also fine" })}\n`);
});
afterAll(async () => {
  await model.close();
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const SCORE = () => path.join(dir, "score.grade");
const ROWS = () => path.join(dir, "rows.jsonl");

function noSecret(run: Run, ...files: string[]): void {
  const everything = [run.stdout, run.stderr, ...files.map((f) => fs.readFileSync(f, "utf8"))].join("\n");
  expect(hasStackTrace(everything), everything).toBe(false);
  for (const secret of [KEY, PASSWORD, API_KEY, encodeURIComponent(PASSWORD), Buffer.from(`user:${PASSWORD}`).toString("base64")]) {
    expect(everything.includes(secret), `${secret} in:\n${everything.slice(0, 2000)}`).toBe(false);
  }
}

describe("a model server that echoes its request: the key is masked", () => {
  it("the model server did receive the key (the test can fail)", async () => {
    model.requests.length = 0;
    await gradeAsync(["run", SCORE(), "--sample", "fine", "--model-base-url", model.baseUrl], { env: { GRADE_MODEL_API_KEY: KEY } });
    expect(model.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("grade eval (local): the results file and the output hold [redacted], not the key", async () => {
    const out = path.join(dir, "local-results.jsonl");
    const run = await gradeAsync(["eval", SCORE(), "--data", ROWS(), "--out", out, "--model-base-url", model.baseUrl, "--no-progress"], {
      env: { GRADE_MODEL_API_KEY: KEY },
    });
    expect(run.code, run.stderr).toBe(1);
    noSecret(run, out);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n").slice(1).map((l) => JSON.parse(l) as { sampled_model_name?: string; errors: Record<string, string> });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.sampled_model_name).toContain('"authorization":"Bearer [redacted]"');
    expect(lines[0]!.errors["model_grader_parse_error_details"]).toContain("Bearer [redacted]");
  });

  it("grade eval without --out: the results on standard output hold no key", async () => {
    const run = await gradeAsync(["eval", SCORE(), "--data", ROWS(), "--model-base-url", model.baseUrl, "--no-progress"], { env: { GRADE_MODEL_API_KEY: KEY } });
    noSecret(run);
    expect(run.stdout).toContain("Bearer [redacted]");
  });

  it("grade eval --remote against an API that echoes the request: the results file holds no key", async () => {
    const out = path.join(dir, "remote-results.jsonl");
    const run = await gradeAsync(["eval", SCORE(), "--remote", "--base-url", api.baseUrl, "--data", ROWS(), "--out", out, "--no-progress"], {
      env: { OPENAI_API_KEY: API_KEY },
    });
    expect(api.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    noSecret(run, out);
    expect(fs.readFileSync(out, "utf8")).toContain("Bearer [redacted]");
  });

  it("grade run: a key echoed in the model name is masked", async () => {
    const run = await gradeAsync(["run", SCORE(), "--sample", "fine", "--model-base-url", model.baseUrl, "--json"], { env: { GRADE_MODEL_API_KEY: KEY } });
    noSecret(run);
    expect(run.stdout).toContain("Bearer [redacted]");
  });
});

describe("grade test with a model server that echoes its request", () => {
  it("prints the failing test's details with the key masked", async () => {
    const file = path.join(dir, "tested.grade");
    fs.writeFileSync(file, `${fs.readFileSync(SCORE(), "utf8")}\ntest "scored" {\n  sample: "fine"\n  expect: 1\n}\n`);
    const run = await gradeAsync(["test", file, "--model-base-url", model.baseUrl], { env: { GRADE_MODEL_API_KEY: KEY } });
    expect(run.code).toBe(1);
    noSecret(run);
    expect(run.stdout).toContain("[redacted]");
  });
});

describe("a base URL's password", () => {
  it("grade run --model-base-url http://user:pass@host/v1: the connection error names the URL without credentials", async () => {
    const port = await closedPort();
    const run = await gradeAsync(["run", SCORE(), "--sample", "fine", "--model-base-url", `http://user:${PASSWORD}@127.0.0.1:${port}/v1`, "--model-max-retries", "0"]);
    noSecret(run);
    expect(run.stdout + run.stderr).toContain(
      `\`gpt-4o\`: cannot reach the model server at http://127.0.0.1:${port}/v1: connection refused (1 attempt); check --model-base-url or GRADE_MODEL_BASE_URL, and that the server is running`,
    );
  });

  it("the user and password of --model-base-url go as Basic authorization, and an echo of them is masked", async () => {
    model.requests.length = 0;
    const url = model.baseUrl.replace("http://", `http://user:${PASSWORD}@`);
    const run = await gradeAsync(["run", SCORE(), "--sample", "fine", "--model-base-url", url, "--json"]);
    expect(model.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from(`user:${PASSWORD}`).toString("base64")}`);
    noSecret(run);
    expect(run.stdout).toContain("Basic [redacted]");
  });

  it("grade run --remote --base-url http://user:pass@host/v1: the connection error names the URL without credentials", async () => {
    const port = await closedPort();
    const run = await gradeAsync(["run", SCORE(), "--sample", "fine", "--remote", "--base-url", `http://user:${PASSWORD}@127.0.0.1:${port}/v1`, "--max-retries", "0"], {
      env: { OPENAI_API_KEY: API_KEY },
    });
    noSecret(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`cannot reach the API at http://127.0.0.1:${port}/v1: connection refused`);
  });
});

describe("grade serve with a model server that echoes its request", () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  });

  function serve(args: readonly string[], env: Record<string, string>): Promise<{ url: string; stderr: () => string }> {
    const child = spawn(process.execPath, [path.join(root, "bin/grade.js"), "serve", "--port", "0", ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let stderr = "";
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`grade serve printed no URL:\n${stderr}`)), 20_000);
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
        const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
        if (url && stderr.includes("Ctrl-C stops.\n")) {
          clearTimeout(timer);
          resolve({ url, stderr: () => stderr });
        }
      });
    });
  }

  it("the answer to /graders/run carries neither the model key nor the server's token", async () => {
    const token = "tok-serve-SECRET-0c9d8e";
    const served = await serve(["--model-base-url", model.baseUrl, "--disable-python"], { GRADE_MODEL_API_KEY: KEY, GRADE_SERVE_TOKEN: token });
    const grader = { type: "score_model", name: "judge", model: "gpt-4o", input: [{ role: "user", content: "Rate {{sample.output_text}}" }], range: [0, 1] };
    const response = await fetch(`${served.url}/v1/fine_tuning/alpha/graders/run`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ grader, model_sample: "fine", item: {} }),
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(model.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(token);
    expect(text).toContain("Bearer [redacted]");
    expect(served.stderr()).not.toContain(KEY);
  });
});
