import type { Hover, MarkupContent } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { ruleCatalog } from "../check/registry.js";
import { parseTemplatePath } from "../check/templates.js";
import { enumValueDescriptions, fieldDescription, kindDescriptions, type GraderKind } from "../schema/descriptions.js";
import type * as A from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { graderOf, nodeAt, occurrences, symbolAt, templateFields } from "./locate.js";
import { printShape, shapeAtPath } from "./paths.js";
import { jsonKeyAt } from "./json.js";

/*
 * Hover: a rule's catalog entry on a finding, a field's meaning (the schema descriptions), a
 * grader kind, an enum value, a template path's declared type, a grader key's sub-grader.
 */

const markdown = (value: string): MarkupContent => ({ kind: "markdown", value });

export function hover(analysis: Analysis, document: TextDocument, offset: number): Hover | null {
  const parts: string[] = [];
  let span: A.Span | undefined;
  for (const d of analysis.result.diagnostics) {
    if (d.span.start <= offset && offset <= Math.max(d.span.end, d.span.start + 1)) {
      const meta = ruleCatalog.find((r) => r.id === d.rule);
      if (!meta) continue;
      parts.push(`**${meta.id}** (${meta.severity}): ${meta.summary}\n\n\`\`\`grade\n${meta.example}\n\`\`\``);
      span ??= d.span;
    }
  }
  const about = analysis.json ? jsonHover(analysis, offset) : gradeHover(analysis, offset);
  if (about) {
    parts.unshift(about.text);
    span = about.span;
  }
  if (!parts.length) return null;
  return {
    contents: markdown(parts.join("\n\n---\n\n")),
    ...(span ? { range: { start: document.positionAt(span.start), end: document.positionAt(span.end) } } : {}),
  };
}

function jsonHover(analysis: Analysis, offset: number): { text: string; span: A.Span } | undefined {
  const key = jsonKeyAt(analysis.text, offset);
  if (!key) return undefined;
  const text = fieldDescription(key.name, key.kind);
  return text ? { text: `**${key.name}**${key.kind ? ` (${key.kind})` : ""}: ${text}`, span: key.span } : undefined;
}

function gradeHover(analysis: Analysis, offset: number): { text: string; span: A.Span } | undefined {
  // A template path: its declared type.
  for (const t of templateFields(analysis)) {
    if (t.pathSpan.start <= offset && offset <= t.pathSpan.end) {
      const parsed = parseTemplatePath(t.ref.path);
      const shape = parsed ? shapeAtPath(analysis.context.namespaces, parsed.namespace, parsed.segments) : undefined;
      const declared = t.ref.namespace === "item" && !analysis.context.namespaces.item ? "any (no `item {}` declaration)" : shape ? printShape(shape) : "not declared";
      return { text: `\`${t.ref.path}\`: ${declared}`, span: t.pathSpan };
    }
  }
  const symbol = symbolAt(analysis, offset);
  if (symbol?.kind === "grader-key") {
    const map = symbol.multi.body.kind === "BlockBody" ? symbol.multi.body.members.find((m): m is A.Field => m.kind === "Field" && m.key.name === "graders") : undefined;
    const entry = map?.value.kind === "GraderMap" ? map.value.entries.find((e) => e.key.name === symbol.name) : undefined;
    const span = occurrences(analysis, symbol).find((o) => o.span.start <= offset && offset <= o.span.end)?.span;
    if (entry && span) return { text: `grader key \`${symbol.name}\`: ${entry.grader.type.name}${entry.grader.name ? ` "${entry.grader.name.value}"` : ""}; its reward in \`calculate_output\``, span };
  }
  const found = nodeAt(analysis.result.document, offset);
  if (!found) return undefined;
  const { node, parents } = found;
  const parent = parents[parents.length - 1];
  const grader = graderOf(parents);
  if (node.kind === "Identifier" && parent?.kind === "Grader" && parent.type === node) {
    const text = kindDescriptions[node.name as GraderKind];
    return text ? { text: `**${node.name}**: ${text}`, span: node.span } : undefined;
  }
  if (node.kind === "Key" && parent?.kind === "Field") {
    const inSampling = parents.some((p) => p.kind === "Field" && p.key.name === "sampling_params" && p !== parent);
    const text = fieldDescription(node.name, inSampling ? undefined : grader?.type.name);
    return text ? { text: `**${node.name}**${grader && !inSampling ? ` (${grader.type.name})` : ""}: ${text}`, span: node.span } : undefined;
  }
  if (node.kind === "Key" && parent?.kind === "TypeField") {
    const decl = parents.find((p): p is A.NamespaceDecl => p.kind === "NamespaceDecl");
    return decl ? { text: `\`${decl.namespace.name}.${node.name}\`: ${printShapeOfType(parent.type)}`, span: node.span } : undefined;
  }
  if (node.kind === "Identifier" && parent?.kind === "Message" && parent.role === node) {
    return { text: `**${node.name}** message: ${fieldDescription("role")}`, span: node.span };
  }
  if (node.kind === "NameValue" && parent?.kind === "Field") {
    const text = enumValueDescriptions[parent.key.name]?.[node.name];
    return text ? { text: `**${node.name}**: ${text}`, span: node.span } : undefined;
  }
  if (node.kind === "Identifier" && parent?.kind === "CompareForm" && parent.operation === node) {
    const text = enumValueDescriptions["operation"]?.[node.name];
    return text ? { text: `**${node.name}**: ${text}`, span: node.span } : undefined;
  }
  if (node.kind === "Identifier" && parent?.kind === "CallForm" && parent.metric === node) {
    const text = enumValueDescriptions["evaluation_metric"]?.[node.name];
    return text ? { text: `**${node.name}**: ${text}`, span: node.span } : undefined;
  }
  return undefined;
}

function printShapeOfType(type: A.TypeExpr): string {
  switch (type.kind) {
    case "NamedType":
      return type.name;
    case "LiteralType":
      return JSON.stringify(type.value);
    case "ListType":
      return `[${printShapeOfType(type.element)}]`;
    case "UnionType":
      return type.members.map(printShapeOfType).join(" | ");
    case "ObjectType":
      return `{ ${type.fields.map((f) => `${f.key.name}${f.optional ? "?" : ""}: ${printShapeOfType(f.type)}`).join(", ")} }`;
  }
}
