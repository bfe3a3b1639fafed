import { isDeepStrictEqual } from "node:util";
import type * as A from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";

/** Prettier options that change the layout; without them, the canonical layout. */
export interface FormatOptions {
  /** The line width lists and objects are fitted into (default 100). */
  readonly printWidth?: number;
  readonly tabWidth?: number;
  readonly useTabs?: boolean;
  readonly endOfLine?: "lf" | "crlf" | "cr" | "auto";
}

/**
 * Formats `.grade` source text in the canonical layout (grammar/formatting.md) with the prettier
 * plugin. Rejects text with a syntax error (prettier's SyntaxError, with `loc`). The result is
 * parsed again and compared with the input, so formatting never changes what a file means or
 * loses a comment; if it would (a bug), this throws instead.
 */
export async function format(source: string, options: FormatOptions = {}): Promise<string> {
  const [prettier, { default: plugin }] = await Promise.all([import("prettier"), import("./plugin.js")]);
  const formatted = await prettier.format(source, { ...options, parser: "grade", plugins: [plugin] });
  const problem = meaningChange(source, formatted);
  if (problem) throw new Error(`formatting would change the file (${problem}); the file was left as it is`);
  return formatted;
}

/** Why two texts differ in meaning: their ASTs (spans aside) or their comments; undefined if they don't. */
export function meaningChange(before: string, after: string): string | undefined {
  const a = parse(before);
  const b = parse(after);
  if (b.diagnostics.length > a.diagnostics.length) return "the result does not parse";
  if (!isDeepStrictEqual(comparable(a.document), comparable(b.document))) return "the syntax tree differs";
  const comments = (d: A.Document) => d.comments.map((c) => c.text.trimEnd()).sort();
  if (!isDeepStrictEqual(comments(a.document), comments(b.document))) return "the comments differ";
  return undefined;
}

/** The AST without spans and comments: what a file means. */
export function comparable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(comparable);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "span" || key === "comments") continue;
    out[key] = comparable(value);
  }
  return out;
}
