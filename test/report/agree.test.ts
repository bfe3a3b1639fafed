import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResultRecord } from "../../src/eval/summary.js";
import { agree } from "../../src/report/agree.js";
import type { Labels } from "../../src/report/labels.js";
import { cohenKappa, pearson } from "../../src/report/stats.js";
import { grade, hasStackTrace } from "../helpers/cli.js";

/*
 * `grade agree`: the figures on small hand-made cases (checked against the statistics module,
 * itself checked against scipy), the worked example in examples/agreement/, and bad input.
 */

const labels = (byRow: Record<number, number | string | boolean>, byId: Record<string, number | string | boolean> = {}): Labels => ({
  source: "test",
  byRow: new Map(Object.entries(byRow).map(([k, v]) => [Number(k), v])),
  byId: new Map(Object.entries(byId)),
  unlabelled: 0,
});
const rows = (rewards: (number | null)[], extra: (i: number) => Record<string, unknown> = () => ({})): ResultRecord[] =>
  rewards.map((reward, i) => ({ row: i + 1, reward, errors: {}, ...extra(i) }) as ResultRecord);

describe("agree: scores", () => {
  const judge = [0.9, 0.2, 0.8, 0.4, 0.6, 0.1];
  const human = [1, 0, 0.7, 0.7, 0.5, 0.2];
  const a = agree(rows(judge), labels(Object.fromEntries(human.map((h, i) => [i + 1, h]))), { resamples: 200 });
  it("Pearson, mean |Δ| and κ after the threshold", () => {
    expect(a.mode).toBe("score");
    expect(a.pairs).toBe(6);
    expect(a.score!.pearson.estimate).toBeCloseTo(pearson(judge, human), 12);
    expect(a.score!.mae.estimate).toBeCloseTo((0.1 + 0.2 + 0.1 + 0.3 + 0.1 + 0.1) / 6, 12);
    const pass = (xs: number[]) => xs.map((x) => (x >= 0.5 ? "pass" : "fail"));
    expect(a.kappa.kappa.estimate).toBeCloseTo(cohenKappa(pass(judge), pass(human)), 12);
    expect(a.threshold).toBe(0.5);
  });
  it("intervals hold the estimate", () => {
    expect(a.score!.pearson.low).toBeLessThanOrEqual(a.score!.pearson.estimate);
    expect(a.score!.pearson.high).toBeGreaterThanOrEqual(a.score!.pearson.estimate);
  });
  it("lists the largest disagreement first", () => {
    expect(a.disagreements[0]).toMatchObject({ row: 4, judge: 0.4, human: 0.7 });
  });
  it("weighted κ on a whole-number scale, the threshold in its middle", () => {
    const b = agree(rows([1, 2, 3, 4, 5, 5]), labels({ 1: 1, 2: 2, 3: 4, 4: 4, 5: 5, 6: 3 }), { resamples: 100 });
    expect(b.threshold).toBe(3);
    expect(b.score!.ordinal!.confusion.categories).toEqual(["1", "2", "3", "4", "5"]);
    expect(b.score!.ordinal!.quadratic!.estimate).toBeCloseTo(
      cohenKappa(["1", "2", "3", "4", "5", "5"], ["1", "2", "4", "4", "5", "3"], "quadratic", ["1", "2", "3", "4", "5"]),
      12,
    );
  });
});

describe("agree: labels", () => {
  it("the judge's own labels, weighted with --order", () => {
    const judge = ["good", "bad", "ok", "good", "bad"];
    const a = agree(rows([1, 0, 0.5, 1, 0], (i) => ({ label: judge[i] })), labels({ 1: "good", 2: "ok", 3: "ok", 4: "good", 5: "bad" }), {
      order: ["bad", "ok", "good"],
      resamples: 100,
    });
    expect(a.passFail).toBe(false);
    expect(a.kappa.kappa.estimate).toBeCloseTo(cohenKappa(judge, ["good", "ok", "ok", "good", "bad"], "none", ["bad", "ok", "good"]), 12);
    expect(a.kappa.linear).toBeDefined();
    expect(a.disagreements).toEqual([{ row: 2, judge: "bad", human: "ok", difference: 1 }]);
  });
  it("pass/fail when the results hold the reward only; --passing maps human labels", () => {
    const a = agree(rows([1, 0, 1, 0]), labels({ 1: "great", 2: "poor", 3: "poor", 4: "good" }), { passing: ["good", "great"], resamples: 50 });
    expect(a.passFail).toBe(true);
    expect(a.kappa.confusion.counts).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
  it("refuses labels that are not pass/fail without --passing", () => {
    expect(() => agree(rows([1]), labels({ 1: "great" }))).toThrow(
      'the human label "great" is not pass/fail, and the results hold the judge\'s reward only (no "label"): give --passing <labels> (the human labels that pass, comma-separated)',
    );
  });
  it("matches by id before row, and counts what is left out", () => {
    const a = agree(rows([1, 0, null], (i) => ({ id: `q${i + 1}` })), labels({ 9: true }, { q1: true, q2: false, q3: true }), { resamples: 10 });
    expect(a.pairs).toBe(2);
    expect(a.unmatched).toEqual({ unlabelled: 0, noReward: 1, orphanLabels: 1 });
  });
  it("refuses when nothing matches", () => {
    expect(() => agree(rows([1]), labels({ 7: 1 }))).toThrow('no result has a label: 1 label in test, matched by "id"');
  });
});

describe("grade agree (the CLI, on examples/agreement/)", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-agree-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const RESULTS = "examples/agreement/judge-results.jsonl";

  it("prints the figures, the confusion matrix and the largest disagreements", () => {
    const run = grade(["agree", RESULTS, "--labels", "examples/agreement/human.jsonl"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("36 rows paired");
    expect(run.stdout).toMatch(/Pearson r {5}0\.758 {2}\[95% CI /);
    expect(run.stdout).toContain("Cohen's κ     0.483");
    expect(run.stdout).toContain("on pass/fail at ≥ 3");
    expect(run.stdout).toContain("row 24 (T-24)          judge 5        human 1        |Δ| 4");
    expect(run.stdout).toContain("intervals: paired bootstrap, 2000 resamples, seed 1");
  });
  it("--json gives the same figures; the same seed the same intervals", () => {
    const one = JSON.parse(grade(["agree", RESULTS, "-l", "examples/agreement/human.jsonl", "--json", "--resamples", "300"]).stdout);
    const two = JSON.parse(grade(["agree", RESULTS, "-l", "examples/agreement/human.jsonl", "--json", "--resamples", "300"]).stdout);
    expect(one).toEqual(two);
    expect(one.mode).toBe("score");
    expect(one.score.pearson.estimate).toBeCloseTo(0.758, 3);
    expect(one.score.ordinal.confusion.counts[4]).toEqual([1, 0, 0, 2, 7]);
    expect(one.disagreements[0]).toEqual({ row: 24, id: "T-24", judge: 5, human: 1, difference: 4 });
  });
  it("--label-field reads the labels from the dataset", () => {
    const data = path.join(dir, "rows.jsonl");
    const lines = fs.readFileSync("examples/agreement/rows.jsonl", "utf8").trimEnd().split("\n");
    const human = fs.readFileSync("examples/agreement/human.jsonl", "utf8").trimEnd().split("\n").map((l) => JSON.parse(l).score);
    fs.writeFileSync(data, lines.map((l, i) => { const r = JSON.parse(l); r.item.human = human[i]; return JSON.stringify(r); }).join("\n") + "\n");
    const run = grade(["agree", RESULTS, "--label-field", "item.human", "--data", data, "--json", "--resamples", "100"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).score.pearson.estimate).toBeCloseTo(0.758, 3);
  });
  it("--min-kappa fails the gate with a one-line reason", () => {
    const run = grade(["agree", RESULTS, "-l", "examples/agreement/human.jsonl", "--min-kappa", "0.8", "--resamples", "50"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("grade agree: Cohen's κ 0.483 is below --min-kappa 0.8\n");
  });
  it("bad input: a clear message, exit 2, no stack trace", () => {
    const cases: [string[], string][] = [
      [["agree", "nope.jsonl", "-l", "examples/agreement/human.jsonl"], "grade: cannot read `nope.jsonl`: no such file\n"],
      [["agree", RESULTS], "grade: give the human labels: --labels human.jsonl, or --label-field item.<field> of the dataset\n"],
      [["agree", "examples/agreement/human.jsonl", "-l", "examples/agreement/human.jsonl"], 'grade: `examples/agreement/human.jsonl` is not a results file of grade eval (line 1 is no header {"grade_eval": ...}); write one with grade eval --out\n'],
      [["agree", RESULTS, "-l", "missing.jsonl"], "grade: cannot read --labels `missing.jsonl`: no such file\n"],
    ];
    for (const [args, message] of cases) {
      const run = grade(args);
      expect(run.stderr).toBe(message);
      expect(run.code).toBe(2);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
    const bad = path.join(dir, "bad.jsonl");
    fs.writeFileSync(bad, '{"id": "T-01", "score": 3}\n{"id": "T-02", "score": [1]}\n');
    const run = grade(["agree", RESULTS, "-l", bad]);
    expect(run.stderr).toBe(`grade: ${bad}:2: a label must be a number, a string or true/false, not a list\n`);
    expect(run.code).toBe(2);
  });
});
