import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { startServer } from "../../src/server/server.js";
import { grade, hasStackTrace, root } from "../helpers/cli.js";
import { MULTI, STRING_CHECK, client, pythonGrader, request, sleep } from "./helpers.js";

/* The real `grade serve` binary (dist/bundle): the URL on stderr, the API's routes, SIGTERM → exit 0. */

const hasPython = spawnSync("python3", ["--version"]).status === 0;

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stderr(): string;
  readonly exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

/** Starts `grade serve <args>` and resolves once it printed the URL it listens on (and the line after it). */
function serve(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<Served> {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", GRADE_SERVE_TOKEN: undefined, ...env };
  for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
  const child = spawn(process.execPath, [path.join(root, "bin/grade.js"), "serve", ...args], { cwd: root, env: merged as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let stderr = "";
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`grade serve printed no URL:\n${stderr}`)), 20_000);
    child.stderr!.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url && stderr.includes("Ctrl-C stops.\n")) {
        clearTimeout(timer);
        resolve({ child, url, stderr: () => stderr, exit });
      }
    });
    void exit.then((code) => reject(new Error(`grade serve exited (${code}) before listening:\n${stderr}`)));
  });
}

describe("grade serve (the CLI)", () => {
  it("prints the URL, answers the openai client, logs each request, never prints the token; SIGTERM finishes the request in flight and exits 0", async () => {
    const token = "tok-cli-8c1d2e3f4a5b";
    const served = await serve(["--port", "0", "--python-timeout", "20"], { GRADE_SERVE_TOKEN: token });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.stderr()).toContain(`(OpenAI base URL ${served.url}/v1)`);
    expect(served.stderr()).toContain("token required");
    expect(served.stderr()).not.toContain("warning");

    const openai = client(`${served.url}/v1`, token);
    const run = await openai.fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "Paris", item: { answer: "Paris" } } as never);
    expect(run.reward).toBe(1);
    const multi = await openai.fineTuning.alpha.graders.run({ grader: MULTI, model_sample: '{"name": "Ada", "city": "Paris"}', item: { name: "Ada", city: "Paris" } } as never);
    expect(multi.sub_rewards).toEqual({ name: 1, city: 1 });
    expect((await openai.fineTuning.alpha.graders.validate({ grader: STRING_CHECK } as never)).grader).toEqual(STRING_CHECK);
    const bad = await openai.fineTuning.alpha.graders.validate({ grader: { ...STRING_CHECK, reference: 3 } } as never).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("grader.reference");
    // grade's own remote client, pointed at the server, works unchanged.
    const remote = grade(["run", "examples/graders/contains-city.grade", "--sample", "Off to PARIS", "--item", '{"city": "Paris"}', "--remote", "--base-url", `${served.url}/v1`, "--json"], {
      env: { OPENAI_API_KEY: token, AZURE_OPENAI_ENDPOINT: undefined },
    });
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toMatchObject({ reward: 1, metadata: { type: "string_check" } });
    const denied = await client(`${served.url}/v1`, "tok-wrong").fineTuning.alpha.graders.run({ grader: STRING_CHECK, model_sample: "x" } as never).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);

    let inFlight: Promise<unknown> | undefined;
    if (hasPython) {
      const slow = pythonGrader("import time\ndef grade(sample, item):\n    time.sleep(1.5)\n    return 0.25\n", "slow");
      inFlight = openai.fineTuning.alpha.graders.run({ grader: slow, model_sample: "x" } as never);
      for (let i = 0; i < 100 && (await request(served.url, { method: "GET", path: "/health" })).json["running"] !== 1; i++) await sleep(20);
    }
    served.child.kill("SIGTERM");
    if (inFlight) expect(((await inFlight) as { reward: number }).reward).toBe(0.25);
    expect(await served.exit).toBe(0);

    const stderr = served.stderr();
    expect(stderr).toMatch(/^POST \/v1\/fine_tuning\/alpha\/graders\/run 200 \d+\.\d ms$/m);
    expect(stderr).toMatch(/^POST \/v1\/fine_tuning\/alpha\/graders\/validate 400 \d+\.\d ms$/m);
    expect(stderr).toMatch(/^POST \/v1\/fine_tuning\/alpha\/graders\/run 401 \d+\.\d ms$/m);
    expect(stderr).toContain(hasPython ? "SIGTERM: shutting down, finishing 1 request" : "SIGTERM: shutting down");
    expect(stderr).toMatch(/grade serve: stopped\n$/);
    expect(stderr).not.toContain(token);
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it("a non-loopback --host: a warning on stderr, louder without a token; --quiet: no access log", async () => {
    const served = await serve(["--port", "0", "--host", "0.0.0.0", "--quiet"]);
    const stderr = served.stderr();
    expect(stderr).toContain("warning: listening on every network interface (0.0.0.0): other machines can reach this server.");
    expect(stderr).toContain("warning: no token: ANYONE who can reach it can use it, and python graders run their code on this machine");
    expect(stderr).toContain("Set GRADE_SERVE_TOKEN (or --token)");
    const port = new URL(served.url).port;
    expect((await request(`http://127.0.0.1:${port}`, { method: "GET", path: "/health" })).status).toBe(200);
    served.child.kill("SIGINT");
    expect(await served.exit).toBe(0);
    expect(served.stderr()).not.toMatch(/^GET \/health/m);
  });

  it("a token on the command line and --disable-python: the warning says what is left, and the token is never printed", async () => {
    const token = "tok-flag-0a9b8c7d6e5f";
    const served = await serve(["--port", "0", "--host", "0.0.0.0", "--token", token, "--disable-python"]);
    expect(served.stderr()).toContain("warning: listening on every network interface");
    expect(served.stderr()).not.toContain("no token");
    expect(served.stderr()).toContain("python disabled");
    served.child.kill("SIGTERM");
    expect(await served.exit).toBe(0);
    expect(served.stderr()).not.toContain(token);
  });

  it("usage errors exit 2 with one line: a bad size, port, empty token, a port in use", async () => {
    const cases: [string[], RegExp][] = [
      [["--max-body", "lots"], /--max-body: expected a size such as 1048576, 512kb or 1mb, not `lots`/],
      [["--port", "70000"], /--port: expected 0\.\.65535/],
      [["--port", "-1"], /error: option '-p, --port <port>' argument '-1' is invalid/],
      [["--token", ""], /--token: expected a non-empty token/],
      [["--concurrency", "0"], /--concurrency: expected 1 or more/],
    ];
    for (const [args, message] of cases) {
      const run = grade(["serve", ...args]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
    const taken = await startServer({ port: 0 });
    try {
      const child = spawn(process.execPath, [path.join(root, "bin/grade.js"), "serve", "--port", String(taken.port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
      children.push(child);
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      expect(code).toBe(2);
      expect(stderr).toBe(`grade serve: cannot listen on 127.0.0.1:${taken.port}: the port is in use (pick another with --port, or --port 0 for any free one)\n`);
    } finally {
      await taken.close();
    }
  });

  it("--help: the routes, errors, limits, security, exit codes and client examples", () => {
    const help = grade(["serve", "--help"]);
    expect(help.code).toBe(0);
    for (const text of [
      "POST /v1/fine_tuning/alpha/graders/run",
      "POST /v1/fine_tuning/alpha/graders/validate",
      "GET  /health",
      "--max-body <size>",
      "--concurrency <n>",
      "--python-timeout <seconds>",
      "GRADE_SERVE_TOKEN",
      "Exit codes: 0",
      'new OpenAI({ baseURL: "http://127.0.0.1:8787/v1"',
      "OpenAI(base_url=",
      "curl -s http://127.0.0.1:8787/v1/fine_tuning/alpha/graders/run",
    ]) {
      expect(help.stdout).toContain(text);
    }
  });
});
