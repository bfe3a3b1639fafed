import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { fuzz } from "./fuzz-config.js";

const root = path.resolve(import.meta.dirname, "../..");
const examples = globSync("examples/**/*.grade", { cwd: root }).map((f) => fs.readFileSync(path.join(root, f), "utf8"));

/** Every result is findings as data: no exception, every span inside the text. */
function wellFormed(source: string): void {
  const result = compile(source, { root });
  for (const d of result.diagnostics) {
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeLessThanOrEqual(source.length);
    expect(d.span.start).toBeLessThanOrEqual(d.span.end);
    expect(d.message).not.toMatch(/undefined|\[object Object\]|NaN/);
  }
}

/** An example with some characters deleted, duplicated or replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...examples),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom("delete", "duplicate", "insert"), fc.constantFrom("{", "}", "[", "]", "(", ")", '"', '"""', ":", ",", "\n", "x", "-", "{{", "}}", "\\", "//", "item.", "0")), { minLength: 1, maxLength: 6 }),
  )
  .map(([source, edits]) => {
    let s = source;
    for (const [at, op, text] of edits) {
      const i = at % (s.length + 1);
      s = op === "delete" ? s.slice(0, i) + s.slice(i + 3) : op === "duplicate" ? s.slice(0, i) + s.slice(i, i + 5) + s.slice(i) : s.slice(0, i) + text + s.slice(i);
    }
    return s;
  });

/** Inputs that once crashed (found by the properties below), each a syntax error now. */
const onceCrashed = [
  // a range or tolerance whose first number error recovery left out
  "string_check { string_check string_check - ] .. string_check",
  "x \"y\" { a: - within 1 }",
  // a field, an argument or a message content whose value error recovery left out
  'string_check "x" {\n  input: sample.output_text\n  reference: - item.a\n  operation: eq\n}\n',
  'text_similarity "t": fuzzy_match(x: - item.a, sample.output_text)',
  'score_model "s" { model: "m" user - item.a }',
  'multi "m" { graders: - item.a calculate_output: a }',
];

describe("the parser and checker never crash", () => {
  it.each(onceCrashed)("on an input that once crashed: %j", (source) => {
    wellFormed(source);
    const result = compile(source, { root });
    expect(result.diagnostics.some((d) => d.rule === "syntax" && d.severity === "error")).toBe(true);
  });

  it("on mutated examples", () => {
    fc.assert(fc.property(mutated, (s) => wellFormed(s)), fuzz(400));
  });

  it("on random text", () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: "binary" }), (s) => wellFormed(s)), fuzz(400));
  });

  it("on random JSON", () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), (s) => void check(s.trimStart().startsWith("{") ? s : `{"type": ${s}}`)), fuzz(300));
  });

  it("on random token soup", () => {
    const token = fc.constantFrom("string_check", "multi", "graders", "calculate_output", "{", "}", "[", "]", "(", ")", ":", ",", '"n"', '"""\n x\n """', "item.a", "user", "message", "1", "-", "within", "..", "test", "item", "sample", "\n", "//c\n", "input_text", "file");
    fc.assert(fc.property(fc.array(token, { maxLength: 40 }), (tokens) => wellFormed(tokens.join(" "))), fuzz(400));
  });
});
