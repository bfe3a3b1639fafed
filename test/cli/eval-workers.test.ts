import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpuOnlyGrader } from "../../src/eval/workers.js";
import { grade, hasStackTrace } from "../helpers/cli.js";

/*
 * `grade eval --workers N`: string_check / text_similarity rows graded on worker threads give the
 * same result lines, in the same (row) order, as the main thread; a resumed run grades only the
 * rest; python graders never go to a thread; bad values are usage errors.
 */

let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-workers-"));
  const words = "the capital of france is paris london answer 42 quick brown fox Ünïcödé 東京".split(" ");
  const lines: string[] = [];
  for (let i = 1; i <= 3000; i++) {
    const ref = words.slice(i % 7, (i % 7) + 3 + (i % 5)).join(" ");
    const out = words.slice((i * 3) % 9, ((i * 3) % 9) + 2 + (i % 6)).join(" ");
    if (i % 500 === 0) lines.push("{not json");
    else if (i % 301 === 0) lines.push(JSON.stringify({ id: `r${i}`, item: {}, sample: out })); // no reference: flagged
    else lines.push(JSON.stringify({ id: `r${i}`, item: { reference: ref }, sample: out }));
  }
  fs.writeFileSync(file("rows.jsonl"), lines.join("\n") + "\n");
  const multi = {
    type: "multi",
    name: "both",
    graders: {
      f: { type: "text_similarity", name: "f", input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: "fuzzy_match" },
      m: { type: "text_similarity", name: "m", input: "{{sample.output_text}}", reference: "{{item.reference}}", evaluation_metric: "meteor" },
      s: { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{item.reference}}", operation: "ilike" },
    },
    calculate_output: "(f + m + s) / 3",
  };
  fs.writeFileSync(file("multi.json"), JSON.stringify(multi));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rowOf = (line: string) => (JSON.parse(line) as { row: number }).row;
const byRow = (ls: string[]) => [...ls].sort((x, y) => rowOf(x) - rowOf(y));

/** Result lines without their timing. */
function lines(out: string): string[] {
  return fs
    .readFileSync(out, "utf8")
    .trimEnd()
    .split("\n")
    .slice(1)
    .map((l) => l.replace(/,"execution_time":[0-9.e-]+/, ""));
}

describe("grade eval --workers", () => {
  it("gives the main thread's results, in row order, exactly once", () => {
    const one = grade(["eval", file("multi.json"), "--data", file("rows.jsonl"), "--out", file("w1.jsonl"), "--workers", "1", "--no-progress"]);
    const two = grade(["eval", file("multi.json"), "--data", file("rows.jsonl"), "--out", file("w2.jsonl"), "--workers", "2", "--no-progress"]);
    expect(one.code, one.stderr).toBe(1); // malformed rows and flagged rows: findings
    expect(two.code, two.stderr).toBe(1);
    const a = lines(file("w1.jsonl"));
    const b = lines(file("w2.jsonl"));
    expect(a.length).toBe(3000);
    expect(byRow(b)).toEqual(byRow(a));
    expect(byRow(b).map((l) => (JSON.parse(l) as { row: number }).row)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    // Graded rows come back in row order; a malformed row is written as soon as it is read (as
    // with one thread and --concurrency), so it may come before rows still being graded.
    const graded = b.filter((l) => !l.includes('"error_kind"')).map((l) => (JSON.parse(l) as { row: number }).row);
    expect(graded).toEqual([...graded].sort((x, y) => x - y));
    expect(b.filter((l) => l.includes('"error_kind":"malformed"')).length).toBe(6);
    expect(two.stderr).toBe(one.stderr);
  });

  it("resumes: a second run grades only the rows not yet written", () => {
    const out = file("resume.jsonl");
    const full = fs.readFileSync(file("w1.jsonl"), "utf8").split("\n");
    fs.writeFileSync(out, full.slice(0, 1001).join("\n") + "\n"); // header + rows 1..1000
    const run = grade(["eval", file("multi.json"), "--data", file("rows.jsonl"), "--out", out, "--workers", "2", "--no-progress", "--json"]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain("resuming: 1,000 of 3,000 rows");
    expect(byRow(lines(out))).toEqual(byRow(lines(file("w1.jsonl"))));
  });

  it("sends only CPU-only graders to threads", () => {
    expect(cpuOnlyGrader({ type: "string_check" })).toBe(true);
    expect(cpuOnlyGrader({ type: "text_similarity", evaluation_metric: "bleu" })).toBe(true);
    expect(cpuOnlyGrader({ type: "text_similarity", evaluation_metric: "cosine" })).toBe(false);
    expect(cpuOnlyGrader({ type: "python", source: "" })).toBe(false);
    expect(cpuOnlyGrader({ type: "score_model" })).toBe(false);
    expect(cpuOnlyGrader({ type: "multi", graders: { a: { type: "string_check" }, b: { type: "python" } } })).toBe(false);
    expect(cpuOnlyGrader({ type: "multi", graders: { a: { type: "string_check" } } })).toBe(true);
    expect(cpuOnlyGrader({ type: "multi", graders: [] })).toBe(false);
  });

  it.each([
    ["0", /--workers.*expected a whole number, 1 or more/],
    ["two", /--workers/],
  ])("--workers %s is a usage error", (value, message) => {
    const run = grade(["eval", file("multi.json"), "--data", file("rows.jsonl"), "--workers", value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it("--workers with --remote is refused", () => {
    const run = grade(["eval", file("multi.json"), "--data", file("rows.jsonl"), "--remote", "--base-url", "http://127.0.0.1:9/v1", "--workers", "2"], { env: { OPENAI_API_KEY: "sk-test" }, timeout: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("grade: --workers is for the local engine; with --remote the API runs the grader\n");
  });
});
