import type { Span } from "../syntax/ast.js";
import type { BinaryOperator, FormulaExpr, FormulaName } from "./ast.js";

/*
 * formula = sum
 * sum     = product { ("+" | "-") product }
 * product = unary { ("*" | "/") unary }
 * unary   = "-" unary | power
 * power   = primary [ "^" unary ]          (right-associative, binds tightest)
 * primary = number | name [ "(" [ sum { "," sum } ] ")" ] | "(" sum ")"
 */

/** Parentheses and unary minus may nest this deep; deeper formulas are a `formula-syntax` finding. */
export const MAX_FORMULA_DEPTH = 200;

export interface FormulaProblem {
  readonly message: string;
  readonly span: Span;
}

export interface FormulaParse {
  readonly expr: FormulaExpr | undefined;
  readonly problems: readonly FormulaProblem[];
}

type TokenKind = "number" | "name" | "op" | "(" | ")" | "," | "end" | "bad";

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/^])|([(),]))/y;

function tokenize(text: string, base: number): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) {
      const ws = /^\s*/.exec(text.slice(at))![0].length;
      if (at + ws >= text.length) break;
      const start = at + ws;
      // One character, a whole code point (an emoji is two UTF-16 units).
      const char = String.fromCodePoint(text.codePointAt(start)!);
      tokens.push({ kind: "bad", text: char, start: base + start, end: base + start + char.length });
      at = start + char.length;
      continue;
    }
    const lexeme = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    const start = m.index + m[0].length - lexeme.length;
    const kind: TokenKind = m[1] ? "number" : m[2] ? "name" : m[3] ? "op" : (lexeme as "(" | ")" | ",");
    tokens.push({ kind, text: lexeme, start: base + start, end: base + start + lexeme.length });
    at = m.index + m[0].length;
  }
  const endAt = base + text.trimEnd().length;
  tokens.push({ kind: "end", text: "", start: endAt, end: endAt });
  return tokens;
}

class FormulaParseError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

const spanOf = (t: { readonly start: number; readonly end: number }): Span => ({ start: t.start, end: t.end });

function describe(t: Token): string {
  if (t.kind === "end") return "the end of the formula";
  return `\`${t.text}\``;
}

/**
 * Parses a formula written at source offset `base`. Offsets in the result are absolute, so
 * findings point into the `.grade` (or JSON) text. Never throws.
 */
export function parseFormula(text: string, base = 0): FormulaParse {
  const tokens = tokenize(text, base);
  const bad = tokens.find((t) => t.kind === "bad");
  if (bad) {
    return { expr: undefined, problems: [{ message: `unexpected \`${bad.text}\` in the formula`, span: spanOf(bad) }] };
  }
  if (tokens.length === 1) {
    return { expr: undefined, problems: [{ message: "the formula is empty", span: { start: base, end: base + text.length } }] };
  }
  let pos = 0;
  let depth = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const span = (start: number): Span => ({ start, end: tokens[pos - 1]!.end });
  const enter = (t: Token): void => {
    if (++depth > MAX_FORMULA_DEPTH) {
      throw new FormulaParseError(`the formula nests more than ${MAX_FORMULA_DEPTH} levels deep`, spanOf(t));
    }
  };

  const sum = (): FormulaExpr => {
    let left = product();
    while (peek().kind === "op" && (peek().text === "+" || peek().text === "-")) {
      const op = next().text as BinaryOperator;
      const right = product();
      left = { kind: "FormulaBinary", operator: op, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  };
  const product = (): FormulaExpr => {
    let left = unary();
    while (peek().kind === "op" && (peek().text === "*" || peek().text === "/")) {
      const op = next().text as BinaryOperator;
      const right = unary();
      left = { kind: "FormulaBinary", operator: op, left, right, span: { start: left.span.start, end: right.span.end } };
    }
    return left;
  };
  const unary = (): FormulaExpr => {
    const t = peek();
    if (t.kind === "op" && t.text === "-") {
      next();
      enter(t);
      const operand = unary();
      depth--;
      return { kind: "FormulaUnary", operator: "-", operand, span: { start: t.start, end: operand.span.end } };
    }
    return power();
  };
  const power = (): FormulaExpr => {
    const base = primary();
    if (peek().kind === "op" && peek().text === "^") {
      const t = next();
      enter(t);
      const exponent = unary();
      depth--;
      return { kind: "FormulaBinary", operator: "^", left: base, right: exponent, span: { start: base.span.start, end: exponent.span.end } };
    }
    return base;
  };
  const primary = (): FormulaExpr => {
    const t = next();
    switch (t.kind) {
      case "number":
        return { kind: "FormulaNumber", value: Number(t.text), span: spanOf(t) };
      case "name": {
        const name: FormulaName = { kind: "FormulaName", name: t.text, span: { start: t.start, end: t.end } };
        if (peek().kind !== "(") return name;
        const open = next();
        enter(open);
        const args: FormulaExpr[] = [];
        if (peek().kind !== ")") {
          args.push(sum());
          while (peek().kind === ",") {
            next();
            args.push(sum());
          }
        }
        expect(")", args.length > 0 ? `\`,\` or \`)\` in the call \`${t.text}(\`` : `\`)\` to close the call \`${t.text}(\``, open);
        depth--;
        return { kind: "FormulaCall", callee: name, args, span: span(t.start) };
      }
      case "(": {
        enter(t);
        const inner = sum();
        expect(")", "`)` to close `(`", t);
        depth--;
        return { ...inner, span: span(t.start) };
      }
      default:
        throw new FormulaParseError(
          `expected a number, a grader key, a function call or \`(\`, found ${describe(t)}`,
          t.kind === "end" ? { start: t.start, end: t.start } : spanOf(t),
        );
    }
  };
  /** Consumes `kind`, or fails with "expected <what>"; at the end of the formula the opener is blamed. */
  const expect = (kind: TokenKind, what: string, opener: Token): void => {
    const t = peek();
    if (t.kind === kind) {
      next();
      return;
    }
    throw new FormulaParseError(`expected ${what}, found ${describe(t)}`, spanOf(t.kind === "end" ? opener : t));
  };

  try {
    const expr = sum();
    const rest = peek();
    if (rest.kind !== "end") {
      const message =
        rest.kind === ")"
          ? "unexpected `)`: there is no `(` for it to close"
          : `expected an operator (\`+ - * / ^\`) or the end of the formula, found ${describe(rest)}`;
      return { expr: undefined, problems: [{ message, span: spanOf(rest) }] };
    }
    return { expr, problems: [] };
  } catch (error) {
    if (error instanceof FormulaParseError) {
      return { expr: undefined, problems: [{ message: error.message, span: { start: error.span.start, end: error.span.end } }] };
    }
    throw error;
  }
}
