import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { globSync } from "tinyglobby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { decompile } from "../../src/decompile.js";
import { format } from "../../src/format/format.js";
import { graderSchema, type Target } from "../../src/schema/graders.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { request } from "../server/helpers.js";
import { fuzz, timeout } from "./fuzz-config.js";
import { arbitraryOf } from "./zod-arbitrary.js";

/*
 * Fuzzing as part of the test suite (fast-check; a fixed seed and a time budget here, longer runs
 * with a random seed in `npm run fuzz`): the parser and checker never throw, the formatter is
 * idempotent and keeps the findings, decompile gives back the JSON it read, and the server answers
 * every body with an API-shaped error or a result, never a 500.
 */

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync(["examples/**/*.grade", "test/fixtures/**/*.grade"], { cwd: root }).map((f) => fs.readFileSync(path.join(root, f), "utf8"));

/** Bits of text that broke the parser, checker or formatter before, and their cousins. */
const PIECES = [
  "{", "}", "[", "]", "(", ")", '"', '"""', ":", ",", "|", "\n", "\r", "\r\n", "\t", " ", "x", "-", "..", "{{", "}}", "\\", "//", "/*", "item.", "sample.",
  "0", "1e999", "-1", "toString", "__proto__", "constructor", "hasOwnProperty", "valueOf", "string", "number", "any", "null", "true", "é", "𝒳", "\u0000",
  "user", "system", "input_text(", "calculate_output:", "graders {", "test", "expect:", "within", "+", "*", "/", "^",
];

/** An example with a few edits: deletions, duplications, insertions of the pieces above. */
const mutated = fc
  .tuple(
    fc.constantFrom(...examples),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "duplicate", "insert", "replace"), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 5 }),
  )
  .map(([source, edits]) => {
    let s = source;
    for (const [at, op, text] of edits) {
      const i = at % (s.length + 1);
      if (op === "delete") s = s.slice(0, i) + s.slice(i + 1 + (at % 4));
      else if (op === "duplicate") s = s.slice(0, i) + s.slice(i, i + 1 + (at % 8)) + s.slice(i);
      else if (op === "insert") s = s.slice(0, i) + text + s.slice(i);
      else s = s.slice(0, i) + text + s.slice(i + text.length);
    }
    return s;
  });

/** Findings without positions (formatting moves them): rule, severity, message. */
function findings(source: string): string[] {
  return check(source, { root })
    .diagnostics.map((d) => `${d.rule} ${d.severity} ${d.message.replace(/\b\d+:\d+\b/g, "L:C")}`)
    .sort();
}

function wellFormed(source: string): void {
  const result = compile(source, { root });
  for (const d of result.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(source.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.message).not.toMatch(/\bundefined\b|\[object Object\]|\bNaN\b/);
  }
}

describe("the parser and checker, fuzzed", () => {
  it("never throw on mutated examples; every finding is inside the text", () => {
    fc.assert(fc.property(mutated, (s) => wellFormed(s)), fuzz(600));
  }, timeout());

  it("never throw on soup of the pieces", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (parts) => wellFormed(parts.join(" "))), fuzz(600));
  }, timeout());
});

describe("the formatter, fuzzed", () => {
  /** Mutated examples the parser accepts: what `grade fmt` formats. */
  const parsable = mutated.filter((s) => !check(s, { root }).diagnostics.some((d) => d.rule === "syntax"));

  it("formats every parsable file (never the internal 'would change the file'); fmt is idempotent; check finds the same", async () => {
    await fc.assert(
      fc.asyncProperty(parsable, async (s) => {
        const once = await format(s);
        expect(await format(once)).toBe(once);
        expect(findings(once)).toEqual(findings(s));
      }),
      fuzz(150),
    );
  }, timeout());

  it("keeps line endings out of the meaning: the CRLF and lone-CR forms of a file format like its LF form", async () => {
    await fc.assert(
      fc.asyncProperty(parsable, fc.constantFrom("\r\n", "\r"), async (s, eol) => {
        const other = s.replace(/\r\n?/g, "\n").replaceAll("\n", eol);
        if (check(other, { root }).diagnostics.some((d) => d.rule === "syntax")) return;
        expect(await format(other)).toBe(await format(s.replace(/\r\n?/g, "\n")));
      }),
      fuzz(60),
    );
  }, timeout());
});

describe.each(["rft", "evals"] as Target[])("decompile of random %s graders", (target) => {
  const graders = arbitraryOf(graderSchema(target)).filter((g) => graderSchema(target).safeParse(g).success);

  it("JSON → .grade → JSON is the identity on graders the checker accepts", async () => {
    await fc.assert(
      fc.asyncProperty(graders, async (g) => {
        const json = JSON.stringify(g, null, 2);
        const compiled = compile(json, { target });
        if (!compiled.grader) return; // refused with findings (a checker rule): nothing to give back
        const { text, diagnostics } = await decompile(json);
        expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        expect(text).toBeDefined();
        const back = compile(text!, { target, root });
        expect(back.diagnostics.filter((d) => d.severity === "error"), text).toEqual([]);
        expect(back.grader).toEqual(g);
      }),
      fuzz(150),
    );
  }, timeout());
});

describe("the server's request parsing, fuzzed", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, allowPython: false, engineOptions: { timeoutMs: 2000 } });
  });
  afterAll(() => server.close(0));

  const RUN = "/v1/fine_tuning/alpha/graders/run";
  const VALIDATE = "/v1/fine_tuning/alpha/graders/validate";
  const grader = { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{item.a}}", operation: "eq" };

  /** Bodies: random JSON, random text, and valid requests with one part replaced by anything. */
  const bodies = fc.oneof(
    fc.json({ maxDepth: 4 }),
    fc.string({ maxLength: 300, unit: "binary" }),
    fc
      .tuple(fc.constantFrom("grader", "model_sample", "item", "grader.type", "grader.input", "grader.operation", "extra", "__proto__"), fc.jsonValue({ maxDepth: 3 }))
      .map(([key, value]) => {
        const body: Record<string, unknown> = { grader: { ...grader }, model_sample: "x", item: { a: "x" } };
        if (key.startsWith("grader.")) (body["grader"] as Record<string, unknown>)[key.slice(7)] = value;
        else body[key] = value;
        return JSON.stringify(body);
      }),
  );

  it("answers every body with a result or an API-shaped 4xx error, never a 500 or a hang", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, fc.constantFrom(RUN, VALIDATE), fc.constantFrom("application/json", "text/plain", ""), async (body, route, type) => {
        const answer = await request(server.url, { path: route, headers: type ? { "content-type": type } : {}, body });
        expect(answer.status, answer.text).toBeLessThan(500);
        if (answer.status >= 400) {
          expect(answer.json, answer.text).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } });
          expect(answer.text).not.toMatch(/\n\s+at |node:internal/);
        } else {
          expect(answer.status).toBe(200);
        }
      }),
      fuzz(300),
    );
  }, timeout());
});
