import type { Span } from "../syntax/ast.js";

export type Severity = "error" | "warning";

/** A note that points at another place, such as the first of two duplicates. */
export interface Related {
  readonly message: string;
  readonly span: Span;
}

/** A line and column (both 1-based) in a file whose text is not held, such as a dataset. */
export interface Location {
  readonly line: number;
  readonly column: number;
}

/**
 * A finding, as plain data. Line and column are derived from `span` only when printing, so a
 * diagnostic stays valid for any renderer (pretty, json, github). A finding about a file whose
 * text is not held (a line of a `--items` dataset) carries its `location` instead; its span is
 * then `{start: 0, end: 0}`.
 */
export interface Diagnostic {
  /** A stable rule id from the catalog (src/diagnostics/catalog.ts). */
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  /** The file the span belongs to; set by the caller that knows it. */
  readonly file?: string;
  readonly span: Span;
  /** Where in `file` the finding is, used instead of `span` when present. */
  readonly location?: Location;
  readonly related?: readonly Related[];
  /** A `help:` line: how to fix it ("did you mean `operation`?"). */
  readonly suggestion?: string;
  /** Text that may replace `span` to apply the suggestion. */
  readonly replacement?: string;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings };
}

/** Source order, then errors before warnings. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? "").localeCompare(b.file ?? "") ||
      a.span.start - b.span.start ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      (a.location?.column ?? 0) - (b.location?.column ?? 0) ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
      a.span.end - b.span.end,
  );
}
