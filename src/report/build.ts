import type { ResultRecord } from "../eval/summary.js";
import type { Results } from "./results.js";
import { flagsOf } from "./results.js";
import {
  bootstrap,
  cohenKappa,
  histogram,
  kendallTauB,
  mcnemar,
  mean,
  pearson,
  quantileNearest,
  spearman,
  std,
  type Bin,
  type Interval,
  type McNemar,
} from "./stats.js";

/*
 * The data of a report page, computed here so the page only draws it: the run, the summary
 * figures, the sub-graders, and the rows as columns (one array a field: compact to embed, quick to
 * filter). `runReport` for one results file, `diffReport` for two (paired by row, or by id).
 */

/** What the page shows about the grader and the data, beyond the results header. */
export interface RunContext {
  /** The .grade (or JSON) text of the grader, when its file is there. */
  readonly graderSource?: string | undefined;
  readonly graderType?: string | undefined;
  readonly graderName?: string | undefined;
  /** The grader's pass_threshold (evals), when it has one. */
  readonly passThreshold?: number | undefined;
  /** The dataset rows by line number (item and sample), when the data could be joined. */
  readonly dataRows?: ReadonlyMap<number, { item: unknown; sample: unknown }> | undefined;
  /** Why item and sample are not shown, when they are not. */
  readonly joinNote?: string | undefined;
  /** When the results file was last written (ISO). */
  readonly modified?: string | undefined;
}

export interface RunInfoData {
  readonly results: string;
  readonly grader: { readonly file: string; readonly sha256: string; readonly type?: string | undefined; readonly name?: string | undefined; readonly source?: string | undefined };
  readonly data: { readonly file: string; readonly sha256: string; readonly rows: number; readonly bytes: number };
  readonly engine: string;
  readonly done: number;
  readonly seconds: number;
  readonly modified: string;
  readonly joined: boolean;
  readonly joinNote: string;
}

export interface Summary {
  readonly graded: number;
  readonly malformed: number;
  readonly failed: number;
  readonly flagged: number;
  readonly mean: number | null;
  readonly std: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly p10: number | null;
  readonly p25: number | null;
  readonly p50: number | null;
  readonly p75: number | null;
  readonly p90: number | null;
  readonly threshold: number;
  readonly passRate: number | null;
  readonly histogram: readonly Bin[];
  readonly flags: readonly { readonly name: string; readonly count: number }[];
}

/** Bits of the flags column beyond the error flags (at most 29 of those). */
export const MALFORMED_BIT = 1 << 29;
export const FAILED_BIT = 1 << 30;

/** Table text is cut here; the full text (up to FULL_TEXT) goes to the row's detail. */
const CELL_TEXT = 160;
const FULL_TEXT = 20_000;

const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function sampleText(sample: unknown): string {
  if (typeof sample === "string") return sample;
  if (sample && typeof sample === "object" && typeof (sample as Record<string, unknown>)["output_text"] === "string") {
    const { output_text: text, ...rest } = sample as Record<string, unknown>;
    return Object.keys(rest).length ? `${text as string}\n${JSON.stringify(rest)}` : (text as string);
  }
  return sample === undefined ? "" : JSON.stringify(sample);
}

/** The rewards' scale's default pass threshold: 0.5 on 0..1, else the middle of the range seen. */
export function defaultThreshold(rewards: ArrayLike<number>): number {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < rewards.length; i++) {
    if (rewards[i]! < low) low = rewards[i]!;
    if (rewards[i]! > high) high = rewards[i]!;
  }
  if (!Number.isFinite(low) || (low >= 0 && high <= 1)) return 0.5;
  return (low + high) / 2;
}

/** Ten bins: tenths of 0..1 when every value lies there (as `grade eval` prints), else of min..max. */
function bins(values: Float64Array): Bin[] {
  if (values.length === 0) return [];
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return histogram(values, 10, low >= 0 && high <= 1 ? [0, 1] : [low, high]);
}

function runInfo(results: Results, context: RunContext): RunInfoData {
  const { header } = results;
  let seconds = 0;
  for (const r of results.rows) if (typeof r.execution_time === "number" && Number.isFinite(r.execution_time)) seconds += r.execution_time;
  return {
    results: results.file,
    grader: { file: header.grader?.file ?? "?", sha256: header.grader?.sha256 ?? "?", type: context.graderType, name: context.graderName, source: context.graderSource },
    data: { file: header.data?.file ?? "?", sha256: header.data?.sha256 ?? "?", rows: header.data?.rows ?? results.rows.length, bytes: header.data?.bytes ?? 0 },
    engine: header.engine ?? "?",
    done: results.rows.length,
    seconds,
    modified: context.modified ?? "",
    joined: context.dataRows !== undefined,
    joinNote: context.joinNote ?? "not shown",
  };
}

export interface RunReport {
  readonly kind: "run";
  readonly title: string;
  readonly run: RunInfoData;
  readonly summary: Summary;
  readonly subs: readonly { name: string; mean: number | null; std: number | null; pearson: number | null; spearman: number | null; histogram: readonly Bin[] }[];
  readonly flagNames: readonly string[];
  readonly agreement?: object | undefined;
  readonly columns: {
    readonly row: number[];
    readonly id: (string | number | null)[] | null;
    readonly reward: (number | null)[];
    readonly sub: (number | null)[][];
    readonly flags: number[];
    readonly error: (string | null)[];
    readonly time: (number | null)[];
    readonly sample: (string | null)[] | null;
    readonly sampleFull: (string | null)[] | null;
    readonly item: (string | null)[] | null;
    readonly itemFull: (string | null)[] | null;
    readonly extra: (string | null)[];
  };
}

const KNOWN_FIELDS = new Set(["row", "id", "reward", "sub_rewards", "execution_time", "error", "error_kind"]);

/** What a row's detail shows beyond the columns: error details, model output, token usage. */
function extraOf(record: ResultRecord): string | null {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (KNOWN_FIELDS.has(k)) continue;
    if (k === "errors" && v && typeof v === "object" && Object.keys(v).length === 0) continue;
    rest[k] = v;
  }
  return Object.keys(rest).length ? cut(JSON.stringify(rest, null, 2), FULL_TEXT) : null;
}

export function runReport(results: Results, context: RunContext, options: { threshold?: number | undefined; title?: string | undefined; agreement?: object | undefined } = {}): RunReport {
  const rows = results.rows;
  // The error flags, most frequent first.
  const flagCounts = new Map<string, number>();
  for (const r of rows) for (const f of flagsOf(r)) flagCounts.set(f, (flagCounts.get(f) ?? 0) + 1);
  const flagNames = [...flagCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([f]) => f).slice(0, 29);
  const flagBit = new Map(flagNames.map((f, i) => [f, 1 << i]));
  // The sub-graders, in the order first seen.
  const subNames: string[] = [];
  for (const r of rows) {
    const subs = r["sub_rewards"];
    if (subs && typeof subs === "object") for (const k of Object.keys(subs)) if (!subNames.includes(k)) subNames.push(k);
  }

  const joined = context.dataRows;
  const columns: RunReport["columns"] = {
    row: [],
    id: rows.some((r) => r.id !== undefined) ? [] : null,
    reward: [],
    sub: subNames.map(() => []),
    flags: [],
    error: [],
    time: [],
    sample: joined ? [] : null,
    sampleFull: joined ? [] : null,
    item: joined ? [] : null,
    itemFull: joined ? [] : null,
    extra: [],
  };
  const rewards: number[] = [];
  let malformed = 0;
  let failed = 0;
  let flagged = 0;
  for (const r of rows) {
    columns.row.push(r.row);
    columns.id?.push(r.id ?? null);
    const reward = typeof r.reward === "number" ? r.reward : null;
    columns.reward.push(reward);
    if (reward !== null) rewards.push(reward);
    const subs = (r["sub_rewards"] ?? {}) as Record<string, unknown>;
    subNames.forEach((name, k) => columns.sub[k]!.push(typeof subs[name] === "number" ? (subs[name] as number) : null));
    let mask = 0;
    for (const f of flagsOf(r)) mask |= flagBit.get(f) ?? 0;
    if (mask) flagged++;
    if (r.error_kind === "malformed") {
      mask |= MALFORMED_BIT;
      malformed++;
    } else if (r.error_kind !== undefined || reward === null) {
      mask |= FAILED_BIT;
      failed++;
    }
    columns.flags.push(mask);
    columns.error.push(typeof r.error === "string" ? cut(r.error, FULL_TEXT) : null);
    columns.time.push(typeof r.execution_time === "number" ? r.execution_time : null);
    if (joined) {
      const row = joined.get(r.row);
      const sample = row ? sampleText(row.sample) : "";
      const item = row?.item !== undefined ? JSON.stringify(row.item) : "";
      columns.sample!.push(sample ? cut(sample, CELL_TEXT) : null);
      columns.sampleFull!.push(sample.length > CELL_TEXT ? cut(sample, FULL_TEXT) : null);
      columns.item!.push(item ? cut(item, CELL_TEXT) : null);
      // The page pretty-prints an item that is whole in its cell; only a cut one is sent again, whole.
      columns.itemFull!.push(item.length > CELL_TEXT ? cut(JSON.stringify(row?.item, null, 2), FULL_TEXT) : null);
    }
    columns.extra.push(extraOf(r));
  }
  const values = Float64Array.from(rewards);
  const sorted = Float64Array.from(values).sort();
  const threshold = options.threshold ?? context.passThreshold ?? defaultThreshold(values);
  let passed = 0;
  for (const v of values) if (v >= threshold) passed++;
  const q = (p: number) => (sorted.length ? quantileNearest(sorted, p) : null);

  // Sub-graders: each one's distribution, and its correlation with the final reward (rows with both).
  const subs = subNames.map((name, k) => {
    const xs: number[] = [];
    const ys: number[] = [];
    columns.sub[k]!.forEach((v, i) => {
      if (v !== null && columns.reward[i] !== null) {
        xs.push(v);
        ys.push(columns.reward[i]!);
      }
    });
    const sub = Float64Array.from(columns.sub[k]!.filter((v): v is number => v !== null));
    return {
      name,
      mean: nullable(mean(sub)),
      std: nullable(std(sub)),
      pearson: nullable(pearson(xs, ys)),
      spearman: nullable(spearman(xs, ys)),
      histogram: bins(sub),
    };
  });

  return {
    kind: "run",
    title: options.title ?? `grade report: ${results.header.grader?.file ?? results.file}`,
    run: runInfo(results, context),
    summary: {
      graded: values.length,
      malformed,
      failed,
      flagged,
      mean: values.length ? mean(values) : null,
      std: values.length ? std(values) : null,
      min: values.length ? sorted[0]! : null,
      max: values.length ? sorted[sorted.length - 1]! : null,
      p10: q(0.1),
      p25: q(0.25),
      p50: q(0.5),
      p75: q(0.75),
      p90: q(0.9),
      threshold,
      passRate: values.length ? passed / values.length : null,
      histogram: bins(values),
      flags: flagNames.map((name) => ({ name, count: flagCounts.get(name)! })),
    },
    subs,
    flagNames,
    agreement: options.agreement,
    columns,
  };
}

/** The user's mistake in words (exit 2). */
export class CompareError extends Error {}

export interface DiffFigures {
  readonly pairs: number;
  readonly unpaired: { readonly a: number; readonly b: number };
  /** Paired rows where a side has no reward (failed or malformed): left out of the figures. */
  readonly noReward: number;
  readonly threshold: number;
  readonly meanA: number | null;
  readonly meanB: number | null;
  /** Mean of B − A, with a paired bootstrap 95% interval. */
  readonly meanDifference: Interval;
  readonly pearson: number | null;
  readonly spearman: number | null;
  readonly kendall: number | null;
  /** Cohen's κ of pass/fail A against pass/fail B. */
  readonly kappa: number | null;
  readonly passA: number | null;
  readonly passB: number | null;
  readonly mcnemar: McNemar;
  /** Rows whose reward or pass/fail changed. */
  readonly changed: number;
  readonly bootstrap: { readonly resamples: number; readonly seed: number };
}

export interface DiffReport {
  readonly kind: "diff";
  readonly title: string;
  readonly pairing: "row" | "id";
  readonly a: RunInfoData;
  readonly b: RunInfoData;
  readonly figures: DiffFigures;
  readonly columns: {
    readonly row: number[];
    readonly rowB: number[];
    readonly id: (string | number | null)[] | null;
    readonly a: number[];
    readonly b: number[];
    readonly delta: number[];
    readonly passA: boolean[];
    readonly passB: boolean[];
    readonly extraA: (string | null)[];
    readonly extraB: (string | null)[];
  };
}

export interface DiffOptions {
  readonly by?: "row" | "id" | undefined;
  readonly threshold?: number | undefined;
  readonly resamples?: number | undefined;
  readonly seed?: number | undefined;
  readonly title?: string | undefined;
}

function byId(results: Results, side: string): Map<string, ResultRecord> {
  const map = new Map<string, ResultRecord>();
  for (const r of results.rows) {
    if (r.id === undefined) throw new CompareError(`--by id: row ${r.row} of \`${results.file}\` (${side}) has no id (the dataset's rows need an "id")`);
    const key = String(r.id);
    if (map.has(key)) throw new CompareError(`--by id: id ${JSON.stringify(r.id)} is in \`${results.file}\` (${side}) twice (rows ${map.get(key)!.row} and ${r.row}); ids must be unique to pair rows`);
    map.set(key, r);
  }
  return map;
}

export function diffReport(a: Results, b: Results, contextA: RunContext, contextB: RunContext, options: DiffOptions = {}): DiffReport {
  const pairing = options.by ?? "row";
  if (pairing === "row" && a.header.data?.sha256 !== b.header.data?.sha256) {
    throw new CompareError(
      `\`${a.file}\` and \`${b.file}\` are results for different datasets (${a.header.data?.file ?? "?"}, sha256 ${String(a.header.data?.sha256).slice(0, 12)}…; ${b.header.data?.file ?? "?"}, sha256 ${String(b.header.data?.sha256).slice(0, 12)}…): rows cannot be paired by number; give --by id to pair them by the rows' "id"`,
    );
  }
  const pairs: [ResultRecord, ResultRecord][] = [];
  let onlyA = 0;
  let onlyB: number;
  if (pairing === "row") {
    const rowsB = new Map(b.rows.map((r) => [r.row, r]));
    for (const r of a.rows) {
      const other = rowsB.get(r.row);
      if (other) {
        pairs.push([r, other]);
        rowsB.delete(r.row);
      } else onlyA++;
    }
    onlyB = rowsB.size;
  } else {
    const idsA = byId(a, "A");
    const idsB = byId(b, "B");
    for (const [key, r] of idsA) {
      const other = idsB.get(key);
      if (other) {
        pairs.push([r, other]);
        idsB.delete(key);
      } else onlyA++;
    }
    onlyB = idsB.size;
  }
  const scored = pairs.filter(([x, y]) => typeof x.reward === "number" && typeof y.reward === "number");
  const noReward = pairs.length - scored.length;
  const xa = Float64Array.from(scored, ([x]) => x.reward as number);
  const xb = Float64Array.from(scored, ([, y]) => y.reward as number);
  const all = new Float64Array(xa.length * 2);
  all.set(xa);
  all.set(xb, xa.length);
  const threshold = options.threshold ?? contextA.passThreshold ?? defaultThreshold(all);
  const passA = Array.from(xa, (v) => v >= threshold);
  const passB = Array.from(xb, (v) => v >= threshold);
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const n = xa.length;
  const meanDifference = bootstrap(
    n,
    (idx) => {
      let s = 0;
      for (let i = 0; i < idx.length; i++) s += xb[idx[i]!]! - xa[idx[i]!]!;
      return idx.length ? s / idx.length : NaN;
    },
    { resamples, seed },
  );
  const label = (p: boolean) => (p ? "pass" : "fail");
  const kappa = cohenKappa(passA.map(label), passB.map(label), "none", ["pass", "fail"]);
  const delta = Array.from(xa, (v, i) => xb[i]! - v);
  let changed = 0;
  for (let i = 0; i < n; i++) if (delta[i] !== 0 || passA[i] !== passB[i]) changed++;
  const count = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : null);
  const hasIds = scored.some(([x]) => x.id !== undefined);
  return {
    kind: "diff",
    title: options.title ?? `grade report: ${a.file} versus ${b.file}`,
    pairing,
    a: runInfo(a, contextA),
    b: runInfo(b, contextB),
    figures: {
      pairs: n,
      unpaired: { a: onlyA, b: onlyB },
      noReward,
      threshold,
      meanA: n ? mean(xa) : null,
      meanB: n ? mean(xb) : null,
      meanDifference,
      pearson: nullable(pearson(xa, xb)),
      spearman: nullable(spearman(xa, xb)),
      kendall: nullable(kendallTauB(xa, xb)),
      kappa: nullable(kappa),
      passA: count(passA),
      passB: count(passB),
      mcnemar: mcnemar(passA, passB),
      changed,
      bootstrap: { resamples, seed },
    },
    columns: {
      row: scored.map(([x]) => x.row),
      rowB: scored.map(([, y]) => y.row),
      id: hasIds ? scored.map(([x]) => x.id ?? null) : null,
      a: Array.from(xa),
      b: Array.from(xb),
      delta,
      passA,
      passB,
      extraA: scored.map(([x]) => extraOf(x)),
      extraB: scored.map(([, y]) => extraOf(y)),
    },
  };
}

const interval = (i: Interval) => ({ estimate: nullable(i.estimate), low: nullable(i.low), high: nullable(i.high) });

/** The comparison's figures as JSON (`grade report a b --json`), with the changed rows by |Δ|. */
export function diffJson(report: DiffReport, top = 20): object {
  const f = report.figures;
  const c = report.columns;
  const order = c.delta.map((_, i) => i).filter((i) => c.delta[i] !== 0 || c.passA[i] !== c.passB[i]);
  order.sort((i, j) => Math.abs(c.delta[j]!) - Math.abs(c.delta[i]!) || c.row[i]! - c.row[j]!);
  return {
    a: report.a.results,
    b: report.b.results,
    paired_by: report.pairing,
    pairs: f.pairs,
    unpaired: f.unpaired,
    no_reward: f.noReward,
    threshold: f.threshold,
    mean_a: f.meanA,
    mean_b: f.meanB,
    mean_difference: interval(f.meanDifference),
    pass_rate_a: f.passA,
    pass_rate_b: f.passB,
    mcnemar: { b: f.mcnemar.b, c: f.mcnemar.c, p_exact: f.mcnemar.pExact, chi2: f.mcnemar.chi2, p_chi2: f.mcnemar.pChi2 },
    pearson: f.pearson,
    spearman: f.spearman,
    kendall_tau_b: f.kendall,
    kappa: f.kappa,
    changed: f.changed,
    largest_changes: order.slice(0, top).map((i) => ({
      row: c.row[i],
      ...(report.pairing === "id" ? { row_b: c.rowB[i] } : {}),
      ...(c.id && c.id[i] !== null ? { id: c.id[i] } : {}),
      a: c.a[i],
      b: c.b[i],
      delta: c.delta[i],
      pass_a: c.passA[i],
      pass_b: c.passB[i],
    })),
    bootstrap: { resamples: f.bootstrap.resamples, seed: f.bootstrap.seed, level: 0.95 },
  };
}

/** The run's summary as JSON (`grade report results.jsonl --json`). */
export function runJson(report: RunReport): object {
  const { columns: _columns, flagNames: _flags, ...rest } = report;
  return rest;
}
