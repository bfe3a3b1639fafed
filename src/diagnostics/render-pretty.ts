import { codeFrameColumns } from "@babel/code-frame";
import { createColors } from "picocolors";
import type { Diagnostic } from "./diagnostic.js";
import { Locator, type SourceLookup } from "./locate.js";

export interface PrettyOptions {
  /** Colour the output (the CLI decides: a TTY, and no NO_COLOR). */
  readonly color?: boolean;
}

/**
 * `file:line:col: error[rule]: message`, the source lines with the span underlined, notes for
 * related places, and a `help:` line with the fix. A finding with a `location` (a line of a dataset
 * file) has no code frame.
 */
export function renderPretty(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup, options: PrettyOptions = {}): string {
  const c = createColors(options.color ?? false);
  const locator = new Locator(sourceOf);
  const out: string[] = [];
  for (const d of diagnostics) {
    const { start, end } = locator.locateDiagnostic(d);
    const where = `${d.file ?? "<input>"}:${start.line}:${start.column}`;
    const level = d.severity === "error" ? c.bold(c.red("error")) : c.bold(c.yellow("warning"));
    out.push(`${c.bold(where)}: ${level}${c.dim(`[${d.rule}]`)}: ${c.bold(d.message)}`);
    // A finding with a `location` is in a file whose text is not held (a dataset): no frame.
    const text = d.location ? undefined : sourceOf(d.file);
    if (text !== undefined) out.push(frame(text, start, end, options.color ?? false));
    for (const related of d.related ?? []) {
      const at = locator.locate(d.file, related.span).start;
      out.push(`  ${c.cyan("note")}: ${related.message} at ${d.file ?? "<input>"}:${at.line}:${at.column}`);
    }
    if (d.suggestion) out.push(`  ${c.cyan(c.bold("help"))}: ${d.suggestion}`);
    out.push("");
  }
  return out.join("\n");
}

const MAX_FRAME_LINES = 6;
const MAX_LINE = 400;

function frame(text: string, start: { line: number; column: number }, end: { line: number; column: number }, color: boolean): string {
  // @babel/code-frame counts columns from 0, with an exclusive end. A zero-width span (the end
  // of the file, say) still gets a caret.
  // A span over many lines (a whole block string) shows its first lines only.
  const lines = text.split(/\r\n|\r|\n/, end.line + 2);
  const clipped = end.line - start.line >= MAX_FRAME_LINES;
  const last = clipped ? start.line + MAX_FRAME_LINES - 1 : end.line;
  const from = { line: start.line, column: start.column - 1 };
  const to = clipped
    ? { line: last, column: (lines[last - 1] ?? "").length }
    : { line: end.line, column: end.line === start.line && end.column <= start.column ? start.column : end.column - 1 };
  const visible = lines
    .slice(0, last + 1)
    .map((line) => (line.length > MAX_LINE ? line.slice(0, MAX_LINE) + "…" : line))
    .join("\n");
  return codeFrameColumns(
    visible,
    { start: from, end: to },
    { highlightCode: false, forceColor: color, linesAbove: 1, linesBelow: clipped ? 0 : 1 },
  )
    .split("\n")
    .map((l) => `  ${l}`)
    .concat(clipped ? [`  ... (${end.line - last} more line${end.line - last === 1 ? "" : "s"})`] : [])
    .join("\n");
}
