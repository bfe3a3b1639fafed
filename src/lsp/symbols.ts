import { type DocumentSymbol, SymbolKind } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import * as A from "../syntax/ast.js";

/** The outline: the declarations and their fields, the grader and its sub-graders, the tests. */
export function documentSymbols(document: A.Document, text: TextDocument): DocumentSymbol[] {
  const range = (span: A.Span) => ({ start: text.positionAt(span.start), end: text.positionAt(Math.max(span.end, span.start)) });
  const out: DocumentSymbol[] = [];
  for (const decl of document.declarations) {
    out.push({
      name: decl.namespace.name,
      detail: "declaration",
      kind: SymbolKind.Namespace,
      range: range(decl.span),
      selectionRange: range(decl.namespace.span),
      children: decl.type.fields.map((f) => ({ name: f.key.name, kind: SymbolKind.Field, range: range(f.span), selectionRange: range(f.key.span) })),
    });
  }
  const grader = (g: A.Grader, key?: A.Key): DocumentSymbol => {
    const map = A.fieldOf(g, "graders")?.value;
    const children = map?.kind === "GraderMap" ? map.entries.map((e) => grader(e.grader, e.key)) : [];
    return {
      name: key ? key.name : (g.name?.value ?? g.type.name),
      detail: `${g.type.name}${g.name && key ? ` "${g.name.value}"` : ""}`,
      kind: SymbolKind.Class,
      range: range(key ? { start: key.span.start, end: g.span.end } : g.span),
      selectionRange: range(key ? key.span : (g.name?.span ?? g.type.span)),
      children,
    };
  };
  if (document.grader) out.push(grader(document.grader));
  for (const test of document.tests) {
    out.push({ name: test.name.value, detail: "test", kind: SymbolKind.Method, range: range(test.span), selectionRange: range(test.name.span) });
  }
  return out;
}
