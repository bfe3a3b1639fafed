import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { childKeys, childrenVisitorOf, type Document, forgetLists, type Node, type NodeKind, type Visit } from "../syntax/ast.js";
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

/** What the walk does with a kind of node, found with one lookup. */
interface Plan {
  /** The handlers of the shared rules, in the order of the rules. */
  readonly shared: readonly Handler[] | undefined;
  /** The same with the places of the other rules (whose visitors are made per document). */
  readonly slots: readonly Slot[];
  /** Visits the children; undefined for a leaf kind. */
  readonly children: ((node: Node, visit: Visit) => void) | undefined;
  /** Worth a visit without the per-document rules: it has a shared handler or children. */
  readonly visit: boolean;
}

let plans: ReadonlyMap<string, Plan> | undefined;

/** The plans of every kind, made once: the shared rules' visitors are made then. */
function planOf(): ReadonlyMap<string, Plan> {
  if (plans) return plans;
  const visitors = rules.map((rule) => (rule.shared ? rule.create(current as unknown as CheckContext, reporter(rule, () => sink)) : undefined));
  const made = new Map<string, Plan>();
  for (const kind of Object.keys(childKeys) as NodeKind[]) {
    const shared: Handler[] = [];
    const slots: Slot[] = [];
    rules.forEach((_rule, index) => {
      const visitor = visitors[index];
      const handler = visitor?.[kind] as Handler | undefined;
      if (!visitor) slots.push(index);
      else if (handler) {
        slots.push(handler);
        shared.push(handler);
      }
    });
    const children = childrenVisitorOf(kind);
    made.set(kind, { shared: shared.length ? shared : undefined, slots, children, visit: shared.length > 0 || children !== undefined });
  }
  plans = made;
  return made;
}

/** The walk in progress: walk() of src/syntax/ast.ts, with the dispatch inlined. */
interface Walk {
  readonly parents: Node[];
  /** The visitors of the rules that are not shared, by rule index. */
  readonly own: readonly (Visitor | undefined)[];
  /** The kinds those look at: only nodes of those kinds take the dispatch that includes them. */
  readonly ownKinds: readonly string[] | undefined;
  readonly plan: ReadonlyMap<string, Plan>;
}

let walking: Walk | undefined;

/** A child key's value: leaves no handler looks at are not visited. */
const child: Visit = (value) => {
  const w = walking!;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const node = value[i] as Node;
      const p = w.plan.get(node.kind)!;
      if (p.visit || w.ownKinds?.includes(node.kind)) visit(node, p);
    }
  } else if (value !== undefined && value !== null) {
    const node = value as Node;
    const p = w.plan.get(node.kind)!;
    if (p.visit || w.ownKinds?.includes(node.kind)) visit(node, p);
  }
};

function visit(node: Node, p: Plan): void {
  const w = walking!;
  if (w.ownKinds?.includes(node.kind)) {
    const list = p.slots;
    for (let i = 0; i < list.length; i++) {
      const slot = list[i]!;
      if (typeof slot === "function") slot(node, w.parents);
      else (w.own[slot]?.[node.kind] as Handler | undefined)?.(node, w.parents);
    }
  } else {
    const list = p.shared;
    if (list) for (let i = 0; i < list.length; i++) list[i]!(node, w.parents);
  }
  if (p.children) {
    w.parents.push(node);
    p.children(node, child);
    w.parents.pop();
  }
}

/** Runs every rule over a parsed document in one walk; returns their findings. Never throws. */
export function checkDocument(document: Document, text: string, options: CheckOptions, hasSyntaxErrors: boolean): {
  context: CheckContext;
  diagnostics: Diagnostic[];
} {
  const context = new CheckContext(document, text, options, hasSyntaxErrors);
  const diagnostics: Diagnostic[] = [];
  const plan = planOf();
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
  // Nested checks (none today) would find the outer document again when they return.
  const outer = { context: current.current, sink, walk: walking };
  current.current = context;
  sink = diagnostics;
  walking = { parents: [], own, ownKinds, plan };
  try {
    visit(document, plan.get(document.kind)!);
  } finally {
    current.current = outer.context;
    sink = outer.sink;
    walking = outer.walk;
    forgetLists();
  }
  return { context, diagnostics };
}
