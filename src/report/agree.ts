import type { ResultRecord } from "../eval/summary.js";
import type { LabelValue, Labels } from "./labels.js";
import {
  bootstrap,
  cohenKappa,
  confusion,
  kendallTauB,
  meanAbsoluteError,
  pearson,
  pick,
  pickNumbers,
  spearman,
  type Confusion,
  type Interval,
} from "./stats.js";

/*
 * Judge versus humans: the results of a model grader (the judge) paired with people's labels of
 * the same rows, and how far they agree, each figure with a paired bootstrap 95% interval.
 *
 *   score: the human values are numbers — Pearson, Spearman, Kendall τ-b, mean absolute error,
 *          and Cohen's κ on pass/fail after the threshold (both sides); when both sides are whole
 *          numbers on a small scale (≤ 11 values, e.g. 1–5), weighted κ (linear, quadratic) on it.
 *   label: the human values are labels — Cohen's κ and a confusion matrix, of the judge's label
 *          (a result's "label") against the human one; weighted κ when an order is given. Without
 *          the judge's label (the results hold its reward only) the comparison is on pass/fail:
 *          the judge passes at reward ≥ threshold, a human label passes when it is true, "pass",
 *          or one of `passing`.
 */

export type Mode = "score" | "label";

export interface AgreeOptions {
  /** Pass at or above (default 0.5). */
  readonly threshold?: number;
  /** The human side's threshold when its scale differs (default: threshold). */
  readonly labelThreshold?: number;
  /** The ordinal order of labels (enables weighted κ for labels). */
  readonly order?: readonly string[];
  /** Human labels that pass, for a judge known by its reward only. */
  readonly passing?: readonly string[];
  readonly resamples?: number;
  readonly seed?: number;
  /** Rows of the largest disagreement to list (default 10). */
  readonly top?: number;
}

export interface Pair {
  readonly row: number;
  readonly id?: string | number | undefined;
  readonly judge: number | string;
  readonly human: number | string;
  /** |judge − human| for scores, the distance in the order for ordered labels, 1 for any other disagreement. */
  readonly difference: number;
}

export interface KappaFigures {
  readonly kappa: Interval;
  readonly linear?: Interval | undefined;
  readonly quadratic?: Interval | undefined;
  readonly confusion: Confusion;
  /** Share of pairs with the same category. */
  readonly accuracy: number;
}

export interface Agreement {
  readonly mode: Mode;
  readonly labels: string;
  readonly pairs: number;
  /** Results rows with no label, rows without a reward (failed, malformed), labels with no result. */
  readonly unmatched: { readonly unlabelled: number; readonly noReward: number; readonly orphanLabels: number };
  /** Pass/fail was compared (a judge known by its reward only). */
  readonly passFail: boolean;
  readonly threshold: number;
  readonly labelThreshold: number;
  readonly score?: {
    readonly pearson: Interval;
    readonly spearman: Interval;
    readonly kendall: Interval;
    readonly mae: Interval;
    readonly judgeMean: number;
    readonly humanMean: number;
    /** Weighted κ over the whole-number scale (both sides whole numbers, ≤ 11 values). */
    readonly ordinal?: KappaFigures | undefined;
  };
  /** κ of the categories: the labels, or pass/fail (after the threshold for scores). */
  readonly kappa: KappaFigures;
  readonly disagreements: readonly Pair[];
  readonly resamples: number;
  readonly seed: number;
}

/** The user's mistake in words (exit 2). */
export class AgreeError extends Error {}

const PASS = "pass";
const FAIL = "fail";

function humanPass(value: LabelValue, options: AgreeOptions, threshold: number): string {
  if (typeof value === "boolean") return value ? PASS : FAIL;
  if (typeof value === "number") return value >= threshold ? PASS : FAIL;
  if (options.passing) return options.passing.includes(value) ? PASS : FAIL;
  const lower = value.toLowerCase();
  if (lower === "pass" || lower === "passed" || lower === "true" || lower === "yes") return PASS;
  if (lower === "fail" || lower === "failed" || lower === "false" || lower === "no") return FAIL;
  throw new AgreeError(
    `the human label ${JSON.stringify(value)} is not pass/fail, and the results hold the judge's reward only (no "label"): give --passing <labels> (the human labels that pass, comma-separated)`,
  );
}

function kappaFigures(a: readonly string[], b: readonly string[], order: readonly string[] | undefined, weighted: boolean, boot: { resamples: number; seed: number }): KappaFigures {
  const matrix = confusion(a, b, order);
  const categories = matrix.categories;
  const k = (w: "none" | "linear" | "quadratic", seed: number) =>
    bootstrap(a.length, (i) => cohenKappa(pick(a, i), pick(b, i), w, categories), { resamples: boot.resamples, seed });
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return {
    kappa: k("none", boot.seed),
    linear: weighted ? k("linear", boot.seed + 1) : undefined,
    quadratic: weighted ? k("quadratic", boot.seed + 2) : undefined,
    confusion: matrix,
    accuracy: a.length ? same / a.length : NaN,
  };
}

const SMALL_SCALE = 11;

export function agree(rows: readonly ResultRecord[], labels: Labels, options: AgreeOptions = {}): Agreement {
  // The default threshold: 0.5 for rewards in 0..1, else the middle of the scale the rewards span.
  let low = Infinity;
  let high = -Infinity;
  for (const r of rows) {
    if (typeof r.reward !== "number") continue;
    if (r.reward < low) low = r.reward;
    if (r.reward > high) high = r.reward;
  }
  const threshold = options.threshold ?? (low >= 0 && high <= 1 ? 0.5 : Number.isFinite(low) ? (low + high) / 2 : 0.5);
  const labelThreshold = options.labelThreshold ?? threshold;
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const boot = { resamples, seed };

  let unlabelled = 0;
  let noReward = 0;
  const usedIds = new Set<string>();
  const usedRows = new Set<number>();
  const matched: { record: ResultRecord; human: LabelValue }[] = [];
  for (const record of rows) {
    let human: LabelValue | undefined;
    if (record.id !== undefined && labels.byId.has(String(record.id))) {
      human = labels.byId.get(String(record.id));
      usedIds.add(String(record.id));
    } else if (labels.byRow.has(record.row)) {
      human = labels.byRow.get(record.row);
      usedRows.add(record.row);
    }
    if (human === undefined) {
      unlabelled++;
      continue;
    }
    if (typeof record.reward !== "number") {
      noReward++;
      continue;
    }
    matched.push({ record, human });
  }
  const orphanLabels = labels.byId.size - usedIds.size + (labels.byRow.size - usedRows.size);
  if (matched.length === 0) {
    throw new AgreeError(
      `no result has a label: ${labels.byId.size + labels.byRow.size} label${labels.byId.size + labels.byRow.size === 1 ? "" : "s"} in ${labels.source}, matched by "id" (when the results have ids) or "row" (the dataset's line number)${noReward ? `; ${noReward} labelled rows have no reward (failed or malformed)` : ""}`,
    );
  }
  const unmatched = { unlabelled, noReward, orphanLabels };
  const top = options.top ?? 10;
  const kinds = new Set(matched.map((m) => typeof m.human));
  if (kinds.size > 1) {
    throw new AgreeError(`the human labels mix ${[...kinds].map((k) => (k === "number" ? "numbers" : k === "string" ? "strings" : "true/false")).join(" and ")}: give one kind (numbers for scores, strings for labels)`);
  }
  const rowOf = (m: (typeof matched)[number]) => ({ row: m.record.row, ...(m.record.id !== undefined ? { id: m.record.id } : {}) });

  if (kinds.has("number")) {
    const judge = Float64Array.from(matched, (m) => m.record.reward as number);
    const human = Float64Array.from(matched, (m) => m.human as number);
    const n = judge.length;
    const figure = (f: (x: Float64Array, y: Float64Array) => number, s: number) =>
      bootstrap(n, (i) => f(pickNumbers(judge, i), pickNumbers(human, i)), { resamples, seed: s });
    const values = new Set([...judge, ...human]);
    const wholeScale = values.size <= SMALL_SCALE && [...values].every((v) => Number.isInteger(v));
    let ordinal: KappaFigures | undefined;
    if (wholeScale) {
      const order = [...values].sort((a, b) => a - b).map(String);
      ordinal = kappaFigures(Array.from(judge, String), Array.from(human, String), order, true, { resamples, seed: seed + 10 });
    }
    const passJudge = Array.from(judge, (v) => (v >= threshold ? PASS : FAIL));
    const passHuman = Array.from(human, (v) => (v >= labelThreshold ? PASS : FAIL));
    const pairs = matched.map((m) => ({ ...rowOf(m), judge: m.record.reward as number, human: m.human as number, difference: Math.abs((m.record.reward as number) - (m.human as number)) }));
    return {
      mode: "score",
      labels: labels.source,
      pairs: n,
      unmatched,
      passFail: true,
      threshold,
      labelThreshold,
      score: {
        pearson: figure(pearson, seed),
        spearman: figure(spearman, seed + 1),
        kendall: figure(kendallTauB, seed + 2),
        mae: figure(meanAbsoluteError, seed + 3),
        judgeMean: judge.reduce((s, v) => s + v, 0) / n,
        humanMean: human.reduce((s, v) => s + v, 0) / n,
        ordinal,
      },
      kappa: kappaFigures(passJudge, passHuman, [PASS, FAIL], false, { resamples, seed: seed + 4 }),
      disagreements: largest(pairs, top),
      resamples,
      seed,
    };
  }

  // Labels: the judge's own label when every result has one, else its pass/fail.
  const judgeLabels = matched.map((m) => m.record["label"]);
  const haveLabels = judgeLabels.every((l) => typeof l === "string");
  let judge: string[];
  let human: string[];
  let order: readonly string[] | undefined = options.order;
  if (haveLabels && kinds.has("string")) {
    judge = judgeLabels as string[];
    human = matched.map((m) => m.human as string);
    if (order) {
      const known = new Set(order);
      const stray = [...new Set([...judge, ...human])].filter((l) => !known.has(l));
      if (stray.length) throw new AgreeError(`--order does not name ${stray.map((s) => JSON.stringify(s)).join(", ")} (give every label, lowest first)`);
    }
  } else {
    judge = matched.map((m) => ((m.record.reward as number) >= threshold ? PASS : FAIL));
    human = matched.map((m) => humanPass(m.human, options, labelThreshold));
    order = [PASS, FAIL];
  }
  const passFail = !(haveLabels && kinds.has("string"));
  const position = order ? new Map(order.map((c, i) => [c, i])) : undefined;
  const pairs: Pair[] = matched.map((m, i) => ({
    ...rowOf(m),
    judge: judge[i]!,
    human: passFail ? human[i]! : (m.human as string),
    difference: judge[i] === human[i] ? 0 : position && !passFail ? Math.abs(position.get(judge[i]!)! - position.get(human[i]!)!) : 1,
  }));
  return {
    mode: "label",
    labels: labels.source,
    pairs: matched.length,
    unmatched,
    passFail,
    threshold,
    labelThreshold,
    kappa: kappaFigures(judge, human, order, options.order !== undefined && !passFail, boot),
    disagreements: largest(pairs, top),
    resamples,
    seed,
  };
}

/** The pairs that disagree most (largest difference first, then by row). */
function largest(pairs: readonly Pair[], top: number): Pair[] {
  return pairs
    .filter((p) => p.difference > 0)
    .sort((a, b) => b.difference - a.difference || a.row - b.row)
    .slice(0, top);
}

const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toFixed(3))) : "n/a");
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "n/a");
const ci = (i: Interval): string => (Number.isFinite(i.estimate) ? `${fmt(i.estimate)}  [95% CI ${fmt(i.low)} – ${fmt(i.high)}]` : "n/a (no variation)");

/** κ in words (Landis & Koch's bands), for a reader who does not know the scale. */
export function kappaBand(k: number): string {
  if (!Number.isFinite(k)) return "undefined";
  if (k < 0) return "worse than chance";
  if (k <= 0.2) return "slight";
  if (k <= 0.4) return "fair";
  if (k <= 0.6) return "moderate";
  if (k <= 0.8) return "substantial";
  return "almost perfect";
}

function matrixLines(matrix: Confusion): string[] {
  const names = matrix.categories;
  const corner = "judge \\ human";
  const first = Math.max(corner.length, ...names.map((n) => n.length)) + 2;
  const width = Math.max(4, ...names.map((n) => n.length), ...matrix.counts.flat().map((c) => String(c).length));
  const lines = [`${corner.padEnd(first)}${names.map((n) => n.padStart(width)).join("  ")}`];
  matrix.counts.forEach((row, i) => lines.push(`${names[i]!.padEnd(first)}${row.map((c) => String(c).padStart(width)).join("  ")}`));
  return lines.map((l) => `  ${l}`);
}

/** The agreement for a terminal. */
export function formatAgreement(a: Agreement, results: string): string {
  const lines: string[] = [];
  lines.push(`${a.pairs} rows paired: the judge (${results}) against the human labels (${a.labels})`);
  const left: string[] = [];
  if (a.unmatched.unlabelled) left.push(`${a.unmatched.unlabelled} results without a label`);
  if (a.unmatched.noReward) left.push(`${a.unmatched.noReward} labelled rows without a reward (failed or malformed)`);
  if (a.unmatched.orphanLabels) left.push(`${a.unmatched.orphanLabels} labels without a result`);
  if (left.length) lines.push(`left out: ${left.join(", ")}`);
  lines.push("");
  if (a.score) {
    const s = a.score;
    lines.push(`Pearson r     ${ci(s.pearson)}`);
    lines.push(`Spearman ρ    ${ci(s.spearman)}`);
    lines.push(`Kendall τ-b   ${ci(s.kendall)}`);
    lines.push(`mean |Δ|      ${ci(s.mae)}   (judge mean ${fmt(s.judgeMean)}, human mean ${fmt(s.humanMean)})`);
    if (s.ordinal) {
      lines.push(`weighted κ    linear ${ci(s.ordinal.linear!)}, quadratic ${ci(s.ordinal.quadratic!)}  (on the scale ${s.ordinal.confusion.categories.join(", ")})`);
      lines.push(`exact match   ${pct(s.ordinal.accuracy)} of rows`);
    }
    const at = a.threshold === a.labelThreshold ? `${a.threshold}` : `${a.threshold} (judge), ${a.labelThreshold} (human)`;
    lines.push(`Cohen's κ     ${ci(a.kappa.kappa)}  ${kappaBand(a.kappa.kappa.estimate)}, on pass/fail at ≥ ${at}`);
  } else {
    const what = a.passFail ? `on pass/fail (the judge passes at reward ≥ ${a.threshold})` : "on the labels";
    lines.push(`Cohen's κ     ${ci(a.kappa.kappa)}  ${kappaBand(a.kappa.kappa.estimate)}, ${what}`);
    if (a.kappa.linear) lines.push(`weighted κ    linear ${ci(a.kappa.linear)}, quadratic ${ci(a.kappa.quadratic!)}`);
  }
  lines.push(`agreement     ${pct(a.kappa.accuracy)} of rows${a.score ? " on pass/fail" : ""}`);
  lines.push("");
  lines.push(`confusion matrix${a.score && !a.score.ordinal ? ` (pass/fail at ≥ ${a.threshold})` : ""}: rows the judge, columns the humans`);
  lines.push(...matrixLines(a.score?.ordinal?.confusion ?? a.kappa.confusion));
  lines.push("");
  if (a.disagreements.length) {
    lines.push(`largest disagreements (${a.disagreements.length})`);
    for (const p of a.disagreements) {
      const who = p.id !== undefined ? `row ${p.row} (${String(p.id)})` : `row ${p.row}`;
      lines.push(`  ${who.padEnd(22)} judge ${String(typeof p.judge === "number" ? fmt(p.judge) : p.judge).padEnd(8)} human ${String(typeof p.human === "number" ? fmt(p.human) : p.human).padEnd(8)}${typeof p.judge === "number" ? ` |Δ| ${fmt(p.difference)}` : ""}`);
    }
  } else lines.push("no disagreement");
  lines.push("");
  lines.push(`intervals: paired bootstrap, ${a.resamples} resamples, seed ${a.seed}`);
  return `${lines.join("\n")}\n`;
}

const interval = (i: Interval) => ({ estimate: nullable(i.estimate), low: nullable(i.low), high: nullable(i.high) });
const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);
const kappaJson = (k: KappaFigures) => ({
  kappa: interval(k.kappa),
  ...(k.linear ? { weighted_linear: interval(k.linear) } : {}),
  ...(k.quadratic ? { weighted_quadratic: interval(k.quadratic) } : {}),
  accuracy: nullable(k.accuracy),
  confusion: { categories: k.confusion.categories, counts: k.confusion.counts, rows: "judge", columns: "human" },
});

/** The agreement as JSON (`--json`): NaN figures as null. */
export function agreementJson(a: Agreement, results: string): object {
  return {
    results,
    labels: a.labels,
    mode: a.mode,
    pass_fail: a.passFail,
    threshold: a.threshold,
    label_threshold: a.labelThreshold,
    pairs: a.pairs,
    unmatched: { unlabelled: a.unmatched.unlabelled, no_reward: a.unmatched.noReward, orphan_labels: a.unmatched.orphanLabels },
    ...(a.score
      ? {
          score: {
            pearson: interval(a.score.pearson),
            spearman: interval(a.score.spearman),
            kendall_tau_b: interval(a.score.kendall),
            mean_absolute_error: interval(a.score.mae),
            judge_mean: a.score.judgeMean,
            human_mean: a.score.humanMean,
            ...(a.score.ordinal ? { ordinal: kappaJson(a.score.ordinal) } : {}),
          },
        }
      : {}),
    kappa: kappaJson(a.kappa),
    disagreements: a.disagreements,
    bootstrap: { resamples: a.resamples, seed: a.seed, level: 0.95 },
  };
}
