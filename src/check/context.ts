import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { parseFormula, type FormulaParse } from "../formula/parse.js";
import type { FormulaExpr } from "../formula/ast.js";
import * as A from "../syntax/ast.js";
import { decodeBlock, decodeQuoted } from "../syntax/strings.js";
import type { Target } from "../schema/graders.js";
import { type FileAccess, type FileResult, nodeFiles, readFileCall } from "./files.js";
import { isGraderKind, modelKinds } from "./kinds.js";
import { namespacesOf, type Namespaces } from "./namespaces.js";
import { scanTemplates, type TemplateProblem, type TemplateRef } from "./templates.js";

export interface CheckOptions {
  /** `rft` (fine-tuning graders, `/graders/run`) or `evals` (Evals testing criteria). */
  readonly target?: Target;
  /** The `.grade` file's path: `file()` reads relative to it. */
  readonly filename?: string;
  /** The project root; `file()` refuses anything outside it. Default: the working directory. */
  readonly root?: string;
  readonly files?: FileAccess;
}

/** A rule's report: severity defaults to the rule's own. */
export type Report = Omit<Diagnostic, "rule" | "severity" | "file"> & { readonly severity?: Severity };

/** A string that may hold `{{ }}` templates, with where it came from. */
export interface TemplateString {
  readonly node: A.Value;
  readonly text: string;
  readonly refs: readonly TemplateRef[];
  readonly problems: readonly TemplateProblem[];
  /** For a prompt read with `file("...")` (`node` is the call): the file's path, as written. */
  readonly file?: string;
}

export interface FormulaInfo {
  readonly multi: A.Grader;
  readonly field: A.Field;
  readonly text: string;
  readonly expr: FormulaExpr | undefined;
  readonly problems: FormulaParse["problems"];
  /** Maps a span inside the formula text to source offsets. */
  readonly toSource: (span: A.Span) => A.Span;
}

/** Everything rules share: the document, the options, and analyses computed once. */
export class CheckContext {
  readonly target: Target;
  readonly namespaces: Namespaces;
  readonly graders: readonly A.Grader[];
  // Made on first use: most documents have neither formulas nor files.
  private formulaCache: Map<A.Grader, FormulaInfo | undefined> | undefined;
  private fileCache: Map<A.CallValue, FileResult> | undefined;
  private get formulas(): Map<A.Grader, FormulaInfo | undefined> {
    return (this.formulaCache ??= new Map());
  }
  private get fileResults(): Map<A.CallValue, FileResult> {
    return (this.fileCache ??= new Map());
  }
  private templateCache: TemplateString[] | undefined;

  constructor(
    readonly document: A.Document,
    readonly text: string,
    readonly options: CheckOptions,
    readonly hasSyntaxErrors: boolean,
  ) {
    this.target = options.target ?? targetPragma(document) ?? "rft";
    this.namespaces = namespacesOf(document);
    // The graders in walk order: a grader, then those of its `graders` maps (the only place a
    // grader can be), depth first. Nothing else of the tree needs visiting for them.
    const graders: A.Grader[] = [];
    if (document.grader) collectGraders(document.grader, graders);
    this.graders = graders;
  }

  /** The multi grader that holds `grader` in its `graders` map, if any. */
  parentOf(grader: A.Grader): A.Grader | undefined {
    for (const g of this.graders) {
      const map = A.fieldOf(g, "graders")?.value;
      if (map?.kind === "GraderMap" && map.entries.some((e) => e.grader === grader)) return g;
    }
    return undefined;
  }

  /** Source offset of each character of a string value (for spans inside strings). */
  offsetsOf(node: A.StringValue): readonly number[] {
    // By the text itself: a string from a JSON grader is quoted there, whatever form prints it.
    const raw = this.text.slice(node.span.start, node.span.end);
    const decoded = raw.startsWith('"""') ? decodeBlock(raw, node.span.start, true) : decodeQuoted(raw, node.span.start, true);
    return decoded.offsets ?? [];
  }

  /** Maps a range of a string value's characters to a source span. */
  spanInString(node: A.Value, start: number, end: number): A.Span {
    if (node.kind === "PathValue") return node.span; // `{{path}}` is synthesised from the bare path
    if (node.kind !== "StringValue") return node.span;
    const offsets = this.offsetsOf(node);
    const s = offsets[Math.min(start, offsets.length - 1)] ?? node.span.start;
    // The end is where the next character starts, so an escape (`\n`, `\u0064`) is covered whole.
    const lastChar = offsets[Math.min(Math.max(end - 1, start), offsets.length - 1)] ?? s;
    const e = end > start ? (offsets[end] ?? lastChar + 1) : s;
    return { start: s, end: Math.max(e, s) };
  }

  /**
   * Where in a `file()` prompt a template finding is, for its message: ` (in \`prompts/judge.md\`
   * at 3:14)`; empty for a string written in the .grade file (its span says where).
   */
  inFile(s: TemplateString, at: number): string {
    if (s.file === undefined) return "";
    const before = s.text.slice(0, at);
    const line = before.split("\n").length;
    const column = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
    return ` (in \`${s.file}\` at ${line}:${column})`;
  }

  /** Every string in a template position (inputs, references, message text, image URLs, audio data). */
  templateStrings(): readonly TemplateString[] {
    if (this.templateCache) return this.templateCache;
    const out: TemplateString[] = [];
    // A prompt in its own file (`user file("prompts/judge.md")`): its text is checked as written
    // there; the `file` rule reports a file that cannot be read.
    const addTemplateString = (list: TemplateString[], node: A.Value | undefined): void => {
      if (node?.kind === "CallValue" && node.callee.name === "file") {
        const read = this.fileOf(node);
        const written = node.args[0]?.value;
        if (read.ok) addTemplateText(list, node, read.text, written?.kind === "StringValue" ? written.value : undefined);
        return;
      }
      addTemplateText(list, node, node ? stringOf(node) : undefined);
    };
    /** The strings of message content: a string, a file, a list of them, or a part's text. */
    const addContentStrings = (list: TemplateString[], content: A.Value): void => {
      if (content.kind === "ListValue") {
        for (let i = 0; i < content.items.length; i++) addContentStrings(list, content.items[i]!);
      } else if (content.kind === "CallValue" && content.callee.name !== "file") {
        for (const arg of content.args) if (arg.name === undefined || arg.name.name === "text") addTemplateString(list, arg.value);
      } else addTemplateString(list, content);
    };
    for (const grader of this.graders) {
      const body = grader.body;
      if (body.kind === "CompareForm") {
        addTemplateString(out, body.input);
        addTemplateString(out, body.reference);
      } else if (body.kind === "CallForm") {
        for (let i = 0; i < body.args.length; i++) addTemplateString(out, body.args[i]);
      } else {
        for (const member of body.members) {
          if (member.kind === "Message") addContentStrings(out, member.content);
          else if ((member.key.name === "input" || member.key.name === "reference") && !modelKinds.has(grader.type.name)) {
            if (member.value.kind !== "GraderMap" && member.value.kind !== "Formula") addTemplateString(out, member.value);
          }
        }
      }
    }
    this.templateCache = out;
    return out;
  }

  /** The parsed `calculate_output` of a multi grader (undefined when absent or not a string). */
  formulaOf(multi: A.Grader): FormulaInfo | undefined {
    if (this.formulas.has(multi)) return this.formulas.get(multi);
    const field = A.fieldOf(multi, "calculate_output");
    let info: FormulaInfo | undefined;
    if (field?.value.kind === "Formula" && this.text.startsWith('"', field.value.span.start)) {
      // A formula from a JSON grader: its text is inside a JSON string literal.
      const node: A.StringValue = { kind: "StringValue", value: field.value.text, block: false, span: field.value.span };
      const parsed = parseFormula(node.value, 0);
      info = { multi, field, text: node.value, ...parsed, toSource: (s) => this.spanInString(node, s.start, s.end) };
    } else if (field?.value.kind === "Formula") {
      const span = field.value.span;
      // Parse the source itself (comments blanked) so offsets stay those of the file.
      let source = this.text.slice(span.start, span.end);
      for (const c of this.document.comments) {
        if (c.span.start >= span.start && c.span.end <= span.end) {
          const at = c.span.start - span.start;
          source = source.slice(0, at) + " ".repeat(c.span.end - c.span.start) + source.slice(at + c.span.end - c.span.start);
        }
      }
      const parsed = parseFormula(source, span.start);
      info = { multi, field, text: field.value.text, ...parsed, toSource: (s) => s };
    } else if (field?.value.kind === "StringValue") {
      const node = field.value;
      const parsed = parseFormula(node.value, 0);
      info = { multi, field, text: node.value, ...parsed, toSource: (s) => this.spanInString(node, s.start, s.end) };
    }
    this.formulas.set(multi, info);
    return info;
  }

  /** Reads a `file("...")` call's target (cached; the `file` rule reports failures). */
  fileOf(call: A.CallValue): FileResult {
    let result = this.fileResults.get(call);
    if (!result) {
      result = readFileCall(call, this.options.filename, this.options.root ?? process.cwd(), this.options.files ?? nodeFiles);
      this.fileResults.set(call, result);
    }
    return result;
  }

  /** The source of a python grader: inline text or the text of its `file()`. */
  pythonSourceOf(grader: A.Grader): { text: string; node: A.Value; fromFile: boolean } | undefined {
    const value = A.fieldOf(grader, "source")?.value;
    if (!value) return undefined;
    if (value.kind === "StringValue") return { text: value.value, node: value, fromFile: false };
    if (value.kind === "CallValue" && value.callee.name === "file") {
      const result = this.fileOf(value);
      return result.ok ? { text: result.text, node: value, fromFile: true } : undefined;
    }
    return undefined;
  }

  isKnownKind(grader: A.Grader): boolean {
    return isGraderKind(grader.type.name);
  }
}

/** A grader, then those of its `graders` maps, depth first. */
function collectGraders(grader: A.Grader, out: A.Grader[]): void {
  out.push(grader);
  if (grader.body.kind !== "BlockBody") return;
  for (const member of grader.body.members) {
    if (member.kind === "Field" && member.value?.kind === "GraderMap") for (const entry of member.value.entries) if (entry.grader) collectGraders(entry.grader, out);
  }
}

/** A string in a template position, with its templates. */
function addTemplateText(out: TemplateString[], node: A.Value | undefined, text: string | undefined, file?: string): void {
  if (!node || text === undefined) return;
  const { refs, problems } = scanTemplates(text);
  out.push(file === undefined ? { node, text, refs, problems } : { node, text, refs, problems, file });
}

/** `// @target evals` in a file's comments: the target it is written for (`--target` overrides it). */
export function targetPragma(document: A.Document): Target | undefined {
  const pragma = targetPragmaComment(document);
  return pragma?.target === "rft" || pragma?.target === "evals" ? pragma.target : undefined;
}

/** The `// @target ...` comment and the word it names (which may be no target at all). */
export function targetPragmaComment(document: A.Document): { comment: A.Comment; target: string } | undefined {
  for (const comment of document.comments) {
    if (!comment.text.includes("@target")) continue; // most comments: no need for the pattern
    const m = /^\/\/\s*@target\b[:\s]*([A-Za-z_-]*)/.exec(comment.text);
    if (m) return { comment, target: m[1] ?? "" };
  }
  return undefined;
}

/** The string a value spells where a string is expected: text, a bare name, or a bare path. */
export function stringOf(value: A.Value | A.FieldValue): string | undefined {
  switch (value.kind) {
    case "StringValue":
      return value.value;
    case "NameValue":
      return value.name;
    case "PathValue":
      return `{{${value.path}}}`;
    default:
      return undefined;
  }
}

export interface RuleMeta {
  /** Stable id: users filter and search by it. */
  readonly id: string;
  readonly severity: Severity;
  /** One sentence: what the rule catches. */
  readonly summary: string;
  /** A short `.grade` snippet that triggers it. */
  readonly example: string;
}

export type Visitor = { readonly [K in A.NodeKind]?: (node: A.NodeOfKind<K>, parents: readonly A.Node[]) => void };

export interface Rule {
  readonly meta: RuleMeta;
  /** Returns the visitor of the rule; it reports through `report` and never throws. */
  create(context: CheckContext, report: (report: Report) => void): Visitor;
  /**
   * The rule keeps no state of its own between the calls of its visitor, and reads the context
   * only in them (not in `create`): one visitor then serves every document, created once with a
   * context that stands for the document being checked. Saves making the visitor per document.
   */
  readonly shared?: boolean;
}

/**
 * What a shared rule's visitor sees as its context: the context of the document being checked,
 * member for member (the compiler keeps the list complete).
 */
export class CurrentContext implements Pick<CheckContext, keyof CheckContext> {
  current: CheckContext | undefined;
  private get now(): CheckContext {
    if (!this.current) throw new Error("a shared rule ran outside checkDocument");
    return this.current;
  }
  get target(): Target {
    return this.now.target;
  }
  get namespaces(): Namespaces {
    return this.now.namespaces;
  }
  get graders(): readonly A.Grader[] {
    return this.now.graders;
  }
  get document(): A.Document {
    return this.now.document;
  }
  get text(): string {
    return this.now.text;
  }
  get options(): CheckOptions {
    return this.now.options;
  }
  get hasSyntaxErrors(): boolean {
    return this.now.hasSyntaxErrors;
  }
  parentOf(grader: A.Grader): A.Grader | undefined {
    return this.now.parentOf(grader);
  }
  offsetsOf(node: A.StringValue): readonly number[] {
    return this.now.offsetsOf(node);
  }
  spanInString(node: A.Value, start: number, end: number): A.Span {
    return this.now.spanInString(node, start, end);
  }
  templateStrings(): readonly TemplateString[] {
    return this.now.templateStrings();
  }
  inFile(s: TemplateString, at: number): string {
    return this.now.inFile(s, at);
  }
  formulaOf(multi: A.Grader): FormulaInfo | undefined {
    return this.now.formulaOf(multi);
  }
  fileOf(call: A.CallValue): FileResult {
    return this.now.fileOf(call);
  }
  pythonSourceOf(grader: A.Grader): { text: string; node: A.Value; fromFile: boolean } | undefined {
    return this.now.pythonSourceOf(grader);
  }
  isKnownKind(grader: A.Grader): boolean {
    return this.now.isKnownKind(grader);
  }
}
