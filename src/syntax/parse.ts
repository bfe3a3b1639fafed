import type * as A from "./ast.js";
import { finishDocument, type ParseResult, syntax } from "./document.js";
import { fastParse } from "./fast.js";
import { fullParser } from "./lazy.js";

export { MAX_NESTING, MAX_SYNTAX_ERRORS, type ParseResult } from "./document.js";

/**
 * Parses `.grade` source text into a Document and its `syntax` findings. Never throws.
 *
 * Text without a syntax error takes the fast path (src/syntax/fast.ts); any other text, and
 * anything the fast path is unsure of, the chevrotain parser with its error recovery
 * (src/syntax/full-parse.ts), loaded only then. Both give the same document.
 */
export function parse(text: string): ParseResult {
  const nul = text.indexOf("\0");
  if (nul >= 0) {
    const document: A.Document = {
      kind: "Document",
      declarations: [],
      grader: undefined,
      tests: [],
      comments: [],
      span: { start: 0, end: text.length },
    };
    return {
      document,
      diagnostics: [syntax("this is a binary file (it holds NUL bytes), not .grade text", { start: nul, end: nul + 1 })],
    };
  }
  const fast = fastParse(text);
  if (fast) return finishDocument(text, fast, fast.comments, [], 0, fast.lastToken);
  return fullParser()(text);
}
