import { type SemanticTokens, SemanticTokensBuilder, type SemanticTokensLegend } from "vscode-languageserver/node";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { isGraderKind } from "../check/kinds.js";
import { formulaNodes } from "../formula/ast.js";
import * as A from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { templateFields } from "./locate.js";

/*
 * Semantic tokens: what the TextMate grammar cannot know, from the analysis. Grader kinds, field
 * keys, grader keys (in the map, the formula and tests' `given`), formula functions, template
 * paths inside strings, enum values given as bare names.
 */

export const semanticLegend: SemanticTokensLegend = {
  tokenTypes: ["type", "property", "variable", "function", "enumMember", "namespace"],
  tokenModifiers: ["declaration"],
};

const TYPE = 0;
const PROPERTY = 1;
const VARIABLE = 2;
const FUNCTION = 3;
const ENUM_MEMBER = 4;

interface Token {
  readonly start: number;
  readonly end: number;
  readonly type: number;
  readonly declaration?: boolean;
}

export function semanticTokens(analysis: Analysis, document: TextDocument): SemanticTokens {
  const tokens: Token[] = [];
  const doc = analysis.result.document;
  A.walk(doc, (node, parents) => {
    const parent = parents[parents.length - 1];
    if (node.kind === "Grader" && isGraderKind(node.type.name)) tokens.push({ ...node.type.span, type: TYPE });
    else if (node.kind === "Key" && parent?.kind === "Field" && parents.some((p) => p.kind === "Grader")) tokens.push({ ...node.span, type: PROPERTY });
    else if (node.kind === "Key" && parent?.kind === "GraderEntry") tokens.push({ ...node.span, type: VARIABLE, declaration: true });
    else if (node.kind === "Key" && parent?.kind === "TypeField") tokens.push({ ...node.span, type: PROPERTY, declaration: true });
    else if (node.kind === "NameValue" && parent?.kind === "Field") tokens.push({ ...node.span, type: ENUM_MEMBER });
    return true;
  });
  for (const grader of analysis.context.graders) {
    const info = analysis.context.formulaOf(grader);
    if (!info?.expr) continue;
    for (const n of formulaNodes(info.expr)) {
      if (n.kind === "FormulaName") tokens.push({ ...info.toSource(n.span), type: VARIABLE });
      else if (n.kind === "FormulaCall") tokens.push({ ...info.toSource(n.callee.span), type: FUNCTION });
    }
  }
  for (const t of templateFields(analysis)) tokens.push({ ...t.pathSpan, type: VARIABLE });
  tokens.sort((a, b) => a.start - b.start || a.end - b.end);
  const builder = new SemanticTokensBuilder();
  let last = -1;
  for (const t of tokens) {
    if (t.start < last || t.end <= t.start) continue; // overlapping or empty: the first wins
    const start = document.positionAt(t.start);
    const end = document.positionAt(t.end);
    if (start.line !== end.line) continue; // tokens are single-line
    builder.push(start.line, start.character, end.character - start.character, t.type, t.declaration ? 1 : 0);
    last = t.end;
  }
  return builder.build();
}
