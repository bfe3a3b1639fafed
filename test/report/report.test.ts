import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap, cohenKappa, kendallTauB, mcnemar, pearson, spearman } from "../../src/report/stats.js";
import { grade, hasStackTrace } from "../helpers/cli.js";
import { madeUpRows, writeResults } from "./fixtures.js";

/*
 * `grade report` without a browser: the comparison's figures (--json) against the statistics
 * module, the pairing rules, the page's self-containment, and bad input. The pages themselves are
 * tested in Chromium in browser.test.ts.
 */

let dir: string;
const file = (name: string) => path.join(dir, name);
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-report-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("grade report a b --json (run versus run)", () => {
  it("the figures are the statistics module's on the paired rows", () => {
    const rowsA = madeUpRows(300, 5);
    const rowsB = madeUpRows(300, 5, 0.1);
    const a = writeResults(file("a.jsonl"), rowsA);
    const b = writeResults(file("b.jsonl"), rowsB);
    const run = grade(["report", a, b, "--json", "--resamples", "500"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const got = JSON.parse(run.stdout);
    const pairs = rowsA.map((r, i) => [r["reward"], rowsB[i]!["reward"]]).filter(([x, y]) => typeof x === "number" && typeof y === "number") as [number, number][];
    const xa = pairs.map(([x]) => x);
    const xb = pairs.map(([, y]) => y);
    expect(got.pairs).toBe(pairs.length);
    expect(got.no_reward).toBe(300 - pairs.length);
    expect(got.paired_by).toBe("row");
    expect(got.pearson).toBeCloseTo(pearson(xa, xb), 12);
    expect(got.spearman).toBeCloseTo(spearman(xa, xb), 12);
    expect(got.kendall_tau_b).toBeCloseTo(kendallTauB(xa, xb), 12);
    const passA = xa.map((v) => v >= 0.5);
    const passB = xb.map((v) => v >= 0.5);
    const label = (p: boolean) => (p ? "pass" : "fail");
    expect(got.kappa).toBeCloseTo(cohenKappa(passA.map(label), passB.map(label), "none", ["pass", "fail"]), 12);
    const m = mcnemar(passA, passB);
    expect(got.mcnemar).toEqual({ b: m.b, c: m.c, p_exact: m.pExact, chi2: m.chi2, p_chi2: m.pChi2 });
    const diff = bootstrap(xa.length, (idx) => [...idx].reduce((s, i) => s + xb[i]! - xa[i]!, 0) / idx.length, { resamples: 500, seed: 1 });
    expect(got.mean_difference.estimate).toBeCloseTo(diff.estimate, 12);
    expect(got.mean_difference.low).toBeCloseTo(diff.low, 12);
    expect(got.mean_difference.high).toBeCloseTo(diff.high, 12);
    // The changed rows, largest |Δ| first.
    const deltas = got.largest_changes.map((c: { delta: number }) => Math.abs(c.delta));
    expect(deltas).toEqual([...deltas].sort((x: number, y: number) => y - x));
    expect(got.largest_changes.length).toBe(20);
  });

  it("refuses runs over different datasets unless --by id", () => {
    const a = writeResults(file("a2.jsonl"), madeUpRows(50, 1), { file: "one.jsonl", sha256: "1".repeat(64) });
    const b = writeResults(file("b2.jsonl"), madeUpRows(40, 2).reverse(), { file: "two.jsonl", sha256: "2".repeat(64) });
    const refused = grade(["report", a, b, "-o", file("x.html")]);
    expect(refused.stderr).toBe(
      `grade: \`${a}\` and \`${b}\` are results for different datasets (one.jsonl, sha256 111111111111…; two.jsonl, sha256 222222222222…): rows cannot be paired by number; give --by id to pair them by the rows' "id"\n`,
    );
    expect(refused.code).toBe(2);
    expect(fs.existsSync(file("x.html"))).toBe(false);
    const paired = grade(["report", a, b, "--by", "id", "--json"]);
    expect(paired.code).toBe(0);
    const got = JSON.parse(paired.stdout);
    expect(got.paired_by).toBe("id");
    expect(got.unpaired).toEqual({ a: 10, b: 0 });
  });

  it("--by id needs an id on every row, once", () => {
    const a = writeResults(file("a3.jsonl"), [{ row: 1, reward: 1, errors: {} }]);
    const b = writeResults(file("b3.jsonl"), [{ row: 1, id: "x", reward: 1, errors: {} }, { row: 2, id: "x", reward: 0, errors: {} }]);
    expect(grade(["report", a, b, "--by", "id", "--json"]).stderr).toBe(`grade: --by id: row 1 of \`${a}\` (A) has no id (the dataset's rows need an "id")\n`);
    expect(grade(["report", b, b, "--by", "id", "--json"]).stderr).toBe(
      `grade: --by id: id "x" is in \`${b}\` (A) twice (rows 1 and 2); ids must be unique to pair rows\n`,
    );
  });
});

describe("grade report results.jsonl (one run)", () => {
  it("--json: the summary; the page is one file with nothing to fetch, the data escaped", () => {
    const rows = madeUpRows(200, 3);
    rows[0]!["id"] = "</script><script>alert(1)</script>";
    const results = writeResults(file("run.jsonl"), rows);
    const out = file("run.html");
    const run = grade(["report", results, "-o", out, "--json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^grade report: wrote .*run\.html \(\d+ kB; 200 rows\)\n$/);
    const summary = JSON.parse(run.stdout);
    const rewards = rows.map((r) => r["reward"]).filter((r): r is number => typeof r === "number");
    expect(summary.summary.graded).toBe(rewards.length);
    expect(summary.summary.mean).toBeCloseTo(rewards.reduce((s, v) => s + v, 0) / rewards.length, 12);
    expect(summary.summary.malformed).toBe(2);
    expect(summary.summary.flags).toEqual([{ name: "python_grader_runtime_error", count: rows.filter((r) => (r["errors"] as Record<string, unknown> | undefined)?.["python_grader_runtime_error"]).length }]);
    expect(summary.subs.map((s: { name: string }) => s.name)).toEqual(["exact", "similar"]);
    const html = fs.readFileSync(out, "utf8");
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain("</script><script>alert(1)");
    expect(html).toContain("\\u003c/script>\\u003cscript>alert(1)");
  });

  it("bad input: a clear message, exit 2, no stack trace", () => {
    const results = writeResults(file("ok.jsonl"), madeUpRows(5, 1));
    const torn = file("torn.jsonl");
    fs.writeFileSync(torn, fs.readFileSync(results, "utf8") + '{"row": 6, "rew');
    expect(grade(["report", torn, "--json"]).code).toBe(0);
    const edited = file("edited.jsonl");
    fs.writeFileSync(edited, fs.readFileSync(results, "utf8").replace('{"row":2,', '{"rov":2,'));
    const cases: [string[], string][] = [
      [["report", results], "grade: give -o <report.html> for the page (or --json for the figures)\n"],
      [["report", results, results, results, "--json"], "grade: give one results file (a report) or two (a comparison), not 3\n"],
      [["report", results, "--by", "id", "--json"], "grade: --by pairs the rows of two runs: give two results files\n"],
      [["report", "nope.jsonl", "--json"], "grade: cannot read `nope.jsonl`: no such file\n"],
      [["report", edited, "--json"], `grade: line 3 of \`${edited}\` is not a result of grade eval (was the file edited?)\n`],
      [["report", results, "-o", path.join(dir, "no-such-dir", "r.html")], `grade: cannot write -o \`${path.join(dir, "no-such-dir", "r.html")}\`: no such file or directory\n`],
    ];
    for (const [args, message] of cases) {
      const run = grade(args);
      expect(run.stderr).toBe(message);
      expect(run.code).toBe(2);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
  });
});
