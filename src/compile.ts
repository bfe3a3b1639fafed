import type { z } from "zod";
import { checkDocument } from "./check/check.js";
import type { CheckContext, CheckOptions } from "./check/context.js";
import { countBySeverity, type Diagnostic, sortDiagnostics } from "./diagnostics/diagnostic.js";
import { emitGrader, jsonPointer, type JsonObject } from "./emit/emit.js";
import { crossCheckSchemas, graderSchemasModule } from "./schema/lazy.js";
import { schemaTable } from "./schema/table.js";
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

function analyse(source: string, options: CheckOptions) {
  const parsed = parseSource(source, options.filename);
  const diagnostics = [...parsed.diagnostics];
  const { context, diagnostics: findings } = checkDocument(parsed.document, source, options, parsed.diagnostics.length > 0);
  for (const d of findings) diagnostics.push(d);
  return { document: parsed.document, diagnostics, context };
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
 * no JSON when any finding is an error. The JSON is validated against the target's zod schema;
 * a schema issue the rules did not catch is reported as `invalid-value` at its source span.
 */
export function compile(source: string, options: CheckOptions = {}): CompileResult {
  const { document, diagnostics, context } = analyse(source, options);
  let grader: JsonObject | undefined;
  // The source map is made when it is first read (by the API commands, or for a schema issue):
  // a second emission of the grader, recording spans, which a plain compile does not need.
  let spans: (() => ReadonlyMap<string, Span>) | undefined;
  const graderNode = document.grader;
  if (graderNode && !diagnostics.some((d) => d.severity === "error")) {
    const readFile = (call: CallValue) => context.fileOf(call);
    const json = emitGrader(graderNode, { readFile, spans: false }).json;
    let made: ReadonlyMap<string, Span> | undefined;
    spans = () => (made ??= emitGrader(graderNode, { readFile }).spans);
    // The table derived from the zod schemas gives zod's yes or no without loading zod, which
    // is asked only for the issues of a no (and, in the tests, whether it agrees every time).
    if (matches(schemaTable.graders[context.target], json, schemaTable.defs)) {
      if (crossCheckSchemas() && !graderSchemasModule().graderSchema(context.target).safeParse(json).success) {
        throw new Error(`the schema table accepts a ${context.target} grader zod rejects; run \`npm run build\``);
      }
      grader = json;
    } else {
      const result = graderSchemasModule().graderSchema(context.target).safeParse(json);
      if (result.success && crossCheckSchemas()) throw new Error(`the schema table rejects a ${context.target} grader zod accepts; run \`npm run build\``);
      if (result.success) grader = json;
      else for (const d of schemaFindings(result.error, spans(), graderNode.span)) diagnostics.push(d);
    }
  }
  const checked = finish(document, diagnostics, options.filename);
  const result = { document, diagnostics: checked.diagnostics, errors: checked.errors, warnings: checked.warnings, grader };
  let empty: ReadonlyMap<string, Span> | undefined;
  Object.defineProperty(result, SPANS, { value: spans ?? (() => (empty ??= new Map())) });
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

function schemaFindings(error: z.ZodError, spans: ReadonlyMap<string, Span>, fallback: Span): Diagnostic[] {
  return error.issues.map((issue) => {
    // The closest source span: the issue's path, or its nearest ancestor the emitter recorded.
    let span: Span | undefined;
    for (let n = issue.path.length; n >= 0 && !span; n--) {
      span = spans.get(jsonPointer(issue.path.slice(0, n) as (string | number)[]));
    }
    const where = issue.path.length ? `\`${issue.path.join(".")}\`: ` : "";
    return { rule: "invalid-value", severity: "error" as const, message: `${where}${issue.message}`, span: span ?? fallback };
  });
}
