import { createColors } from "picocolors";

/*
 * What `grade eval` counts while it runs and prints at the end: rows graded, malformed and
 * failed; the rewards' mean, spread and percentiles, and a histogram; how many rows set each error
 * flag; the slowest rows; the time and the rate. The rows of an earlier run found in the results
 * file count too, so a resumed run's summary covers the whole dataset.
 *
 * Memory: counters, the slowest few rows, the first few malformed ones, and the rewards themselves
 * (8 bytes a row, for exact percentiles) — never the rows.
 */

/** One line of the results file (see src/eval/results.ts for the shape). */
export interface ResultRecord {
  readonly row: number;
  readonly id?: string | number;
  /** null for a malformed or failed row. */
  readonly reward: number | null;
  /** The error flags that are set, with their companions (`*_details`, `*_type`); `{}` when none. */
  readonly errors?: { readonly [key: string]: unknown };
  readonly execution_time?: number;
  readonly error?: string;
  readonly error_kind?: "malformed" | "failed";
  readonly [key: string]: unknown;
}

export interface Slow {
  readonly row: number;
  readonly seconds: number;
}

const SLOWEST = 5;
/**
 * Rewards kept for exact percentiles and histogram (8 bytes each: 32 MB); past that many rows they
 * come from a uniform sample of this size, and the summary says so.
 */
export const MAX_KEPT = 4_000_000;
const EXAMPLES = 5;
const COMPANION = /_(details|type)$/;

export class Tally {
  /** Rows with a reward (error flags or not). */
  graded = 0;
  malformed = 0;
  failed = 0;
  /** Graded rows with at least one error flag set. */
  flagged = 0;
  /** Rows found in the results file from an earlier run. */
  earlier = 0;
  /** Rows finished in this run. */
  thisRun = 0;
  /** Error flag → rows that set it, and the first such row (lowest number). */
  readonly flags = new Map<string, { count: number; first: number }>();
  /** The first malformed and failed rows (lowest numbers), with their messages. */
  readonly problems: { row: number; kind: string; message: string }[] = [];
  readonly slowest: Slow[] = [];
  /** The rewards kept for percentiles and the histogram: all of them, or a uniform sample past MAX_KEPT. */
  private rewards: Float64Array;
  /** How many of `rewards` are filled. */
  private kept = 0;
  private mean = 0;
  private m2 = 0;
  private minimum = Infinity;
  private maximum = -Infinity;

  /**
   * `expected`: the rows the dataset holds, to size the rewards kept once (no copies as they grow);
   * `maxKept`: the size of the sample past which percentiles are estimated.
   */
  constructor(
    expected = 1024,
    private readonly maxKept = MAX_KEPT,
  ) {
    this.rewards = new Float64Array(Math.max(1, Math.min(expected, maxKept)));
  }

  /** How many rewards are kept for percentiles and the histogram. */
  get keptCount(): number {
    return this.kept;
  }

  /** True when the percentiles and the histogram come from a sample of the rewards (past MAX_KEPT rows). */
  get sampled(): boolean {
    return this.graded > this.kept;
  }

  /** Counts a result; `earlier` when it comes from the results file of a previous run. */
  add(record: ResultRecord, earlier = false): void {
    if (earlier) this.earlier++;
    else this.thisRun++;
    if (record.error_kind !== undefined || typeof record.reward !== "number") {
      if (record.error_kind === "malformed") this.malformed++;
      else this.failed++;
      this.problem(record.row, record.error_kind ?? "failed", record.error ?? "no reward");
      return;
    }
    const reward = record.reward;
    this.graded++;
    if (this.kept < this.rewards.length) this.rewards[this.kept++] = reward;
    else if (this.kept < this.maxKept) {
      const grown = new Float64Array(Math.min(this.maxKept, this.rewards.length * 2));
      grown.set(this.rewards);
      this.rewards = grown;
      this.rewards[this.kept++] = reward;
    } else {
      // Reservoir sampling: each reward seen so far stays in the sample with the same chance.
      const at = Math.floor(Math.random() * this.graded);
      if (at < this.maxKept) this.rewards[at] = reward;
    }
    const delta = reward - this.mean;
    this.mean += delta / this.graded;
    this.m2 += delta * (reward - this.mean);
    if (reward < this.minimum) this.minimum = reward;
    if (reward > this.maximum) this.maximum = reward;

    const errors = record.errors;
    if (errors) {
      let any = false;
      for (const key in errors) {
        if (errors[key] !== true || COMPANION.test(key)) continue;
        any = true;
        const known = this.flags.get(key);
        if (known) {
          known.count++;
          if (record.row < known.first) known.first = record.row;
        } else this.flags.set(key, { count: 1, first: record.row });
      }
      if (any) this.flagged++;
    }
    const seconds = record.execution_time;
    if (typeof seconds === "number" && Number.isFinite(seconds)) this.slow(record.row, seconds);
  }

  private slow(row: number, seconds: number): void {
    const list = this.slowest;
    if (list.length === SLOWEST && seconds <= list[SLOWEST - 1]!.seconds) return;
    let i = list.length;
    while (i > 0 && list[i - 1]!.seconds < seconds) i--;
    list.splice(i, 0, { row, seconds });
    if (list.length > SLOWEST) list.pop();
  }

  private problem(row: number, kind: string, message: string): void {
    const list = this.problems;
    if (list.length === EXAMPLES && row >= list[EXAMPLES - 1]!.row) return;
    let i = list.length;
    while (i > 0 && list[i - 1]!.row > row) i--;
    list.splice(i, 0, { row, kind, message });
    if (list.length > EXAMPLES) list.pop();
  }

  /** The mean reward so far (cheap: for the progress line), undefined before the first. */
  get meanReward(): number | undefined {
    return this.graded ? this.mean : undefined;
  }

  /** Rows finished, in this run and before. */
  get rows(): number {
    return this.graded + this.malformed + this.failed;
  }

  /** No row malformed, failed or flagged. */
  get clean(): boolean {
    return this.malformed === 0 && this.failed === 0 && this.flagged === 0;
  }

  /** Mean, standard deviation (population), min, p50, p90, max; undefined with no reward. */
  stats(): RewardStats | undefined {
    if (this.graded === 0) return undefined;
    const n = this.kept;
    // Sorted in place: the order of the kept rewards does not matter (nor to the sample).
    const sorted = this.rewards.subarray(0, n).sort();
    // Nearest rank: the smallest value with at least p of the rewards at or below it.
    const rank = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]!;
    return {
      mean: this.mean,
      std: Math.sqrt(this.m2 / this.graded),
      min: this.minimum,
      p50: rank(0.5),
      p90: rank(0.9),
      max: this.maximum,
    };
  }

  /**
   * Ten bins: tenths of 0..1 when every reward lies there, else tenths of min..max. Each bin holds
   * [from, to); the last one holds its upper bound too.
   */
  histogram(): Bin[] {
    const n = this.kept;
    if (n === 0) return [];
    /** Counts of a sample stand for all the rewards. */
    const scale = this.graded / n;
    const unit = this.minimum >= 0 && this.maximum <= 1;
    const low = unit ? 0 : this.minimum;
    const high = unit ? 1 : this.maximum;
    if (high === low) return [{ from: low, to: high, count: this.graded }];
    const bins = 10;
    const width = (high - low) / bins;
    const counts = new Array<number>(bins).fill(0);
    for (let i = 0; i < n; i++) {
      const at = Math.floor((this.rewards[i]! - low) / width + 1e-9);
      counts[Math.min(bins - 1, Math.max(0, at))]!++;
    }
    return counts.map((count, i) => ({
      from: round(low + i * width),
      to: round(i === bins - 1 ? high : low + (i + 1) * width),
      count: scale === 1 ? count : Math.round(count * scale),
    }));
  }
}

export interface RewardStats {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly max: number;
}

export interface Bin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** The context of the summary: what ran on what, how long, and how it ended. */
export interface RunInfo {
  readonly grader: string;
  readonly data: string;
  readonly engine: "local" | "remote";
  /** Rows in the dataset (blank lines not counted). */
  readonly total: number;
  readonly seconds: number;
  /** The results file, when there is one. */
  readonly out: string | undefined;
  /** The signal that stopped the run. */
  readonly interrupted?: "SIGINT" | "SIGTERM" | undefined;
  /** The failure that stopped the run (remote). */
  readonly stopped?: string | undefined;
}

const round = (x: number): number => Number(x.toPrecision(12));

/** A number in at most 4 significant digits: 0.5833, 12.5, 1. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(4)));
}

/** 12345 → "12,345". */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Seconds as "0.21 s", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function duration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

function rate(tally: Tally, info: RunInfo): number {
  return info.seconds > 0 ? tally.thisRun / info.seconds : 0;
}

/** The summary as an object (`--json`). */
export function summaryJson(tally: Tally, info: RunInfo): object {
  const stats = tally.stats();
  return {
    grader: info.grader,
    data: info.data,
    engine: info.engine,
    out: info.out ?? null,
    complete: tally.rows === info.total && !info.interrupted && !info.stopped,
    interrupted: info.interrupted ?? null,
    stopped: info.stopped ?? null,
    rows: {
      total: info.total,
      done: tally.rows,
      graded: tally.graded,
      flagged: tally.flagged,
      malformed: tally.malformed,
      failed: tally.failed,
      this_run: tally.thisRun,
      earlier: tally.earlier,
    },
    reward: stats ?? null,
    /** Percentiles and histogram from a uniform sample of MAX_KEPT rewards (mean, std, min, max stay exact). */
    sampled: tally.sampled,
    histogram: tally.histogram(),
    errors: Object.fromEntries([...tally.flags].sort((a, b) => b[1].count - a[1].count).map(([flag, v]) => [flag, v])),
    problems: tally.problems,
    slowest: tally.slowest,
    seconds: info.seconds,
    rows_per_second: rate(tally, info),
  };
}

const BAR = 30;

/** The summary for a terminal: aligned sections, a histogram of the rewards. */
export function formatSummary(tally: Tally, info: RunInfo, options: { color?: boolean } = {}): string {
  const c = createColors(options.color ?? false);
  const lines: string[] = [];
  const label = (name: string) => c.bold(name.padEnd(10));
  const pad = " ".repeat(10);

  const parts = [`${thousands(tally.graded)} graded`];
  if (tally.flagged) parts.push(`${thousands(tally.flagged)} with an error flag`);
  if (tally.malformed) parts.push(`${thousands(tally.malformed)} malformed`);
  if (tally.failed) parts.push(`${thousands(tally.failed)} failed`);
  let of = `${thousands(tally.rows)} of ${thousands(info.total)} rows`;
  if (tally.earlier) of += `; ${thousands(tally.thisRun)} this run, ${thousands(tally.earlier)} from before`;
  lines.push(`${label("rows")}${parts.join(", ")}  (${of})`);

  const stats = tally.stats();
  if (stats) {
    lines.push(
      `${label("reward")}mean ${num(stats.mean)}  std ${num(stats.std)}  min ${num(stats.min)}  p50 ${num(stats.p50)}  p90 ${num(stats.p90)}  max ${num(stats.max)}` +
        (tally.sampled ? `  (p50, p90 and the histogram from a sample of ${thousands(tally.keptCount)})` : ""),
    );
    const bins = tally.histogram();
    const most = Math.max(...bins.map((b) => b.count));
    const names = bins.map((b) => (b.from === b.to ? num(b.from) : `${num(b.from)}–${num(b.to)}`));
    const width = Math.max(...names.map((n) => n.length));
    const countWidth = Math.max(...bins.map((b) => thousands(b.count).length));
    bins.forEach((bin, i) => {
      const size = most ? Math.round((bin.count / most) * BAR) : 0;
      const bar = "█".repeat(bin.count > 0 ? Math.max(1, size) : 0).padEnd(BAR);
      const share = ((bin.count / tally.graded) * 100).toFixed(1).padStart(5);
      lines.push(`${pad}${names[i]!.padEnd(width)}  ${c.cyan(bar)}  ${thousands(bin.count).padStart(countWidth)}  ${share}%`);
    });
  }

  if (tally.flags.size) {
    const flags = [...tally.flags].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    const width = Math.max(...flags.map(([f]) => f.length));
    flags.forEach(([flag, v], i) => {
      lines.push(`${i === 0 ? label("errors") : pad}${c.red(flag.padEnd(width))}  ${thousands(v.count)} row${v.count === 1 ? "" : "s"}, first row ${v.first}`);
    });
  } else if (tally.graded) lines.push(`${label("errors")}none`);

  tally.problems.forEach((p, i) => {
    lines.push(`${i === 0 ? label("problems") : pad}row ${p.row} (${p.kind}): ${p.message}`);
  });
  const more = tally.malformed + tally.failed - tally.problems.length;
  if (more > 0) lines.push(`${pad}… and ${thousands(more)} more (rows with "error" in the results)`);

  if (tally.slowest.length) {
    lines.push(`${label("slowest")}${tally.slowest.map((s) => `row ${s.row} ${num(s.seconds)} s`).join(", ")}`);
  }
  const perSecond = rate(tally, info);
  lines.push(
    `${label("time")}${duration(info.seconds)}, ${thousands(tally.thisRun)} row${tally.thisRun === 1 ? "" : "s"} this run` +
      (tally.thisRun ? `, ${thousands(Math.round(perSecond))} rows/s` : ""),
  );
  if (info.out) lines.push(`${label("results")}${info.out}`);
  return `${lines.join("\n")}\n`;
}
