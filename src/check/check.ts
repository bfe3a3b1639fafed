import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { type Document, type Node, walk } from "../syntax/ast.js";
import { CheckContext, type CheckOptions, CurrentContext, type Report, type Rule, type Visitor } from "./context.js";
import { rules } from "./registry.js";

type Handler = (node: Node, parents: readonly Node[]) => void;
type Table = Partial<Record<string, Handler[]>>;
type Indexed = Partial<Record<string, { index: number; handler: Handler }[]>>;

/** The document being checked, as the shared rules see it (src/check/context.ts, `Rule.shared`). */
const current = new CurrentContext();
let sink: Diagnostic[] = [];

const reporter = (rule: Rule, into: () => Diagnostic[]) => (report: Report) => {
  const { severity, ...rest } = report;
  into().push({ rule: rule.meta.id, severity: severity ?? rule.meta.severity, ...rest });
};

/** The shared rules' visitors by node kind, with the index of their rule: made once. */
let sharedTable: Indexed | undefined;

function sharedHandlers(): Indexed {
  if (!sharedTable) {
    const table: Indexed = {};
    rules.forEach((rule, index) => {
      if (!rule.shared) return;
      const visitor: Visitor = rule.create(current as unknown as CheckContext, reporter(rule, () => sink));
      for (const kind in visitor) (table[kind] ??= []).push({ index, handler: visitor[kind as keyof Visitor] as Handler });
    });
    sharedTable = table;
  }
  return sharedTable;
}

/** The handlers of every rule by node kind, in the order of the rules. */
let onlyShared: Table | undefined;

function handlersFor(context: CheckContext, diagnostics: Diagnostic[]): Table {
  const shared = sharedHandlers();
  const own = rules.flatMap((rule, index) => (rule.shared ? [] : [{ index, visitor: rule.create(context, reporter(rule, () => diagnostics)) }]));
  if (own.length === 0) {
    onlyShared ??= Object.fromEntries(Object.entries(shared).map(([kind, list]) => [kind, list!.map((e) => e.handler)]));
    return onlyShared;
  }
  const merged: Indexed = {};
  for (const kind in shared) merged[kind] = shared[kind]!.slice();
  for (const { index, visitor } of own) {
    for (const kind in visitor) {
      const list = (merged[kind] ??= []);
      const entry = { index, handler: visitor[kind as keyof Visitor] as Handler };
      let at = list.length;
      while (at > 0 && list[at - 1]!.index > index) at--;
      list.splice(at, 0, entry);
    }
  }
  const table: Table = {};
  for (const kind in merged) table[kind] = merged[kind]!.map((e) => e.handler);
  return table;
}

/** Runs every rule over a parsed document in one walk; returns their findings. Never throws. */
export function checkDocument(document: Document, text: string, options: CheckOptions, hasSyntaxErrors: boolean): {
  context: CheckContext;
  diagnostics: Diagnostic[];
} {
  const context = new CheckContext(document, text, options, hasSyntaxErrors);
  const diagnostics: Diagnostic[] = [];
  const handlers = handlersFor(context, diagnostics);
  // Nested checks (none today) would find the outer document again when they return.
  const outer = { context: current.current, sink };
  current.current = context;
  sink = diagnostics;
  try {
    walk(document, (node, parents) => {
      const list = handlers[node.kind];
      if (list) for (let i = 0; i < list.length; i++) list[i]!(node, parents);
    });
  } finally {
    current.current = outer.context;
    sink = outer.sink;
  }
  return { context, diagnostics };
}
