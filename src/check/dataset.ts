import { createReadStream } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { type Diagnostic, type Location, sortDiagnostics } from "../diagnostics/diagnostic.js";
import type * as A from "../syntax/ast.js";
import { parseSource } from "../parse-source.js";
import { CheckContext, type CheckOptions } from "./context.js";
import { resolvePath } from "./namespaces.js";
import { closest, listOf } from "./suggest.js";
import { compilePath, describeJson, fits, inherited, isObject, type JsonObject, lookup, own, typeText } from "./json-match.js";
import { type PathSegment, printTemplatePath } from "./templates.js";

/*
 * `--items data.jsonl`: a fine-tuning dataset, one JSON object a line, whose top-level keys are
 * the `item` namespace. One streaming pass over the file checks every row against every `item.*`
 * template path of the graders and against their declared `item` shapes. Memory stays flat: per
 * path only counters and the first line number are kept, never the rows.
 */

/** A grader to check a dataset against: a checked context, its source text, or the text with options. */
export type DatasetGrader =
  | CheckContext
  | string
  | {
      readonly source: string;
      readonly options?: CheckOptions;
      /** The `.grade` file as findings name it (default: `options.filename`). */
      readonly file?: string;
    };

export interface DatasetOptions {
  /** The dataset file as findings name it (default: the path as given). */
  readonly label?: string;
  /** Malformed lines reported one by one before a single summary finding (default 20). */
  readonly maxMalformed?: number;
  /** The longest line read, in characters (default 64 Mi); a longer line is a finding and is skipped. */
  readonly maxLineLength?: number;
}

const RULE = "dataset";
const UNKNOWN_VARIABLE = "unknown-variable";
const DEFAULT_MAX_MALFORMED = 20;
const DEFAULT_MAX_LINE = 64 * 1024 * 1024;
/** The distinct keys counted per object position, for suggestions (datasets keyed by ids have many). */
const MAX_KEYS = 1000;
const NO_SPAN: A.Span = { start: 0, end: 0 };

/** 5000 → "5,000". */
/** A path as a shell word: quoted when it holds anything but safe characters. */
function shellWord(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A count and the first line it happened on; `row` marks the last row counted (one count a row). */
class Tally {
  count = 0;
  first = 0;
  row = -1;
  add(row: number, line: number): void {
    if (this.row === row) return;
    this.row = row;
    if (this.count++ === 0) this.first = line;
  }
}

/** "in 3 of 5,000 rows, first at line 17" or "in every row". */
function howMany(tally: Tally, rows: number): string {
  return tally.count === rows
    ? "in every row"
    : `in ${thousands(tally.count)} of ${thousands(rows)} row${rows === 1 ? "" : "s"}, first at line ${thousands(tally.first)}`;
}

// ── Template paths ──────────────────────────────────────────────────────────

/** One distinct `item.*` path, counted once however many graders and templates use it. */
interface PathStat {
  readonly path: string;
  readonly segments: readonly PathSegment[];
  readonly missing: Tally;
  /** Rows that lack the path, by the index of the segment that fails. */
  readonly failAt: number[];
  /**
   * The keys of the object where the path fails (by segment index), in the rows that lack it, and
   * how many of those rows have each: for suggestions. Only failing rows are looked at.
   */
  readonly keysAt: Map<number, Map<string, number>>;
}

// ── Declared `item` shapes ──────────────────────────────────────────────────

/** A declared type at one place of the shape, with the mismatches found there. */
interface TypePlan {
  readonly type: A.TypeExpr;
  /** Where it is, as a path: `item.score`, `item.tags[*]`. */
  readonly label: string;
  /** The declared type as written, for messages. */
  readonly declared: string;
  /** What the value was instead ("a string", "null") → how many rows. */
  readonly mismatches: Map<string, Tally & { example?: string }>;
  readonly fields: readonly FieldPlan[];
  readonly element: TypePlan | undefined;
}

interface FieldPlan {
  readonly field: A.TypeField;
  /** The field's path without `item.`: `answer`, `ground_truth.date`. */
  readonly label: string;
  readonly missing: Tally;
  readonly type: TypePlan;
}

function planType(type: A.TypeExpr, label: string, text: string): TypePlan {
  const fields =
    type.kind === "ObjectType"
      ? type.fields.map((field) => {
          const fieldLabel = `${label}.${field.key.name}`;
          return { field, label: fieldLabel.replace(/^item\./, ""), missing: new Tally(), type: planType(field.type, fieldLabel, text) };
        })
      : [];
  const element = type.kind === "ListType" ? planType(type.element, `${label}[*]`, text) : undefined;
  return { type, label, declared: typeText(type, text), mismatches: new Map(), fields, element };
}

function mismatch(value: unknown, plan: TypePlan, row: number, line: number): void {
  const what = describeJson(value, plan.type);
  let tally = plan.mismatches.get(what);
  if (!tally) {
    tally = Object.assign(new Tally(), what === "another string" ? { example: JSON.stringify(value).slice(0, 60) } : {});
    plan.mismatches.set(what, tally);
  }
  tally.add(row, line);
}

type Checker = (value: unknown, row: number, line: number) => void;

const noCheck: Checker = () => {};

/** A function that checks a value against a declared type, counting what does not fit in the plan. */
function compileChecker(plan: TypePlan): Checker {
  const type = plan.type;
  switch (type.kind) {
    case "ListType": {
      const element = compileChecker(plan.element!);
      return (value, row, line) => {
        if (!Array.isArray(value)) return mismatch(value, plan, row, line);
        if (element !== noCheck) for (let i = 0; i < value.length; i++) element(value[i], row, line);
      };
    }
    case "ObjectType": {
      const fields = plan.fields.map((f) => ({
        name: f.field.key.name,
        inherited: inherited(f.field.key.name),
        optional: f.field.optional,
        missing: f.missing,
        check: compileChecker(f.type),
      }));
      return (value, row, line) => {
        if (!isObject(value)) return mismatch(value, plan, row, line);
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i]!;
          const v = f.inherited ? own(value, f.name, true) : value[f.name];
          if (v !== undefined) f.check(v, row, line);
          else if (!f.optional) f.missing.add(row, line);
        }
      };
    }
    case "NamedType":
      switch (type.name) {
        // One function per type, no shared test: these run for every value of every row.
        case "string":
          return (v, row, line) => void (typeof v === "string" || mismatch(v, plan, row, line));
        case "number":
          return (v, row, line) => void (typeof v === "number" || mismatch(v, plan, row, line));
        case "integer":
          return (v, row, line) => void (Number.isInteger(v) || mismatch(v, plan, row, line));
        case "boolean":
          return (v, row, line) => void (typeof v === "boolean" || mismatch(v, plan, row, line));
        case "null":
          return (v, row, line) => void (v === null || mismatch(v, plan, row, line));
        default:
          return noCheck; // `any`, or a misspelt type the `unknown-type` rule reports
      }
    case "LiteralType": {
      const literal = type.value;
      return (v, row, line) => void (v === literal || mismatch(v, plan, row, line));
    }
    case "UnionType":
      return (v, row, line) => void (fits(v, type) || mismatch(v, plan, row, line));
  }
}

function* allFields(plan: TypePlan): Generator<FieldPlan> {
  for (const f of plan.fields) {
    yield f;
    yield* allFields(f.type);
  }
  if (plan.element) yield* allFields(plan.element);
}

function* allTypes(plan: TypePlan): Generator<TypePlan> {
  yield plan;
  for (const f of plan.fields) yield* allTypes(f.type);
  if (plan.element) yield* allTypes(plan.element);
}

// ── One grader ──────────────────────────────────────────────────────────────

interface GraderPlan {
  readonly file: string | undefined;
  /** Each distinct path with where it is used (the first place, then the others). */
  readonly refs: Map<string, { stat: PathStat; spans: A.Span[] }>;
  readonly declared: TypePlan | undefined;
}

function contextOf(grader: DatasetGrader): { ctx: CheckContext; file: string | undefined } {
  if (grader instanceof CheckContext) return { ctx: grader, file: grader.options.filename };
  const source = typeof grader === "string" ? grader : grader.source;
  const options = typeof grader === "string" ? {} : (grader.options ?? {});
  const parsed = parseSource(source, options.filename);
  const ctx = new CheckContext(parsed.document, source, options, parsed.diagnostics.length > 0);
  return { ctx, file: typeof grader === "string" ? undefined : (grader.file ?? options.filename) };
}

function planGrader(grader: DatasetGrader, paths: Map<string, PathStat>): GraderPlan {
  const { ctx, file } = contextOf(grader);
  const refs = new Map<string, { stat: PathStat; spans: A.Span[] }>();
  for (const s of ctx.templateStrings()) {
    for (const ref of s.refs) {
      if (ref.namespace !== "item" || ref.segments.length === 0) continue;
      // A path the declared shape lacks is already an `unknown-variable` finding of the checker.
      if (ctx.namespaces.item && resolvePath("item", ctx.namespaces.item, ref.segments, () => undefined)) continue;
      const path = printTemplatePath("item", ref.segments);
      let stat = paths.get(path);
      if (!stat) {
        stat = { path, segments: ref.segments, missing: new Tally(), failAt: ref.segments.map(() => 0), keysAt: new Map() };
        paths.set(path, stat);
      }
      const span = s.node.kind === "PathValue" ? s.node.span : ctx.spanInString(s.node, ref.start, ref.end);
      const entry = refs.get(path);
      if (entry) entry.spans.push(span);
      else refs.set(path, { stat, spans: [span] });
    }
  }
  const decl = ctx.document.declarations.find((d) => d.namespace.name === "item");
  return { file, refs, declared: decl ? planType(decl.type, "item", ctx.text) : undefined };
}

// ── Reading the file ────────────────────────────────────────────────────────

/**
 * Calls `onLine(text, lineNumber)` for every line of a file, streamed: `\n` or `\r\n` endings, a
 * leading BOM removed, a last line without newline included. A line longer than `maxLength`
 * characters is not kept: `onLong(lineNumber)` is called instead.
 */
async function eachLine(
  file: string,
  maxLength: number,
  onLine: (text: string, line: number) => void,
  onLong: (line: number) => void,
): Promise<void> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let tooLong = false;
  let line = 0;
  const emit = (text: string): void => {
    line++;
    if (text.length > maxLength) return onLong(line);
    if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    onLine(text, line);
  };
  const take = (chunk: string): void => {
    let from = 0;
    let nl: number;
    while ((nl = chunk.indexOf("\n", from)) !== -1) {
      if (tooLong) {
        tooLong = false;
        onLong(++line);
      } else if (carry) {
        const text = carry + chunk.slice(from, nl);
        carry = "";
        emit(text);
      } else emit(chunk.slice(from, nl));
      from = nl + 1;
    }
    if (from < chunk.length && !tooLong) {
      carry += chunk.slice(from);
      if (carry.length > maxLength) {
        // Too long to keep: drop it, and skip the rest of the line.
        tooLong = true;
        carry = "";
      }
    }
  };
  // 64 kB chunks: measurably faster than larger ones (the decoded strings stay in the young generation).
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  for await (const chunk of stream) take(decoder.write(chunk as Buffer));
  take(decoder.end());
  if (tooLong) onLong(++line);
  else if (carry) emit(carry);
}

const isBlank = (text: string): boolean => {
  if (text.length === 0) return true;
  const c = text.charCodeAt(0);
  return (c === 32 || c === 9 || c === 13 || c === 0xfeff) && text.trim() === "";
};

/** V8's JSON.parse message without the position, and the column the position gives. */
function jsonError(error: unknown, text: string): { message: string; column: number } {
  const raw = error instanceof Error ? error.message : String(error);
  const m = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(raw);
  if (m) return { message: raw.replace(m[0], ""), column: Number(m[1]) + 1 };
  return { message: raw, column: raw.startsWith("Unexpected end of JSON input") ? text.trimEnd().length + 1 : 1 };
}

// ── The check ───────────────────────────────────────────────────────────────

/**
 * Checks a JSONL dataset against graders: every `item.*` template path some rows lack
 * (`unknown-variable`), every declared `item` field some rows lack or hold with another type, every
 * line that is not a JSON object, and an empty dataset (`dataset`). The file is streamed; memory
 * does not grow with it. Several graders are checked in one pass. Rejects only when the file
 * cannot be read.
 */
export async function checkDataset(
  graders: DatasetGrader | readonly DatasetGrader[],
  datasetPath: string,
  options: DatasetOptions = {},
): Promise<Diagnostic[]> {
  const label = options.label ?? datasetPath;
  const maxMalformed = options.maxMalformed ?? DEFAULT_MAX_MALFORMED;
  const list = Array.isArray(graders) ? (graders as readonly DatasetGrader[]) : [graders as DatasetGrader];

  const paths = new Map<string, PathStat>();
  const plans = list.map((g) => planGrader(g, paths));
  const pathStats = [...paths.values()];
  const declared = plans.flatMap((p) => (p.declared ? [p.declared] : []));

  const compiled = pathStats.map((stat) => ({ stat, path: compilePath(stat.segments) }));
  const checkers = declared.map(compileChecker);

  const datasetFindings: Diagnostic[] = [];
  const at = (location: Location): Pick<Diagnostic, "file" | "span" | "location"> => ({ file: label, span: NO_SPAN, location });
  let malformed = 0;
  const badLine = (line: number, column: number, message: string, suggestion?: string): void => {
    malformed++;
    if (malformed <= maxMalformed) {
      datasetFindings.push({ rule: RULE, severity: "error", message, ...at({ line, column }), ...(suggestion ? { suggestion } : {}) });
    } else if (malformed === maxMalformed + 1) {
      datasetFindings.push({ rule: RULE, severity: "error", message: "", ...at({ line, column: 1 }) }); // the summary, completed below
    }
  };

  let rows = 0;
  // Rows shaped like `grade eval`'s (`{"item": {...}, "sample": {...}}`), given to `--items`.
  let evalShaped = 0;
  const onRow = (row: JsonObject, line: number): void => {
    const n = rows++;
    if (isObject(row["item"]) && Object.keys(row).every((k) => k === "item" || k === "sample")) evalShaped++;
    for (let p = 0; p < compiled.length; p++) {
      const { stat, path } = compiled[p]!;
      const missing = lookup(row, path);
      if (missing === undefined) continue;
      stat.missing.add(n, line);
      stat.failAt[missing.at]!++;
      if (typeof path.keys[missing.at] === "string" && isObject(missing.parent)) {
        let keys = stat.keysAt.get(missing.at);
        if (!keys) stat.keysAt.set(missing.at, (keys = new Map()));
        for (const k in missing.parent) {
          const seen = keys.get(k);
          if (seen !== undefined) keys.set(k, seen + 1);
          else if (keys.size < MAX_KEYS) keys.set(k, 1);
        }
      }
    }
    for (let c = 0; c < checkers.length; c++) checkers[c]!(row, n, line);
  };

  await eachLine(
    datasetPath,
    options.maxLineLength ?? DEFAULT_MAX_LINE,
    (text, line) => {
      if (isBlank(text)) return;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        const { message, column } = jsonError(error, text);
        badLine(line, column, `this line is not valid JSON: ${message}`, "each line of a dataset is one JSON object (a row), written on one line");
        return;
      }
      if (isObject(value)) onRow(value, line);
      else {
        const what = Array.isArray(value) ? "a JSON list" : value === null ? "JSON null" : `a JSON ${typeof value}`;
        badLine(line, 1, `this line is ${what}, not an object; each line of a dataset is one row, a JSON object`);
      }
    },
    (line) => badLine(line, 1, `this line is longer than ${thousands(options.maxLineLength ?? DEFAULT_MAX_LINE)} characters; it was skipped`),
  );

  if (malformed > maxMalformed) {
    const summary = datasetFindings[datasetFindings.length - 1]!;
    datasetFindings[datasetFindings.length - 1] = {
      ...summary,
      message: `${thousands(malformed)} lines in all are not JSON objects; only the first ${thousands(maxMalformed)} are reported one by one`,
    };
  }
  if (rows === 0) {
    // With lines that are not rows, their findings say it all.
    if (malformed > 0) return datasetFindings;
    datasetFindings.push({
      rule: RULE,
      severity: "warning",
      message: "the dataset has no rows, so nothing was checked against it",
      ...at({ line: 1, column: 1 }),
      suggestion: "give a JSONL file: one JSON object a line, whose keys are the `item` fields",
    });
    return datasetFindings;
  }

  // Every row is an eval row, and no template reads `item.item...`: the file is a `grade eval`
  // dataset. One finding says so, instead of every path "missing in every row".
  const readsNested = pathStats.some((stat) => stat.path.startsWith("item.item") || stat.path.startsWith("item.sample"));
  if (evalShaped === rows && !readsNested) {
    return [
      {
        rule: RULE,
        severity: "error",
        message: `these rows are \`grade eval\` rows (\`{"item": ..., "sample": ...}\`), not items: \`--items\` takes one item a line`,
        ...at({ line: 1, column: 1 }),
        suggestion: `check their items: \`jq -c .item ${shellWord(label)} > items.jsonl\`, then \`--items items.jsonl\` (or grade them as they are: \`grade eval <grader> --data ${shellWord(label)}\`)`,
      },
      ...datasetFindings,
    ];
  }

  const graderFindings: Diagnostic[] = [];
  for (const plan of plans) {
    const file = plan.file === undefined ? {} : { file: plan.file };
    for (const { stat, spans } of plan.refs.values()) {
      if (stat.missing.count === 0) continue;
      const [span, ...others] = spans as [A.Span, ...A.Span[]];
      graderFindings.push({
        rule: UNKNOWN_VARIABLE,
        severity: "error",
        message: `\`${stat.path}\` is missing ${howMany(stat.missing, rows)}`,
        ...file,
        span,
        ...(others.length ? { related: others.map((s) => ({ message: `\`${stat.path}\` is also used here`, span: s })) } : {}),
        ...suggestFor(stat, rows),
      });
    }
    if (!plan.declared) continue;
    for (const f of allFields(plan.declared)) {
      if (f.missing.count === 0) continue;
      graderFindings.push({
        rule: RULE,
        severity: "error",
        message: `declared \`${f.label}\` is missing ${howMany(f.missing, rows)}`,
        ...file,
        span: f.field.key.span,
        suggestion: `mark it optional (\`${f.field.key.name}?: ...\`) if rows may lack it, or add it to every row`,
      });
    }
    for (const t of allTypes(plan.declared)) {
      if (t.mismatches.size === 0) continue;
      const parts = [...t.mismatches].map(([what, tally], i) => {
        const example = "example" in tally && tally.example ? ` (${tally.example})` : "";
        return `${i === 0 ? "" : "; "}${what} ${howMany(tally, rows)}${example}`;
      });
      graderFindings.push({
        rule: RULE,
        severity: "error",
        message: `\`${t.label}\` is declared \`${t.declared}\` but is ${parts.join("")}`,
        ...file,
        span: t.type.span,
      });
    }
  }
  return [...sortDiagnostics(graderFindings), ...datasetFindings];
}

/**
 * "did you mean `item.reference`? (present in all rows)": a close key that the rows lacking the
 * path do have. When only a few rows lack it, the rows are more likely wrong than the template.
 */
function suggestFor(stat: PathStat, rows: number): Pick<Diagnostic, "suggestion" | "replacement"> {
  // The segment most rows fail at.
  let at = 0;
  stat.failAt.forEach((n, i) => void (n > (stat.failAt[at] ?? 0) && (at = i)));
  const segment = stat.segments[at];
  const keys = stat.keysAt.get(at);
  if (segment?.kind !== "field" || !keys || keys.size === 0) return {};
  const prefix = stat.segments.slice(0, at);
  const failing = stat.failAt[at]!;
  const everyRow = stat.missing.count === rows;
  const near = closest(segment.name, keys.keys());
  if (near === undefined) {
    if (!everyRow || keys.size > 8) return {};
    const where = prefix.length ? `\`${printTemplatePath("item", prefix)}\` has` : "the rows have";
    return { suggestion: `${where} ${listOf([...keys.keys()], "and")}` };
  }
  const fixed = printTemplatePath("item", [...prefix, { kind: "field", name: near }, ...stat.segments.slice(at + 1)]);
  const count = keys.get(near) ?? 0;
  if (!everyRow && stat.missing.count * 2 < rows) {
    return { suggestion: `the rows that lack it have \`${fixed}\` instead (${thousands(count)} of ${thousands(failing)}); fix them in the dataset?` };
  }
  const present = everyRow
    ? count === rows
      ? "all rows"
      : `${thousands(count)} of ${thousands(rows)} rows`
    : count === failing
      ? "every row that lacks it"
      : `${thousands(count)} of the ${thousands(failing)} rows that lack it`;
  return { suggestion: `did you mean \`${fixed}\`? (present in ${present})`, replacement: fixed };
}
