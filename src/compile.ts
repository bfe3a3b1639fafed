import { checkDocument } from "./check/check.js";
import { isTestFinding } from "./check/registry.js";
import type { CheckContext, CheckOptions } from "./check/context.js";
import { countBySeverity, type Diagnostic, sortDiagnostics } from "./diagnostics/diagnostic.js";
import { emitGrader, jsonPointer, type JsonObject } from "./emit/emit.js";
import { crossCheckSchemas, graderSchemasModule } from "./schema/lazy.js";
import { schemaTable } from "./schema/table.js";
import { closest } from "./check/suggest.js";
import { explain, type IssueKind } from "./schema/explain.js";
import { matches } from "./schema/validate.js";
import type { CallValue, Document, Span } from "./syntax/ast.js";
import { parseSource } from "./parse-source.js";

export interface CheckResult {
  readonly document: Document;
  /** Sorted by position; each carries `file` when `options.filename` was given. */
  readonly diagnostics: readonly Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
}

export interface CompileResult extends CheckResult {
  /** The grader JSON; absent when there is any error-level finding. */
  readonly grader: JsonObject | undefined;
  /**
   * Where each part of the JSON came from: JSON pointer (`/graders/name/input`, `` for the
   * grader itself) → source span. Maps an API error about a field back to the `.grade` text.
   */
  readonly sourceMap: ReadonlyMap<string, Span>;
}

export type { CheckOptions as CompileOptions } from "./check/context.js";
export { isJsonSource } from "./parse-source.js";

function finish(document: Document, diagnostics: Diagnostic[], filename: string | undefined): CheckResult {
  const withFile = filename === undefined ? diagnostics : diagnostics.map((d) => ({ ...d, file: filename }));
  const sorted = withFile.length === 0 ? withFile : sortDiagnostics(withFile);
  const { errors, warnings } = countBySeverity(sorted);
  return { document, diagnostics: sorted, errors, warnings };
}

/** The grader JSON and its schema verdict, for a document the rules found no error in. */
interface Emission {
  readonly json: JsonObject;
  readonly valid: boolean;
  readonly spans: () => ReadonlyMap<string, Span>;
}

function analyse(source: string, options: CheckOptions) {
  const parsed = parseSource(source, options.filename);
  const diagnostics = [...parsed.diagnostics];
  const { context, diagnostics: findings } = checkDocument(parsed.document, source, options, parsed.diagnostics.length > 0);
  for (const d of findings) diagnostics.push(d);
  const graderNode = parsed.document.grader;
  let emission: Emission | undefined;
  // The grader is emitted and validated against the schema: a schema issue is a finding of
  // `grade check` as much as of `grade compile`, so the two give one verdict. With rule errors
  // too (all findings at once), where they are not the same problem again: an issue at or
  // around the span of an error is left to it. Not after a syntax error: recovery made the tree.
  // Findings about the tests do not withhold the grader's JSON: a correct grader compiles, runs
  // and is evaluated whatever its tests say (grade test and grade check report them).
  const errors = diagnostics.filter((d) => d.severity === "error" && !isTestFinding(d));
  if (graderNode && !parsed.diagnostics.some((d) => d.severity === "error")) {
    const readFile = (call: CallValue) => context.fileOf(call);
    const json = emitGrader(graderNode, { readFile, spans: false }).json;
    // The source map is made when it is first read (by the API commands, or for a schema issue):
    // a second emission of the grader, recording spans, which a plain compile does not need.
    let made: ReadonlyMap<string, Span> | undefined;
    const spans = () => (made ??= emitGrader(graderNode, { readFile }).spans);
    const valid = validate(json, context.target);
    if (!valid) {
      const overlaps = (a: Span, b: Span): boolean => (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
      for (const d of schemaFindings(json, context.target, spans(), graderNode.span)) {
        if (!errors.some((e) => e.span && overlaps(e.span, d.span!))) diagnostics.push(d);
      }
    }
    emission = { json, valid: valid && errors.length === 0, spans };
  }
  return { document: parsed.document, diagnostics, emission, context };
}

/**
 * The table derived from the zod schemas gives zod's yes or no without loading zod (in the
 * tests, zod is asked too, and they must agree every time).
 */
function validate(json: JsonObject, target: CheckOptions["target"] & string): boolean {
  const valid = matches(schemaTable.graders[target], json, schemaTable.defs);
  if (crossCheckSchemas() && graderSchemasModule().graderSchema(target).safeParse(json).success !== valid) {
    throw new Error(`the schema table and zod disagree on a ${target} grader (table: ${valid ? "valid" : "invalid"}); run \`npm run build\``);
  }
  return valid;
}

/**
 * Parses and checks `.grade` source text, or a grader JSON (a `.json` filename, or text that
 * starts with `{`; a request body with a `grader` key works too). Never throws on bad input.
 */
export function check(source: string, options: CheckOptions = {}): CheckResult {
  const { document, diagnostics } = analyse(source, options);
  return finish(document, diagnostics, options.filename);
}

/**
 * check(), with the checker's context: the templates, formulas and namespaces it found, which the
 * language server (src/lsp) reads for completion and navigation instead of analysing again.
 */
export function checkWithContext(source: string, options: CheckOptions = {}): CheckResult & { readonly context: CheckContext } {
  const { document, diagnostics, context } = analyse(source, options);
  return { ...finish(document, diagnostics, options.filename), context };
}

/**
 * Parses, checks and compiles `.grade` source text to the grader JSON the API accepts. There is
 * no JSON when any finding is an error. The JSON is validated against the target's schema (as
 * check() does); a schema issue the rules did not catch is reported at its source span.
 */
export function compile(source: string, options: CheckOptions = {}): CompileResult {
  const { document, diagnostics, emission } = analyse(source, options);
  const grader = emission?.valid ? emission.json : undefined;
  const checked = finish(document, diagnostics, options.filename);
  const result = { document, diagnostics: checked.diagnostics, errors: checked.errors, warnings: checked.warnings, grader };
  let empty: ReadonlyMap<string, Span> | undefined;
  Object.defineProperty(result, SPANS, { value: emission?.spans ?? (() => (empty ??= new Map())) });
  return Object.defineProperty(result, "sourceMap", SOURCE_MAP) as CompileResult;
}

/*
 * `sourceMap` is an accessor shared by all results, reading the result's own thunk (a
 * non-enumerable symbol property, so the result still spreads and prints as before). A getter
 * written in the object literal is a new function per result, for which V8 gives each result a
 * hidden class of its own, held in old space: that kept every compiled document alive through
 * the next scavenges, which then copied them all (a fifth of compile()'s time in a long run).
 */
const SPANS = Symbol("spans");
const SOURCE_MAP: PropertyDescriptor = {
  get(this: { [SPANS]: () => ReadonlyMap<string, Span> }) {
    return this[SPANS]();
  },
  enumerable: true,
  configurable: true,
};

const RULE_OF: Readonly<Record<IssueKind, string>> = { missing: "missing-field", enum: "invalid-enum", type: "invalid-value", range: "invalid-value" };

function schemaFindings(json: JsonObject, target: CheckOptions["target"] & string, spans: ReadonlyMap<string, Span>, fallback: Span): Diagnostic[] {
  const issues = explain(schemaTable.graders[target], json, schemaTable.defs);
  if (issues.length === 0) throw new Error(`the schema table rejects a ${target} grader and cannot say why`);
  return issues.map((issue) => {
    // The closest source span: the issue's path, or its nearest ancestor the emitter recorded.
    let span: Span | undefined;
    for (let n = issue.path.length; n >= 0 && !span; n--) span = spans.get(jsonPointer(issue.path.slice(0, n)));
    const value = issue.path.reduce<unknown>((v, p) => (v as Record<string | number, unknown> | undefined)?.[p], json);
    const near = issue.allowed && typeof value === "string" ? closest(value, issue.allowed) : undefined;
    const suggestion = near ? { suggestion: `did you mean \`${near}\`?` } : {};
    return { rule: RULE_OF[issue.kind], severity: "error" as const, message: issue.message, ...suggestion, span: span ?? fallback };
  });
}
