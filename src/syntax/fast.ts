import type * as A from "./ast.js";
import { decodeBlock, decodeQuoted, formulaLines } from "./strings.js";

/*
 * The fast path of the parser: a hand-written lexer and recursive-descent parser for text
 * without a syntax error. It makes the same decisions as the chevrotain grammar (src/syntax/
 * parser.ts and tokens.ts; the productions are in grammar/grammar.md) and builds the same AST,
 * node for node, span for span. At the first thing it does not expect (any syntax error, an
 * unterminated string, a bad escape, an unquoted dashed value, deep nesting) it gives up and
 * returns undefined: the chevrotain parser, with its error recovery and messages, then parses
 * the text (src/syntax/full-parse.ts). test/syntax/fast.test.ts compares the two on every test
 * input and on thousands of mutated ones.
 *
 * It needs neither chevrotain nor its grammar analysis, which take longer to load and set up
 * than a small file takes to check.
 */

/** Token kinds; the chevrotain token of the same name in the comments. */
const EOF = 0;
const STRING = 1; // String
const BLOCK = 2; // BlockString
const NUMBER = 3; // Number
const TRUE = 4;
const FALSE = 5;
const NULL = 6;
const CALCULATE_OUTPUT = 7; // also an Identifier (token category)
const GRADERS = 8; // also an Identifier
const PATH = 9;
const IDENTIFIER = 10;
const LCURLY = 11;
const RCURLY = 12;
const LBRACKET = 13;
const RBRACKET = 14;
const LPAREN = 15;
const RPAREN = 16;
const COLON = 17;
const COMMA = 18;
const QUESTION = 19;
const PIPE = 20;
const DOTDOT = 21;
const PLUS = 22; // Plus .. Caret: the Operator category
const MINUS = 23;
const STAR = 24;
const SLASH = 25;
const CARET = 26;

/**
 * Brackets nest this deep at most on the fast path; deeper text goes to the full parser (which
 * refuses more than 256 levels). Graders nest a few levels; a tree of thousands of one-item
 * lists is no grader, and the full parser keeps its time per byte flat on such input.
 */
const MAX_NESTING = 64;

/** Thrown to give up; caught by fastParse. */
const BAIL: unique symbol = Symbol("bail");
function bail(): never {
  throw BAIL;
}

// The token buffers, reused from one parse to the next (a parse never runs inside another).
const KEPT_TOKENS = 1 << 16;
let kinds = new Uint8Array(1024);
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let count = 0;
let text = "";
/** The next token. */
let p = 0;

function push(kind: number, start: number, end: number): void {
  if (count === kinds.length) {
    const k = new Uint8Array(count * 2);
    k.set(kinds);
    kinds = k;
    const s = new Int32Array(count * 2);
    s.set(starts);
    starts = s;
    const e = new Int32Array(count * 2);
    e.set(ends);
    ends = e;
  }
  kinds[count] = kind;
  starts[count] = start;
  ends[count] = end;
  count++;
}

/** Character classes of ASCII: what a token starting with it can be. */
const C_OTHER = 0;
const C_SPACE = 1;
const C_LETTER = 2;
const C_DIGIT = 3;
const C_PUNCT = 4;
const charClass = new Uint8Array(128);
const punctKind = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (" \t\r\n\f\v".includes(ch)) charClass[c] = C_SPACE;
  else if (/[A-Za-z_]/.test(ch)) charClass[c] = C_LETTER;
  else if (/[0-9]/.test(ch)) charClass[c] = C_DIGIT;
}
for (const [ch, kind] of [
  ["{", LCURLY],
  ["}", RCURLY],
  ["[", LBRACKET],
  ["]", RBRACKET],
  ["(", LPAREN],
  [")", RPAREN],
  [":", COLON],
  [",", COMMA],
  ["?", QUESTION],
  ["|", PIPE],
  ["+", PLUS],
  ["-", MINUS],
  ["*", STAR],
  ["^", CARET],
] as const) {
  charClass[ch.charCodeAt(0)] = C_PUNCT;
  punctKind[ch.charCodeAt(0)] = kind;
}

const isWordChar = (c: number): boolean => c < 128 && (charClass[c] === C_LETTER || charClass[c] === C_DIGIT);

const NUMBER_RE = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PATH_RE = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+/y;

/** The end of the block string at `offset` (src/syntax/tokens.ts, matchBlockString), or -1. */
function blockEnd(src: string, offset: number): number {
  let i = offset + 3;
  for (;;) {
    const next = src.indexOf('"', i);
    if (next < 0) return -1;
    if (src.charCodeAt(next - 1) === 92 && src.startsWith('"""', next) && next - 1 >= i) {
      i = next + 3;
      continue;
    }
    let run = next;
    while (src.charCodeAt(run) === 34) run++;
    if (run - next >= 3) return run;
    i = run;
  }
}

/** Tokens of the whole text into the buffers, comments into `comments`; false to give up. */
function lex(comments: A.Comment[]): boolean {
  // A local copy: the module's `text` would be reloaded (and its kind checked again) at every read.
  const src = text;
  const n = src.length;
  let i = 0;
  const find = (what: string, from: number): number => {
    const at = src.indexOf(what, from);
    return at < 0 ? n : at;
  };
  let nextBackslash = -1;
  let nextNewline = -1;
  let nextReturn = -1;
  let depth = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    const cls = c < 128 ? charClass[c]! : c === 0xfeff ? C_SPACE : C_OTHER;
    if (cls === C_SPACE) {
      // A run of blanks (indentation, line ends) in one tight loop.
      i++;
      for (let d = src.charCodeAt(i); d === 32 || d === 10 || d === 9 || d === 13; d = src.charCodeAt(++i));
      continue;
    }
    if (cls === C_LETTER) {
      let j = i + 1;
      while (j < n && isWordChar(src.charCodeAt(j))) j++;
      const next = src.charCodeAt(j);
      if (next === 46 || next === 91) {
        PATH_RE.lastIndex = i;
        if (PATH_RE.test(src)) {
          push(PATH, i, PATH_RE.lastIndex);
          i = PATH_RE.lastIndex;
          continue;
        }
      }
      push(wordKind(i, j), i, j);
      i = j;
      continue;
    }
    if (cls === C_PUNCT) {
      const kind = punctKind[c]!;
      if (kind === LCURLY || kind === LBRACKET || kind === LPAREN) {
        if (++depth > MAX_NESTING) return false; // give up early: no need to lex the rest
      } else if (kind === RCURLY || kind === RBRACKET || kind === RPAREN) depth = Math.max(0, depth - 1);
      push(kind, i, i + 1);
      i++;
      continue;
    }
    if (c === 34) {
      if (src.startsWith('"""', i)) {
        const end = blockEnd(src, i);
        if (end < 0) return false; // unterminated
        push(BLOCK, i, end);
        i = end;
        continue;
      }
      // The next `"`, and whether a backslash or a line break comes before it, by indexOf
      // (cursors that only move forward, so each is searched for once over the src).
      const quote = src.indexOf('"', i + 1);
      if (nextBackslash <= i) nextBackslash = find("\\", i + 1);
      if (nextNewline <= i) nextNewline = find("\n", i + 1);
      if (nextReturn <= i) nextReturn = find("\r", i + 1);
      if (quote >= 0 && quote < nextBackslash && quote < nextNewline && quote < nextReturn) {
        push(STRING, i, quote + 1);
        i = quote + 1;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= n) return false;
        const d = src.charCodeAt(j);
        if (d === 34) break;
        if (d === 10 || d === 13) return false;
        if (d === 92) {
          const e = src.charCodeAt(j + 1);
          if (e === 10 || e === 13 || Number.isNaN(e)) return false;
          j += 2;
        } else j++;
      }
      push(STRING, i, j + 1);
      i = j + 1;
      continue;
    }
    if (cls === C_DIGIT) {
      NUMBER_RE.lastIndex = i;
      NUMBER_RE.test(src);
      push(NUMBER, i, NUMBER_RE.lastIndex);
      i = NUMBER_RE.lastIndex;
      continue;
    }
    if (c === 47) {
      if (src.charCodeAt(i + 1) === 47) {
        let j = i + 2;
        while (j < n) {
          const d = src.charCodeAt(j);
          if (d === 10 || d === 13) break;
          j++;
        }
        comments.push({ kind: "Comment", text: src.slice(i, j), span: { start: i, end: j } });
        i = j;
        continue;
      }
      push(SLASH, i, i + 1);
      i++;
      continue;
    }
    if (c === 46 && src.charCodeAt(i + 1) === 46) {
      push(DOTDOT, i, i + 2);
      i += 2;
      continue;
    }
    return false; // a character no token starts with
  }
  return true;
}

/** A word: a keyword when it is one exactly (a longer word or a path is not), else a name. */
function wordKind(start: number, end: number): number {
  switch (end - start) {
    case 4:
      if (text.startsWith("true", start)) return TRUE;
      if (text.startsWith("null", start)) return NULL;
      break;
    case 5:
      if (text.startsWith("false", start)) return FALSE;
      break;
    case 7:
      if (text.startsWith("graders", start)) return GRADERS;
      break;
    case 16:
      if (text.startsWith("calculate_output", start)) return CALCULATE_OUTPUT;
      break;
  }
  return IDENTIFIER;
}

const isName = (k: number): boolean => k === IDENTIFIER || k === CALCULATE_OUTPUT || k === GRADERS;
const isOperator = (k: number): boolean => k >= PLUS && k <= CARET;
/** Can a value start with this token? */
const startsValue = (k: number): boolean =>
  k === STRING || k === BLOCK || k === NUMBER || k === MINUS || k === TRUE || k === FALSE || k === NULL || k === PATH || isName(k) || k === LBRACKET || k === LCURLY;

/**
 * What the parse driver checks before parsing (src/syntax/full-parse.ts), besides the nesting
 * (which the lexer counts): a run of dashed words after a `:` (`model: gpt-4o`), which it
 * reports. It gives up on one.
 */
function preflight(): boolean {
  const joinable = (k: number): boolean => isName(k) || k === NUMBER || k === MINUS || k === PATH || k === DOTDOT;
  for (let i = 1; i < count - 1; i++) {
    if (kinds[i] !== COLON || kinds[i - 1] === CALCULATE_OUTPUT) continue;
    let end = i + 1;
    let minus = kinds[end] === MINUS;
    while (end + 1 < count && joinable(kinds[end + 1]!) && starts[end + 1] === ends[end]) {
      end++;
      if (kinds[end] === MINUS) minus = true;
    }
    const run = end - i;
    if (run < 2 || !joinable(kinds[i + 1]!) || !minus || (kinds[i + 1] === MINUS && run === 2)) continue;
    return false;
  }
  return true;
}

// ── Parsing ──────────────────────────────────────────────────────────────────

const k1 = (): number => (p < count ? kinds[p]! : EOF);
const k2 = (): number => (p + 1 < count ? kinds[p + 1]! : EOF);
const k3 = (): number => (p + 2 < count ? kinds[p + 2]! : EOF);
const image = (i: number): string => text.slice(starts[i]!, ends[i]!);
const imageIs = (i: number, word: string): boolean => i < count && ends[i]! - starts[i]! === word.length && text.startsWith(word, starts[i]!);

function expect(kind: number): number {
  if (k1() !== kind) bail();
  return p++;
}

/*
 * Lists are gathered on one shared stack and copied out at their exact length: an array grown by
 * push keeps room for 16 and more, and a tree of small lists would keep all that room.
 */
const stack: unknown[] = [];
/** The list gathered on the stack since `base`, taken off it. */
function take<T>(base: number): T[] {
  const list = stack.slice(base) as T[];
  stack.length = base;
  return list;
}

const spanOf = (i: number): A.Span => ({ start: starts[i]!, end: ends[i]! });
/** From the first token of a rule to the last one consumed. */
const spanFrom = (first: number): A.Span => ({ start: starts[first]!, end: ends[p - 1]! });

const identifier = (i: number): A.Identifier => ({ kind: "Identifier", name: image(i), span: spanOf(i) });

function decoded(i: number): string {
  const start = starts[i]!;
  const end = ends[i]!;
  if (kinds[i] === STRING) {
    const body = text.slice(start + 1, end - 1);
    if (!body.includes("\\")) return body;
    const result = decodeQuoted(text.slice(start, end), start);
    if (result.problems.length > 0) bail();
    return result.value;
  }
  const result = decodeBlock(text.slice(start, end), start);
  if (result.problems.length > 0) bail();
  return result.value;
}

function keyOf(i: number): A.Key {
  const quoted = kinds[i] === STRING;
  return { kind: "Key", name: quoted ? decoded(i) : image(i), quoted, span: spanOf(i) };
}

const stringValue = (i: number): A.StringValue => ({ kind: "StringValue", value: decoded(i), block: kinds[i] === BLOCK, span: spanOf(i) });

// file = { declaration | test | grader } EOF
function file(): { declarations: A.NamespaceDecl[]; graders: A.Grader[]; tests: A.TestBlock[] } {
  const declarations: A.NamespaceDecl[] = [];
  const graders: A.Grader[] = [];
  const tests: A.TestBlock[] = [];
  while (isName(k1())) {
    if ((imageIs(p, "item") || imageIs(p, "sample")) && k2() === LCURLY) declarations.push(declaration());
    else if (imageIs(p, "test") && k2() === STRING) tests.push(test());
    else graders.push(grader());
  }
  if (p !== count) bail();
  return { declarations, graders, tests };
}

function declaration(): A.NamespaceDecl {
  const ns = p++;
  const type = objectType();
  return { kind: "NamespaceDecl", namespace: identifier(ns), type, span: spanFrom(ns) };
}

function objectType(): A.ObjectType {
  const open = expect(LCURLY);
  const base = stack.length;
  while (isName(k1()) || k1() === STRING) {
    stack.push(typeField());
    if (k1() === COMMA) p++;
  }
  expect(RCURLY);
  return { kind: "ObjectType", fields: take<A.TypeField>(base), span: spanFrom(open) };
}

function typeField(): A.TypeField {
  const key = p++;
  const optional = k1() === QUESTION;
  if (optional) p++;
  expect(COLON);
  const type = typeExpr();
  return { kind: "TypeField", key: keyOf(key), optional, type, span: spanFrom(key) };
}

function typeExpr(): A.TypeExpr {
  const first = p;
  const members: A.TypeExpr[] = [typeAtom()];
  while (k1() === PIPE) {
    p++;
    members.push(typeAtom());
  }
  return members.length === 1 ? members[0]! : { kind: "UnionType", members, span: spanFrom(first) };
}

function typeAtom(): A.TypeExpr {
  const k = k1();
  if (isName(k) || k === NULL) {
    const t = p++;
    return { kind: "NamedType", name: image(t), span: spanOf(t) };
  }
  if (k === STRING) {
    const t = p++;
    return { kind: "LiteralType", value: decoded(t), span: spanOf(t) };
  }
  if (k === LBRACKET) {
    const open = p++;
    const element = typeExpr();
    expect(RBRACKET);
    return { kind: "ListType", element, span: spanFrom(open) };
  }
  if (k === LCURLY) return objectType();
  return bail();
}

function grader(): A.Grader {
  if (!isName(k1())) bail();
  const kind = p++;
  let name: number | undefined;
  if (k1() === STRING) name = p++;
  // A bare name (`string_check exact: ...`) is reported by the full parser.
  else if (isName(k1()) && (k2() === COLON || k2() === LCURLY)) bail();
  let body: A.GraderBody;
  if (k1() === COLON) {
    p++;
    body = shortForm();
  } else if (k1() === LCURLY) body = blockBody();
  else return bail();
  return { kind: "Grader", type: identifier(kind), name: name === undefined ? undefined : stringValue(name), body, span: spanFrom(kind) };
}

function shortForm(): A.CompareForm | A.CallForm {
  const first = p;
  if (isName(k1()) && k2() === LPAREN) {
    const metric = p;
    p += 2;
    const base = stack.length;
    while (startsValue(k1())) {
      stack.push(value());
      if (k1() === COMMA) p++;
    }
    expect(RPAREN);
    return { kind: "CallForm", metric: identifier(metric), args: take<A.Value>(base), span: spanFrom(first) };
  }
  const input = value();
  if (!isName(k1())) bail();
  const op = p++;
  const reference = value();
  return { kind: "CompareForm", input, operation: identifier(op), reference, span: spanFrom(first) };
}

function blockBody(): A.BlockBody {
  const open = expect(LCURLY);
  const base = stack.length;
  while (isName(k1()) || k1() === STRING) {
    stack.push(member());
    if (k1() === COMMA) p++;
  }
  expect(RCURLY);
  return { kind: "BlockBody", members: take<A.Member>(base), span: spanFrom(open) };
}

function member(): A.Member {
  const k = k1();
  if (k === CALCULATE_OUTPUT) {
    const key = p++;
    expect(COLON);
    const t = k1();
    const v: A.FieldValue = t === STRING || t === BLOCK ? stringValue(p++) : formula();
    return { kind: "Field", key: keyOf(key), value: v, span: spanFrom(key) };
  }
  if (k === GRADERS) {
    const key = p++;
    let v: A.FieldValue;
    if (k1() === LCURLY) v = graderMap();
    else if (k1() === COLON && k2() === LCURLY) {
      p++;
      v = graderMap();
    } else if (k1() === COLON && startsValue(k2())) {
      p++;
      v = value();
    } else return bail();
    return { kind: "Field", key: keyOf(key), value: v, span: spanFrom(key) };
  }
  // plainMember: `key: value`, `key { ... }`, or a message `role [message] content`.
  const key = p++;
  const next = k1();
  if (next === COLON) {
    p++;
    const v = value();
    return { kind: "Field", key: keyOf(key), value: v, span: spanFrom(key) };
  }
  if (next === LCURLY) {
    const v = objectValue();
    return { kind: "Field", key: keyOf(key), value: v, span: spanFrom(key) };
  }
  if (isName(next) || next === STRING || next === BLOCK || next === PATH || next === LBRACKET) {
    let typed = false;
    if (isName(next) && imageIs(p, "message") && isContentStart(p + 1)) {
      typed = true;
      p++;
    }
    const content = messageContent();
    return { kind: "Message", role: identifier(key), typed, content, span: spanFrom(key) };
  }
  return bail();
}

/** Can message content start at token `i`: a string, a path, a list or a call? */
function isContentStart(i: number): boolean {
  const k = i < count ? kinds[i]! : EOF;
  return k === STRING || k === BLOCK || k === PATH || k === LBRACKET || (isName(k) && i + 1 < count && kinds[i + 1] === LPAREN);
}

function graderMap(): A.GraderMap {
  const open = expect(LCURLY);
  const base = stack.length;
  for (;;) {
    const k = k1();
    if (!(isName(k) || k === STRING) || k === CALCULATE_OUTPUT || k === GRADERS || k2() !== COLON || !isName(k3())) break;
    const key = p;
    p += 2;
    const g = grader();
    if (k1() === COMMA) p++;
    stack.push({ kind: "GraderEntry", key: keyOf(key), grader: g, span: spanFrom(key) });
  }
  expect(RCURLY);
  return { kind: "GraderMap", entries: take<A.GraderEntry>(base), span: spanFrom(open) };
}

const endsOperand = (k: number): boolean => isName(k) || k === NUMBER || k === PATH || k === RPAREN;

/** The tokens of an unquoted formula, up to the next member (src/syntax/parser.ts, `formula`). */
function formula(): A.Formula {
  const first = p;
  let depth = 0;
  for (;;) {
    const k = k1();
    if (!(isName(k) || k === PATH || k === NUMBER || isOperator(k) || k === COMMA || k === LPAREN || k === RPAREN)) break;
    if (isName(k) && k2() === COLON) break;
    if (k === COMMA && depth === 0) break;
    if (p > first && (isName(k) || k === NUMBER || k === PATH) && endsOperand(kinds[p - 1]!)) break;
    if (k === LPAREN) depth++;
    else if (k === RPAREN) depth--;
    p++;
  }
  const at = first < count ? starts[first]! : text.length;
  const span = p > first ? spanFrom(first) : { start: at, end: at };
  let formulaText = text.slice(span.start, span.end);
  if (formulaText.includes("//")) formulaText = formulaText.replace(/\/\/[^\n\r]*/g, "").replace(/[ \t]+(\r?\n)/g, "$1");
  return { kind: "Formula", text: formulaLines(formulaText), span };
}

function messageContent(): A.Value {
  const k = k1();
  if (k === STRING || k === BLOCK) return stringValue(p++);
  if (k === PATH) {
    const t = p++;
    return { kind: "PathValue", path: image(t), span: spanOf(t) };
  }
  if (k === LBRACKET) return listValue();
  if (isName(k)) return call();
  return bail();
}

function value(): A.Value {
  const k = k1();
  switch (k) {
    case STRING:
    case BLOCK:
      return stringValue(p++);
    case NUMBER:
    case MINUS:
      return numberValue();
    case TRUE:
    case FALSE: {
      const t = p++;
      return { kind: "BooleanValue", value: k === TRUE, span: spanOf(t) };
    }
    case NULL: {
      const t = p++;
      return { kind: "NullValue", span: spanOf(t) };
    }
    case PATH: {
      const t = p++;
      return { kind: "PathValue", path: image(t), span: spanOf(t) };
    }
    case LBRACKET:
      return listValue();
    case LCURLY:
      return objectValue();
    default:
      if (!isName(k)) return bail();
      if (k2() === LPAREN) return call();
      {
        const t = p++;
        return { kind: "NameValue", name: image(t), span: spanOf(t) };
      }
  }
}

function numberValue(): A.Value {
  const first = signedNumber();
  if (k1() === DOTDOT) {
    p++;
    const high = signedNumber();
    return { kind: "RangeValue", low: first, high, span: { start: first.span.start, end: high.span.end } };
  }
  if (isName(k1()) && imageIs(p, "within") && k2() === NUMBER) {
    p++;
    const tolerance = signedNumber();
    return { kind: "ToleranceValue", value: first, tolerance, span: { start: first.span.start, end: tolerance.span.end } };
  }
  return first;
}

function signedNumber(): A.NumberValue {
  const first = p;
  const minus = k1() === MINUS;
  if (minus) p++;
  const digits = expect(NUMBER);
  const raw = minus ? `-${image(digits)}` : image(digits);
  return { kind: "NumberValue", value: Number(raw), raw, span: spanFrom(first) };
}

function call(): A.CallValue {
  const callee = p++;
  expect(LPAREN);
  const base = stack.length;
  while (startsValue(k1())) {
    const first = p;
    let name: A.Identifier | undefined;
    if (isName(k1()) && k2() === COLON) {
      name = identifier(p);
      p += 2;
    }
    const v = value();
    stack.push({ kind: "Argument", name, value: v, span: spanFrom(first) });
    if (k1() === COMMA) p++;
  }
  expect(RPAREN);
  return { kind: "CallValue", callee: identifier(callee), args: take<A.Argument>(base), span: spanFrom(callee) };
}

function listValue(): A.ListValue {
  const open = expect(LBRACKET);
  const base = stack.length;
  while (startsValue(k1())) {
    stack.push(value());
    if (k1() === COMMA) p++;
  }
  expect(RBRACKET);
  return { kind: "ListValue", items: take<A.Value>(base), span: spanFrom(open) };
}

function objectValue(): A.ObjectValue {
  const open = expect(LCURLY);
  const base = stack.length;
  while (isName(k1()) || k1() === STRING) {
    const key = p++;
    let v: A.Value;
    if (k1() === COLON) {
      p++;
      v = value();
    } else if (k1() === LCURLY) v = objectValue();
    else return bail();
    if (k1() === COMMA) p++;
    // The entry's span takes in its comma, as the full parser's does.
    stack.push({ kind: "ObjectEntry", key: keyOf(key), value: v, span: spanFrom(key) });
  }
  expect(RCURLY);
  return { kind: "ObjectValue", entries: take<A.ObjectEntry>(base), span: spanFrom(open) };
}

function test(): A.TestBlock {
  const keyword = p++;
  const name = expect(STRING);
  const body = blockBody();
  const fields: A.Field[] = [];
  for (const m of body.members) {
    if (m.kind !== "Field") bail(); // a message in a test is reported by the full parser
    fields.push(m);
  }
  return { kind: "TestBlock", name: stringValue(name), fields, span: spanFrom(keyword) };
}

export interface FastParse {
  readonly declarations: A.NamespaceDecl[];
  readonly graders: A.Grader[];
  readonly tests: A.TestBlock[];
  readonly comments: A.Comment[];
  /** The span of the last token (where "this file holds no grader" points), if any. */
  readonly lastToken: A.Span | undefined;
}

/** Parses text without syntax errors; undefined when there may be one (the full parser decides). */
export function fastParse(source: string): FastParse | undefined {
  text = source;
  count = 0;
  p = 0;
  stack.length = 0;
  const comments: A.Comment[] = [];
  try {
    if (!lex(comments) || !preflight()) return undefined;
    const result = file();
    return { ...result, comments, lastToken: count > 0 ? spanOf(count - 1) : undefined };
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  } finally {
    text = "";
    stack.length = 0;
    // Buffers grown for a big text are not kept for the next one.
    if (kinds.length > KEPT_TOKENS) {
      kinds = new Uint8Array(KEPT_TOKENS);
      starts = new Int32Array(KEPT_TOKENS);
      ends = new Int32Array(KEPT_TOKENS);
    }
  }
}
