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
 * Checked on the examples, the benchmark corpus, hand-picked corner cases, thousands of
 * token-level mutations of them, and 2,000 generated valid programs (which must nearly all take
 * the fast path). A one-off campaign of about 100 million cases found no difference (see the
 * README's Performance section).
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

/**
 * `n` valid programs built from the productions of grammar/grammar.md, in random layouts: every
 * kind of member, value and type, formulas with all operators, block strings at any indentation,
 * escapes, CRLF, tabs, form feeds, byte-order marks, comments between tokens, keywords as names.
 */
function programs(n: number, seed: number): string[] {
  const rng = random(seed);
  const int = (k: number): number => Math.floor(rng() * k);
  const pick = <T,>(list: readonly T[]): T => list[int(list.length)]!;
  const maybe = (p: number): boolean => rng() < p;
  let nl = "\n";
  let toks: string[] = [];
  const t = (...more: string[]): void => {
    toks.push(...more);
  };
  const comma = (): void => {
    if (maybe(0.5)) t(",");
  };
  const names = ["a", "b_2", "_x", "item", "sample", "test", "user", "message", "within", "eq", "nullable", "truex", "graders_x"];
  const anyName = (): string => pick([...names, "graders", "calculate_output"]);
  const str = (): string =>
    `"${Array.from({ length: int(4) }, () => pick(["ab", " ", "{{item.a}}", "\\n", '\\"', "\\\\", "\\/", "\\u00e9", "\\ud83d\\ude00", "é", "😀", "\u2028", "//"])).join("")}"`;
  const block = (): string => {
    if (maybe(0.3)) return pick(['"""raw "q" \\d+"""', '""""x""""', '"""a\\"""b"""', '""""""']);
    const indent = pick(["", "  ", "    ", "\t"]);
    const lines = Array.from({ length: int(4) }, () => (maybe(0.2) ? "" : indent + pick(["def grade(s, i):", "  return 1.0", '"quoted" \\d', '\\"""', "é"])));
    return `"""${pick(["", " "])}${nl}${lines.map((l) => l + nl).join("")}${indent}"""`;
  };
  const num = (): string => pick(["-", ""]) + pick(["0", "1", "2.5", "10", "1e3", "1.5E-2", "4e+1"]);
  const path = (): string => pick(["item.a", "sample.output_text", "item.a[0].b", "x[12]", "sample.output_json.graders"]);
  const key = (): string => (maybe(0.8) ? pick(names) : str());

  const value = (d: number): void => {
    const k = int(d > 2 ? 9 : 12);
    if (k === 0) t(str());
    else if (k === 1) t(block());
    else if (k === 2) t(num());
    else if (k === 3) t(num(), "..", num());
    else if (k === 4) t(num(), "within", pick(["0.1", "2"]));
    else if (k === 5) t(pick(["true", "false", "null"]));
    else if (k === 6) t(path());
    else if (k < 9) t(anyName());
    else if (k === 9) {
      t(anyName(), "(");
      for (let i = int(3); i > 0; i--) {
        if (maybe(0.4)) t(anyName(), ":");
        value(d + 1);
        comma();
      }
      t(")");
    } else if (k === 10) {
      t("[");
      for (let i = int(4); i > 0; i--) {
        value(d + 1);
        comma();
      }
      t("]");
    } else object(d + 1);
  };
  const object = (d: number): void => {
    t("{");
    for (let i = int(4); i > 0; i--) {
      t(maybe(0.8) ? anyName() : str());
      if (maybe(0.2)) object(d + 1);
      else {
        t(":");
        value(d + 1);
      }
      comma();
    }
    t("}");
  };

  const operand = (d: number): void => {
    const k = int(d > 2 ? 3 : 5);
    if (k === 0) t(pick(["a", "b_2", "tone", "graders", "within"]));
    else if (k === 1) t(pick(["1", "0.5", "2e3"]));
    else if (k === 2) t(path());
    else if (k === 3) {
      t(pick(["min", "max"]), "(");
      formula(d + 1);
      t(",");
      formula(d + 1);
      t(")");
    } else {
      t("(");
      formula(d + 1);
      t(")");
    }
  };
  const formula = (d: number): void => {
    for (let i = int(4); i >= 0; i--) {
      if (maybe(0.2)) t("-");
      operand(d);
      if (maybe(0.2)) {
        t("^");
        if (maybe(0.3)) t("-");
        operand(d);
      }
      if (i > 0) t(pick(["+", "-", "*", "/"]));
    }
  };

  const message = (): void => {
    t(pick(["user", "system", "assistant", "developer", '"user"']));
    if (maybe(0.3)) t("message");
    const c = int(5);
    if (c === 0) t(str());
    else if (c === 1) t(block());
    else if (c === 2) t(path());
    else if (c === 3) {
      t("[");
      value(1);
      t(",", "input_text", "(");
      value(2);
      t(")", "]");
    } else t("input_image", "(", str(), ",", "detail", ":", "high", ")");
  };
  const grader = (d: number): void => {
    t(pick(["string_check", "text_similarity", "score_model", "label_model", "python", "multi", "graders", "within"]));
    if (maybe(0.8)) t(str());
    if (maybe(0.3)) {
      t(":");
      if (maybe(0.5)) {
        t("fuzzy_match", "(");
        value(1);
        t(",");
        value(1);
        t(")");
      } else {
        t(pick([path(), str(), "a"]), pick(["eq", "ne", "like", "message"]));
        value(1);
      }
      return;
    }
    t("{");
    for (let i = int(6); i > 0; i--) {
      const k = int(d > 1 ? 5 : 7);
      if (k < 2) {
        t(key(), ":");
        value(0);
      } else if (k === 2) {
        t(key());
        object(1);
      } else if (k === 3) message();
      else if (k === 4) {
        t("calculate_output", ":");
        if (maybe(0.2)) t(str());
        else formula(0);
      } else {
        t("graders");
        if (maybe(0.5)) t(":");
        t("{");
        for (let j = int(3); j > 0; j--) {
          t(maybe(0.8) ? pick(["a", "b_2", "tone"]) : str(), ":");
          grader(d + 1);
          comma();
        }
        t("}");
      }
      comma();
    }
    t("}");
  };

  const type = (d: number): void => {
    for (let i = int(d > 1 ? 1 : 3); i >= 0; i--) {
      const k = int(d > 1 ? 3 : 5);
      if (k === 0) t(pick(["string", "number", "null", "graders"]));
      else if (k === 1) t(str());
      else if (k === 2) t(pick(["integer", "boolean"]));
      else if (k === 3) {
        t("[");
        type(d + 1);
        t("]");
      } else objectType(d + 1);
      if (i > 0) t("|");
    }
  };
  const objectType = (d: number): void => {
    t("{");
    for (let i = int(4); i > 0; i--) {
      t(maybe(0.8) ? anyName() : str());
      if (maybe(0.3)) t("?");
      t(":");
      type(d);
      comma();
    }
    t("}");
  };

  const punct = (s: string): boolean => s.length === 1 && "{}[](),:".includes(s);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    nl = maybe(0.2) ? "\r\n" : "\n";
    toks = [];
    if (maybe(0.4)) {
      t("item");
      objectType(0);
    }
    if (maybe(0.3)) {
      t("test", str(), "{");
      for (let j = int(3); j > 0; j--) {
        t(key(), ":");
        value(0);
      }
      t("}");
    }
    grader(0);
    let text = maybe(0.1) ? "\uFEFF" : "";
    for (let j = 0; j < toks.length; j++) {
      const tok = toks[j]!;
      const next = toks[j + 1];
      text += tok;
      if (next === undefined) break;
      // No space next to punctuation now and then (`a:1`); comments and odd blanks elsewhere.
      text += (punct(tok) || punct(next)) && maybe(0.3) ? "" : pick([" ", " ", " ", `${nl}  `, "\t", ` // c${nl}`, "\f", "\v", "\uFEFF"]);
    }
    out.push(text + pick(["", nl]));
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

  it("gives the full parser's document for generated valid programs, nearly all on the fast path", () => {
    const texts = programs(2000, 20250101);
    let fast = 0;
    for (const text of texts) if (same(text)) fast++;
    // Valid text is what the fast path is for: giving up on it is no error, but would be slow.
    expect(fast).toBeGreaterThan(texts.length * 0.95);
  });

  it("leaves text with syntax errors to the full parser", () => {
    for (const text of ['x "y" { a: }', 'x "y" { a: "s }', "é", 'string_check exact: a eq b', 'x "y" { model: gpt-4o }']) {
      expect(fastParse(text), text).toBeUndefined();
      expect(parse(text).diagnostics.length, text).toBeGreaterThan(0);
    }
  });
});
