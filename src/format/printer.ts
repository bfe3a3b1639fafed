import { doc, util, type AstPath, type Doc, type ParserOptions, type Printer } from "prettier";
import * as A from "../syntax/ast.js";
import { escapeBlock } from "../syntax/strings.js";

/*
 * The printer of the canonical `.grade` layout (grammar/formatting.md). It works from the AST
 * alone, so any parser that builds the AST (`grade`, and one from grader JSON) can use it. The
 * original text is read for two things only: where the user left blank lines between members,
 * and the comments inside an unquoted formula (printed as written).
 */

const { group, hardline, ifBreak, indent, join, line, lineSuffixBoundary, literalline, markAsRoot, softline } = doc.builders;

/** A comment as prettier decorates it while attaching it to a node. */
interface AttachedComment extends A.Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
}

/** Any node, with the comments prettier attached to it. */
type Commented = A.Node & { comments?: AttachedComment[] };

type Print = (selector?: string | number | (string | number)[] | AstPath) => Doc;

/** A soft line break that keeps the spaces before it (a block string's value may end in spaces). */
const literalSoftline: doc.builders.Line = { type: "line", soft: true, literal: true };

function print(path: AstPath<A.Node>, options: ParserOptions<A.Node>, print: Print): Doc {
  const node = path.node;
  switch (node.kind) {
    case "Document": {
      const parts: Doc[] = [
        ...node.declarations.map((_, i) => print(["declarations", i])),
        ...(node.grader ? [print("grader")] : []),
        ...node.tests.map((_, i) => print(["tests", i])),
      ];
      const header = fileHeader(node, options);
      if (header.length) parts.unshift(header);
      return parts.length ? [join([hardline, hardline], parts), hardline] : "";
    }
    case "Comment":
      return node.text.trimEnd();
    case "Identifier":
      return node.name;
    case "Key":
      return printKey(node);

    case "NamespaceDecl":
      return [print("namespace"), " ", print("type")];
    case "NamedType":
      return node.name;
    case "LiteralType":
      return JSON.stringify(node.value);
    case "ListType":
      return ["[", print("element"), "]"];
    case "ObjectType": {
      const fields = node.fields.map((_, i) => print(["fields", i]));
      // A declaration's fields go one per line, like a body; a nested object type fits on a line.
      return path.parent?.kind === "NamespaceDecl"
        ? block(node, fields, node.fields, options)
        : bracketed(node, "{", "}", fields, node.fields, options, true);
    }
    case "TypeField":
      return [print("key"), node.optional ? "?" : "", ": ", print("type")];
    case "UnionType":
      return join(" | ", node.members.map((_, i) => print(["members", i])));

    case "Grader":
      return [
        print("type"),
        node.name ? [" ", print("name")] : "",
        node.body.kind === "BlockBody" ? " " : ": ",
        print("body"),
      ];
    case "BlockBody":
      return block(node, node.members.map((_, i) => print(["members", i])), node.members, options);
    case "CompareForm":
      return [print("input"), " ", print("operation"), " ", print("reference")];
    case "CallForm":
      return [print("metric"), "(", join(", ", node.args.map((_, i) => print(["args", i]))), ")"];
    case "Field": {
      const value = node.value;
      // `key { ... }` for a nested object (`sampling_params { ... }`), as for `graders { ... }`.
      const braced =
        value.kind === "GraderMap" ||
        (value.kind === "ObjectValue" && (node.key.quoted || !specialKeys.has(node.key.name)));
      return [print("key"), braced ? " " : ": ", print("value")];
    }
    case "GraderMap":
      return block(node, node.entries.map((_, i) => print(["entries", i])), node.entries, options);
    case "GraderEntry":
      return [print("key"), ": ", print("grader")];
    case "Formula":
      return printFormula(node as A.Formula & Commented, options);
    case "Message":
      return [print("role"), node.typed ? " message " : " ", print("content")];

    case "StringValue":
      return node.block ? printBlockString(node.value) : JSON.stringify(node.value);
    case "NumberValue":
      return node.raw;
    case "BooleanValue":
      return node.value ? "true" : "false";
    case "NullValue":
      return "null";
    case "NameValue":
      return node.name;
    case "PathValue":
      return node.path;
    case "ListValue":
      // `user [input_text("""` ... `""")]`: a lone string, or a call hugging one, hugs the brackets.
      if (node.items.length === 1 && hugs(node.items[0]!)) return ["[", print(["items", 0]), "]"];
      return bracketed(node, "[", "]", node.items.map((_, i) => print(["items", i])), node.items, options, false);
    case "ObjectValue":
      return bracketed(node, "{", "}", node.entries.map((_, i) => print(["entries", i])), node.entries, options, true);
    case "ObjectEntry":
      return [print("key"), ": ", print("value")];
    case "CallValue": {
      // A lone string argument hugs the parentheses (`input_text("""` ... `""")`): breaking the
      // line before it would not make it shorter.
      if (node.args.length === 1 && hugs(node.args[0]!)) return [print("callee"), "(", print(["args", 0]), ")"];
      return [print("callee"), bracketed(node, "(", ")", node.args.map((_, i) => print(["args", i])), node.args, options, false)];
    }
    case "Argument":
      return node.name ? [print("name"), ": ", print("value")] : print("value");
    case "RangeValue":
      // `-1..2` written together after a `:` reads as one unquoted word; spaces keep it a range.
      return node.low.raw.startsWith("-") || node.high.raw.startsWith("-")
        ? [print("low"), " .. ", print("high")]
        : [print("low"), "..", print("high")];
    case "ToleranceValue":
      return [print("value"), " within ", print("tolerance")];

    case "TestBlock":
      return ["test ", print("name"), " ", block(node, node.fields.map((_, i) => print(["fields", i])), node.fields, options)];

    default: {
      const unknown: never = node;
      throw new Error(`the .grade printer has no rule for a ${(unknown as { kind?: string }).kind ?? "node without a kind"}`);
    }
  }
}

/** Can the sole item of a list, or argument of a call, be printed right inside its brackets? */
function hugs(node: A.Node): boolean {
  if (hasComments(node)) return false;
  switch (node.kind) {
    case "Argument":
      return !node.name && node.value.kind === "StringValue";
    case "StringValue":
      return node.block;
    case "CallValue":
      return node.args.length === 1 && hugs(node.args[0]!);
    default:
      return false;
  }
}

/** Keys that the grammar reads specially when written bare (`graders {` is a grader map). */
const specialKeys = new Set(["graders", "calculate_output"]);

const bareKey = /^[A-Za-z_][A-Za-z0-9_]*$/;
const reservedWords = new Set(["true", "false", "null"]);

function printKey(key: A.Key): string {
  return !key.quoted && bareKey.test(key.name) && !reservedWords.has(key.name) ? key.name : JSON.stringify(key.name);
}

/** `{` members one per line `}`: block bodies, grader maps, declarations and tests. */
function block(container: A.Node, items: Doc[], nodes: readonly A.Node[], options: ParserOptions<A.Node>): Doc {
  if (items.length === 0) return emptyContainer(container, "{", "}");
  return ["{", indent([hardline, joinLines(items, nodes, options, (i) => (formulaRunsOn(nodes[i]) ? "," : ""))]), hardline, "}"];
}

/**
 * `[a, b]`, `{ a: 1 }` and `f(a, b)` on one line when they fit, else one item per line without
 * commas (commas are optional), keeping a blank line the user left between two items.
 */
function bracketed(
  container: A.Node,
  open: string,
  close: string,
  items: Doc[],
  nodes: readonly A.Node[],
  options: ParserOptions<A.Node>,
  spaces: boolean,
): Doc {
  if (items.length === 0) return emptyContainer(container, open, close);
  const edge = spaces ? line : softline;
  return group([
    open,
    indent([edge, joinLines(items, nodes, options, (i) => ifBreak(needsComma(nodes[i], nodes[i + 1]) ? "," : "", ","))]),
    edge,
    close,
  ]);
}

function joinLines(items: Doc[], nodes: readonly A.Node[], options: ParserOptions<A.Node>, separator: (i: number) => Doc): Doc[] {
  return items.map((item, i) => {
    if (i === items.length - 1) return item;
    return [item, separator(i), line, blankLineAfter(nodes[i], options) ? softline : ""];
  });
}

/**
 * A formula ending in an operator (an error the checker reports) would run into the next member
 * without the comma that ended it (a comma ends a formula outside parentheses only).
 */
function formulaRunsOn(node: A.Node | undefined): boolean {
  if (node?.kind !== "Field" || node.value.kind !== "Formula") return false;
  const text = node.value.text;
  const depth = [...text].reduce((d, c) => d + (c === "(" ? 1 : c === ")" ? -1 : 0), 0);
  return depth <= 0 && !/[\w)\]]\s*$/.test(text);
}

/** `1` then `within` then `2` on their own lines would read as `1 within 2`: keep a comma there. */
function needsComma(item: A.Node | undefined, next: A.Node | undefined): boolean {
  const bare = (n: A.Node | undefined) => (n?.kind === "Argument" && !n.name ? n.value : n);
  const a = bare(item);
  const b = bare(next);
  return a?.kind === "NumberValue" && b?.kind === "NameValue" && b.name === "within";
}

function blankLineAfter(node: A.Node | undefined, options: ParserOptions<A.Node>): boolean {
  if (!node || !hasSpan(node) || node.span.end > options.originalText.length) return false;
  return util.isNextLineEmpty(options.originalText, node.span.end);
}

/** `{}`, or the comments written inside an empty container, one per line. */
function emptyContainer(container: A.Node, open: string, close: string): Doc {
  const comments = danglingComments(container);
  if (comments.length === 0) return [open, close];
  return [open, indent([hardline, join(hardline, comments)]), hardline, close];
}

/** The comments above the first item of a file that is not printed first, blank lines kept. */
function fileHeader(node: A.Document, options: ParserOptions<A.Node>): Doc[] {
  const comments = ((node as Commented).comments ?? []).filter((c) => !c.leading && !c.trailing);
  return comments.map((c, i) => {
    c.printed = true;
    const last = i === comments.length - 1;
    return [c.text.trimEnd(), last ? "" : hardline, !last && util.isNextLineEmpty(options.originalText, c.span.end) ? hardline : ""];
  });
}

/** The comments attached inside a node (neither before nor after it), marked as printed. */
function danglingComments(node: A.Node): Doc[] {
  return ((node as Commented).comments ?? [])
    .filter((c) => !c.leading && !c.trailing)
    .map((c) => {
      c.printed = true;
      return c.text.trimEnd();
    });
}

function hasComments(node: A.Node): boolean {
  return ((node as Commented).comments ?? []).length > 0;
}

/**
 * A block string re-indented one level deeper than its line, the closing `"""` on its own line at
 * that indentation (which decoding removes again). A value without a line break stays `"""x"""`
 * when it fits on the line (and neither starts nor ends with `"`, nor ends with `\`). Lines are
 * printed as they are: a line's trailing spaces are kept (the break after it is "literal"), and
 * empty lines get no indentation.
 */
export function printBlockString(value: string): Doc {
  const lines = escapeBlock(value).split("\n");
  const endsInSpace = (text: string) => /[ \t]$/.test(text);
  const first = lines[0] ?? "";
  // `"""say "hi""""` reads back right, but is hard to read: quotes at the edges go multi-line.
  if (lines.length === 1 && !/^"|["\\]$/.test(value)) {
    return [
      lineSuffixBoundary,
      group(['"""', indent(markAsRoot([softline, first, endsInSpace(first) ? literalSoftline : softline, '"""']))]),
    ];
  }
  const body: Doc[] = [hardline];
  for (const text of lines) body.push(text, endsInSpace(text) ? literalline : hardline);
  body.push('"""');
  return [lineSuffixBoundary, '"""', indent(markAsRoot(body))];
}

/**
 * An unquoted formula. Its `text` (what the JSON holds) has its comments removed; when the source
 * at its span holds comments and reads as `text` without them, the source is printed instead, so
 * the comments stay where they are. Line breaks inside are printed as written.
 */
function printFormula(node: A.Formula & Commented, options: ParserOptions<A.Node>): Doc {
  const source = hasSpan(node) ? options.originalText.slice(node.span.start, node.span.end) : "";
  const verbatim = source.includes("//") && stripFormulaComments(source) === node.text;
  if (verbatim) for (const c of node.comments ?? []) c.printed = true;
  const text = verbatim ? source : node.text;
  return text.includes("\n") ? [lineSuffixBoundary, join(literalline, text.split("\n"))] : text;
}

/** What the parser keeps of a formula written with comments (src/syntax/parser.ts, `formula`). */
function stripFormulaComments(text: string): string {
  return text.replace(/\/\/[^\n\r]*/g, "").replace(/[ \t]+(\r?\n)/g, "$1");
}

function hasSpan(node: object): node is { span: A.Span } {
  const span = (node as { span?: Partial<A.Span> }).span;
  return typeof span?.start === "number" && typeof span.end === "number";
}

// ── Comments ─────────────────────────────────────────────────────────────────
//
// Comments attach only to nodes that can start a line in the canonical layout: top-level
// items, members of bodies, grader map entries, fields of object types, entries of objects,
// items of lists and arguments of calls. Prettier makes a comment the leading comment of the
// next such node or the trailing comment of the previous one; `handleComment` places the rest.

/** Does `child` of `parent` start its own line when `parent` is printed one item per line? */
function startsLine(child: A.Node, parent: A.Node): boolean {
  switch (parent.kind) {
    case "Document":
    case "BlockBody":
    case "GraderMap":
    case "ObjectType":
    case "ObjectValue":
    case "ListValue":
      return true;
    case "TestBlock":
      return child.kind === "Field";
    case "CallValue":
      return child.kind === "Argument";
    default:
      return false;
  }
}

/** The nodes comments inside `node` may attach to: its line-starting descendants, nearest first. */
function commentChildNodes(node: A.Node): A.Node[] {
  const out: A.Node[] = [];
  for (const child of A.childrenOf(node)) {
    if (startsLine(child, node)) out.push(child);
    else out.push(...commentChildNodes(child));
  }
  return out;
}

const contains = (outer: A.Span, inner: A.Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

interface DecoratedComment extends AttachedComment {
  enclosingNode?: A.Node;
  precedingNode?: A.Node;
  followingNode?: A.Node;
}

/**
 * A comment inside a formula stays in it (the formula is printed as written). A comment with a
 * neighbour is left to prettier: leading the next node, or trailing the previous one. A comment
 * alone inside an empty container (`{ // none yet }`) is printed inside it; any other comment
 * alone inside a node (`key: // why\n value`) goes above that node.
 */
function handleComment(comment: DecoratedComment, _text: string, _options: unknown, ast: A.Node): boolean {
  const { enclosingNode, precedingNode, followingNode } = comment;
  if (!enclosingNode) {
    // Declarations, grader and tests are printed in that order: the comments above the first
    // item of the file stay at the top when that item moves down.
    if (ast.kind !== "Document" || precedingNode || !followingNode) return false;
    const first = ast.declarations[0] ?? ast.grader ?? ast.tests[0];
    return followingNode !== first && util.addDanglingComment(ast, comment, undefined);
  }
  let formula: A.Node | undefined;
  let empty: A.Node | undefined;
  A.walk(enclosingNode, (node) => {
    if (!hasSpan(node) || !contains(node.span, comment.span)) return false;
    if (node.kind === "Formula") formula = node;
    if (isEmptyContainer(node)) empty = node;
    return true;
  });
  if (formula) return util.addDanglingComment(formula, comment, undefined);
  // `range: // why\n [0, 1]`: a comment before the brackets of a list, object or call goes above
  // the member rather than break the brackets open.
  for (const neighbour of [precedingNode, followingNode]) {
    const container = neighbour && parentOf(neighbour, enclosingNode);
    if (container && !contains(container.span, comment.span) && canBeOneLine(container, enclosingNode)) {
      return util.addLeadingComment(enclosingNode, comment);
    }
  }
  if (precedingNode || followingNode) return false;
  if (empty) return util.addDanglingComment(empty, comment, undefined);
  // Above, not after: a node may already have a comment after it, and a second one there would
  // be printed on the next line, where it reads as the next node's.
  return util.addLeadingComment(enclosingNode, comment);
}

function parentOf(node: A.Node, root: A.Node): A.Node | undefined {
  let parent: A.Node | undefined;
  A.walk(root, (n, parents) => {
    if (n === node) parent = parents[parents.length - 1];
    return parent === undefined;
  });
  return parent;
}

/** Containers printed on one line when they fit (a declaration's object type never is). */
function canBeOneLine(container: A.Node, enclosing: A.Node): boolean {
  switch (container.kind) {
    case "ListValue":
    case "ObjectValue":
    case "CallValue":
      return true;
    case "ObjectType":
      return enclosing.kind !== "NamespaceDecl";
    default:
      return false;
  }
}

function isEmptyContainer(node: A.Node): boolean {
  switch (node.kind) {
    case "BlockBody":
      return node.members.length === 0;
    case "ObjectType":
      return node.fields.length === 0;
    case "GraderMap":
    case "ObjectValue":
      return node.entries.length === 0;
    case "ListValue":
      return node.items.length === 0;
    case "CallValue":
      return node.args.length === 0;
    case "TestBlock":
      return node.fields.length === 0;
    default:
      return false;
  }
}

export const printer: Printer<A.Node> = {
  print,
  printComment: (path) => (path.node as A.Comment).text.trimEnd(),
  canAttachComment: (node) => typeof node === "object" && node !== null && "kind" in node && hasSpan(node) && node.kind !== "Comment",
  isBlockComment: () => false,
  getCommentChildNodes: (node) => commentChildNodes(node),
  getVisitorKeys: (node) => [...((A.childKeys[node.kind] ?? []) as readonly string[])],
  handleComments: {
    ownLine: handleComment,
    endOfLine: handleComment,
    remaining: handleComment,
  },
};
