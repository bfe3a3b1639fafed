import type { Diagnostic } from "./diagnostic.js";
import { Locator, type SourceLookup } from "./locate.js";

/** Every diagnostic as JSON: rule, severity, message, file, start and end line/column. */
export function renderJson(diagnostics: readonly Diagnostic[], sourceOf: SourceLookup): string {
  const locator = new Locator(sourceOf);
  const rows = diagnostics.map((d) => {
    const { start, end } = locator.locateDiagnostic(d);
    return {
      rule: d.rule,
      severity: d.severity,
      message: d.message,
      file: d.file ?? null,
      start,
      end,
      ...(d.suggestion ? { suggestion: d.suggestion } : {}),
      ...(d.replacement !== undefined ? { replacement: d.replacement } : {}),
      ...(d.related?.length
        ? { related: d.related.map((r) => ({ message: r.message, ...locator.locate(d.file, r.span) })) }
        : {}),
    };
  });
  return JSON.stringify(rows, null, 2);
}
