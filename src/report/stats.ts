/*
 * The statistics of `grade agree` and `grade report`: agreement (Cohen's κ, weighted κ), correlation
 * (Pearson, Spearman, Kendall τ-b), McNemar's test, mean absolute error, percentiles, a histogram,
 * and percentile bootstrap confidence intervals from a seeded generator (the same seed, the same
 * interval). Plain functions over arrays; NaN where a figure is undefined (no variance, no pairs).
 *
 * Every figure is checked against scipy / scikit-learn / numpy in test/report/stats.test.ts, on
 * fixtures written by scripts/stats-reference.py.
 */

export type Weights = "none" | "linear" | "quadratic";

/** A confusion matrix: `counts[i][j]` = pairs with the first rater's `categories[i]` and the second's `categories[j]`. */
export interface Confusion {
  readonly categories: readonly string[];
  readonly counts: readonly (readonly number[])[];
}

/** The categories of two label lists, in first-seen order unless an order is given. */
export function confusion(a: readonly string[], b: readonly string[], order?: readonly string[]): Confusion {
  if (a.length !== b.length) throw new RangeError("confusion: the two lists differ in length");
  const categories = order ? [...order] : [];
  const index = new Map(categories.map((c, i) => [c, i]));
  for (const list of [a, b]) {
    for (const label of list) {
      if (!index.has(label)) {
        if (order) throw new RangeError(`confusion: label ${JSON.stringify(label)} is not in the given order`);
        index.set(label, categories.length);
        categories.push(label);
      }
    }
  }
  const k = categories.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < a.length; i++) counts[index.get(a[i]!)!]![index.get(b[i]!)!]!++;
  return { categories, counts };
}

/**
 * Cohen's κ of a confusion matrix: 1 − Σ w·observed / Σ w·expected, with w = 0 on the diagonal and
 * 1 off it (unweighted), |i − j| (linear) or (i − j)² (quadratic) over the categories' order —
 * scikit-learn's `cohen_kappa_score`. NaN when the expected disagreement is 0 (one category only).
 */
export function kappaOf(matrix: Confusion, weights: Weights = "none"): number {
  const { counts } = matrix;
  const k = counts.length;
  let n = 0;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = counts[i]![j]!;
      n += c;
      rows[i]! += c;
      cols[j]! += c;
    }
  }
  if (n === 0) return NaN;
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w = weights === "none" ? (i === j ? 0 : 1) : weights === "linear" ? Math.abs(i - j) : (i - j) * (i - j);
      observed += w * counts[i]![j]!;
      expected += (w * rows[i]! * cols[j]!) / n;
    }
  }
  return expected === 0 ? NaN : 1 - observed / expected;
}

/** Cohen's κ of two label lists (see kappaOf; `order` orders the categories for weights). */
export function cohenKappa(a: readonly string[], b: readonly string[], weights: Weights = "none", order?: readonly string[]): number {
  return kappaOf(confusion(a, b, order), weights);
}

type Numbers = ArrayLike<number>;

function sameLength(x: Numbers, y: Numbers, what: string): void {
  if (x.length !== y.length) throw new RangeError(`${what}: the two lists differ in length`);
}

export function mean(x: Numbers): number {
  if (x.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  return sum / x.length;
}

/** Population standard deviation (numpy's default, ddof 0). */
export function std(x: Numbers): number {
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / x.length);
}

/** Pearson's r; NaN when either list is constant or has fewer than 2 values. */
export function pearson(x: Numbers, y: Numbers): number {
  sameLength(x, y, "pearson");
  const n = x.length;
  if (n < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Ranks from 1, ties given their average rank (scipy's `rankdata`, method "average"). */
export function ranks(x: Numbers): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i]! - x[j]!);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && x[order[end]!]! === x[order[start]!]!) end++;
    const rank = (start + end + 1) / 2;
    for (let k = start; k < end; k++) out[order[k]!] = rank;
    start = end;
  }
  return out;
}

/** Spearman's ρ: Pearson's r of the average ranks. */
export function spearman(x: Numbers, y: Numbers): number {
  sameLength(x, y, "spearman");
  return pearson(ranks(x), ranks(y));
}

/**
 * Kendall's τ-b (ties corrected, scipy's default), in O(n log n): sort by (x, y), count the ties,
 * then count the discordant pairs as the swaps of a merge sort by y (Knight, 1966).
 */
export function kendallTauB(x: Numbers, y: Numbers): number {
  sameLength(x, y, "kendall");
  const n = x.length;
  if (n < 2) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => x[i]! - x[j]! || y[i]! - y[j]!);
  const pairs = (t: number) => (t * (t - 1)) / 2;
  let xTies = 0;
  let bothTies = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && x[order[end]!] === x[order[start]!]) end++;
    xTies += pairs(end - start);
    for (let s = start; s < end; ) {
      let e = s + 1;
      while (e < end && y[order[e]!] === y[order[s]!]) e++;
      bothTies += pairs(e - s);
      s = e;
    }
    start = end;
  }
  // Merge sort of y (in x order), counting the inversions: the discordant pairs.
  let values = Float64Array.from(order, (i) => y[i]!);
  let buffer = new Float64Array(n);
  let swaps = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (values[j]! < values[i]!) {
          swaps += mid - i;
          buffer[k++] = values[j++]!;
        } else buffer[k++] = values[i++]!;
      }
      while (i < mid) buffer[k++] = values[i++]!;
      while (j < hi) buffer[k++] = values[j++]!;
    }
    [values, buffer] = [buffer, values];
  }
  let yTies = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[end] === values[start]) end++;
    yTies += pairs(end - start);
    start = end;
  }
  const total = pairs(n);
  if (total === xTies || total === yTies) return NaN;
  const concordantMinusDiscordant = total - xTies - yTies + bothTies - 2 * swaps;
  return concordantMinusDiscordant / Math.sqrt(total - xTies) / Math.sqrt(total - yTies);
}

/** Mean of |x − y|. */
export function meanAbsoluteError(x: Numbers, y: Numbers): number {
  sameLength(x, y, "mean absolute error");
  if (x.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!);
  return sum / x.length;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms; about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The regularized upper incomplete gamma Q(a, x): a series below a + 1, a continued fraction above. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lead = -x + a * Math.log(x) - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - sum * Math.exp(lead);
  }
  // Lentz's method for the continued fraction.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(lead) * h;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed in log space (no underflow at large n). */
function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logHalfN = n * Math.log(0.5);
  const lnN = logGamma(n + 1);
  // log-sum-exp over ln C(n, i) + n ln ½, i = 0..k
  const logs: number[] = [];
  let most = -Infinity;
  for (let i = 0; i <= k; i++) {
    const v = lnN - logGamma(i + 1) - logGamma(n - i + 1) + logHalfN;
    logs.push(v);
    if (v > most) most = v;
  }
  let sum = 0;
  for (const v of logs) sum += Math.exp(v - most);
  return Math.min(1, Math.exp(most) * sum);
}

export interface McNemar {
  /** Pairs where only the first rater passed. */
  readonly b: number;
  /** Pairs where only the second rater passed. */
  readonly c: number;
  /** Two-sided exact p-value: the binomial test of min(b, c) among b + c at 1/2. */
  readonly pExact: number;
  /** The continuity-corrected statistic (|b − c| − 1)² / (b + c) (0 when b + c = 0). */
  readonly chi2: number;
  /** Its p-value on χ² with 1 degree of freedom. */
  readonly pChi2: number;
}

/**
 * McNemar's test on paired pass/fail: only the discordant pairs count. Both forms are given; the
 * exact one is the one to read when b + c is small (under 25), the χ² one agrees with it above.
 */
export function mcnemar(a: readonly boolean[], b: readonly boolean[]): McNemar {
  if (a.length !== b.length) throw new RangeError("mcnemar: the two lists differ in length");
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) onlyA++;
    else if (!a[i] && b[i]) onlyB++;
  }
  return mcnemarCounts(onlyA, onlyB);
}

export function mcnemarCounts(b: number, c: number): McNemar {
  const n = b + c;
  if (n === 0) return { b, c, pExact: 1, chi2: 0, pChi2: 1 };
  const pExact = Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
  const chi2 = Math.max(0, Math.abs(b - c) - 1) ** 2 / n;
  return { b, c, pExact, chi2, pChi2: gammaQ(0.5, chi2 / 2) };
}

/** The q-th quantile (0..1) of sorted values, linear between the closest ranks (numpy's default). */
export function quantileLinear(sorted: Numbers, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const at = q * (n - 1);
  const lo = Math.floor(at);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The q-th quantile by nearest rank: the smallest value with at least q of the values at or below it (numpy's "inverted_cdf"; `grade eval`'s p50/p90). */
export function quantileNearest(sorted: Numbers, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n - 1e-12) - 1))]!;
}

export interface Bin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/**
 * A histogram of `bins` equal bins over [low, high] (default: the values' min and max): each bin
 * holds [from, to), the last one its upper bound too — numpy's `histogram`. Values outside are
 * not counted.
 */
export function histogram(values: Numbers, bins = 10, range?: readonly [number, number]): Bin[] {
  let low = range?.[0] ?? Infinity;
  let high = range?.[1] ?? -Infinity;
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      if (values[i]! < low) low = values[i]!;
      if (values[i]! > high) high = values[i]!;
    }
  }
  if (values.length === 0 && !range) return [];
  if (low === high) {
    // numpy widens an empty range by ±0.5.
    low -= 0.5;
    high += 0.5;
  }
  const width = (high - low) / bins;
  const counts = new Array<number>(bins).fill(0);
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? high : low + i * width));
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= low && v <= high)) continue;
    let at = Math.min(bins - 1, Math.floor((v - low) / width));
    // The float division can land one bin off an edge: settle on the edges themselves.
    while (at > 0 && v < edges[at]!) at--;
    while (at < bins - 1 && v >= edges[at + 1]!) at++;
    counts[at]!++;
  }
  return counts.map((count, i) => ({ from: edges[i]!, to: edges[i + 1]!, count }));
}

/**
 * mulberry32: a small seeded 32-bit generator (the same in scripts/stats-reference.py), so a
 * bootstrap interval is the same on every run and every machine. Returns floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Interval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  /** Resamples whose statistic was defined (NaN ones, e.g. κ of one category, are left out). */
  readonly resamples: number;
}

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: number;
  /** The confidence level, 0.95 by default. */
  readonly level?: number;
}

export const DEFAULT_RESAMPLES = 2000;
export const DEFAULT_SEED = 1;

/**
 * A percentile bootstrap interval of a statistic of n paired rows: each resample draws n row
 * indices with replacement (index = ⌊u·n⌋ from seededRandom), the statistic is computed on them,
 * and the interval is the (1 − level)/2 and (1 + level)/2 linear quantiles of the defined results.
 * `statistic` gets the indices of one resample (the same rows for both sides of a pair: paired).
 */
export function bootstrap(n: number, statistic: (indices: Uint32Array) => number, options: BootstrapOptions = {}): Interval {
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimate = statistic(all);
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const level = options.level ?? 0.95;
  if (n === 0) return { estimate, low: NaN, high: NaN, resamples: 0 };
  const random = seededRandom(options.seed ?? DEFAULT_SEED);
  const results = new Float64Array(resamples);
  let defined = 0;
  const indices = new Uint32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = Math.floor(random() * n);
    const value = statistic(indices);
    if (!Number.isNaN(value)) results[defined++] = value;
  }
  const sorted = results.subarray(0, defined).sort();
  return {
    estimate,
    low: quantileLinear(sorted, (1 - level) / 2),
    high: quantileLinear(sorted, (1 + level) / 2),
    resamples: defined,
  };
}

/** Picks `indices` out of `values`. */
export function pick<T>(values: readonly T[], indices: Uint32Array): T[] {
  const out = new Array<T>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}

/** Picks `indices` out of numeric `values`, into a Float64Array. */
export function pickNumbers(values: Numbers, indices: Uint32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]!]!;
  return out;
}
