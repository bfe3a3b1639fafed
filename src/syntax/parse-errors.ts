import { type IParserErrorMessageProvider, type IToken, type TokenType, tokenMatcher } from "chevrotain";
import type { LineIndex } from "./lines.js";
import { Identifier, tokenDescriptions } from "./tokens.js";

/*
 * Parse errors in the user's words: what was expected, in the terms of the language, and what
 * was found; a missing closer names the block it should close and where that block opened.
 */

interface ParseContext {
  tokens: readonly IToken[];
  lines: LineIndex;
  // Incremental bracket scan: errors arrive in source order, so the scan resumes.
  scanned: number;
  stack: number[];
  // Openers already reported as unclosed: recovery behaves as if they were closed.
  reported: Set<number>;
}

let context: ParseContext | undefined;

/**
 * Thrown (from inside chevrotain) once a file has more syntax errors than are reported: parsing
 * garbage to its end would only cost time and memory.
 */
export class TooManySyntaxErrors extends Error {}

/** How many errors one parse may build messages for; set by the parse driver. */
let budget = Infinity;

function spend(): void {
  if (--budget < 0) throw new TooManySyntaxErrors();
}

/** Called by the parse driver before each parse. */
export function setParseContext(tokens: readonly IToken[], lines: LineIndex, maxErrors = Infinity): void {
  context = { tokens, lines, scanned: 0, stack: [], reported: new Set() };
  budget = maxErrors;
}

/** Called by the parse driver after each parse: the tokens are not kept alive. */
export function clearParseContext(): void {
  context = undefined;
  budget = Infinity;
}

const OPENERS: Readonly<Record<string, string>> = { LCurly: "RCurly", LBracket: "RBracket", LParen: "RParen" };
const CLOSERS = new Set(Object.values(OPENERS));

/** Index of the innermost bracket still open before `offset`. */
function openerBefore(offset: number): number | undefined {
  const ctx = context;
  if (!ctx) return undefined;
  if (ctx.scanned > 0 && (ctx.tokens[ctx.scanned - 1]?.startOffset ?? 0) >= offset) {
    ctx.scanned = 0;
    ctx.stack = [];
  }
  for (; ctx.scanned < ctx.tokens.length; ctx.scanned++) {
    const t = ctx.tokens[ctx.scanned]!;
    if (t.startOffset >= offset) break;
    const name = t.tokenType.name;
    if (OPENERS[name]) ctx.stack.push(ctx.scanned);
    else if (CLOSERS.has(name)) {
      const top = ctx.stack[ctx.stack.length - 1];
      if (top !== undefined && OPENERS[ctx.tokens[top]!.tokenType.name] === name) ctx.stack.pop();
    }
  }
  for (let i = ctx.stack.length - 1; i >= 0; i--) if (!ctx.reported.has(ctx.stack[i]!)) return ctx.stack[i];
  return undefined;
}

/** What the bracket at `index` opens, as users call it: "`graders`", "the `score_model` grader". */
function blockName(index: number): string {
  const tokens = context!.tokens;
  const opener = tokens[index]!;
  const prev = tokens[index - 1];
  const prev2 = tokens[index - 2];
  const kind = opener.tokenType.name;
  const isName = (t: IToken | undefined): t is IToken => t !== undefined && tokenMatcher(t, Identifier);
  if (kind === "LParen" && isName(prev)) return `\`${prev.image}(\``;
  if (prev?.tokenType.name === "Colon" && prev2) return `\`${prev2.image}\``;
  if (prev?.tokenType.name === "String" && isName(prev2)) {
    return prev2.image === "test" ? `the test ${prev.image}` : `the \`${prev2.image}\` grader`;
  }
  if (isName(prev)) {
    return kind === "LCurly" && index === 1 ? `the \`${prev.image}\` grader` : `\`${prev.image}\``;
  }
  return kind === "LBracket" ? "the list" : kind === "LParen" ? "the parentheses" : "the block";
}

function describe(type: TokenType): string {
  return tokenDescriptions[type.name] ?? `\`${type.name}\``;
}

export function found(token: IToken | undefined): string {
  if (!token || token.tokenType.name === "EOF") return "the end of the file";
  const image = token.image.length > 32 ? `${token.image.slice(0, 29)}...` : token.image;
  if (/[\r\n]/.test(image)) return describe(token.tokenType);
  return `\`${image}\``;
}

const RULE_EXPECTATIONS: Readonly<Record<string, string>> = {
  file: 'a grader, such as `string_check "name" { ... }`, an `item { ... }` or `sample { ... }` declaration, or a `test "name" { ... }`',
  member: "`:` and a value after the field name (or content after a message role, such as `user \"...\"`)",
  plainMember: "`:` and a value after the field name (or content after a message role, such as `user \"...\"`)",
  value: "a value (a string, number, name, template path, list or object)",
  numberValue: "a number",
  content: 'message content: a string, a template path, a list, or a part such as `input_text("...")`',
  typeAtom: "a type (`string`, `number`, `integer`, `boolean`, `any`, `null`, `[T]`, `{ ... }` or a string literal)",
  typeField: "a field name",
  shortForm: "a one-line grader body: `input eq reference` or `metric(input, reference)`",
  grader: 'a grader body: `{ ... }`, or `:` and a one-line form',
  graderMap: "a sub-grader key",
};

function expectationOf(ruleName: string, paths: readonly (readonly TokenType[])[]): string {
  const known = RULE_EXPECTATIONS[ruleName];
  if (known) return known;
  const firsts = [...new Set(paths.map((p) => (p[0] ? describe(p[0]) : "nothing")))];
  return firsts.length === 1 ? firsts[0]! : `one of ${firsts.join(", ")}`;
}

export const errorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    spend();
    if (CLOSERS.has(expected.name)) {
      const opener = openerBefore(actual.tokenType.name === "EOF" ? Number.MAX_SAFE_INTEGER : actual.startOffset);
      if (opener !== undefined && context) {
        context.reported.add(opener);
        const at = context.lines.label(context.tokens[opener]!.startOffset);
        return `expected ${describe(expected)} to close ${blockName(opener)} opened at ${at}, found ${found(actual)}`;
      }
    }
    if (expected.name === "EOF") return `expected ${RULE_EXPECTATIONS.file}, found ${found(actual)}`;
    if (expected.name === "Colon" && previous?.tokenType.name === "Identifier") {
      return `expected \`:\` after \`${previous.image}\`, found ${found(actual)}`;
    }
    if (expected.name === "Identifier" && ruleName === "grader") {
      return `expected a grader kind (\`string_check\`, \`text_similarity\`, \`python\`, \`score_model\`, \`label_model\`, \`multi\`), found ${found(actual)}`;
    }
    return `expected ${describe(expected)}, found ${found(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    spend();
    if (CLOSERS.has(firstRedundant.tokenType.name)) {
      return `unexpected ${found(firstRedundant)}: there is no open block for it to close`;
    }
    return `expected ${RULE_EXPECTATIONS.file}, found ${found(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
    spend();
    if (ruleName === "plainMember" && previous) {
      const role = ["system", "developer", "user", "assistant"].includes(previous.image);
      return `expected \`:\` and a value after \`${previous.image}\`${role ? " (or message content)" : ""}, found ${found(actual[0])}`;
    }
    const paths = expectedPathsPerAlt.flat();
    return `expected ${expectationOf(ruleName, paths)}, found ${found(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    spend();
    return `expected ${expectationOf(ruleName, expectedIterationPaths)}, found ${found(actual[0])}`;
  },
};
