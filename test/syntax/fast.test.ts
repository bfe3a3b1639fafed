import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { corpus } from "../../bench/corpus.js";
import { fastParse } from "../../src/syntax/fast.js";
import { fullParse } from "../../src/syntax/full-parse.js";
import { parse } from "../../src/syntax/parse.js";
import { gradeLexer } from "../../src/syntax/tokens.js";

/*
 * The fast path of the parser (src/syntax/fast.ts) must give the very document the chevrotain
 * parser gives, whenever it does not give up: same nodes, same spans, same keys in the same order.
 * Checked on the examples, the benchmark corpus, hand-picked corner cases, and thousands of
 * token-level mutations of them.
 */

const root = path.resolve(import.meta.dirname, "../..");

/** JSON with `undefined` kept visible, so a missing key and an undefined one differ. */
const exact = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v === undefined ? "<undefined>" : v));

function examples(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith(".grade")) out.push(fs.readFileSync(file, "utf8"));
    }
  };
  visit(path.join(root, "examples"));
  return out;
}

const corners = [
  "",
  "   \n\t",
  "// only a comment",
  '\uFEFFstring_check "bom": sample.output_text eq item.label',
  'string_check "x": a eq b',
  'string_check "x": "a" ne "b"  // trailing comment',
  "string_check: a eq b",
  'text_similarity "t": fuzzy_match(sample.output_text item.name,)',
  'text_similarity "t": bleu()',
  'multi "m" { graders { a: string_check "a": x eq y, b: python "p" { source: "def grade(s, i): return 1" } } calculate_output: (a + b) / 2 }',
  'multi "m" { graders: { a: string_check "a": x eq y } calculate_output: "a" }',
  'multi "m" { graders: [] calculate_output: """a""" }',
  'multi "m" { calculate_output: }',
  'multi "m" { calculate_output: , x: 1 }',
  'multi "m" { calculate_output: max(a, b) - -1 ^ 2\n  graders { a: string_check "a": x eq y }\n}',
  'multi "m" { calculate_output: a // one\n + b // two\n graders { a: string_check "a": x eq y b: string_check "b": x eq y } }',
  'multi "m" { calculate_output: a b c }',
  'multi "m" { calculate_output: ((a) }',
  'multi "m" { calculate_output: a) , b }',
  'score_model "s" { model: "m" user "hi" assistant message "ok" system message input_text("x") user ["a" input_text("b") output_text("c")] }',
  'score_model "s" { model: "m", range: [0, 1], sampling_params { temperature: 0.5, seed: -3, top_p: 1e-2, reasoning_effort: null } }',
  'score_model "s" { user message }',
  'score_model "s" { user message("x") }',
  'score_model "s" { "user" "quoted role" "key": 1 "obj" { a: { b: [1, 2, { c: d }] } } }',
  'score_model "s" { user item.a user input_image("u", detail: high, file_id: null) }',
  'python "p" { source: """\n    def grade(s, i):\n        return 1.0\n    """ image_tag: "x" }',
  'python "p" { source: """one "line" \\""" here""" }',
  'python "p" { source: """"x"""" }',
  'python "p" { source: file("a.py") }',
  'python { source: "def grade(s, i): return 1" }',
  'label_model "l" { labels: [a, b, "c d"], passing_labels: [a] }',
  'x "y" { a: true b: false c: null d: truex e: true.x f: null_y g: graders h: calculate_output }',
  'x "y" { a: 1..2 b: -1..-2 c: 0.5 within 0.1 d: 1 within x e: 1e5 f: 1.5e-3 g: 4o }',
  'x "y" { a: item[0] b: item.a[12].b c: item[x] }',
  'x "y" { a: "esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9" }',
  'x "y" { a: "bad \\q escape" }',
  'x "y" { model: gpt-4o-2024-08-06 }',
  'x "y" { model: -1 }',
  'x "y" { a: a-b }',
  'x "y" { a: "unterminated }',
  'x "y" { a: """unterminated }',
  'x "y" { a: @ }',
  "x \"y\" { a: é }",
  'item { a: string, b?: number | null, c: [string], d: { e: integer }, "f g": "lit" | "other" }\nsample { output_json: { x: any } }\nstring_check "x": item.a eq sample.output_json.x',
  'item { a: string }\nitem { b: string }\nstring_check "x": a eq b',
  'item { a: string }',
  'item',
  'string_check "a": x eq y\nstring_check "b": x eq y',
  'test "t" { sample: "x" item: { a: 1 } expect: 1 given { a: 1 } }\nstring_check "x": a eq b',
  'test "t" { user "x" }\nstring_check "x": a eq b',
  'test { a: 1 }',
  'graders "g" { a: 1 }',
  'calculate_output "g": a eq b',
  'string_check exact: a eq b',
  'string_check exact { input: a }',
  "}",
  "{",
  "[".repeat(300),
  `x "y" { a: ${"[".repeat(200)}1${"]".repeat(200)} }`,
  'x "y" { a: 1, , b: 2 }',
  'x "y" { a: b: c }',
  'x "y" { a: f(x: 1, y: g(2)) }',
  'x "y" { a: f(x: ) }',
  'x "y" { a { } b: {} c: [] }',
  'x "y" { a: 1 } trailing',
  'x "y" { a: 1 }}',
  'x "y": a eq',
  'x "y": f(',
  "x \"y\" {\r\n  a: 1\r\n}\r\n",
  'x "y" { a: """\r\n    text\r\n    """ }',
  'x "y" { a: """\n  less\n    """ }',
  'x "y" { a: """\n    text """ }',
  'x "y" { a: . }',
  'x "y" { a: ... }',
  'x "y" { a: 1. }',
  'x "y" { a: 1.x }',
];

function same(text: string): boolean {
  const fast = fastParse(text);
  if (!fast) return false;
  expect(exact(parse(text)), text).toBe(exact(fullParse(text)));
  return true;
}

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const palette = ["{", "}", "[", "]", "(", ")", ":", ",", "?", "|", "..", "-", "+", "*", "/", "^", "a", "b", "message", "within", "item", "sample", "test", "graders", "calculate_output", "true", "null", "1", "2.5", '"s"', '"""b"""', "item.x", "user", "f(", "\n", " ", "//c\n"];

/** Token-level mutants of `text`: a token deleted, doubled, swapped with the next, or replaced, or a token inserted. */
function mutants(text: string, rng: () => number, n: number): string[] {
  const tokens = gradeLexer().tokenize(text).tokens;
  if (tokens.length === 0) return [];
  const out: string[] = [];
  for (let m = 0; m < n; m++) {
    const i = Math.floor(rng() * tokens.length);
    const t = tokens[i]!;
    const start = t.startOffset;
    const end = start + t.image.length;
    const pick = palette[Math.floor(rng() * palette.length)]!;
    switch (Math.floor(rng() * 5)) {
      case 0:
        out.push(text.slice(0, start) + text.slice(end));
        break;
      case 1:
        out.push(text.slice(0, end) + " " + t.image + text.slice(end));
        break;
      case 2: {
        const next = tokens[i + 1];
        if (!next) break;
        const nextEnd = next.startOffset + next.image.length;
        out.push(text.slice(0, start) + next.image + text.slice(end, next.startOffset) + t.image + text.slice(nextEnd));
        break;
      }
      case 3:
        out.push(text.slice(0, start) + pick + text.slice(end));
        break;
      default:
        out.push(text.slice(0, start) + pick + " " + text.slice(start));
    }
  }
  return out;
}

describe("the fast parser", () => {
  it("gives the full parser's document for the examples and the benchmark corpus", () => {
    const inputs = [...examples(), ...corpus(80)];
    for (const text of inputs) expect(same(text), text).toBe(true);
  });

  it("gives the full parser's document for corner cases, or leaves them to it", () => {
    let fast = 0;
    for (const text of corners) if (same(text)) fast++;
    expect(fast).toBeGreaterThan(30);
  });

  it("gives the full parser's document for mutated inputs, or leaves them to it", () => {
    const rng = random(20240601);
    const seeds = [...examples(), ...corpus(16), ...corners.filter((c) => fastParse(c))];
    let tried = 0;
    let fast = 0;
    for (const seed of seeds) {
      for (const text of mutants(seed, rng, 120)) {
        tried++;
        if (same(text)) fast++;
      }
    }
    // Many mutants are still valid (a comma deleted, a name doubled as a value...): both paths are exercised.
    expect(tried).toBeGreaterThan(5000);
    expect(fast).toBeGreaterThan(tried / 10);
    expect(fast).toBeLessThan(tried);
  });

  it("leaves text with syntax errors to the full parser", () => {
    for (const text of ['x "y" { a: }', 'x "y" { a: "s }', "é", 'string_check exact: a eq b', 'x "y" { model: gpt-4o }']) {
      expect(fastParse(text), text).toBeUndefined();
      expect(parse(text).diagnostics.length, text).toBeGreaterThan(0);
    }
  });
});
