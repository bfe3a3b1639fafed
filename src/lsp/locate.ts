import type { TemplateRef } from "../check/templates.js";
import { formulaNodes } from "../formula/ast.js";
import * as A from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";

/*
 * What is at an offset, and where the names that navigation follows are: grader keys (the
 * `graders` map, the formula, tests' `given`) and the fields of the declared `item` (the
 * declaration, template paths, tests' items). All read from the checker's document and context.
 */

const within = (span: A.Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The innermost node at an offset, with its ancestors (outermost first). */
export function nodeAt(document: A.Document, offset: number): { node: A.Node; parents: readonly A.Node[] } | undefined {
  let found: { node: A.Node; parents: readonly A.Node[] } | undefined;
  A.walk(document, (node, parents) => {
    if (node.kind !== "Document" && !within(node.span, offset)) return false;
    found = { node, parents: [...parents] };
    return true;
  });
  return found;
}

/** The grader a node is in (the innermost). */
export function graderOf(parents: readonly A.Node[]): A.Grader | undefined {
  for (let i = parents.length - 1; i >= 0; i--) if (parents[i]!.kind === "Grader") return parents[i] as A.Grader;
  return undefined;
}

/** A name navigation follows: a grader key of a multi grader, or a top-level field of `item`. */
export type Symbol = { readonly kind: "grader-key"; readonly multi: A.Grader; readonly name: string } | { readonly kind: "item-field"; readonly name: string };

export interface Occurrence {
  readonly span: A.Span;
  /** The declaration (a key of `graders`, a field of `item {}`). */
  readonly declaration: boolean;
}

/** The formula names of a multi grader, with their spans in the source. */
export function formulaNames(analysis: Analysis, multi: A.Grader): { name: string; span: A.Span }[] {
  const info = analysis.context.formulaOf(multi);
  if (!info?.expr) return [];
  const out: { name: string; span: A.Span }[] = [];
  // Function names are the callees of calls, which formulaNodes does not list: every name is a key.
  for (const node of formulaNodes(info.expr)) if (node.kind === "FormulaName") out.push({ name: node.name, span: info.toSource(node.span) });
  return out;
}

/** The template paths of the document, with the source span of each path's first field after the namespace. */
export function templateFields(analysis: Analysis): { ref: TemplateRef; field: string; span: A.Span; pathSpan: A.Span }[] {
  const out: { ref: TemplateRef; field: string; span: A.Span; pathSpan: A.Span }[] = [];
  for (const s of analysis.context.templateStrings()) {
    for (const ref of s.refs) {
      const first = ref.segments[0];
      if (first?.kind !== "field") continue;
      const nameStart = ref.start + ref.path.indexOf(".") + 1;
      const pathSpan = s.node.kind === "PathValue" ? s.node.span : analysis.context.spanInString(s.node, ref.start, ref.end);
      const span =
        s.node.kind === "PathValue"
          ? { start: s.node.span.start + ref.path.indexOf(".") + 1, end: s.node.span.start + ref.path.indexOf(".") + 1 + first.name.length }
          : analysis.context.spanInString(s.node, nameStart, nameStart + first.name.length);
      out.push({ ref, field: first.name, span, pathSpan });
    }
  }
  return out;
}

/** The multi graders and their `graders` maps. */
function multis(analysis: Analysis): { multi: A.Grader; map: A.GraderMap }[] {
  const out: { multi: A.Grader; map: A.GraderMap }[] = [];
  for (const g of analysis.context.graders) {
    const map = A.fieldOf(g, "graders")?.value;
    if (map?.kind === "GraderMap") out.push({ multi: g, map });
  }
  return out;
}

/** Tests' `given { key: ... }` keys and `item { field: ... }` keys. */
function testKeys(document: A.Document, field: "given" | "item"): A.Key[] {
  const out: A.Key[] = [];
  for (const test of document.tests) {
    for (const f of test.fields) {
      if (f.key.name !== field || f.value.kind !== "ObjectValue") continue;
      for (const entry of f.value.entries) out.push(entry.key);
    }
  }
  return out;
}

function itemDeclaration(document: A.Document): A.NamespaceDecl | undefined {
  return document.declarations.find((d) => d.namespace.name === "item");
}

/** The symbol at an offset, if any. */
export function symbolAt(analysis: Analysis, offset: number): Symbol | undefined {
  const document = analysis.result.document;
  for (const { multi, map } of multis(analysis)) {
    for (const entry of map.entries) if (within(entry.key.span, offset)) return { kind: "grader-key", multi, name: entry.key.name };
    for (const n of formulaNames(analysis, multi)) if (within(n.span, offset)) return { kind: "grader-key", multi, name: n.name };
  }
  const root = document.grader;
  const rootMulti = root && multis(analysis).find((m) => m.multi === root);
  if (rootMulti) for (const key of testKeys(document, "given")) if (within(key.span, offset)) return { kind: "grader-key", multi: rootMulti.multi, name: key.name };
  const decl = itemDeclaration(document);
  if (decl) for (const f of decl.type.fields) if (within(f.key.span, offset)) return { kind: "item-field", name: f.key.name };
  for (const t of templateFields(analysis)) if (t.ref.namespace === "item" && within(t.span, offset)) return { kind: "item-field", name: t.field };
  for (const key of testKeys(document, "item")) if (within(key.span, offset)) return { kind: "item-field", name: key.name };
  return undefined;
}

/** Every occurrence of a symbol, the declaration first. */
export function occurrences(analysis: Analysis, symbol: Symbol): Occurrence[] {
  const document = analysis.result.document;
  const out: Occurrence[] = [];
  const keySpan = (key: A.Key): A.Span => (key.quoted ? { start: key.span.start + 1, end: key.span.end - 1 } : key.span);
  if (symbol.kind === "grader-key") {
    const map = A.fieldOf(symbol.multi, "graders")?.value;
    if (map?.kind === "GraderMap") for (const e of map.entries) if (e.key.name === symbol.name) out.push({ span: keySpan(e.key), declaration: true });
    for (const n of formulaNames(analysis, symbol.multi)) if (n.name === symbol.name) out.push({ span: n.span, declaration: false });
    if (symbol.multi === document.grader) for (const key of testKeys(document, "given")) if (key.name === symbol.name) out.push({ span: keySpan(key), declaration: false });
  } else {
    const decl = itemDeclaration(document);
    if (decl) for (const f of decl.type.fields) if (f.key.name === symbol.name) out.push({ span: keySpan(f.key), declaration: true });
    for (const t of templateFields(analysis)) if (t.ref.namespace === "item" && t.field === symbol.name) out.push({ span: t.span, declaration: false });
    for (const key of testKeys(document, "item")) if (key.name === symbol.name) out.push({ span: keySpan(key), declaration: false });
  }
  return out;
}
