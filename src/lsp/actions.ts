import { type CodeAction, CodeActionKind, type Diagnostic as LspDiagnostic, type Range } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { fixOf } from "../fix/fixes.js";
import type * as A from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { toLspDiagnostic } from "./diagnostics.js";

/*
 * Code actions: every finding's fix (its replacement, quoting a dashed value) as a quick fix,
 * the safe ones preferred, and "add missing field" for `missing-field`.
 */

const overlaps = (a: Range, b: Range): boolean =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

export function codeActions(analysis: Analysis, document: TextDocument, range: Range): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of analysis.result.diagnostics) {
    const lsp = toLspDiagnostic(d, document);
    if (!overlaps(lsp.range, range)) continue;
    const fix = fixOf(d, analysis.text);
    if (fix) {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lsp],
        isPreferred: fix.safe,
        edit: { changes: { [analysis.uri]: [{ range: { start: document.positionAt(fix.span.start), end: document.positionAt(fix.span.end) }, newText: fix.text }] } },
      });
    }
    if (d.rule === "missing-field" && !analysis.json) {
      const action = addMissingField(analysis, document, d, lsp);
      if (action) out.push(action);
    }
  }
  return out;
}

function addMissingField(analysis: Analysis, document: TextDocument, d: Diagnostic, lsp: LspDiagnostic): CodeAction | undefined {
  const field = /needs `(\w+)`/.exec(d.message)?.[1] ?? (d.message.includes("needs at least one message") ? "input" : undefined);
  if (!field) return undefined;
  const grader = analysis.context.graders.find((g: A.Grader) => g.type.span.start === d.span.start);
  if (!grader || grader.body.kind !== "BlockBody") return undefined;
  const hint = /`([^`]+)`/.exec(d.suggestion ?? "")?.[1];
  const snippet =
    field === "graders"
      ? "graders {\n}"
      : hint && (hint.startsWith(`${field}:`) || field === "input")
        ? hint
        : `${field}: `;
  const text = analysis.text;
  const close = grader.body.span.end - 1;
  if (text[close] !== "}") return undefined;
  const lineStart = text.lastIndexOf("\n", close - 1) + 1;
  const graderLine = text.slice(text.lastIndexOf("\n", grader.span.start - 1) + 1);
  const indent = `${/^\s*/.exec(graderLine)?.[0] ?? ""}  `;
  const body = snippet.split("\n").map((l, i) => (i === 0 ? l : `${indent}${l}`)).join("\n");
  const onOwnLine = text.slice(lineStart, close).trim() === "";
  const at = onOwnLine ? lineStart : close;
  const newText = onOwnLine ? `${indent}${body}\n` : `\n${indent}${body}\n${indent.slice(2)}`;
  return {
    title: `Add missing field \`${field}\``,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    edit: { changes: { [analysis.uri]: [{ range: { start: document.positionAt(at), end: document.positionAt(at) }, newText }] } },
  };
}
