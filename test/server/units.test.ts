import { describe, expect, it } from "vitest";
import { parseSize } from "../../src/cli/serve.js";
import { jsonTypeName } from "../../src/server/errors.js";
import { Limiter } from "../../src/server/limiter.js";
import { bearerCheck, bindWarnings, isLoopback, originOf } from "../../src/server/security.js";

/* The pieces of `grade serve`: loopback detection, the warnings, the token check, sizes, the limiter. */

describe("isLoopback and the bind warnings", () => {
  it("loopback: localhost, 127.0.0.0/8, ::1 in any spelling, IPv4-mapped 127.x", () => {
    for (const host of ["localhost", "LOCALHOST", "api.localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      expect(isLoopback(host), host).toBe(true);
    }
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1", "example.com", "128.0.0.1", "fe80::1"]) {
      expect(isLoopback(host), host).toBe(false);
    }
  });

  it("no warning on loopback; on any other address one, and a louder one without a token", () => {
    expect(bindWarnings("127.0.0.1", { token: false, python: true })).toEqual([]);
    const open = bindWarnings("0.0.0.0", { token: false, python: true });
    expect(open[0]).toBe("warning: listening on every network interface (0.0.0.0): other machines can reach this server.");
    expect(open[1]).toMatch(/^warning: no token: ANYONE who can reach it can use it, and python graders run their code on this machine/);
    expect(open[1]).toContain("Set GRADE_SERVE_TOKEN (or --token)");
    expect(bindWarnings("192.168.1.10", { token: false, python: false })).toEqual([
      "warning: listening on 192.168.1.10, a non-loopback address: other machines can reach this server.",
      "warning: no token: ANYONE who can reach it can use it. Set GRADE_SERVE_TOKEN (or --token) to require `Authorization: Bearer <token>`.",
    ]);
    expect(bindWarnings("::", { token: true, python: true, models: true })[1]).toBe(
      "warning: whoever has the token can use it: python graders run their code on this machine (in a sandbox where there is one; --disable-python refuses them); model graders spend the model server's key.",
    );
    expect(bindWarnings("::", { token: true, python: false })).toHaveLength(1);
  });

  it("originOf brackets IPv6", () => {
    expect(originOf("127.0.0.1", 80)).toBe("http://127.0.0.1:80");
    expect(originOf("::1", 8787)).toBe("http://[::1]:8787");
  });
});

describe("bearerCheck", () => {
  const check = bearerCheck("s3cret-token");
  it("accepts the token after Bearer (any case of the scheme), and nothing else", () => {
    expect(check("Bearer s3cret-token")).toBe("ok");
    expect(check("bearer  s3cret-token ")).toBe("ok");
    expect(check(undefined)).toBe("missing");
    expect(check("")).toBe("missing");
    expect(check("Basic s3cret-token")).toBe("missing");
    expect(check("Bearer ")).toBe("missing");
    expect(check("Bearer s3cret-toke")).toBe("wrong");
    expect(check("Bearer s3cret-token-and-more")).toBe("wrong");
    expect(check("Bearer S3CRET-TOKEN")).toBe("wrong");
  });
});

describe("parseSize (--max-body)", () => {
  it("bytes, kb, mb (powers of 1024)", () => {
    expect(parseSize("1048576")).toBe(1048576);
    expect(parseSize("512kb")).toBe(512 * 1024);
    expect(parseSize("1mb")).toBe(1024 * 1024);
    expect(parseSize("2MiB")).toBe(2 * 1024 * 1024);
    expect(parseSize("1.5m")).toBe(1.5 * 1024 * 1024);
    for (const bad of ["", "0", "lots", "-1", "1gb", "1e6"]) expect(() => parseSize(bad), bad).toThrow(/--max-body: expected a size/);
  });
});

describe("jsonTypeName", () => {
  it("names JSON types as the API's messages do", () => {
    expect([null, [], {}, "x", true, 1, 1.5].map(jsonTypeName)).toEqual(["null", "an array", "an object", "a string", "a boolean", "an integer", "a decimal"]);
  });
});

describe("Limiter", () => {
  it("runs `concurrency` at once, queues FIFO up to maxQueue, refuses beyond", async () => {
    const limiter = new Limiter(1, 2);
    const order: string[] = [];
    const first = await limiter.acquire()!;
    const b = limiter.acquire()!.then((release) => (order.push("b"), release));
    const c = limiter.acquire()!.then((release) => (order.push("c"), release));
    expect(limiter.acquire()).toBeUndefined();
    expect([limiter.active, limiter.queued]).toEqual([1, 2]);
    first();
    first(); // a second release does nothing
    (await b)();
    (await c)();
    expect(order).toEqual(["b", "c"]);
    expect([limiter.active, limiter.queued]).toEqual([0, 0]);
  });

  it("a waiter whose signal aborts leaves the queue", async () => {
    const limiter = new Limiter(1, 5);
    const first = await limiter.acquire()!;
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal)!;
    const next = limiter.acquire()!;
    controller.abort(new Error("gone"));
    await expect(waiting).rejects.toThrow("gone");
    expect(limiter.queued).toBe(1);
    first();
    (await next)();
    expect(limiter.active).toBe(0);
  });
});
