import type { Parser, Plugin, Printer, RequiredOptions, SupportLanguage, SupportOptions } from "prettier";
import type * as A from "../syntax/ast.js";
import { LineIndex } from "../syntax/lines.js";
import { parse } from "../syntax/parse.js";
import { parseGraderJson } from "../emit/decompile.js";
import { printer } from "./printer.js";

/*
 * The prettier plugin for `.grade` files: `prettier --plugin gradelang/prettier`, or
 * `{"plugins": ["gradelang/prettier"]}` in a .prettierrc. The layout is described in
 * grammar/formatting.md.
 */

export const languages: SupportLanguage[] = [
  {
    name: "grade",
    parsers: ["grade"],
    extensions: [".grade"],
    vscodeLanguageIds: ["grade"],
  },
];

const locStart = (node: A.Node): number => node.span.start;
const locEnd = (node: A.Node): number => node.span.end;

/** Prettier reports an error that has a `loc` as a syntax error, with a code frame. */
class GradeSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly loc: { start: { line: number; column: number }; end: { line: number; column: number } },
  ) {
    super(`${message} (${loc.start.line}:${loc.start.column})`);
  }
}

function syntaxError(text: string, message: string, span: A.Span): GradeSyntaxError {
  const lines = new LineIndex(text);
  return new GradeSyntaxError(message, { start: lines.position(span.start), end: lines.position(span.end) });
}

const gradeParser: Parser<A.Node> = {
  astFormat: "grade-ast",
  locStart,
  locEnd,
  parse(text) {
    const { document, diagnostics } = parse(text);
    const first = [...diagnostics].sort((a, b) => a.span.start - b.span.start)[0];
    if (first) throw syntaxError(text, first.message, first.span);
    // `value` is what prettier names a comment's text in its own messages.
    return { ...document, comments: document.comments.map((c) => ({ ...c, value: c.text })) };
  },
};

/** Grader JSON → the same AST, so `grade decompile` prints JSON graders with this printer. */
const gradeJsonParser: Parser<A.Node> = {
  astFormat: "grade-ast",
  locStart,
  locEnd,
  parse(text) {
    const { document, diagnostics } = parseGraderJson(text);
    const first = diagnostics.find((d) => d.severity === "error");
    if (!document || first) throw syntaxError(text, first?.message ?? "this JSON holds no grader", first?.span ?? { start: 0, end: 0 });
    return { ...document, comments: [] };
  },
};

export const parsers: Record<string, Parser<A.Node>> = { grade: gradeParser, "grade-json": gradeJsonParser };

export const printers: Record<string, Printer<A.Node>> = { "grade-ast": printer };

/** The plugin has no options of its own. */
export const options: SupportOptions = {};

/** The canonical layout: 2-space indent, lines up to 100 columns (a configuration may change both). */
export const defaultOptions: Partial<RequiredOptions> = { printWidth: 100, tabWidth: 2, useTabs: false };

const plugin: Plugin<A.Node> = { languages, parsers, printers, options, defaultOptions };
export default plugin;
