import * as jsoncModule from "jsonc-parser";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { parseFormula } from "../formula/parse.js";
import type * as A from "../syntax/ast.js";

/*
 * Grader JSON → the `.grade` AST. Used two ways: `grade check` on JSON graders (spans point
 * into the JSON text, so findings get their line and column there) and `grade decompile` (the
 * formatter prints the AST). The AST chosen always compiles back to JSON deep-equal to the input:
 * a construct `.grade` cannot write in its short forms is kept as a plain field.
 */

// Node loads jsonc-parser's CommonJS build (its API on `default`); the bundler its ESM build.
const jsonc: typeof jsoncModule =
  "default" in jsoncModule ? (jsoncModule as unknown as { default: typeof jsoncModule }).default : jsoncModule;

type JsonNode = jsoncModule.Node;

export interface JsonGraderParse {
  /** Undefined when the text is not JSON or holds no grader. */
  readonly document: A.Document | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(["true", "false", "null"]);
/** Names the lexer reads as a template path: `item.a`, `sample.output_tools[0].id`. */
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])+$/;
/** Fields whose string values read best bare (`operation: eq`). */
const NAME_FIELDS = new Set(["operation", "evaluation_metric", "reasoning_effort", "detail", "format", "labels", "passing_labels"]);
const CONTENT_PARTS = new Set(["input_text", "output_text", "input_image", "input_audio"]);
const PART_POSITIONAL: Readonly<Record<string, string>> = { input_text: "text", output_text: "text", input_image: "image_url" };

const isName = (s: string): boolean => IDENTIFIER.test(s) && !KEYWORDS.has(s);

const syntax = (message: string, start: number, end: number, suggestion?: string): Diagnostic => ({
  rule: "syntax",
  severity: "error",
  message,
  span: { start, end },
  ...(suggestion ? { suggestion } : {}),
});

function spanOf(node: JsonNode): A.Span {
  return { start: node.offset, end: node.offset + node.length };
}

function property(object: JsonNode, key: string): JsonNode | undefined {
  for (const p of object.children ?? []) if (p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

function keysOf(object: JsonNode): string[] {
  return (object.children ?? []).map((p) => String(p.children?.[0]?.value));
}

/** Parses JSON text holding a grader, or a request body with a `grader` key. */
export function parseGraderJson(text: string): JsonGraderParse {
  const errors: jsoncModule.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (text.trim() === "") return { document: undefined, diagnostics: [syntax("invalid JSON: the file is empty", 0, 0)] };
  if (errors.length > 0 || !root) {
    const at = (n: number): number => Math.min(Math.max(0, n), text.length);
    const diagnostics: Diagnostic[] = [];
    const commas = new Set<number>();
    for (const e of errors.slice(0, 20)) {
      // `"a": 1,}` / `[1,]`: jsonc-parser reports the `}` (and twice); users need the comma.
      const comma = trailingComma(text, e.offset);
      if (comma !== undefined) {
        if (!commas.has(comma)) diagnostics.push(syntax("invalid JSON: a trailing comma (JSON allows none before `}` or `]`)", comma, comma + 1, "remove this comma"));
        commas.add(comma);
        continue;
      }
      diagnostics.push(syntax(`invalid JSON: ${describeJsonError(e.error)}`, at(e.offset), at(e.offset + Math.max(1, e.length))));
    }
    return { document: undefined, diagnostics: diagnostics.length ? diagnostics : [syntax("invalid JSON: the file is empty", 0, 0)] };
  }
  if (root.type !== "object") {
    return { document: undefined, diagnostics: [syntax(`this JSON is a${root.type === "array" ? "n" : ""} ${root.type}, not a grader object`, root.offset, root.offset + root.length)] };
  }
  const wrapped = property(root, "grader");
  const graderNode = wrapped && !property(root, "type") ? wrapped : root;
  if (graderNode.type !== "object") {
    return { document: undefined, diagnostics: [syntax("`grader` must be a grader object", graderNode.offset, graderNode.offset + graderNode.length)] };
  }
  const diagnostics: Diagnostic[] = [];
  const grader = buildGrader(graderNode, text, diagnostics);
  if (!grader) return { document: undefined, diagnostics };
  const document: A.Document = { kind: "Document", declarations: [], grader, tests: [], comments: [], span: { start: 0, end: text.length } };
  return { document, diagnostics };
}

/** The offset of a comma that stands right before the `}` or `]` at `offset` (spaces between), if any. */
function trailingComma(text: string, offset: number): number | undefined {
  if (text[offset] !== "}" && text[offset] !== "]") return undefined;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === "," ? i : undefined;
}

function describeJsonError(code: jsoncModule.ParseErrorCode): string {
  const name = jsonc.printParseErrorCode(code);
  const words: Readonly<Record<string, string>> = {
    InvalidSymbol: "unexpected character",
    InvalidNumberFormat: "invalid number",
    PropertyNameExpected: "expected a property name in double quotes",
    ValueExpected: "expected a value",
    ColonExpected: "expected `:`",
    CommaExpected: "expected `,`",
    CloseBraceExpected: "expected `}`",
    CloseBracketExpected: "expected `]`",
    EndOfFileExpected: "expected the end of the file",
    InvalidCommentToken: "comments are not allowed in JSON",
    UnexpectedEndOfComment: "unterminated comment",
    UnexpectedEndOfString: "unterminated string",
    UnexpectedEndOfNumber: "unterminated number",
    InvalidUnicode: "invalid \\u escape",
    InvalidEscapeCharacter: "invalid escape",
    InvalidCharacter: "invalid character in a string",
  };
  return words[name] ?? name;
}

function buildGrader(node: JsonNode, text: string, diagnostics: Diagnostic[]): A.Grader | undefined {
  const typeNode = property(node, "type");
  if (!typeNode || typeNode.type !== "string") {
    const span = typeNode ? spanOf(typeNode) : { start: node.offset, end: node.offset + 1 };
    diagnostics.push(
      syntax(
        typeNode ? "a grader's `type` must be a string" : "this JSON is not a grader: it has no `type`",
        span.start,
        span.end,
        "a grader has `\"type\"`: string_check, text_similarity, python, score_model, label_model or multi",
      ),
    );
    return undefined;
  }
  const kind = String(typeNode.value);
  const type: A.Identifier = { kind: "Identifier", name: kind, span: spanOf(typeNode) };
  const nameNode = property(node, "name");
  // The header's name is always a quoted string (the grammar takes no block string there).
  const name = nameNode?.type === "string" ? { ...stringValue(nameNode, text), block: false } : undefined;
  const fieldNodes = (node.children ?? []).filter((p) => {
    const key = p.children?.[0]?.value;
    return key !== "type" && !(key === "name" && name);
  });
  const short = shortForm(kind, node, fieldNodes, text);
  const body: A.GraderBody = short ?? { kind: "BlockBody", members: members(kind, fieldNodes, text, diagnostics), span: spanOf(node) };
  return { kind: "Grader", type, name, body, span: spanOf(node) };
}

/** The one-line forms, when the JSON has exactly their fields and they can be written bare. */
function shortForm(kind: string, node: JsonNode, fields: readonly JsonNode[], text: string): A.GraderBody | undefined {
  const keys = fields.map((p) => String(p.children?.[0]?.value)).sort().join(",");
  const input = property(node, "input");
  const reference = property(node, "reference");
  if (input?.type !== "string" || reference?.type !== "string") return undefined;
  if (kind === "string_check" && keys === "input,operation,reference") {
    const op = property(node, "operation")!;
    if (op.type !== "string" || !isName(String(op.value))) return undefined;
    return {
      kind: "CompareForm",
      input: value(input, text, "input"),
      operation: { kind: "Identifier", name: String(op.value), span: spanOf(op) },
      reference: value(reference, text, "reference"),
      span: spanOf(node),
    };
  }
  if (kind === "text_similarity" && keys === "evaluation_metric,input,reference") {
    const metric = property(node, "evaluation_metric")!;
    if (metric.type !== "string" || !isName(String(metric.value))) return undefined;
    return {
      kind: "CallForm",
      metric: { kind: "Identifier", name: String(metric.value), span: spanOf(metric) },
      args: [value(input, text, "input"), value(reference, text, "reference")],
      span: spanOf(node),
    };
  }
  return undefined;
}

function members(kind: string, fields: readonly JsonNode[], text: string, diagnostics: Diagnostic[]): A.Member[] {
  const out: A.Member[] = [];
  for (const p of fields) {
    const keyNode = p.children?.[0];
    const valueNode = p.children?.[1];
    if (!keyNode || !valueNode) continue;
    const keyName = String(keyNode.value);
    // `graders` and `calculate_output` are keywords of the grammar: quote them where they are plain fields.
    const special = (keyName === "graders" && kind !== "multi") || (keyName === "calculate_output" && kind !== "multi");
    const key: A.Key = { kind: "Key", name: keyName, quoted: special || !IDENTIFIER.test(keyName), span: spanOf(keyNode) };
    if (keyName === "input" && (kind === "score_model" || kind === "label_model")) {
      const messages = messagesOf(valueNode, text);
      if (messages) {
        for (const m of messages) out.push(m);
        continue;
      }
    }
    let fieldValue: A.FieldValue;
    if (keyName === "graders" && kind === "multi" && valueNode.type === "object") {
      fieldValue = graderMap(valueNode, text, diagnostics);
    } else if (keyName === "calculate_output" && kind === "multi" && valueNode.type === "string") {
      fieldValue = formulaOf(valueNode, text);
    } else {
      fieldValue = value(valueNode, text, keyName);
    }
    out.push({ kind: "Field", key, value: fieldValue, span: spanOf(p) });
  }
  return out;
}

const GRADER_KINDS = new Set(["string_check", "text_similarity", "python", "score_model", "label_model", "multi"]);

function graderMap(node: JsonNode, text: string, diagnostics: Diagnostic[]): A.GraderMap {
  const entries: A.GraderEntry[] = [];
  // One grader where the map belongs: what the API description and the SDK types show, which
  // the service refuses (openai/openai-java#647). Said once, not once per field.
  const typeNode = property(node, "type");
  if (typeNode?.type === "string" && GRADER_KINDS.has(String(typeNode.value))) {
    const nameNode = property(node, "name");
    const key = nameNode?.type === "string" && IDENTIFIER.test(String(nameNode.value)) ? String(nameNode.value) : "a";
    diagnostics.push(
      syntax(
        "`graders` is a map of named graders, not one grader: the service takes `{\"<key>\": {grader}, ...}` and `calculate_output` uses the keys " +
          "(the API description and the SDK types show a single grader, which the service refuses: openai/openai-java#647)",
        node.offset,
        node.offset + node.length,
        `write \`"graders": {"${key}": {"type": "${String(typeNode.value)}", ...}}\` and use \`${key}\` in \`calculate_output\``,
      ),
    );
    return { kind: "GraderMap", entries, span: spanOf(node) };
  }
  for (const p of node.children ?? []) {
    const keyNode = p.children?.[0];
    const valueNode = p.children?.[1];
    if (!keyNode || !valueNode) continue;
    const keyName = String(keyNode.value);
    if (valueNode.type !== "object") {
      diagnostics.push(syntax(`the sub-grader \`${keyName}\` must be a grader object`, valueNode.offset, valueNode.offset + valueNode.length));
      continue;
    }
    const grader = buildGrader(valueNode, text, diagnostics);
    if (!grader) continue;
    // `graders` and `calculate_output` written bare would end the map (a field after a forgotten `}`).
    const quoted = !IDENTIFIER.test(keyName) || keyName === "graders" || keyName === "calculate_output";
    const key: A.Key = { kind: "Key", name: keyName, quoted, span: spanOf(keyNode) };
    entries.push({ kind: "GraderEntry", key, grader, span: spanOf(p) });
  }
  return { kind: "GraderMap", entries, span: spanOf(node) };
}

/** An unquoted formula when it reads back as exactly the same text, else the string. */
function formulaOf(node: JsonNode, text: string): A.FieldValue {
  const formula = String(node.value);
  const plain =
    formula === formula.trim() &&
    /^[A-Za-z0-9_ +\-*/^().,]+$/.test(formula) &&
    !/\d\.(?!\d)|(^|[^\d])\.\d/.test(formula) &&
    !/\b(?:true|false|null)\b/.test(formula) && // keywords, not names, when unquoted
    parseFormula(formula).expr !== undefined;
  return plain ? { kind: "Formula", text: formula, span: spanOf(node) } : stringValue(node, text);
}

/** Messages, when every entry is `{role, content, type?: "message"}` in a form `.grade` writes. */
function messagesOf(node: JsonNode, text: string): A.Message[] | undefined {
  if (node.type !== "array" || (node.children ?? []).length === 0) return undefined;
  const out: A.Message[] = [];
  for (const m of node.children ?? []) {
    if (m.type !== "object") return undefined;
    const keys = keysOf(m);
    const role = property(m, "role");
    const content = property(m, "content");
    const typeNode = property(m, "type");
    if (!role || role.type !== "string" || !isName(String(role.value)) || String(role.value) === "message" || !content) return undefined;
    if (keys.some((k) => k !== "role" && k !== "content" && k !== "type")) return undefined;
    if (typeNode && (typeNode.type !== "string" || typeNode.value !== "message")) return undefined;
    if (new Set(keys).size !== keys.length) return undefined;
    const body = contentOf(content, text, false);
    if (!body) return undefined;
    out.push({
      kind: "Message",
      role: { kind: "Identifier", name: String(role.value), span: spanOf(role) },
      typed: typeNode !== undefined,
      content: body,
      span: spanOf(m),
    });
  }
  return out;
}

function contentOf(node: JsonNode, text: string, inList: boolean): A.Value | undefined {
  if (node.type === "string") return value(node, text, "content");
  if (node.type === "array" && !inList) {
    const items: A.Value[] = [];
    for (const item of node.children ?? []) {
      const v = contentOf(item, text, true);
      if (!v) return undefined;
      items.push(v);
    }
    return { kind: "ListValue", items, span: spanOf(node) };
  }
  if (node.type !== "object") return undefined;
  const typeNode = property(node, "type");
  const part = typeNode?.type === "string" ? String(typeNode.value) : "";
  if (!CONTENT_PARTS.has(part)) return undefined;
  const keys = keysOf(node);
  if (new Set(keys).size !== keys.length) return undefined;
  const args: A.Argument[] = [];
  const positionalKey = PART_POSITIONAL[part];
  let extras = keys.filter((k) => k !== "type");
  if (part === "input_audio") {
    const audio = property(node, "input_audio");
    if (audio?.type !== "object") return undefined;
    const audioKeys = keysOf(audio);
    const data = property(audio, "data");
    const format = property(audio, "format");
    if (!data || !format || audioKeys.length !== 2 || data.type !== "string") return undefined;
    args.push({ kind: "Argument", name: undefined, value: value(data, text, "data"), span: spanOf(data) });
    args.push(namedArgument("format", format, text));
    extras = extras.filter((k) => k !== "input_audio");
  } else {
    const positional = positionalKey ? property(node, positionalKey) : undefined;
    if (!positional || positional.type !== "string") return undefined;
    args.push({ kind: "Argument", name: undefined, value: value(positional, text, positionalKey!), span: spanOf(positional) });
    extras = extras.filter((k) => k !== positionalKey);
  }
  for (const key of extras) {
    if (!isName(key) || key === "format" || key === "data") return undefined;
    args.push(namedArgument(key, property(node, key)!, text));
  }
  return {
    kind: "CallValue",
    callee: { kind: "Identifier", name: part, span: typeNode ? spanOf(typeNode) : spanOf(node) },
    args,
    span: spanOf(node),
  };
}

function namedArgument(key: string, node: JsonNode, text: string): A.Argument {
  const span = spanOf(node);
  return { kind: "Argument", name: { kind: "Identifier", name: key, span }, value: value(node, text, key), span };
}

function stringValue(node: JsonNode, text: string): A.StringValue {
  const s = String(node.value);
  // Multi-line text reads best as a block string, which cannot hold `\r` or other control characters.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what a block string cannot hold
  const block = s.includes("\n") && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s);
  void text;
  return { kind: "StringValue", value: s, block, span: spanOf(node) };
}

/** A JSON value as the `.grade` value that compiles back to it. */
function value(node: JsonNode, text: string, field: string): A.Value {
  const span = spanOf(node);
  switch (node.type) {
    case "string": {
      const s = String(node.value);
      const path = /^\{\{([^{}\s]+)\}\}$/.exec(s)?.[1];
      if (path && PATH.test(path)) return { kind: "PathValue", path, span };
      if (NAME_FIELDS.has(field) && isName(s)) return { kind: "NameValue", name: s, span };
      return stringValue(node, text);
    }
    case "number": {
      const raw = text.slice(node.offset, node.offset + node.length);
      return { kind: "NumberValue", value: Number(node.value), raw, span };
    }
    case "boolean":
      return { kind: "BooleanValue", value: Boolean(node.value), span };
    case "null":
      return { kind: "NullValue", span };
    case "array":
      return { kind: "ListValue", items: (node.children ?? []).map((c) => value(c, text, field)), span };
    case "object":
      return {
        kind: "ObjectValue",
        entries: (node.children ?? []).flatMap((p): A.ObjectEntry[] => {
          const keyNode = p.children?.[0];
          const v = p.children?.[1];
          if (!keyNode || !v) return [];
          const name = String(keyNode.value);
          const key: A.Key = { kind: "Key", name, quoted: !IDENTIFIER.test(name) || KEYWORDS.has(name), span: spanOf(keyNode) };
          return [{ kind: "ObjectEntry", key, value: value(v, text, name), span: spanOf(p) }];
        }),
        span,
      };
    default:
      return { kind: "NullValue", span };
  }
}
