import { createToken, Lexer, type TokenType } from "chevrotain";

/*
 * The tokens of `.grade` (grammar/grammar.md, "Lexical"). Order matters: longer and more
 * specific patterns come first (block strings before strings, paths before identifiers).
 */

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  // U+FEFF is whitespace so that a byte-order mark keeps every offset true to the file.
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const Comment = createToken({
  name: "Comment",
  pattern: /\/\/[^\n\r]*/,
  group: "comments",
});

/*
 * String tokens use hand-written matchers: a regular expression with alternation inside a
 * repetition overflows V8's stack on very long strings (a 10 MB block string, say).
 */

/**
 * A block string is raw: the only escape is `\"""`, which stands for `"""`. A quote that starts a
 * run of four or more is content, so the delimiter is always the last three quotes of a run.
 */
function matchBlockString(text: string, offset: number): RegExpExecArray | null {
  if (!text.startsWith('"""', offset)) return null;
  let i = offset + 3;
  for (;;) {
    const next = text.indexOf('"', i);
    if (next < 0) return null;
    if (text[next - 1] === "\\" && text.startsWith('"""', next) && next - 1 >= i) {
      i = next + 3;
      continue;
    }
    let run = next;
    while (text.charCodeAt(run) === 34) run++;
    if (run - next >= 3) return execResult(text.slice(offset, run));
    i = run;
  }
}

/** A `"..."` string on one line; `\` escapes the next character (JSON escapes are checked later). */
function matchString(text: string, offset: number, terminated: boolean): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 34) return null;
  let i = offset + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return terminated ? execResult(text.slice(offset, i + 1)) : null;
    if (c === 10 || c === 13) break;
    if (c === 92) {
      const n = text.charCodeAt(i + 1);
      if (n === 10 || n === 13 || Number.isNaN(n)) {
        i++;
        break;
      }
      i += 2;
    } else i++;
  }
  return terminated ? null : execResult(text.slice(offset, Math.min(i, text.length)));
}

function execResult(match: string): RegExpExecArray {
  return [match] as unknown as RegExpExecArray;
}

export const BlockString = createToken({
  name: "BlockString",
  pattern: { exec: (text: string, offset: number) => matchBlockString(text, offset) },
  start_chars_hint: ['"'],
  line_breaks: true,
});

/** An opening `"""` with no closing one: reported by the parse driver, parsed as a block string. */
export const UnterminatedBlockString = createToken({
  name: "UnterminatedBlockString",
  pattern: /"""[\s\S]*/,
  line_breaks: true,
});

export const StringLiteral = createToken({
  name: "String",
  pattern: { exec: (text: string, offset: number) => matchString(text, offset, true) },
  start_chars_hint: ['"'],
  line_breaks: false,
});

/** A string that reaches the end of its line: reported by the parse driver. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: { exec: (text: string, offset: number) => matchString(text, offset, false) },
  start_chars_hint: ['"'],
  line_breaks: false,
});

export const NumberLiteral = createToken({
  name: "Number",
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
});

/** A template path written bare: `item.a.b[0].c`, `sample.output_json.name`. */
export const Path = createToken({
  name: "Path",
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+/,
});

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
});

const keyword = (name: string, word: string): TokenType =>
  createToken({ name, pattern: new RegExp(word), longer_alt: [Path, Identifier] });

export const True = keyword("True", "true");

/*
 * Field names the grammar treats specially. They are also identifiers (token category), so
 * they still work as names anywhere else.
 */
const contextualKeyword = (name: string, word: string): TokenType =>
  createToken({ name, pattern: new RegExp(word), longer_alt: [Path, Identifier], categories: [Identifier] });
export const CalculateOutput = contextualKeyword("CalculateOutput", "calculate_output");
export const Graders = contextualKeyword("Graders", "graders");
export const False = keyword("False", "false");
export const Null = keyword("Null", "null");

export const LCurly = createToken({ name: "LCurly", pattern: /\{/ });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const Question = createToken({ name: "Question", pattern: /\?/ });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/ });
export const DotDot = createToken({ name: "DotDot", pattern: /\.\./ });

/** Formula operators share a category so the formula collector can accept any of them. */
export const Operator = createToken({ name: "Operator", pattern: Lexer.NA });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: Operator });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: Operator });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: Operator });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: Operator });
export const Caret = createToken({ name: "Caret", pattern: /\^/, categories: Operator });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  BlockString,
  UnterminatedBlockString,
  StringLiteral,
  UnterminatedString,
  NumberLiteral,
  True,
  False,
  Null,
  CalculateOutput,
  Graders,
  Path,
  Identifier,
  LCurly,
  RCurly,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Colon,
  Comma,
  Question,
  Pipe,
  DotDot,
  Operator,
  Plus,
  Minus,
  Star,
  Slash,
  Caret,
];

/** How a token type is named in messages users read. */
export const tokenDescriptions: Readonly<Record<string, string>> = {
  Comment: "a comment",
  BlockString: "a block string",
  UnterminatedBlockString: "a block string",
  String: "a string",
  UnterminatedString: "a string",
  Number: "a number",
  Path: "a template path",
  Identifier: "a name",
  CalculateOutput: "`calculate_output`",
  Graders: "`graders`",
  True: "`true`",
  False: "`false`",
  Null: "`null`",
  LCurly: "`{`",
  RCurly: "`}`",
  LBracket: "`[`",
  RBracket: "`]`",
  LParen: "`(`",
  RParen: "`)`",
  Colon: "`:`",
  Comma: "`,`",
  Question: "`?`",
  Pipe: "`|`",
  DotDot: "`..`",
  Operator: "an operator",
  Plus: "`+`",
  Minus: "`-`",
  Star: "`*`",
  Slash: "`/`",
  Caret: "`^`",
  EOF: "the end of the file",
};

let lexer: Lexer | undefined;

/** One lexer instance, built on first use. */
export function gradeLexer(): Lexer {
  lexer ??= new Lexer(allTokens, {
    positionTracking: "onlyOffset",
    ensureOptimizations: true,
    skipValidations: process.env.GRADE_VALIDATE_GRAMMAR !== "1",
  });
  return lexer;
}
