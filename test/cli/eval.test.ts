import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradeAsync } from "../api/cli.js";
import { FakeApi } from "../api/fake-api.js";
import { grade, hasStackTrace, root, type Run } from "../helpers/cli.js";

/*
 * `grade eval` end to end: the built binary on generated datasets — progress, summary, results
 * file, resume after SIGKILL and SIGINT, malformed rows, refused --out files, --remote against the
 * loopback fake API (429s included), bad input.
 */

const hasPython = spawnSync("python3", ["--version"]).status === 0;
if (!hasPython) console.warn("python3 not found on PATH: skipping the grade eval tests that need a python grader");

const CITY = "examples/graders/contains-city.grade";
let dir: string;
const file = (name: string) => path.join(dir, name);
const write = (name: string, text: string): string => {
  fs.writeFileSync(file(name), text);
  return file(name);
};
const clean = (run: Run) => expect(hasStackTrace(run.stdout + run.stderr), run.stdout + run.stderr).toBe(false);

interface Result {
  row: number;
  id?: string | number;
  reward: number | null;
  errors?: Record<string, unknown>;
  error?: string;
  error_kind?: string;
  execution_time?: number;
}

/** The result lines of a results file (the header checked and left out); every line must be whole JSON. */
function results(out: string): Result[] {
  const text = fs.readFileSync(out, "utf8");
  expect(text.endsWith("\n"), "the file ends with a newline (no torn line)").toBe(true);
  const lines = text.slice(0, -1).split("\n");
  expect(JSON.parse(lines[0]!)).toHaveProperty("grade_eval", 1);
  return lines.slice(1).map((line) => JSON.parse(line) as Result);
}

/** Asserts every row 1..n is there exactly once. */
function exactlyOnce(records: Result[], n: number): void {
  const rows = records.map((r) => r.row).sort((a, b) => a - b);
  expect(rows.length).toBe(n);
  expect(new Set(rows).size).toBe(n);
  expect(rows[0]).toBe(1);
  expect(rows[n - 1]).toBe(n);
}

/** 10,000 rows for contains-city: every 100th lacks `city` (flagged), every 4th misses the city (0). */
function cityRows(n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    if (i % 100 === 0) lines.push(JSON.stringify({ id: i, item: { town: "Paris" }, sample: "Paris" }));
    else if (i % 4 === 0) lines.push(JSON.stringify({ id: i, item: { city: "Paris" }, sample: `Row ${i} stays home.` }));
    else lines.push(JSON.stringify({ id: i, item: { city: "Paris" }, sample: `Row ${i} flies to PARIS.` }));
  }
  return lines.join("\n") + "\n";
}

const SLOW_PYTHON = `python "slow" {
  image_tag: "2025-05-08"
  source: """
    import time

    def grade(sample, item) -> float:
        time.sleep(0.003)
        return 1.0 if item["n"] % 2 == 0 else 0.5
    """
}
`;

function numberedRows(n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ item: { n: i + 1 }, sample: `s${i + 1}` })).join("\n") + "\n";
}

/** Starts the CLI without waiting, so the test can signal it. */
function startGrade(args: readonly string[]) {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined };
  delete env["FORCE_COLOR"];
  const child = spawn(process.execPath, [path.join(root, "bin/grade.js"), ...args], { cwd: root, env: env as NodeJS.ProcessEnv });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const done = new Promise<Run & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr, ms: 0 })),
  );
  return { child, done, stderr: () => stderr };
}

/** Waits until the file holds at least `lines` newlines. */
async function waitForLines(out: string, lines: number, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const text = fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "";
    if (text.split("\n").length - 1 >= lines) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${lines} lines in ${out}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("grade eval: a 10,000-row dataset", () => {
  it("progress lines, the summary, every row once in --out; a second run resumes with nothing left", () => {
    const data = write("cities.jsonl", cityRows(10_000));
    const out = file("cities-results.jsonl");
    const run = grade(["eval", CITY, "--data", data, "--out", out], { timeout: 120_000 });
    clean(run);
    expect(run.code, run.stderr).toBe(1); // 100 rows set invalid_variable_error

    // Not a terminal: a line at each tenth (and every 5 s).
    for (let tenth = 1; tenth <= 9; tenth++) {
      expect(run.stderr).toContain(`grade eval: ${(tenth * 1000).toLocaleString("en-US")} of 10,000 rows (${tenth * 10}%), `);
    }
    expect(run.stderr).toMatch(/rows\/s, (ETA|elapsed) /);

    expect(run.stdout).toMatch(/^rows {6}10,000 graded, 100 with an error flag {2}\(10,000 of 10,000 rows\)$/m);
    expect(run.stdout).toMatch(/^reward {4}mean 0\.75 {2}std 0\.433 {2}min 0 {2}p50 1 {2}p90 1 {2}max 1$/m);
    expect(run.stdout).toMatch(/^ {10}0–0\.1 {4}█{10} +2,500 {3}25\.0%$/m);
    expect(run.stdout).toMatch(/^ {10}0\.9–1 {4}█{30} {2}7,500 {3}75\.0%$/m);
    expect(run.stdout).toMatch(/^errors {4}invalid_variable_error {2}100 rows, first row 100$/m);
    expect(run.stdout).toMatch(/^slowest {3}row \d+ [\d.e-]+ s(, row \d+ [\d.e-]+ s){4}$/m);
    expect(run.stdout).toMatch(/^time {6}[\d.]+ s, 10,000 rows this run, [\d,]+ rows\/s$/m);
    expect(run.stdout).toContain(`results   ${out}\n`);

    const records = results(out);
    exactlyOnce(records, 10_000);
    const byRow = new Map(records.map((r) => [r.row, r]));
    expect(byRow.get(1)).toMatchObject({ id: 1, reward: 1, errors: {} });
    expect(byRow.get(4)).toMatchObject({ id: 4, reward: 0, errors: {} });
    expect(byRow.get(100)).toMatchObject({
      reward: 0,
      errors: { invalid_variable_error: true, invalid_variable_error_details: "variable `item.city` in `reference` not found" },
    });

    const again = grade(["eval", CITY, "--data", data, "--out", out, "--json"], { timeout: 120_000 });
    clean(again);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("grade eval: resuming: 10,000 of 10,000 rows are in");
    const summary = JSON.parse(again.stdout) as { rows: Record<string, number>; reward: Record<string, number>; errors: Record<string, unknown>; complete: boolean };
    expect(summary.rows).toMatchObject({ total: 10_000, done: 10_000, graded: 10_000, flagged: 100, this_run: 0, earlier: 10_000 });
    expect(summary.reward.mean).toBeCloseTo(0.75, 12);
    expect(summary.errors).toEqual({ invalid_variable_error: { count: 100, first: 100 } });
    expect(summary.complete).toBe(true);
    expect(results(out)).toHaveLength(10_000);
  });
});

describe("grade eval: output", () => {
  it("without --out: results as JSON Lines on stdout, the summary on stderr", () => {
    const run = grade(["eval", CITY, "--data", "examples/data/cities.jsonl"]);
    clean(run);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Result);
    expect(lines.map((l) => l.row).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(lines.find((l) => l.row === 5)).toMatchObject({ id: "trip-05", reward: 1 });
    expect(lines.find((l) => l.row === 10)).toMatchObject({ reward: null, error_kind: "malformed", error: expect.stringMatching(/^not valid JSON/) });
    expect(run.stderr).toContain("rows      11 graded, 1 with an error flag, 1 malformed  (12 of 12 rows)\n");
    expect(run.stderr).toContain("errors    invalid_variable_error  1 row, first row 7\n");
    expect(run.stderr).toContain("problems  row 10 (malformed): not valid JSON (");
    expect(run.stderr).not.toContain("grade eval: "); // 12 rows: no progress line (and no time for one)
  });

  it("every row clean: exit 0; --json summary on stdout with --out", () => {
    const data = write("clean.jsonl", '{"item": {"city": "Paris"}, "sample": "Paris!"}\n\n{"item": {"city": "Rome"}, "sample": "rome"}\n');
    const run = grade(["eval", CITY, "--data", data, "--out", file("clean-out.jsonl"), "--json", "--no-progress"]);
    clean(run);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const summary = JSON.parse(run.stdout) as { rows: { total: number; graded: number }; reward: { mean: number } };
    expect(summary.rows).toMatchObject({ total: 2, graded: 2 });
    expect(summary.reward.mean).toBe(1);
    expect(results(file("clean-out.jsonl")).map((r) => r.row).sort()).toEqual([1, 3]); // row = line number
  });

  it("malformed rows: a result line with the reason and the line number, counted, never a crash", () => {
    const data = write(
      "malformed.jsonl",
      [
        '{"item": {"city": "Paris"}, "sample": "Paris"}',
        "{not json",
        "[1, 2]",
        '{"item": {"city": "Paris"}}',
        '{"item": "Paris", "sample": "x"}',
        '{"sample": 42}',
        '{"sample": {"output_text": 3}}',
        "",
        '{"item": {"city": "Paris"}, "sample": "Paris", "itme": 1}',
      ].join("\n"),
    );
    const out = file("malformed-out.jsonl");
    const run = grade(["eval", CITY, "--data", data, "--out", out]);
    clean(run);
    expect(run.code).toBe(1);
    const byRow = new Map(results(out).map((r) => [r.row, r]));
    expect([...byRow.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 9]);
    expect(byRow.get(2)).toMatchObject({ reward: null, error_kind: "malformed", error: expect.stringMatching(/^not valid JSON \(/) });
    expect(byRow.get(3)!.error).toBe('a row must be a JSON object {"item": ..., "sample": ...}, not a list');
    expect(byRow.get(4)!.error).toMatch(/^`sample` is missing/);
    expect(byRow.get(5)!.error).toBe("`item` must be a JSON object (the dataset row), not a string");
    expect(byRow.get(6)!.error).toMatch(/^`sample` must be the output text/);
    expect(byRow.get(7)!.error).toBe("`output_text` in the sample must be a string, not a number");
    expect(byRow.get(9)).toMatchObject({ reward: 1 });
    expect(run.stdout).toContain("rows      2 graded, 6 malformed  (8 of 8 rows)\n");
    expect(run.stdout).toContain("problems  row 2 (malformed): not valid JSON (");
    expect(run.stdout).toContain("… and 1 more");
    expect(run.stderr).toContain("grade eval: row 9 has a key `itme` that is not item, sample or id: it is ignored\n");
  });
});

describe("grade eval: resuming", () => {
  it("a torn last line is cut off and its row graded again", () => {
    const data = write("torn.jsonl", cityRows(300));
    const out = file("torn-out.jsonl");
    expect(grade(["eval", CITY, "--data", data, "--out", out]).code).toBe(1);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    const last = lines.pop()!;
    const lost = (JSON.parse(last) as Result).row;
    fs.writeFileSync(out, `${lines.join("\n")}\n${last.slice(0, 17)}`);

    const run = grade(["eval", CITY, "--data", data, "--out", out]);
    clean(run);
    expect(run.stderr).toContain("ended in a torn line (the last run was killed); it was cut off and its row runs again");
    expect(run.stderr).toContain("resuming: 299 of 300 rows are in");
    expect(run.stdout).toContain("1 row this run");
    const records = results(out);
    exactlyOnce(records, 300);
    expect(records.at(-1)!.row).toBe(lost);
  });

  it("an --out of another grader, other data or a file that is not ours is refused and left alone; --overwrite starts again", () => {
    const data = write("refuse.jsonl", cityRows(20));
    const out = file("refuse-out.jsonl");
    grade(["eval", CITY, "--data", data, "--out", out]);
    const before = fs.readFileSync(out, "utf8");

    const other = grade(["eval", "examples/graders/summary-rouge.grade", "--data", data, "--out", out]);
    clean(other);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^grade: `.*refuse-out\.jsonl` holds results of another grader \(examples\/graders\/contains-city\.grade, sha256 [0-9a-f]{12}…; this one is [0-9a-f]{12}…\); give another --out to keep it, or --overwrite to start again\n$/);

    const otherData = write("refuse2.jsonl", cityRows(21));
    const changed = grade(["eval", CITY, "--data", otherData, "--out", out]);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain("holds results for other data");
    expect(fs.readFileSync(out, "utf8")).toBe(before);

    const notOurs = write("notours.jsonl", '{"a": 1}\n');
    const refused = grade(["eval", CITY, "--data", data, "--out", notOurs]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("exists and is not a results file of grade eval");
    expect(fs.readFileSync(notOurs, "utf8")).toBe('{"a": 1}\n');

    const overwrite = grade(["eval", CITY, "--data", otherData, "--out", out, "--overwrite"]);
    expect(overwrite.code).toBe(0);
    exactlyOnce(results(out), 21);
  });

  it.skipIf(!hasPython)("SIGKILL mid-run loses no finished row and tears no line; the next run grades the rest", async () => {
    const grader = write("slow.grade", SLOW_PYTHON);
    const data = write("kill.jsonl", numberedRows(2000));
    const out = file("kill-out.jsonl");
    const args = ["eval", grader, "--data", data, "--out", out, "--concurrency", "2"];
    const first = startGrade(args);
    await waitForLines(out, 300);
    first.child.kill("SIGKILL");
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const partial = fs.readFileSync(out, "utf8");
    const whole = partial.slice(0, partial.lastIndexOf("\n") + 1).trimEnd().split("\n").slice(1);
    for (const line of whole) expect(() => JSON.parse(line)).not.toThrow();
    const before = whole.length;
    expect(before).toBeGreaterThanOrEqual(299);
    expect(before).toBeLessThan(2000);

    expect(fs.existsSync(`${out}.lock`)).toBe(true); // left by the killed run; its pid is gone

    const second = await startGrade(args).done;
    clean(second);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/grade eval: resuming: [\d,]+ of 2,000 rows are in/);
    expect(fs.existsSync(`${out}.lock`)).toBe(false);
    const records = results(out);
    exactlyOnce(records, 2000);
    expect(records.every((r) => r.reward === ((r.row % 2 === 0) ? 1 : 0.5))).toBe(true);
    expect(second.stdout).toContain("(2,000 of 2,000 rows; ");
    expect(second.stdout).toMatch(/^reward {4}mean 0\.75 /m);
  });

  it.skipIf(!hasPython)("a second run on the same --out is refused while the first runs, even with --overwrite", async () => {
    const grader = write("slow-lock.grade", SLOW_PYTHON);
    const data = write("lock.jsonl", numberedRows(2000));
    const out = file("lock-out.jsonl");
    const first = startGrade(["eval", grader, "--data", data, "--out", out, "-c", "2"]);
    await waitForLines(out, 50);
    for (const extra of [[], ["--overwrite"]]) {
      const second = grade(["eval", grader, "--data", data, "--out", out, ...extra]);
      expect(second.code).toBe(2);
      expect(second.stdout).toBe("");
      expect(second.stderr).toMatch(
        new RegExp(`is being written by another grade eval \\(pid ${first.child.pid}, started [^)]+\\); wait for it to finish or give another --out \\(if no such run is going on, delete \`[^\`]+lock-out\\.jsonl\\.lock\`\\)`),
      );
    }
    first.child.kill("SIGINT");
    expect((await first.done).code).toBe(130);
    expect(fs.existsSync(`${out}.lock`)).toBe(false);
    const rest = grade(["eval", grader, "--data", data, "--out", out], { timeout: 120_000 });
    expect(rest.code, rest.stderr).toBe(0);
    exactlyOnce(results(out), 2000);
  });

  it.skipIf(!hasPython)("SIGINT: the rows in flight finish, the summary so far, exit 130, how to resume; then the rest", async () => {
    const grader = write("slow-int.grade", SLOW_PYTHON);
    const data = write("int.jsonl", numberedRows(2000));
    const out = file("int-out.jsonl");
    const args = ["eval", grader, "--data", data, "--out", out, "-c", "2"];
    const first = startGrade(args);
    await waitForLines(out, 200);
    first.child.kill("SIGINT");
    const stopped = await first.done;
    clean(stopped);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/grade eval: SIGINT: stopping(; waiting for \d rows? in flight \(press Ctrl-C again to drop (it|them)\))?\n/);
    const done = results(out).length;
    expect(done).toBeGreaterThanOrEqual(199);
    expect(done).toBeLessThan(2000);
    expect(stopped.stdout).toContain(`(${done.toLocaleString("en-US")} of 2,000 rows)`);
    expect(stopped.stderr).toContain(
      `grade eval: interrupted by SIGINT after ${done.toLocaleString("en-US")} of 2,000 rows; run the same command again to grade the ${(2000 - done).toLocaleString("en-US")} rows left`,
    );

    const term = startGrade(args);
    await waitForLines(out, done + 150);
    term.child.kill("SIGTERM");
    expect((await term.done).code).toBe(143);

    const rest = await startGrade(args).done;
    expect(rest.code, rest.stderr).toBe(0);
    exactlyOnce(results(out), 2000);
  });
});

describe("grade eval --data - (standard input) and pipes", () => {
  it("reads the rows from standard input, through a temporary copy removed at the end; a re-run with the same rows resumes", () => {
    const rows = cityRows(300);
    const out = file("stdin-results.jsonl");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-tmp-"));
    const env = { TMPDIR: tmp, TEMP: tmp, TMP: tmp };
    const run = grade(["eval", CITY, "--data", "-", "--out", out], { input: rows, env });
    clean(run);
    expect(run.code, run.stderr).toBe(1); // rows 100, 200 and 300 set invalid_variable_error
    expect(run.stdout).toMatch(/^rows {6}300 graded, 3 with an error flag {2}\(300 of 300 rows\)$/m);
    const records = results(out);
    exactlyOnce(records, 300);
    expect(JSON.parse(fs.readFileSync(out, "utf8").split("\n")[0]!)).toMatchObject({ data: { file: "-", rows: 300 } });
    const copies = () => fs.readdirSync(tmp).filter((name) => name.startsWith("grade-eval-data-"));
    expect(copies()).toEqual([]); // the copy is gone

    const again = grade(["eval", CITY, "--data", "-", "--out", out], { input: rows, env });
    expect(again.stderr).toContain("grade eval: resuming: 300 of 300 rows are in");
    exactlyOnce(results(out), 300);

    const other = grade(["eval", CITY, "--data", "-", "--out", out], { input: cityRows(10), env });
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/holds results for other data \(-, sha256 [0-9a-f]{12}…; `-` is [0-9a-f]{12}…\)/);
    expect(copies()).toEqual([]); // removed at exit too
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("without --out the results go to standard output", () => {
    const run = grade(["eval", CITY, "--data", "-", "--no-progress"], { input: cityRows(5) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split("\n").map((l) => (JSON.parse(l) as Result).row).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(run.stderr).toMatch(/^rows {6}5 graded/m);
  });

  it("empty standard input is an empty dataset, not a hang", () => {
    const run = grade(["eval", CITY, "--data", "-", "--no-progress"], { input: "", timeout: 20_000 });
    clean(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^rows {6}0 graded {2}\(0 of 0 rows\)$/m);
  });

  it.skipIf(process.platform === "win32")("a pipe (`--data <(...)`) is read the same way", () => {
    const data = write("piped.jsonl", cityRows(40));
    const bin = path.join(root, "bin/grade.js");
    const run = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" eval ${CITY} --data <(cat "${data}") --no-progress`], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(40);
  });
});

describe("grade eval --remote (the loopback fake API)", () => {
  let api: FakeApi;
  beforeAll(async () => {
    api = await FakeApi.start();
  });
  afterAll(() => api.close());

  const remote = (args: string[], env: Record<string, string> = { OPENAI_API_KEY: "sk-test-eval-1234567890" }) =>
    gradeAsync(["eval", CITY, "--remote", "--base-url", api.baseUrl, ...args], { env, timeout: 60_000 });

  it("sends each row to /graders/run; a 429 (Retry-After) then 200 is retried by the client", async () => {
    api.reset();
    api.reply({ status: 429, headers: { "retry-after": "0" }, body: { error: { message: "Rate limit reached", type: "requests" } } });
    const data = write("remote.jsonl", [
      ...Array.from({ length: 19 }, (_, i) => JSON.stringify({ item: { city: "Paris" }, sample: `row ${i + 1}` })),
      JSON.stringify({ item: { city: "Oslo" }, sample: { output_text: "Oslo it is", output_tools: [] } }),
    ].join("\n"));
    const out = file("remote-out.jsonl");
    const run = await remote(["--data", data, "--out", out, "-c", "3"]);
    clean(run);
    expect(run.code, run.stderr).toBe(0);
    expect(api.requests).toHaveLength(21);
    const records = results(out);
    exactlyOnce(records, 20);
    expect(records[0]).toMatchObject({ reward: 1, errors: {}, sampled_model_name: "gpt-4o-2024-08-06", token_usage: { prompt_tokens: 190 } });
    const bodies = api.requests.map((r) => r.body as { model_sample: string; item: unknown; grader: { type: string } });
    expect(bodies.every((b) => b.grader.type === "string_check")).toBe(true);
    expect(bodies.some((b) => b.model_sample === "Oslo it is")).toBe(true);
    expect(bodies.some((b) => b.model_sample === "row 7" && JSON.stringify(b.item) === '{"city":"Paris"}')).toBe(true);
    expect(run.stderr).toContain("with --remote only the sample's output_text is sent (model_sample); output_tools is not sent");
    expect(JSON.parse(fs.readFileSync(out, "utf8").split("\n")[0]!)).toMatchObject({ engine: "remote" });
    expect(run.stdout + run.stderr).not.toContain("sk-test-eval");
  });

  it("a 429 that outlasts the client's retries: the row waits, fewer requests at once, then succeeds", async () => {
    api.reset();
    api.reply({ status: 429, body: { error: { message: "Rate limit reached" } } });
    const run = await remote(["--data", "examples/data/cities.jsonl", "--max-retries", "0", "-c", "4", "--json"]);
    clean(run);
    expect(run.stderr).toMatch(/grade eval: row \d+: rate limited \(HTTP 429: Rate limit reached\) after 1 attempt; .*; waiting 1 s, then 2 requests at once \(the row will be retried\)/);
    const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Result);
    expect(lines.map((l) => l.row).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(api.requests).toHaveLength(12); // 11 rows (row 10 is malformed) and the retry
    expect(run.code).toBe(1); // the malformed row
  });

  it("401: the run stops (exit 3), the key is never printed, nothing is lost: the next run resumes", async () => {
    api.reset();
    api.always({ status: 401, body: { error: { message: "Incorrect API key provided: sk-test-***7890" } } });
    const out = file("remote-401.jsonl");
    const data = write("remote-401.jsonl.data", cityRows(30));
    const run = await remote(["--data", data, "--out", out]);
    clean(run);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("grade: the API did not accept the key (HTTP 401");
    expect(run.stderr).toContain("grade eval: stopped; run the same command again to grade the 30 rows left");
    expect(results(out)).toHaveLength(0);

    api.reset();
    const again = await remote(["--data", data, "--out", out]);
    expect(again.code).toBe(0); // the fake API's run answer sets no flag
    exactlyOnce(results(out), 30);
  });

  it("a 400 about the grader stops the run and points at the .grade line; a 400 about one row fails that row", async () => {
    api.reset();
    api.always({ status: 400, body: { error: { message: "Invalid value for 'grader.operation'.", param: "grader.operation", type: "invalid_request_error" } } });
    const stopped = await remote(["--data", "examples/data/cities.jsonl", "--no-progress"]);
    clean(stopped);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/contains-city\.grade:9:\d+: error\[api\]: Invalid value for 'grader\.operation'\./);

    api.reset();
    api.reply({ status: 413, body: { error: { message: "model_sample is too long", param: "model_sample" } } });
    const one = await remote(["--data", "examples/data/cities.jsonl", "-c", "1"]);
    expect(one.code).toBe(1);
    const failed = one.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Result & { status?: number }).find((r) => r.error_kind === "failed");
    expect(failed).toMatchObject({ row: 1, reward: null, status: 413, error: "the API answered HTTP 413: model_sample is too long" });
  });

  it("an object sample without output_text is a malformed row with --remote", async () => {
    api.reset();
    const data = write("remote-obj.jsonl", '{"sample": {"output_json": {"a": 1}}}\n{"sample": "Paris", "item": {"city": "Paris"}}\n');
    const run = await remote(["--data", data]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as Result);
    expect(lines.find((l) => l.row === 1)!.error).toBe("with --remote the sample is sent as text (model_sample): give a string, or an object with `output_text`");
    expect(api.requests).toHaveLength(1);
  });
});

describe("grade eval: bad input is a message, never a stack trace (exit 2)", () => {
  const cases: [string, string[], RegExp][] = [
    ["no --data", ["eval", CITY], /required option '-d, --data <rows\.jsonl>' not specified/],
    ["a missing data file", ["eval", CITY, "--data", "nope.jsonl"], /^grade: cannot read --data `nope\.jsonl`: no such file or directory\n$/],
    ["a directory as data", ["eval", CITY, "--data", "examples"], /^grade: --data `examples` is not a file/],
    ["a missing grader", ["eval", "nope.grade", "--data", "examples/data/cities.jsonl"], /^grade: cannot read `nope\.grade`/],
    ["--concurrency 0", ["eval", CITY, "--data", "examples/data/cities.jsonl", "-c", "0"], /expected a whole number, 1 or more/],
    ["--out is --data", ["eval", CITY, "--data", "examples/data/cities.jsonl", "--out", "examples/data/cities.jsonl"], /^grade: --out is the --data file/],
    ["--overwrite without --out", ["eval", CITY, "--data", "examples/data/cities.jsonl", "--overwrite"], /^grade: --overwrite replaces the --out file: give --out\n$/],
    ["--python with --remote", ["eval", CITY, "--data", "examples/data/cities.jsonl", "--remote", "--python", "python3"], /^grade: --python is for the local engine; with --remote the API runs the grader\n$/],
    ["--remote without a key", ["eval", CITY, "--data", "examples/data/cities.jsonl", "--remote"], /^grade: no API key: set OPENAI_API_KEY/],
    ["--out in a missing directory", ["eval", CITY, "--data", "examples/data/cities.jsonl", "--out", "/nonexistent-dir/r.jsonl"], /^grade: cannot write --out `\/nonexistent-dir\/r\.jsonl`: no such directory\n$/],
  ];
  for (const [name, args, message] of cases) {
    it(name, () => {
      const run = grade(args, { env: { OPENAI_API_KEY: undefined, AZURE_OPENAI_ENDPOINT: undefined } });
      clean(run);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
    });
  }

  it("a grader with an error: its findings, nothing graded", () => {
    const bad = write("bad.grade", 'string_check "x" {\n  input: sample.output_text\n  reference: item.city\n  operation: likee\n}\n');
    const run = grade(["eval", bad, "--data", "examples/data/cities.jsonl"]);
    clean(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error\[invalid-enum\]/);
    expect(run.stderr).toMatch(/nothing was graded\n$/);
  });

  it("--help has the formats, the exit codes and examples", () => {
    const run = grade(["eval", "--help"]);
    expect(run.code).toBe(0);
    for (const text of ["--data <rows.jsonl>", "--out <results.jsonl>", "--concurrency <n>", "--remote", "--python <path>", "Resuming:", "holds <out>.lock", "Exit codes:", "130 / 143", "Examples:"]) {
      expect(run.stdout).toContain(text);
    }
  });
});
