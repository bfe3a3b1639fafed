import { type Diagnostic as LspDiagnostic, DiagnosticSeverity } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

/*
 * A finding as the editor shows it: the rule id as its code, the message, the `help:` line
 * (as `grade check` prints it), and the related spans as related information.
 */

export function toLspDiagnostic(d: Diagnostic, document: TextDocument): LspDiagnostic {
  const start = document.positionAt(d.span.start);
  // An empty span (the end of the file) still gets one character to underline where there is one.
  const end = document.positionAt(d.span.end > d.span.start ? d.span.end : d.span.start);
  return {
    range: { start, end },
    severity: d.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.rule,
    source: "grade",
    message: d.suggestion ? `${d.message}\nhelp: ${d.suggestion}` : d.message,
    ...(d.related?.length
      ? {
          relatedInformation: d.related.map((r) => ({
            location: { uri: document.uri, range: { start: document.positionAt(r.span.start), end: document.positionAt(r.span.end) } },
            message: r.message,
          })),
        }
      : {}),
    ...(d.replacement !== undefined ? { data: { replacement: d.replacement } } : {}),
  };
}
