import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { parseGraderJson } from "./emit/decompile.js";
import type { Document } from "./syntax/ast.js";
import { parse } from "./syntax/parse.js";

/**
 * JSON graders: a `.json` file; without a file name (standard input, the library), text starting
 * with `{`, which `.grade` text never does. A `.grade` file is always read as `.grade`.
 */
export function isJsonSource(source: string, filename?: string): boolean {
  const name = filename?.toLowerCase();
  if (name?.endsWith(".json")) return true;
  if (name?.endsWith(".grade")) return false;
  return /^\uFEFF?\s*\{/.test(source);
}

/** The document of `.grade` text or of a grader JSON, with the findings of reading it. */
export function parseSource(source: string, filename?: string): { document: Document; diagnostics: Diagnostic[] } {
  if (!isJsonSource(source, filename)) {
    const parsed = parse(source);
    return { document: parsed.document, diagnostics: [...parsed.diagnostics] };
  }
  const result = parseGraderJson(source);
  const document: Document = result.document ?? {
    kind: "Document",
    declarations: [],
    grader: undefined,
    tests: [],
    comments: [],
    span: { start: 0, end: source.length },
  };
  return { document, diagnostics: [...result.diagnostics] };
}
