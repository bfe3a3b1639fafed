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

interface Tables {
  /** For each node kind, the handlers of the shared rules, in the order of the rules. */
  readonly shared: Partial<Record<string, readonly Handler[]>>;
  /** The same with the places of the other rules (whose visitors are made per document). */
  readonly slots: Partial<Record<string, readonly Slot[]>>;
  /** The kinds to visit for the shared rules: those with a handler, and those with children. */
  readonly visited: ReadonlySet<string>;
}

let made: Tables | undefined;

/** The dispatch tables, made once: the shared rules' visitors are made then. */
function tables(): Tables {
  if (made) return made;
  const visitors = rules.map((rule) => (rule.shared ? rule.create(current as unknown as CheckContext, reporter(rule, () => sink)) : undefined));
  const shared: Partial<Record<string, Handler[]>> = {};
  const slots: Partial<Record<string, Slot[]>> = {};
  for (const kind of Object.keys(childKeys)) {
    rules.forEach((_rule, index) => {
      const visitor = visitors[index];
      const handler = visitor?.[kind as keyof Visitor] as Handler | undefined;
      if (!visitor) (slots[kind] ??= []).push(index);
      else if (handler) {
        (slots[kind] ??= []).push(handler);
        (shared[kind] ??= []).push(handler);
      }
    });
  }
  made = { shared, slots, visited: new Set([...parentKinds, ...Object.keys(shared)]) };
  return made;
}

/** Runs every rule over a parsed document in one walk; returns their findings. Never throws. */
export function checkDocument(document: Document, text: string, options: CheckOptions, hasSyntaxErrors: boolean): {
  context: CheckContext;
  diagnostics: Diagnostic[];
} {
  const context = new CheckContext(document, text, options, hasSyntaxErrors);
  const diagnostics: Diagnostic[] = [];
  const { shared, slots, visited: sharedVisited } = tables();
  // The visitors of the rules that are not shared, by rule index, and the kinds they look at:
  // only nodes of those kinds take the slower dispatch that includes them.
  const own: (Visitor | undefined)[] = [];
  let ownKinds: string[] | undefined;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.shared) continue;
    const visitor = rule.create(context, reporter(rule, () => diagnostics));
    own[index] = visitor;
    for (const kind in visitor) (ownKinds ??= []).push(kind);
  }
  // Leaves no handler looks at need no visit.
  let visited = sharedVisited;
  if (ownKinds) for (const kind of ownKinds) if (!visited.has(kind)) visited = new Set([...visited, kind]);
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
      const kind = node.kind;
      if (ownKinds?.includes(kind)) {
        const list = slots[kind]!;
        for (let i = 0; i < list.length; i++) {
          const slot = list[i]!;
          if (typeof slot === "function") slot(node, parents);
          else (own[slot]?.[kind] as Handler | undefined)?.(node, parents);
        }
      } else {
        const list = shared[kind];
        if (list) for (let i = 0; i < list.length; i++) list[i]!(node, parents);
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
