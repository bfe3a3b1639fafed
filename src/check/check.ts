import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { childKeys, type Document, forEachChild, forgetLists, type Node, parentKinds, type Visit } from "../syntax/ast.js";
import { CheckContext, type CheckOptions, CurrentContext, type Report, type Rule, type Visitor } from "./context.js";
import { rules } from "./registry.js";

type Handler = (node: Node, parents: readonly Node[]) => void;
/** A shared rule's handler, or the index of a rule whose visitor is made per document. */
type Slot = Handler | number;

/** The document being checked, as the shared rules see it (src/check/context.ts, `Rule.shared`). */
const current = new CurrentContext();
let sink: Diagnostic[] = [];

const reporter = (rule: Rule, into: () => Diagnostic[]) => (report: Report) => {
  const { severity, ...rest } = report;
  into().push({ rule: rule.meta.id, severity: severity ?? rule.meta.severity, ...rest });
};

/**
 * For each node kind, in the order of the rules: the handlers of the shared rules (made once)
 * and the places of the other rules, whose visitors are made per document.
 */
let slotTable: Partial<Record<string, readonly Slot[]>> | undefined;

function slots(): Partial<Record<string, readonly Slot[]>> {
  if (slotTable) return slotTable;
  const visitors = rules.map((rule) => (rule.shared ? rule.create(current as unknown as CheckContext, reporter(rule, () => sink)) : undefined));
  const table: Partial<Record<string, readonly Slot[]>> = {};
  for (const kind of Object.keys(childKeys)) {
    const list: Slot[] = [];
    rules.forEach((_rule, index) => {
      const visitor = visitors[index];
      if (!visitor) list.push(index);
      else if (visitor[kind as keyof Visitor]) list.push(visitor[kind as keyof Visitor] as Handler);
    });
    if (list.length) table[kind] = list;
  }
  slotTable = table;
  return table;
}

let visitedShared: ReadonlySet<string> | undefined;

/** The kinds to visit for the shared rules: those with a handler, and those with children. */
function visitedKinds(table: Partial<Record<string, readonly Slot[]>>): ReadonlySet<string> {
  visitedShared ??= new Set([...parentKinds, ...Object.keys(table).filter((kind) => table[kind]!.some((slot) => typeof slot === "function"))]);
  return visitedShared;
}

/** Runs every rule over a parsed document in one walk; returns their findings. Never throws. */
export function checkDocument(document: Document, text: string, options: CheckOptions, hasSyntaxErrors: boolean): {
  context: CheckContext;
  diagnostics: Diagnostic[];
} {
  const context = new CheckContext(document, text, options, hasSyntaxErrors);
  const diagnostics: Diagnostic[] = [];
  const table = slots();
  // The visitors of the rules that are not shared, by rule index.
  const own: (Visitor | undefined)[] = [];
  rules.forEach((rule, index) => {
    if (!rule.shared) own[index] = rule.create(context, reporter(rule, () => diagnostics));
  });
  // The kinds some handler of this document looks at, and those with children: other leaves
  // need no visit.
  let visited = visitedKinds(table);
  for (const visitor of own) {
    if (!visitor) continue;
    for (const kind in visitor) if (!visited.has(kind)) visited = new Set([...visited, kind]);
  }
  // Nested checks (none today) would find the outer document again when they return.
  const outer = { context: current.current, sink };
  current.current = context;
  sink = diagnostics;
  try {
    // walk() of src/syntax/ast.ts, with the dispatch inlined and unwanted leaves skipped.
    const parents: Node[] = [];
    const child: Visit = (value) => {
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const node = value[i] as Node;
          if (visited.has(node.kind)) visit(node);
        }
      } else if (value !== undefined && value !== null && visited.has((value as Node).kind)) visit(value as Node);
    };
    const visit = (node: Node): void => {
      const list = table[node.kind];
      if (list) {
        for (let i = 0; i < list.length; i++) {
          const slot = list[i]!;
          if (typeof slot === "function") slot(node, parents);
          else (own[slot]?.[node.kind] as Handler | undefined)?.(node, parents);
        }
      }
      parents.push(node);
      forEachChild(node, child);
      parents.pop();
    };
    visit(document);
  } finally {
    current.current = outer.context;
    sink = outer.sink;
    forgetLists();
  }
  return { context, diagnostics };
}
