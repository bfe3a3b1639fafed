// The statistics against scipy / scikit-learn / numpy: test/fixtures/stats/reference.json, written
// by scripts/stats-reference.py (the script says how to run it).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  bootstrap,
  cohenKappa,
  confusion,
  histogram,
  kendallTauB,
  mcnemarCounts,
  mcnemar,
  meanAbsoluteError,
  pearson,
  pickNumbers,
  pick,
  quantileLinear,
  quantileNearest,
  seededRandom,
  spearman,
} from "../../src/report/stats.js";

interface Reference {
  kappa: { order: string[]; a: string[]; b: string[]; none: number; linear: number; quadratic: number; confusion: number[][] }[];
  correlation: { kind: string; x: number[]; y: number[]; pearson: number; spearman: number; kendall: number }[];
  mae: { x: number[]; y: number[]; mae: number }[];
  mcnemar: { b: number; c: number; pExact: number; chi2: number; pChi2: number }[];
  quantiles: { values: number[]; q: number[]; linear: number[]; nearest: number[] }[];
  histogram: { values: number[]; range: [number, number] | null; counts: number[]; edges: number[] }[];
  bootstrap: {
    statistic: string;
    x?: number[];
    y?: number[];
    a?: string[];
    b?: string[];
    order?: string[];
    resamples: number;
    seed: number;
    low: number;
    high: number;
  }[];
  prng: { seed: number; first: number[] };
}

const reference = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", "stats", "reference.json"), "utf8"),
) as Reference;

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(1e-9);

describe("Cohen's κ (scikit-learn cohen_kappa_score)", () => {
  for (const c of reference.kappa) {
    it(`${c.order.length} categories, ${c.a.length} pairs: unweighted, linear, quadratic, confusion matrix`, () => {
      close(cohenKappa(c.a, c.b, "none", c.order), c.none);
      close(cohenKappa(c.a, c.b, "linear", c.order), c.linear);
      close(cohenKappa(c.a, c.b, "quadratic", c.order), c.quadratic);
      expect(confusion(c.a, c.b, c.order).counts).toEqual(c.confusion);
    });
  }
  it("is NaN with one category (no expected disagreement), 1 for perfect agreement", () => {
    expect(cohenKappa(["a", "a"], ["a", "a"])).toBeNaN();
    expect(cohenKappa(["a", "b", "a"], ["a", "b", "a"])).toBe(1);
  });
  it("refuses a label outside the given order", () => {
    expect(() => cohenKappa(["a"], ["z"], "linear", ["a", "b"])).toThrow('label "z" is not in the given order');
  });
});

describe("correlation (scipy pearsonr, spearmanr, kendalltau τ-b)", () => {
  for (const c of reference.correlation) {
    it(`${c.kind} (${c.x.length} pairs)`, () => {
      close(pearson(c.x, c.y), c.pearson);
      close(spearman(c.x, c.y), c.spearman);
      close(kendallTauB(c.x, c.y), c.kendall);
    });
  }
  it("is NaN for a constant list or fewer than 2 pairs", () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(kendallTauB([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
  });
  it("Kendall's τ-b agrees with the O(n²) definition on random tied data", () => {
    const random = seededRandom(3);
    for (let round = 0; round < 20; round++) {
      const n = 2 + Math.floor(random() * 40);
      const x = Array.from({ length: n }, () => Math.floor(random() * 5));
      const y = Array.from({ length: n }, () => Math.floor(random() * 5));
      let s = 0;
      let tx = 0;
      let ty = 0;
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const dx = Math.sign(x[i]! - x[j]!);
          const dy = Math.sign(y[i]! - y[j]!);
          s += dx * dy;
          if (dx !== 0) tx++;
          if (dy !== 0) ty++;
        }
      }
      const expected = tx === 0 || ty === 0 ? NaN : s / Math.sqrt(tx * ty);
      const actual = kendallTauB(x, y);
      if (Number.isNaN(expected)) expect(actual).toBeNaN();
      else close(actual, expected);
    }
  });
});

describe("mean absolute error", () => {
  for (const c of reference.mae) it(`${c.x.length} pairs`, () => close(meanAbsoluteError(c.x, c.y), c.mae));
});

describe("McNemar (scipy binomtest, chi2.sf)", () => {
  for (const c of reference.mcnemar) {
    it(`b=${c.b}, c=${c.c}`, () => {
      const got = mcnemarCounts(c.b, c.c);
      close(got.pExact, c.pExact);
      close(got.chi2, c.chi2);
      close(got.pChi2, c.pChi2);
    });
  }
  it("counts the discordant pairs of two pass/fail lists", () => {
    const got = mcnemar([true, true, false, false, true], [true, false, true, true, true]);
    expect([got.b, got.c]).toEqual([1, 2]);
  });
});

describe("quantiles (numpy quantile: linear and inverted_cdf)", () => {
  for (const c of reference.quantiles) {
    it(`${c.values.length} values`, () => {
      c.q.forEach((q, i) => {
        close(quantileLinear(c.values, q), c.linear[i]!);
        close(quantileNearest(c.values, q), c.nearest[i]!);
      });
    });
  }
});

describe("histogram (numpy histogram, 10 bins)", () => {
  for (const c of reference.histogram) {
    it(`${c.values.length} values, range ${JSON.stringify(c.range)}`, () => {
      const bins = histogram(c.values, 10, c.range ?? undefined);
      expect(bins.map((b) => b.count)).toEqual(c.counts);
      bins.forEach((b, i) => {
        close(b.from, c.edges[i]!);
        close(b.to, c.edges[i + 1]!);
      });
    });
  }
});

describe("the seeded generator (mulberry32, as the reference script writes it)", () => {
  it("draws the same first numbers", () => {
    const random = seededRandom(reference.prng.seed);
    for (const expected of reference.prng.first) expect(random()).toBe(expected);
  });
});

describe("paired bootstrap 95% intervals (the same resamples, the statistic from scipy / scikit-learn)", () => {
  for (const c of reference.bootstrap) {
    it(c.statistic, () => {
      let statistic: (i: Uint32Array) => number;
      if (c.a && c.b) {
        const a = c.a;
        const b = c.b;
        const weights = c.statistic === "kappa_quadratic" ? "quadratic" : "none";
        statistic = (i) => cohenKappa(pick(a, i), pick(b, i), weights, c.order);
      } else {
        const x = c.x!;
        const y = c.y!;
        const f = {
          mean_difference: (xs: Float64Array, ys: Float64Array) => ys.reduce((s, v, k) => s + v - xs[k]!, 0) / xs.length,
          pearson,
          spearman,
          mae: meanAbsoluteError,
        }[c.statistic]!;
        statistic = (i) => f(pickNumbers(x, i), pickNumbers(y, i));
      }
      const got = bootstrap(c.a?.length ?? c.x!.length, statistic, { resamples: c.resamples, seed: c.seed });
      close(got.low, c.low);
      close(got.high, c.high);
      expect(got.low).toBeLessThanOrEqual(got.estimate);
      expect(got.high).toBeGreaterThanOrEqual(got.estimate);
    });
  }
  it("the same seed gives the same interval; another seed another one", () => {
    const x = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const f = (i: Uint32Array) => pickNumbers(x, i).reduce((s, v) => s + v, 0) / i.length;
    const one = bootstrap(50, f, { seed: 5, resamples: 300 });
    expect(bootstrap(50, f, { seed: 5, resamples: 300 })).toEqual(one);
    expect(bootstrap(50, f, { seed: 6, resamples: 300 })).not.toEqual(one);
  });
});
