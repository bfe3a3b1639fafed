import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostCheck, hostName } from "../../src/server/security.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { RUN_PATH, STRING_CHECK, postJson, pythonGrader, request } from "./helpers.js";

/*
 * `grade serve` attacked from a web page (DNS rebinding, cross-site posts) and by the python
 * graders it is sent: each attack is refused or contained, in the API's error shape, and the
 * server answers the next request.
 */

const linux = process.platform === "linux";
const RUN_STRING = { grader: STRING_CHECK, model_sample: "Paris", item: { answer: "Paris" } };
const PY_ONE = { grader: pythonGrader("def grade(sample, item):\n    return 1.0\n"), model_sample: "x" };

async function stillServes(server: RunningServer): Promise<void> {
  const ok = await postJson(server.url, RUN_PATH, RUN_STRING);
  expect(ok.status).toBe(200);
  expect(ok.json["reward"]).toBe(1);
}

describe("Host and Origin", () => {
  it("names loopback and the bound address, and --allow-host names", () => {
    const allowed = hostCheck("127.0.0.1", ["graders.internal"]);
    for (const ok of ["127.0.0.1:8787", "localhost:8787", "LOCALHOST", "[::1]:8787", "graders.internal", "graders.internal:443", "app.localhost"]) expect(allowed(ok), ok).toBe(true);
    for (const bad of ["evil.example.com", "evil.example.com:8787", "127.0.0.1.evil.com", "", "graders.internal.evil.com"]) expect(allowed(bad), bad).toBe(false);
    expect(hostName("[::1]:80")).toBe("::1");
    expect(hostName("Example.COM.:80")).toBe("example.com");
  });
});

describe("grade serve under attack", () => {
  let server: RunningServer;
  beforeAll(async () => {
    process.env["GRADELANG_SERVER_SECRET"] = "sk-server-secret";
    server = await startServer({ port: 0, concurrency: 2, engineOptions: { timeoutMs: 4000 } });
  });
  afterAll(async () => {
    delete process.env["GRADELANG_SERVER_SECRET"];
    await server.close(0);
  });

  it("refuses a foreign Host with 421 (DNS rebinding), and serves the next request", async () => {
    const answer = await postJson(server.url, RUN_PATH, PY_ONE, { host: "evil.example.com" });
    expect(answer.status).toBe(421);
    expect(answer.json.error).toEqual({
      message: `The Host header names "evil.example.com", not this server: grade serve answers only its own names (loopback names and the address it listens on; more with --allow-host).`,
      type: "invalid_request_error",
      param: null,
      code: "host_not_allowed",
    });
    await stillServes(server);
  });

  it("refuses a foreign Origin with 403 (a web page), accepts its own", async () => {
    const answer = await postJson(server.url, RUN_PATH, RUN_STRING, { origin: "https://evil.example.com" });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: "origin_not_allowed", type: "invalid_request_error" });
    expect(answer.json.error?.message).toBe(`Requests from web pages are refused: the Origin "https://evil.example.com" is not this server (grade serve --allow-host adds a name).`);
    expect((await postJson(server.url, RUN_PATH, RUN_STRING, { origin: "null" })).status).toBe(403);
    expect((await postJson(server.url, RUN_PATH, RUN_STRING, { origin: server.url })).status).toBe(200);
    await stillServes(server);
  });

  for (const [what, type, body] of [
    ["text/plain", "text/plain", JSON.stringify(RUN_STRING)],
    ["a form", "application/x-www-form-urlencoded", "grader=x&model_sample=y"],
    ["multipart", "multipart/form-data; boundary=b", `--b\r\nContent-Disposition: form-data; name="grader"\r\n\r\n{}\r\n--b--\r\n`],
  ] as const) {
    it(`refuses ${what} bodies with 400`, async () => {
      const answer = await request(server.url, { path: RUN_PATH, headers: { "content-type": type }, body });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toMatchObject({ code: "invalid_content_type", type: "invalid_request_error" });
      await stillServes(server);
    });
  }

  it("sends hardening headers on every answer", async () => {
    for (const answer of [await postJson(server.url, RUN_PATH, RUN_STRING), await request(server.url, { method: "GET", path: "/health" }), await postJson(server.url, RUN_PATH, RUN_STRING, { host: "evil.example.com" })]) {
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.headers["x-frame-options"]).toBe("DENY");
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.headers["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it.skipIf(!linux)("keeps the server's environment from a posted python grader", async () => {
    const source = `import os\ndef grade(sample, item):\n    return 1.0 if any("sk-server" in v for v in os.environ.values()) else 0.0\n`;
    const answer = await postJson(server.url, RUN_PATH, { grader: pythonGrader(source), model_sample: "x" });
    expect(answer.status).toBe(200);
    expect(answer.json["reward"]).toBe(0);
    await stillServes(server);
  });

  it.skipIf(!linux)("answers a string_check while python graders hang in every slot (--concurrency 2)", async () => {
    const hang = { grader: pythonGrader("import time\ndef grade(sample, item):\n    time.sleep(600)\n", "hang"), model_sample: "x" };
    const hanging = [postJson(server.url, RUN_PATH, hang), postJson(server.url, RUN_PATH, hang)];
    await new Promise((r) => setTimeout(r, 500));
    const started = performance.now();
    await stillServes(server);
    expect(performance.now() - started).toBeLessThan(2000);
    for (const answer of await Promise.all(hanging)) {
      expect(answer.status).toBe(200);
      expect((answer.json["metadata"] as { errors: Record<string, boolean> }).errors["python_grader_runtime_error"]).toBe(true);
    }
  });
});

describe("grade serve without a sandbox", () => {
  const runPy = async (unsandboxedPython: boolean) => {
    const server = await startServer({ port: 0, unsandboxedPython, engineOptions: { sandbox: "off" } });
    try {
      expect(server.pythonSandboxed).toBe(false);
      const answer = await postJson(server.url, RUN_PATH, PY_ONE);
      await stillServes(server);
      return answer;
    } finally {
      await server.close(0);
    }
  };

  it("refuses python graders with 400 and says how to run them anyway", async () => {
    const answer = await runPy(false);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual({
      message:
        "Invalid value for 'grader.type': python graders are refused: this server has no sandbox for them (on Linux install bubblewrap; or start grade serve with --unsandboxed-python to run them anyway, with access to this machine).",
      type: "invalid_request_error",
      param: "grader.type",
      code: null,
    });
  });

  it("runs them with --unsandboxed-python", async () => {
    const answer = await runPy(true);
    expect(answer.status).toBe(200);
    expect(answer.json["reward"]).toBe(1);
  });
});
