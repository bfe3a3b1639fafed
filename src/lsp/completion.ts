import { type CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, type Range } from "vscode-languageserver/node";
import { TEST_FIELDS } from "../emit/tests.js";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { fieldsOfKind, graderKinds, isGraderKind, modelKinds } from "../check/kinds.js";
import { enumValueDescriptions, fieldDescription, type GraderKind, kindDescriptions } from "../schema/descriptions.js";
import { schemaTable } from "../schema/table.js";
import { FORMULA_FUNCTIONS } from "../formula/ast.js";
import type { Shape } from "../check/namespaces.js";
import * as A from "../syntax/ast.js";
import type { Analysis } from "./analysis.js";
import { cursorAt, type Cursor, kindOfHeader, type OpenBlock } from "./cursor.js";
import { jsonPlace } from "./json.js";
import { knownPaths, printShape } from "./paths.js";
import { enumOfPartField, enumValuesAt, keysAt } from "./schema-paths.js";

/*
 * Completion in `.grade` text: field names valid for the grader kind and target at the cursor,
 * enum values, template paths (inside `{{ }}` and bare), grader keys and functions in
 * `calculate_output`, labels in `passing_labels`, metrics and operations of the one-line forms.
 */

const TYPE_NAMES = ["string", "number", "integer", "boolean", "any", "null"];
const TEST_FIELD_HELP: Record<string, string> = {
  sample: "The model output: a string (the output text) or `{ output_text: ..., output_json: ... }`.",
  item: "The dataset row: fills the `item` namespace.",
  expect: "The expected reward: `1`, `0.8 within 0.05`, or a range `0.5..1`.",
  expect_error: "The error flag the run must set, such as `invalid_variable_error` (the reward is then expected to be 0 unless `expect` says otherwise).",
  given: "Fixed rewards (or labels) for model sub-graders, by key: `given { tone: warm, helpful: 8 }`.",
};

interface Place {
  readonly analysis: Analysis;
  readonly document: TextDocument;
  readonly cursor: Cursor;
  /** The word being typed: letters, digits, `_`, `.` and `[n]`. */
  readonly word: { readonly start: number; readonly text: string };
  readonly datasetItem: Shape | undefined;
}

export interface CompletionExtras {
  /** The items of the workspace's dataset, offered as `item.*` paths when the file declares no `item {}`. */
  readonly datasetItem?: Shape | undefined;
}

export function completeGrade(analysis: Analysis, document: TextDocument, offset: number, extras: CompletionExtras = {}): CompletionItem[] {
  const text = analysis.text;
  const cursor = cursorAt(text, offset);
  if (cursor.comment) return [];
  let start = offset;
  while (start > 0 && /[\w.[\]]/.test(text[start - 1]!)) start--;
  const place: Place = { analysis, document, cursor, word: { start, text: text.slice(start, offset) }, datasetItem: extras.datasetItem };
  if (cursor.string) return inString(place, cursor.string.start);
  return inCode(place);
}

function range(place: Place, start: number, end = place.cursor.offset): Range {
  return { start: place.document.positionAt(start), end: place.document.positionAt(end) };
}

const item = (label: string, kind: CompletionItemKind, extra: Partial<CompletionItem> = {}): CompletionItem => ({ label, kind, ...extra });

const docs = (text: string | undefined): Pick<CompletionItem, "documentation"> => (text ? { documentation: { kind: MarkupKind.Markdown, value: text } } : {});

/** Inside a string: a template path after an unclosed `{{`; a formula's names in a quoted `calculate_output`. */
function inString(place: Place, stringStart: number): CompletionItem[] {
  const before = place.analysis.text.slice(stringStart, place.cursor.offset);
  const open = before.lastIndexOf("{{");
  if (open >= 0 && before.indexOf("}}", open) < 0) {
    const inner = before.slice(open + 2);
    const lead = inner.length - inner.trimStart().length;
    const pathStart = stringStart + open + 2 + lead;
    return pathItems(place, pathStart, true);
  }
  if (/\bcalculate_output\s*:\s*"[^"]*$/.test(place.cursor.linePrefix)) return formulaItems(place);
  return [];
}

/** Template paths, replacing the text from `from` to the cursor. */
function pathItems(place: Place, from: number, template: boolean): CompletionItem[] {
  const typed = place.analysis.text.slice(from, place.cursor.offset);
  const out: CompletionItem[] = [];
  const declared = place.analysis.context.namespaces;
  const namespaces = declared.item || !place.datasetItem ? declared : { ...declared, item: place.datasetItem };
  for (const ns of ["item", "sample"]) {
    if (ns.startsWith(typed) && typed.length < ns.length) out.push(item(ns, CompletionItemKind.Module, { textEdit: { range: range(place, from), newText: ns }, detail: ns === "item" ? "the dataset row" : "the model output" }));
  }
  for (const known of knownPaths(namespaces)) {
    if (!known.path.startsWith(typed)) continue;
    out.push(
      item(known.path, CompletionItemKind.Field, {
        detail: printShape(known.shape),
        textEdit: { range: range(place, from), newText: known.path },
        filterText: known.path,
        ...(template ? {} : { sortText: known.path.startsWith("item") ? `0${known.path}` : `1${known.path}` }),
      }),
    );
  }
  return out;
}

/** The grader whose header is the block's (a grader of the document starting where the header does). */
function graderOfBlock(place: Place, block: OpenBlock): A.Grader | undefined {
  return place.analysis.context.graders.find((g) => g.span.start >= block.headerStart && g.span.start <= block.open);
}

function inCode(place: Place): CompletionItem[] {
  const { cursor } = place;
  const blocks = cursor.blocks;
  const innermost = blocks[blocks.length - 1];
  const curly = [...blocks].reverse().find((b) => b.bracket === "{");
  const prefix = cursor.linePrefix;

  // Top level: the declarations, the grader kinds, tests.
  if (!curly) {
    const m = /^\s*(string_check|text_similarity)\b[^"]*"[^"]*"\s*:/.exec(prefix);
    if (m) return oneLine(place, m[1]!, prefix);
    if (/^\s*\w*$/.test(prefix)) return topLevel(place);
    return [];
  }

  // One-line sub-graders inside `graders { key: string_check "n": ... }`.
  const oneLiner = /(?:^|[\s:])(string_check|text_similarity)\b[^{]*:\s*.*$/.exec(prefix);
  if (oneLiner && /"[^"]*"\s*:/.test(prefix)) return oneLine(place, oneLiner[1]!, prefix);

  // After `key:` on this line (or in a list that follows it): a value.
  const value = /(?:^|[\s{,])([A-Za-z_]\w*)\s*:\s*(\[[^\]]*)?([\w.[\]]*)$/.exec(prefix);
  const formula = /\bcalculate_output\s*:/.test(prefix);
  if (formula) return formulaItems(place);
  if (value) return valueItems(place, value[1]!, curly, innermost?.bracket === "[" || value[2] !== undefined);
  // A named argument of a content part: `input_image(url, detail: |)`.
  if (innermost?.bracket === "(") return [];

  // A key at the start of a line (or after `{` / `,` in an inline object).
  if (/(?:^|[{,])\s*[\w]*$/.test(prefix)) return keyItems(place, curly);
  return [];
}

function topLevel(place: Place): CompletionItem[] {
  const out: CompletionItem[] = [];
  const hasGrader = place.analysis.result.document.grader !== undefined;
  if (!hasGrader) {
    for (const kind of graderKinds) {
      out.push(item(kind, CompletionItemKind.Class, { ...docs(kindDescriptions[kind]), insertTextFormat: InsertTextFormat.Snippet, insertText: `${kind} "\${1:name}" {\n  $0\n}` }));
    }
  }
  const declared = new Set(place.analysis.result.document.declarations.map((d) => d.namespace.name));
  for (const ns of ["item", "sample"]) {
    if (!declared.has(ns)) out.push(item(ns, CompletionItemKind.Module, { detail: `declare the shape of \`${ns}\``, insertTextFormat: InsertTextFormat.Snippet, insertText: `${ns} {\n  \${1:field}: \${2:string}\n}` }));
  }
  out.push(item("test", CompletionItemKind.Keyword, { detail: "a test run by `grade test`", insertTextFormat: InsertTextFormat.Snippet, insertText: 'test "${1:name}" {\n  sample: "$2"\n  expect: ${3:1}\n}' }));
  return out;
}

/** `string_check "n": <input> <operation> <reference>`, `text_similarity "n": <metric>(<input>, <reference>)`. */
function oneLine(place: Place, kind: string, prefix: string): CompletionItem[] {
  const afterColon = prefix.slice(prefix.search(/"[^"]*"\s*:/)).replace(/^"[^"]*"\s*:\s*/, "");
  const target = place.analysis.target;
  if (kind === "text_similarity") {
    if (afterColon.includes("(")) return pathItems(place, place.word.start, false);
    return enumItems(enumValuesAt(target, kind, ["evaluation_metric"]) ?? [], "evaluation_metric", CompletionItemKind.Function);
  }
  // string_check: an input, then the operation, then a reference.
  const words = afterColon.trim().split(/\s+/).filter(Boolean);
  const typingNew = /\s$/.test(afterColon) || afterColon === "";
  const position = typingNew ? words.length : words.length - 1;
  if (position === 1) return enumItems(enumValuesAt(target, kind, ["operation"]) ?? [], "operation", CompletionItemKind.Operator);
  return pathItems(place, place.word.start, false);
}

function enumItems(values: readonly string[], field: string, kind: CompletionItemKind = CompletionItemKind.EnumMember): CompletionItem[] {
  return values.map((v) => item(v, kind, docs(enumValueDescriptions[field]?.[v])));
}

/** The grader keys of the multi grader around the cursor, and the formula functions. */
function formulaItems(place: Place): CompletionItem[] {
  const out: CompletionItem[] = [];
  const multi = [...place.cursor.blocks].reverse().map((b) => graderOfBlock(place, b)).find((g) => g?.type.name === "multi") ?? place.analysis.context.graders.find((g) => g.type.name === "multi");
  const map = multi ? A.fieldOf(multi, "graders")?.value : undefined;
  if (map?.kind === "GraderMap") {
    for (const entry of map.entries) {
      out.push(item(entry.key.name, CompletionItemKind.Variable, { detail: `${entry.grader.type.name}${entry.grader.name ? ` "${entry.grader.name.value}"` : ""}`, sortText: `0${entry.key.name}` }));
    }
  }
  for (const [name, [min, max]] of Object.entries(FORMULA_FUNCTIONS)) {
    const arity = max === Infinity ? `${min} or more arguments` : min === max ? `${min} argument${min === 1 ? "" : "s"}` : `${min} to ${max} arguments`;
    out.push(item(name, CompletionItemKind.Function, { detail: `${name}(): ${arity}`, insertTextFormat: InsertTextFormat.Snippet, insertText: `${name}($1)`, sortText: `1${name}` }));
  }
  return out;
}

/** The kind of block the cursor is in: a grader (of a kind), sampling_params, a graders map, a test, a declaration... */
type BlockKind =
  | { readonly kind: "grader"; readonly graderKind: string; readonly block: OpenBlock }
  | { readonly kind: "sampling_params"; readonly graderKind: string }
  | { readonly kind: "graders" }
  | { readonly kind: "test" }
  | { readonly kind: "test-item" }
  | { readonly kind: "test-given" }
  | { readonly kind: "test-sample" }
  | { readonly kind: "declaration"; readonly namespace: string }
  | { readonly kind: "other" };

function blockKind(place: Place, curly: OpenBlock): BlockKind {
  const header = curly.header.replace(/:$/, "").trim();
  const blocks = place.cursor.blocks.filter((b) => b.bracket === "{");
  const parent = blocks[blocks.indexOf(curly) - 1];
  const graderKind = kindOfHeader(header);
  if (graderKind) return { kind: "grader", graderKind, block: curly };
  const last = header.split(/[\s:]+/).filter(Boolean).pop() ?? "";
  if (last === "sampling_params") return { kind: "sampling_params", graderKind: parent ? (kindOfHeader(parent.header) ?? "score_model") : "score_model" };
  if (last === "graders") return { kind: "graders" };
  if (/^test\b/.test(header)) return { kind: "test" };
  if (parent && /^test\b/.test(parent.header)) {
    if (last === "item") return { kind: "test-item" };
    if (last === "given") return { kind: "test-given" };
    if (last === "sample") return { kind: "test-sample" };
  }
  if (!parent && (header === "item" || header === "sample")) return { kind: "declaration", namespace: header };
  return { kind: "other" };
}

function keyItems(place: Place, curly: OpenBlock): CompletionItem[] {
  const where = blockKind(place, curly);
  const target = place.analysis.target;
  switch (where.kind) {
    case "grader": {
      const kind = where.graderKind;
      if (!isGraderKind(kind)) return [];
      const grader = graderOfBlock(place, where.block);
      const present = new Set(grader ? A.fieldsOf(grader).map((f) => f.key.name) : []);
      const out: CompletionItem[] = [];
      for (const field of fieldsOfKind(kind, target).values()) {
        if (present.has(field.name) && field.name !== place.word.text) continue;
        // A model grader's `input` is written as its messages.
        if (field.name === "input" && modelKinds.has(kind)) continue;
        const block = field.name === "graders" || field.name === "sampling_params";
        out.push(
          item(field.name, CompletionItemKind.Property, {
            detail: `${kind}.${field.name}${field.required ? " (required)" : ""}`,
            ...docs(fieldDescription(field.name, kind)),
            insertText: block ? `${field.name} {\n  \n}` : `${field.name}: `,
            sortText: `${field.required ? 0 : 1}${field.name}`,
          }),
        );
      }
      if (modelKinds.has(kind)) {
        for (const role of schemaTable.enums.Role) {
          out.push(item(role, CompletionItemKind.Keyword, { detail: `a ${role} message`, insertTextFormat: InsertTextFormat.Snippet, insertText: `${role} "$1"`, sortText: `2${role}` }));
        }
      }
      return out;
    }
    case "sampling_params":
      return keysAt(target, where.graderKind, ["sampling_params"]).map((key) => item(key, CompletionItemKind.Property, { ...docs(fieldDescription(key)), insertText: `${key}: ` }));
    case "graders":
      return [];
    case "test":
      return TEST_FIELDS.map((f) => item(f, CompletionItemKind.Property, { ...docs(TEST_FIELD_HELP[f]), insertText: f === "given" || f === "item" ? `${f} { }` : `${f}: ` }));
    case "test-item": {
      const shape = place.analysis.context.namespaces.item;
      if (shape?.kind !== "object") return [];
      return [...shape.fields].map(([name, s]) => item(name, CompletionItemKind.Field, { detail: printShape(s), insertText: `${name}: ` }));
    }
    case "test-sample": {
      const shape = place.analysis.context.namespaces.sample;
      if (shape.kind !== "object") return [];
      return [...shape.fields].map(([name, s]) => item(name, CompletionItemKind.Field, { detail: printShape(s), insertText: `${name}: ` }));
    }
    case "test-given": {
      const root = place.analysis.result.document.grader;
      const map = root ? A.fieldOf(root, "graders")?.value : undefined;
      if (map?.kind !== "GraderMap") return [];
      return map.entries.map((e) => item(e.key.name, CompletionItemKind.Variable, { detail: e.grader.type.name, insertText: `${e.key.name}: ` }));
    }
    default:
      return [];
  }
}

function valueItems(place: Place, key: string, curly: OpenBlock, inList: boolean): CompletionItem[] {
  const where = blockKind(place, curly);
  const target = place.analysis.target;
  if (where.kind === "graders") {
    return graderKinds
      .filter((k) => k !== "multi")
      .map((k) => item(k, CompletionItemKind.Class, { ...docs(kindDescriptions[k]), insertTextFormat: InsertTextFormat.Snippet, insertText: `${k} "\${1:${key}}" {\n  $0\n}` }));
  }
  if (where.kind === "declaration") return TYPE_NAMES.map((t) => item(t, CompletionItemKind.TypeParameter));
  if (where.kind === "sampling_params") {
    const values = enumValuesAt(target, where.graderKind, ["sampling_params", key]);
    return values ? enumItems(values, key) : [];
  }
  if (where.kind === "test-given") {
    // A label for a label_model sub-grader.
    const root = place.analysis.result.document.grader;
    const map = root ? A.fieldOf(root, "graders")?.value : undefined;
    const entry = map?.kind === "GraderMap" ? map.entries.find((e) => e.key.name === key) : undefined;
    return entry ? labelsOf(entry.grader).map((l) => item(l, CompletionItemKind.EnumMember)) : [];
  }
  if (where.kind === "test" && key === "given") {
    // `given: <label>` for a lone label_model.
    const root = place.analysis.result.document.grader;
    return root ? labelsOf(root).map((l) => item(l, CompletionItemKind.EnumMember)) : [];
  }
  if (where.kind !== "grader") return [];
  const kind = where.graderKind;
  if (key === "passing_labels" && inList) {
    const grader = graderOfBlock(place, where.block);
    return grader ? labelsOf(grader).map((l) => item(l, CompletionItemKind.EnumMember, { detail: "one of `labels`" })) : [];
  }
  if (key === "detail" || key === "format") return enumItems(enumOfPartField(key), key);
  const values = enumValuesAt(target, kind, [key]);
  if (values) return enumItems(values, key);
  if (key === "input" || key === "reference") return pathItems(place, place.word.start, false);
  return [];
}

function labelsOf(grader: A.Grader): string[] {
  const labels = A.fieldOf(grader, "labels")?.value;
  if (labels?.kind !== "ListValue") return [];
  return labels.items.flatMap((v) => (v.kind === "NameValue" ? [v.name] : v.kind === "StringValue" ? [v.value] : []));
}

/** Completion in a grader JSON: the keys of the grader kind around the cursor, `type`'s kinds, enum values. */
export function completeJson(analysis: Analysis, document: TextDocument, offset: number): CompletionItem[] {
  const place = jsonPlace(analysis.text, offset);
  const target = analysis.target;
  const edit = (newText: string) => ({ textEdit: { range: { start: document.positionAt(place.span.start), end: document.positionAt(place.span.end) }, newText } });
  if (place.atKey) {
    const kind = place.kind;
    const names = kind && isGraderKind(kind) ? ["type", ...fieldsOfKind(kind, target).keys()] : place.objectPath.length === 0 || place.objectPath[place.objectPath.length - 2] === "graders" ? ["type"] : [];
    return names
      .filter((n) => !place.present.includes(n) || n === place.key)
      .map((n) => item(n, CompletionItemKind.Property, { ...docs(fieldDescription(n, kind)), ...edit(JSON.stringify(n)), filterText: JSON.stringify(n) }));
  }
  const key = place.key;
  if (!key) return [];
  const values =
    key === "type"
      ? [...graderKinds]
      : key === "role" || key === "detail" || key === "format"
        ? [...enumOfPartField(key)]
        : place.kind
          ? [...(enumValuesAt(target, place.kind, place.objectPath[place.objectPath.length - 1] === "sampling_params" ? ["sampling_params", key] : [key]) ?? [])]
          : [];
  return values.map((v) => item(v, CompletionItemKind.EnumMember, { ...docs(key === "type" ? kindDescriptions[v as GraderKind] : enumValueDescriptions[key]?.[v]), ...edit(JSON.stringify(v)), filterText: JSON.stringify(v) }));
}
