import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type * as A from "./ast.js";

/*
 * What both parsers share (the fast path, src/syntax/fast.ts, and the full chevrotain one,
 * src/syntax/full-parse.ts): the limits, the finding builder, and the checks made on the parsed
 * file as a whole.
 */

/** Brackets may nest this deep; deeper input is refused before parsing (no stack overflow). */
export const MAX_NESTING = 256;
/** Syntax findings reported per file before giving up. */
export const MAX_SYNTAX_ERRORS = 50;

export interface ParseResult {
  readonly document: A.Document;
  readonly diagnostics: readonly Diagnostic[];
}

export const syntax = (message: string, span: A.Span, suggestion?: string): Diagnostic => ({
  rule: "syntax",
  severity: "error",
  message,
  span,
  ...(suggestion ? { suggestion } : {}),
});

export interface Parsed {
  readonly declarations: readonly A.NamespaceDecl[];
  readonly graders: readonly A.Grader[];
  readonly tests: readonly A.TestBlock[];
}

/**
 * The document of a parse, with the findings about the file as a whole appended to
 * `diagnostics`: a namespace declared twice, no grader (at `lastToken`, the span of the last
 * token, when the parse had no other finding), a second grader.
 */
export function finishDocument(
  text: string,
  result: Parsed | undefined,
  comments: readonly A.Comment[],
  diagnostics: Diagnostic[],
  grammarErrors: number,
  lastToken: A.Span | undefined,
): ParseResult {
  const graders = result?.graders ?? [];
  const declarations = result?.declarations ?? [];
  const seen = declarations.length > 1 ? new Map<string, A.NamespaceDecl>() : undefined;
  if (seen) for (const decl of declarations) {
    const name = decl.namespace.name;
    const first = seen.get(name);
    if (first) {
      diagnostics.push({
        ...syntax(`\`${name}\` is declared twice; merge the two declarations`, decl.namespace.span),
        related: [{ message: "first declared here", span: first.namespace.span }],
      });
    } else seen.set(name, decl);
  }
  if (graders.length === 0 && grammarErrors === 0 && diagnostics.length === 0) {
    diagnostics.push(
      syntax(
        "this file holds no grader",
        lastToken ?? { start: 0, end: 0 },
        'add one, such as `string_check "exact": sample.output_text eq item.label`',
      ),
    );
  }
  for (const extra of graders.slice(1)) {
    diagnostics.push({
      ...syntax(
        "a file holds exactly one grader; this is a second one",
        extra.type.span,
        "combine them in a `multi` grader, or move this one to its own file",
      ),
      related: [{ message: "the first grader", span: graders[0]!.type.span }],
    });
  }

  return {
    document: {
      kind: "Document",
      declarations: declarations as A.NamespaceDecl[],
      grader: graders[0],
      tests: (result?.tests ?? []) as A.TestBlock[],
      comments,
      span: { start: 0, end: text.length },
    },
    diagnostics,
  };
}
