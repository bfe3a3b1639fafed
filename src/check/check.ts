import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type Document, type Node, walk } from "../syntax/ast.js";
import { CheckContext, type CheckOptions, type Visitor } from "./context.js";
import { rules } from "./registry.js";

type Handler = (node: Node, parents: readonly Node[]) => void;

/** Runs every rule over a parsed document in one walk; returns their findings. Never throws. */
export function checkDocument(document: Document, text: string, options: CheckOptions, hasSyntaxErrors: boolean): {
  context: CheckContext;
  diagnostics: Diagnostic[];
} {
  const context = new CheckContext(document, text, options, hasSyntaxErrors);
  const diagnostics: Diagnostic[] = [];
  const handlers = new Map<string, Handler[]>();
  for (const rule of rules) {
    const visitor: Visitor = rule.create(context, (report) => {
      const { severity, ...rest } = report;
      diagnostics.push({ rule: rule.meta.id, severity: severity ?? rule.meta.severity, ...rest });
    });
    for (const [kind, handler] of Object.entries(visitor)) {
      const list = handlers.get(kind) ?? [];
      list.push(handler as Handler);
      handlers.set(kind, list);
    }
  }
  walk(document, (node, parents) => {
    for (const handler of handlers.get(node.kind) ?? []) handler(node, parents);
  });
  return { context, diagnostics };
}
