import { describe, expect, it } from "vitest";
import { formatSummary, summaryJson, Tally, type ResultRecord, type RunInfo } from "../../src/eval/summary.js";

const info: RunInfo = { grader: "g.grade", data: "d.jsonl", engine: "local", total: 10, seconds: 2, out: "r.jsonl" };

function graded(row: number, reward: number, extra: Partial<ResultRecord> = {}): ResultRecord {
  return { row, reward, errors: {}, sub_rewards: {}, execution_time: row / 1000, ...extra };
}

describe("Tally", () => {
  it("mean, population std, nearest-rank p50/p90, min, max", () => {
    const t = new Tally();
    [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].forEach((r, i) => t.add(graded(i + 1, r)));
    const s = t.stats()!;
    expect(s.mean).toBeCloseTo(0.45, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(0.0825), 12);
    expect(s).toMatchObject({ min: 0, p50: 0.4, p90: 0.8, max: 0.9 });
    expect(new Tally().stats()).toBeUndefined();
  });

  it("a histogram of tenths of 0..1 (the last bin holds 1); of min..max for rewards outside 0..1", () => {
    const t = new Tally();
    [0, 0.05, 0.1, 0.55, 1, 1].forEach((r, i) => t.add(graded(i + 1, r)));
    const bins = t.histogram();
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    expect(bins[0]).toEqual({ from: 0, to: 0.1, count: 2 });
    expect(bins[9]).toEqual({ from: 0.9, to: 1, count: 2 });

    const wide = new Tally();
    [-5, 0, 5, 15].forEach((r, i) => wide.add(graded(i + 1, r)));
    const w = wide.histogram();
    expect(w[0]).toEqual({ from: -5, to: -3, count: 1 });
    expect(w[9]).toEqual({ from: 13, to: 15, count: 1 });
    expect(w.reduce((n, b) => n + b.count, 0)).toBe(4);

    const same = new Tally();
    same.add(graded(1, 3));
    same.add(graded(2, 3));
    expect(same.histogram()).toEqual([{ from: 3, to: 3, count: 2 }]);
  });

  it("counts error flags (not their companions) with the first row, flagged rows, problems, the slowest rows", () => {
    const t = new Tally();
    t.add(graded(9, 0, { errors: { invalid_variable_error: true, invalid_variable_error_details: "x" } }));
    t.add(graded(4, 0, { errors: { invalid_variable_error: true, other_error: true } }));
    t.add(graded(5, 1, { execution_time: 3 }));
    t.add({ row: 7, reward: null, error: "not valid JSON", error_kind: "malformed" });
    t.add({ row: 2, reward: null, error: "HTTP 413", error_kind: "failed" }, true);
    expect(t.flags.get("invalid_variable_error")).toEqual({ count: 2, first: 4 });
    expect(t.flags.get("other_error")).toEqual({ count: 1, first: 4 });
    expect(t.flags.has("invalid_variable_error_details")).toBe(false);
    expect(t).toMatchObject({ graded: 3, flagged: 2, malformed: 1, failed: 1, earlier: 1, thisRun: 4, rows: 5, clean: false });
    expect(t.problems.map((p) => p.row)).toEqual([2, 7]);
    expect(t.slowest[0]).toEqual({ row: 5, seconds: 3 });
    expect(t.slowest.map((s) => s.row)).toEqual([5, 9, 4]);
  });

  it("past its sample size: mean, std, min, max exact; percentiles and histogram from a uniform sample", () => {
    const t = new Tally(10, 1000);
    for (let i = 1; i <= 20_000; i++) t.add(graded(i, (i % 10) / 10));
    expect(t.sampled).toBe(true);
    const s = t.stats()!;
    expect(s.mean).toBeCloseTo(0.45, 9);
    expect([s.min, s.max]).toEqual([0, 0.9]);
    expect(s.p50).toBeGreaterThanOrEqual(0.3);
    expect(s.p50).toBeLessThanOrEqual(0.6);
    const bins = t.histogram();
    expect(bins.reduce((n, b) => n + b.count, 0)).toBeGreaterThan(19_900);
    for (const bin of bins) expect(bin.count).toBeGreaterThan(1_400); // about 2,000 each
    expect(formatSummary(t, { ...info, total: 20_000 })).toContain("(p50, p90 and the histogram from a sample of 1,000)");
    const exact = new Tally(3);
    [1, 2, 3, 4, 5].forEach((r, i) => exact.add(graded(i + 1, r)));
    expect(exact.sampled).toBe(false);
    expect(exact.stats()!.p50).toBe(3);
  });

  it("keeps the 5 slowest rows and the 5 lowest problem rows", () => {
    const t = new Tally();
    for (let i = 1; i <= 50; i++) t.add(graded(i, 1, { execution_time: (i * 37) % 50 }));
    for (let i = 100; i > 60; i--) t.add({ row: i, reward: null, error: "bad", error_kind: "malformed" });
    expect(t.slowest.map((s) => s.seconds)).toEqual([49, 48, 47, 46, 45]);
    expect(t.problems.map((p) => p.row)).toEqual([61, 62, 63, 64, 65]);
  });
});

describe("the summary", () => {
  const tally = new Tally();
  [1, 1, 0, 0.5].forEach((r, i) => tally.add(graded(i + 1, r)));
  tally.add(graded(5, 0, { errors: { python_grader_runtime_error: true } }));
  tally.add({ row: 6, reward: null, error: "not valid JSON (unexpected `h`)", error_kind: "malformed" });

  it("text: rows, reward stats, a histogram, flags, problems, slowest, time", () => {
    const text = formatSummary(tally, info);
    expect(text).toContain("rows      5 graded, 1 with an error flag, 1 malformed  (6 of 10 rows)\n");
    expect(text).toContain("reward    mean 0.5  std 0.4472  min 0  p50 0.5  p90 1  max 1\n");
    expect(text).toMatch(/ {10}0–0\.1 {4}█{30} {2}2 {3}40\.0%\n/);
    expect(text).toMatch(/ {10}0\.9–1 {4}█{30} {2}2 {3}40\.0%\n/);
    expect(text).toContain("errors    python_grader_runtime_error  1 row, first row 5\n");
    expect(text).toContain("problems  row 6 (malformed): not valid JSON (unexpected `h`)\n");
    expect(text).toContain("slowest   row 5 0.005 s, row 4 0.004 s, row 3 0.003 s, row 2 0.002 s, row 1 0.001 s\n");
    expect(text).toContain("time      2.00 s, 6 rows this run, 3 rows/s\n");
    expect(text).toContain("results   r.jsonl\n");
  });

  it("JSON: the same facts", () => {
    const json = summaryJson(tally, { ...info, interrupted: "SIGINT" }) as Record<string, unknown>;
    expect(json).toMatchObject({
      complete: false,
      interrupted: "SIGINT",
      rows: { total: 10, done: 6, graded: 5, flagged: 1, malformed: 1, failed: 0, this_run: 6, earlier: 0 },
      reward: { mean: 0.5, min: 0, p50: 0.5, p90: 1, max: 1 },
      errors: { python_grader_runtime_error: { count: 1, first: 5 } },
      slowest: [{ row: 5, seconds: 0.005 }, { row: 4, seconds: 0.004 }, { row: 3, seconds: 0.003 }, { row: 2, seconds: 0.002 }, { row: 1, seconds: 0.001 }],
      rows_per_second: 3,
    });
    expect((json["histogram"] as unknown[]).length).toBe(10);
  });
});
