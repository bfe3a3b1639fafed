import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Span } from "../syntax/ast.js";

/*
 * The edits a finding proposes: its `replacement` (a did-you-mean, a corrected template or
 * range), or the quoting a `syntax` finding asks for. Each is marked safe or not: a safe fix is
 * mechanical (the intent is not in doubt: a missing `:`, `{{ item. a }}` spacing, `low..high`
 * for a list, a dashed value to quote), so `grade check --fix` applies it; a guess (a
 * did-you-mean among near names) is offered by the language server as a quick fix only.
 */

export interface Fix {
  readonly rule: string;
  /** What the fix does, as a quick fix's title: "Replace with `operation`". */
  readonly title: string;
  readonly span: Span;
  readonly text: string;
  readonly safe: boolean;
}

/** Whether a finding's replacement is mechanical rather than a guess. */
function safeReplacement(d: Diagnostic): boolean {
  const r = d.replacement ?? "";
  switch (d.rule) {
    case "invalid-enum":
      return r.endsWith(":") && d.message.includes("needs a `:`");
    case "invalid-value":
      return d.message.includes("not `low..high`");
    case "malformed-template":
      return r.startsWith("{{") || r.startsWith("sample.");
    case "unknown-grader":
      return (d.suggestion ?? "").includes("formulas use keys");
    default:
      return false;
  }
}

/** The fix a finding proposes, if any; `source` is the text its span is in. */
export function fixOf(d: Diagnostic, source: string): Fix | undefined {
  if (d.location) return undefined;
  if (d.replacement !== undefined) {
    const old = source.slice(d.span.start, d.span.end);
    // A quoted key (JSON, or `"key":` in .grade) keeps its quotes.
    const quoted = old.length >= 2 && old.startsWith('"') && old.endsWith('"') && !d.replacement.startsWith('"');
    const text = quoted ? JSON.stringify(d.replacement) : d.replacement;
    if (text === old) return undefined;
    return { rule: d.rule, title: `Replace with \`${d.replacement}\``, span: d.span, text, safe: safeReplacement(d) };
  }
  if (d.rule === "syntax" && /must be quoted to be one value$/.test(d.message)) {
    const old = source.slice(d.span.start, d.span.end);
    return { rule: d.rule, title: "Quote this dashed value", span: d.span, text: JSON.stringify(old), safe: true };
  }
  return undefined;
}

/** Applies non-overlapping fixes (the first of two that overlap wins); returns the new text and the fixes applied. */
export function applyFixes(source: string, fixes: readonly Fix[]): { text: string; applied: Fix[] } {
  const sorted = [...fixes].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const applied: Fix[] = [];
  let end = -1;
  for (const fix of sorted) {
    if (fix.span.start < end || (fix.span.start === end && applied.length && applied[applied.length - 1]!.span.start === fix.span.start)) continue;
    applied.push(fix);
    end = fix.span.end;
  }
  let text = "";
  let at = 0;
  for (const fix of applied) {
    text += source.slice(at, fix.span.start) + fix.text;
    at = fix.span.end;
  }
  return { text: text + source.slice(at), applied };
}
