/*
 * The typed AST of a `.grade` file. Plain readonly data: every node has a string `kind` and a
 * `span` of source offsets; line and column are derived only when printing.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

interface NodeBase {
  readonly span: Span;
}

// ── Document ────────────────────────────────────────────────────────────────

export interface Document extends NodeBase {
  readonly kind: "Document";
  readonly declarations: readonly NamespaceDecl[];
  /** Exactly one in a valid file; absent when the file holds none (a `syntax` finding). */
  readonly grader: Grader | undefined;
  readonly tests: readonly TestBlock[];
  readonly comments: readonly Comment[];
}

export interface Comment extends NodeBase {
  readonly kind: "Comment";
  readonly text: string;
}

export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}

/** A field or map key: a bare name or a quoted string. */
export interface Key extends NodeBase {
  readonly kind: "Key";
  readonly name: string;
  readonly quoted: boolean;
}

// ── Namespace declarations and types ────────────────────────────────────────

export interface NamespaceDecl extends NodeBase {
  readonly kind: "NamespaceDecl";
  readonly namespace: Identifier;
  readonly type: ObjectType;
}

export type TypeExpr = NamedType | LiteralType | ListType | ObjectType | UnionType;

export interface NamedType extends NodeBase {
  readonly kind: "NamedType";
  readonly name: string;
}

export interface LiteralType extends NodeBase {
  readonly kind: "LiteralType";
  readonly value: string;
}

export interface ListType extends NodeBase {
  readonly kind: "ListType";
  readonly element: TypeExpr;
}

export interface ObjectType extends NodeBase {
  readonly kind: "ObjectType";
  readonly fields: readonly TypeField[];
}

export interface TypeField extends NodeBase {
  readonly kind: "TypeField";
  readonly key: Key;
  readonly optional: boolean;
  readonly type: TypeExpr;
}

export interface UnionType extends NodeBase {
  readonly kind: "UnionType";
  readonly members: readonly TypeExpr[];
}

// ── Graders ─────────────────────────────────────────────────────────────────

export interface Grader extends NodeBase {
  readonly kind: "Grader";
  /** The grader kind as written: `string_check`, `score_model`, ... */
  readonly type: Identifier;
  readonly name: StringValue | undefined;
  readonly body: GraderBody;
}

export type GraderBody = BlockBody | CompareForm | CallForm;

export interface BlockBody extends NodeBase {
  readonly kind: "BlockBody";
  readonly members: readonly Member[];
}

/** `string_check "n": <input> <operation> <reference>` */
export interface CompareForm extends NodeBase {
  readonly kind: "CompareForm";
  readonly input: Value;
  readonly operation: Identifier;
  readonly reference: Value;
}

/** `text_similarity "n": <metric>(<input>, <reference>)` */
export interface CallForm extends NodeBase {
  readonly kind: "CallForm";
  readonly metric: Identifier;
  readonly args: readonly Value[];
}

export type Member = Field | Message;

export interface Field extends NodeBase {
  readonly kind: "Field";
  readonly key: Key;
  readonly value: FieldValue;
}

export type FieldValue = Value | GraderMap | Formula;

/** `graders { key: <grader> ... }` in a multi grader. */
export interface GraderMap extends NodeBase {
  readonly kind: "GraderMap";
  readonly entries: readonly GraderEntry[];
}

export interface GraderEntry extends NodeBase {
  readonly kind: "GraderEntry";
  readonly key: Key;
  readonly grader: Grader;
}

/** An unquoted `calculate_output` formula; `text` is emitted exactly as written. */
export interface Formula extends NodeBase {
  readonly kind: "Formula";
  readonly text: string;
}

/** `<role> [message] <content>`: one entry of a model grader's `input`. */
export interface Message extends NodeBase {
  readonly kind: "Message";
  readonly role: Identifier;
  /** Written `user message "..."`: the JSON carries `"type": "message"`. */
  readonly typed: boolean;
  readonly content: Value;
}

// ── Values ──────────────────────────────────────────────────────────────────

export type Value =
  | StringValue
  | NumberValue
  | BooleanValue
  | NullValue
  | NameValue
  | PathValue
  | ListValue
  | ObjectValue
  | CallValue
  | RangeValue
  | ToleranceValue;

export interface StringValue extends NodeBase {
  readonly kind: "StringValue";
  readonly value: string;
  readonly block: boolean;
}

export interface NumberValue extends NodeBase {
  readonly kind: "NumberValue";
  readonly value: number;
  /** The number as written, sign included. */
  readonly raw: string;
}

export interface BooleanValue extends NodeBase {
  readonly kind: "BooleanValue";
  readonly value: boolean;
}

export interface NullValue extends NodeBase {
  readonly kind: "NullValue";
}

/** A bare identifier in value position: the string it spells (`operation: eq`). */
export interface NameValue extends NodeBase {
  readonly kind: "NameValue";
  readonly name: string;
}

/** A bare template path: the string `"{{path}}"`. */
export interface PathValue extends NodeBase {
  readonly kind: "PathValue";
  readonly path: string;
}

export interface ListValue extends NodeBase {
  readonly kind: "ListValue";
  readonly items: readonly Value[];
}

export interface ObjectValue extends NodeBase {
  readonly kind: "ObjectValue";
  readonly entries: readonly ObjectEntry[];
}

export interface ObjectEntry extends NodeBase {
  readonly kind: "ObjectEntry";
  readonly key: Key;
  readonly value: Value;
}

/** `input_text("...")`, `input_image(url, detail: high)`, `file("x.py")`. */
export interface CallValue extends NodeBase {
  readonly kind: "CallValue";
  readonly callee: Identifier;
  readonly args: readonly Argument[];
}

export interface Argument extends NodeBase {
  readonly kind: "Argument";
  readonly name: Identifier | undefined;
  readonly value: Value;
}

/** `low..high`: an expected reward range (tests only). */
export interface RangeValue extends NodeBase {
  readonly kind: "RangeValue";
  readonly low: NumberValue;
  readonly high: NumberValue;
}

/** `value within tolerance`: an expected reward with a tolerance (tests only). */
export interface ToleranceValue extends NodeBase {
  readonly kind: "ToleranceValue";
  readonly value: NumberValue;
  readonly tolerance: NumberValue;
}

// ── Tests ───────────────────────────────────────────────────────────────────

/** `test "name" { sample: ..., item: ..., expect: ..., given { ... } }` (run by the local engine). */
export interface TestBlock extends NodeBase {
  readonly kind: "TestBlock";
  readonly name: StringValue;
  readonly fields: readonly Field[];
}

// ── The node union and its children ─────────────────────────────────────────

export type Node =
  | Document
  | Comment
  | Identifier
  | Key
  | NamespaceDecl
  | TypeExpr
  | TypeField
  | Grader
  | GraderBody
  | Field
  | GraderMap
  | GraderEntry
  | Formula
  | Message
  | Value
  | ObjectEntry
  | Argument
  | TestBlock;

export type NodeKind = Node["kind"];
export type NodeOfKind<K extends NodeKind> = Extract<Node, { kind: K }>;

/**
 * For each node kind, the keys that hold child nodes, in source order. Adding a node kind
 * without listing its children fails to compile.
 */
export const childKeys: { readonly [K in NodeKind]: readonly (keyof NodeOfKind<K>)[] } = {
  Document: ["declarations", "grader", "tests"],
  Comment: [],
  Identifier: [],
  Key: [],
  NamespaceDecl: ["namespace", "type"],
  NamedType: [],
  LiteralType: [],
  ListType: ["element"],
  ObjectType: ["fields"],
  TypeField: ["key", "type"],
  UnionType: ["members"],
  Grader: ["type", "name", "body"],
  BlockBody: ["members"],
  CompareForm: ["input", "operation", "reference"],
  CallForm: ["metric", "args"],
  Field: ["key", "value"],
  GraderMap: ["entries"],
  GraderEntry: ["key", "grader"],
  Formula: [],
  Message: ["role", "content"],
  StringValue: [],
  NumberValue: [],
  BooleanValue: [],
  NullValue: [],
  NameValue: [],
  PathValue: [],
  ListValue: ["items"],
  ObjectValue: ["entries"],
  ObjectEntry: ["key", "value"],
  CallValue: ["callee", "args"],
  Argument: ["name", "value"],
  RangeValue: ["low", "high"],
  ToleranceValue: ["value", "tolerance"],
  TestBlock: ["name", "fields"],
};

/** The direct children of a node, in source order. */
export function childrenOf(node: Node): Node[] {
  const out: Node[] = [];
  const keys = childKeys[node.kind] as readonly string[];
  const record = node as unknown as Record<string, unknown>;
  for (const key of keys) {
    const child = record[key];
    if (Array.isArray(child)) for (const c of child as Node[]) out.push(c); // no spread: members may be many
    else if (child !== undefined && child !== null) out.push(child as Node);
  }
  return out;
}

export type Visit = (value: Node | readonly Node[] | undefined | null) => void;

/**
 * The children of each kind of node, in the order of `childKeys` (test/syntax/walk.test.ts keeps
 * the two equal), read property by property: much faster than by key name. Kinds without
 * children are absent.
 */
const childrenVisitors: { readonly [K in NodeKind]?: (node: NodeOfKind<K>, visit: Visit) => void } = {
  Document: (n, v) => (v(n.declarations), v(n.grader), v(n.tests)),
  NamespaceDecl: (n, v) => (v(n.namespace), v(n.type)),
  ListType: (n, v) => v(n.element),
  ObjectType: (n, v) => v(n.fields),
  TypeField: (n, v) => (v(n.key), v(n.type)),
  UnionType: (n, v) => v(n.members),
  Grader: (n, v) => (v(n.type), v(n.name), v(n.body)),
  BlockBody: (n, v) => v(n.members),
  CompareForm: (n, v) => (v(n.input), v(n.operation), v(n.reference)),
  CallForm: (n, v) => (v(n.metric), v(n.args)),
  Field: (n, v) => (v(n.key), v(n.value)),
  GraderMap: (n, v) => v(n.entries),
  GraderEntry: (n, v) => (v(n.key), v(n.grader)),
  Message: (n, v) => (v(n.role), v(n.content)),
  ListValue: (n, v) => v(n.items),
  ObjectValue: (n, v) => v(n.entries),
  ObjectEntry: (n, v) => (v(n.key), v(n.value)),
  CallValue: (n, v) => (v(n.callee), v(n.args)),
  Argument: (n, v) => (v(n.name), v(n.value)),
  RangeValue: (n, v) => (v(n.low), v(n.high)),
  ToleranceValue: (n, v) => (v(n.value), v(n.tolerance)),
  TestBlock: (n, v) => (v(n.name), v(n.fields)),
};

/** The function that visits the children of a kind of node, in `childKeys` order; undefined for a leaf kind. */
export function childrenVisitorOf(kind: NodeKind): ((node: Node, visit: Visit) => void) | undefined {
  return childrenVisitors[kind] as ((node: Node, visit: Visit) => void) | undefined;
}

/** Visits every node depth-first; `enter` returning false skips the node's children. */
export function walk(root: Node, enter: (node: Node, parents: readonly Node[]) => boolean | void): void {
  const parents: Node[] = [];
  // A child key's value: a node, a list of nodes, or nothing (left out by error recovery).
  const child: Visit = (value) => {
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(value[i] as Node);
    else if (value !== undefined && value !== null) visit(value as Node);
  };
  const visit = (node: Node): void => {
    if (enter(node, parents) === false) return;
    const children = childrenVisitors[node.kind] as ((node: Node, visit: Visit) => void) | undefined;
    if (!children) return;
    parents.push(node);
    children(node, child);
    parents.pop();
  };
  visit(root);
}

// Rules ask for the fields and messages of the grader they look at, one after the other: the
// lists of the last grader asked about are kept (the tree is never changed after parsing).
const none: readonly never[] = [];
let fieldsFor: Grader | undefined;
let fields: readonly Field[] = none;
let messagesFor: Grader | undefined;
let messages: readonly Message[] = none;

/** Drops the kept lists (checkDocument does when it is done, so no tree is kept alive by them). */
export function forgetLists(): void {
  fieldsFor = messagesFor = undefined;
  fields = messages = none;
}

/** Fields of a grader body, in source order (messages excluded). */
export function fieldsOf(grader: Grader): readonly Field[] {
  if (grader === fieldsFor) return fields;
  fields = grader.body.kind === "BlockBody" ? grader.body.members.filter((m): m is Field => m.kind === "Field") : none;
  fieldsFor = grader;
  return fields;
}

export function messagesOf(grader: Grader): readonly Message[] {
  if (grader === messagesFor) return messages;
  messages = grader.body.kind === "BlockBody" ? grader.body.members.filter((m): m is Message => m.kind === "Message") : none;
  messagesFor = grader;
  return messages;
}

/** The first field of that name (without making the list of fields: rules ask this often). */
export function fieldOf(grader: Grader, name: string): Field | undefined {
  if (grader.body.kind !== "BlockBody") return undefined;
  const members = grader.body.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    if (m.kind === "Field" && m.key.name === name) return m;
  }
  return undefined;
}
