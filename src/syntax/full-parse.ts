import { createTokenInstance, type IToken, type TokenType, tokenMatcher } from "chevrotain";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";
import { finishDocument, MAX_NESTING, MAX_SYNTAX_ERRORS, type ParseResult, syntax } from "./document.js";
import { provideFullParser } from "./lazy.js";
import { LineIndex } from "./lines.js";
import { clearParseContext, setParseContext, TooManySyntaxErrors } from "./parse-errors.js";
import { gradeParser } from "./parser.js";
import {
  BlockString,
  CalculateOutput,
  Colon,
  DotDot,
  gradeLexer,
  Identifier,
  Minus,
  NumberLiteral,
  Path,
  LBracket,
  LCurly,
  LParen,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
  UnterminatedBlockString,
  UnterminatedString,
} from "./tokens.js";

/*
 * The full parser: chevrotain's lexer and parser (src/syntax/tokens.ts, parser.ts), with error
 * recovery and messages in the user's words. src/syntax/parse.ts sends it the text the fast path
 * gives up on, loading this module only then (src/syntax/lazy.ts).
 */

/** Parses `.grade` text without NUL bytes (src/syntax/parse.ts answers for those). Never throws. */
export function fullParse(text: string): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const lines = new LineIndex(text);
  const report = (d: Diagnostic): void => {
    if (diagnostics.length < MAX_SYNTAX_ERRORS) diagnostics.push(d);
  };

  const lexed = gradeLexer().tokenize(text);
  // A slip such as `==` for `eq` is reported once and read as what it stands for, so the parse
  // goes on as if the fix were written (no second error about the operation that is "missing").
  const standIns: IToken[] = [];
  for (const error of lexed.errors) {
    const ch = text.slice(error.offset, error.offset + Math.max(1, error.length));
    const span = { start: error.offset, end: error.offset + Math.max(1, error.length) };
    const slip = operatorSlip(ch);
    report(slip ? syntax(slip.message, span, slip.suggestion) : syntax(`unexpected ${describeChars(ch)}`, span));
    if (slip) {
      const at = lines.position(span.start);
      standIns.push(createTokenInstance(slip.token, slip.image, span.start, span.end - 1, at.line, at.line, at.column, at.column + span.end - span.start - 1));
    }
  }
  const tokens = standIns.length === 0 ? lexed.tokens : [...lexed.tokens, ...standIns].sort((a, b) => a.startOffset - b.startOffset);
  for (const t of tokens) {
    if (tokenMatcher(t, UnterminatedString)) {
      report(
        syntax(
          'this string has no closing `"` on its line',
          spanOf(t),
          'close it with `"`, or use a """ block string for text over several lines',
        ),
      );
      retype(t, StringLiteral);
    } else if (tokenMatcher(t, UnterminatedBlockString)) {
      report(syntax('this block string has no closing `"""`', { start: t.startOffset, end: t.startOffset + 3 }));
      retype(t, BlockString);
    }
  }
  mergeDashedKinds(tokens, report);
  mergeUnquotedWords(tokens, report);
  const comments: A.Comment[] = (lexed.groups["comments"] ?? []).map((t) => ({
    kind: "Comment",
    text: t.image,
    span: spanOf(t),
  }));

  const empty: A.Document = {
    kind: "Document",
    declarations: [],
    grader: undefined,
    tests: [],
    comments,
    span: { start: 0, end: text.length },
  };

  const tooDeep = firstTooDeep(tokens);
  if (tooDeep) {
    report(syntax(`brackets nest more than ${MAX_NESTING} levels deep here`, spanOf(tooDeep), "flatten the structure"));
    return { document: empty, diagnostics };
  }

  const parser = gradeParser();
  parser.sourceText = text;
  parser.problems = [];
  setParseContext(tokens, lines, MAX_SYNTAX_ERRORS - diagnostics.length);
  parser.input = tokens;
  let result: ReturnType<typeof parser.file> | undefined;
  try {
    result = parser.file();
  } catch (error) {
    clearParseContext();
    parser.sourceText = "";
    if (error instanceof TooManySyntaxErrors) {
      for (const e of parser.errors) report(syntax(e.message, spanOfError(e.token, text)));
      parser.input = [];
      diagnostics.push(syntax(`more than ${MAX_SYNTAX_ERRORS} syntax errors; stopped here`, diagnostics[diagnostics.length - 1]?.span ?? { start: 0, end: 0 }));
      return { document: empty, diagnostics };
    }
    if (!(error instanceof RangeError)) throw error;
    parser.input = [];
    report(syntax("this file is too deeply nested to parse", { start: 0, end: Math.min(1, text.length) }));
    return { document: empty, diagnostics };
  }
  for (const error of parser.errors) report(syntax(error.message, spanOfError(error.token, text)));
  for (const p of parser.problems) report(syntax(p.message, p.span, p.suggestion));
  const grammarErrors = parser.errors.length;
  // Release the tokens and the text (this also clears parser.errors): the fast path parses most
  // files, so the next full parse, which would replace them, may be long in coming.
  parser.input = [];
  parser.sourceText = "";
  parser.problems = [];
  clearParseContext();
  return finishDocument(text, result, comments, diagnostics, grammarErrors, tokens.length ? spanOf(tokens[tokens.length - 1]!) : undefined);
}

provideFullParser(fullParse);

/**
 * `model: gpt-4o-2024-08-06` lexes as several tokens written together (`gpt`, `-`, `4`, `o`, ...).
 * Such a run after a field's `:` is reported once, with the quoted fix, and read as one name so
 * that parsing goes on (a formula's `a-b` is left alone).
 */
function mergeUnquotedWords(tokens: IToken[], report: (d: Diagnostic) => void): void {
  const joinable = (t: IToken): boolean =>
    tokenMatcher(t, Identifier) ||
    tokenMatcher(t, NumberLiteral) ||
    tokenMatcher(t, Minus) ||
    tokenMatcher(t, Path) ||
    tokenMatcher(t, DotDot);
  for (let i = 1; i < tokens.length - 1; i++) {
    if (!tokenMatcher(tokens[i]!, Colon) || tokenMatcher(tokens[i - 1]!, CalculateOutput)) continue;
    const first = tokens[i + 1]!;
    let end = i + 1;
    while (
      end + 1 < tokens.length &&
      joinable(tokens[end + 1]!) &&
      tokens[end + 1]!.startOffset === tokens[end]!.startOffset + tokens[end]!.image.length
    ) {
      end++;
    }
    // Most colons are followed by one value: no run, and no array made for it.
    if (end - i < 2 || !joinable(first)) continue;
    const run = tokens.slice(i + 1, end + 1);
    if (!run.some((t) => tokenMatcher(t, Minus)) || (tokenMatcher(first, Minus) && run.length === 2)) continue;
    const text = run.map((t) => t.image).join("");
    report(
      syntax(
        `\`${text}\` must be quoted to be one value`,
        { start: first.startOffset, end: first.startOffset + text.length },
        `write \`"${text}"\``,
      ),
    );
    const merged = first as { image: string; tokenType: typeof Identifier; tokenTypeIdx: number };
    merged.image = text;
    merged.tokenType = Identifier;
    merged.tokenTypeIdx = Identifier.tokenTypeIdx!;
    tokens.splice(i + 2, run.length - 1);
  }
}

/** The grader kinds, as their dashed misspellings (`string-check`) are matched against. */
const DASHED_KINDS: ReadonlyMap<string, string> = new Map(
  ["string_check", "text_similarity", "python", "score_model", "label_model", "multi"].map((kind) => [kind.replace("_", "-"), kind]),
);

/**
 * `string-check "name" { ... }` (the kind written with a dash, as in some docs and YAML) lexes as
 * `string` `-` `check`: reported once with the spelling to use, and read as that kind, so the
 * rest of the grader is checked as usual.
 */
function mergeDashedKinds(tokens: IToken[], report: (d: Diagnostic) => void): void {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [a, dash, b] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (!tokenMatcher(a, Identifier) || !tokenMatcher(dash, Minus) || !tokenMatcher(b, Identifier)) continue;
    if (dash.startOffset !== a.startOffset + a.image.length || b.startOffset !== dash.startOffset + 1) continue;
    const kind = DASHED_KINDS.get(`${a.image}-${b.image}`);
    // A grader header only: at the start of the file or after a `}` or `:` (a sub-grader), and
    // followed by a name, a body or the one-line form's `:`.
    const before = tokens[i - 1];
    const after = tokens[i + 3];
    if (kind === undefined || (before !== undefined && !tokenMatcher(before, RCurly) && !tokenMatcher(before, Colon))) continue;
    if (after === undefined || !(tokenMatcher(after, StringLiteral) || tokenMatcher(after, LCurly) || tokenMatcher(after, Colon))) continue;
    const text = `${a.image}-${b.image}`;
    report(syntax(`\`${text}\` is not a grader kind; did you mean \`${kind}\`?`, { start: a.startOffset, end: a.startOffset + text.length }, `write \`${kind}\``));
    const merged = a as { image: string };
    merged.image = kind;
    tokens.splice(i + 1, 2);
  }
}

function spanOf(t: IToken): A.Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

function spanOfError(t: IToken, text: string): A.Span {
  return t.tokenType.name === "EOF" || !Number.isFinite(t.startOffset) || t.startOffset < 0 ? endSpan(text) : spanOf(t);
}

function endSpan(text: string): A.Span {
  return { start: text.length, end: text.length };
}

function retype(token: IToken, type: typeof StringLiteral): void {
  const mutable = token as { tokenType: typeof StringLiteral; tokenTypeIdx: number };
  mutable.tokenType = type;
  mutable.tokenTypeIdx = type.tokenTypeIdx!;
}

function firstTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (tokenMatcher(t, LCurly) || tokenMatcher(t, LBracket) || tokenMatcher(t, LParen)) {
      if (++depth > MAX_NESTING) return t;
    } else if (tokenMatcher(t, RCurly) || tokenMatcher(t, RBracket) || tokenMatcher(t, RParen)) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

/** Names characters users cannot see: `U+0000`, "a tab", "a non-breaking space". */
/** The comparison operators of other languages, written where `.grade` has a name or `:`, and the token they stand for. */
function operatorSlip(chars: string): { message: string; suggestion: string; token: TokenType; image: string } | undefined {
  const operation = (op: string, name: string) => ({
    message: `\`${op}\` is not an operator in .grade: a string_check operation is a name`,
    suggestion: `use \`${name}\`, as in \`sample.output_text ${name} item.answer\``,
    token: Identifier,
    image: name,
  });
  switch (chars.trim()) {
    case "==":
    case "===":
      return operation(chars.trim(), "eq");
    case "!=":
    case "!==":
      return operation(chars.trim(), "ne");
    case "=":
      return { message: "unexpected `=`: a field and its value are separated by `:`", suggestion: "write `field: value`", token: Colon, image: ":" };
    default:
      return undefined;
  }
}

function describeChars(chars: string): string {
  const first = chars.codePointAt(0) ?? 0;
  const shown = chars.length > 12 ? `${chars.slice(0, 12)}...` : chars;
  if (first === 0xfffd) return "bytes that are not valid UTF-8";
  if (first < 0x20 || first === 0x7f || (first >= 0x80 && first <= 0x9f)) {
    return `control character U+${first.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  if (first === 0xa0) return "non-breaking space (U+00A0)";
  if (/^\s$/u.test(String.fromCodePoint(first)))
    return `whitespace character U+${first.toString(16).toUpperCase().padStart(4, "0")}`;
  return `character${[...shown].length > 1 ? "s" : ""} \`${shown}\``;
}
