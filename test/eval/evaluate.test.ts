import { EventEmitter } from "node:events";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunResponse } from "../../src/api/engine.js";
import { EngineError } from "../../src/api/errors.js";
import { classify, localEngines, type ReadyRow, type RowEngine, type RowOutcome } from "../../src/eval/engines.js";
import { evaluate, resultOf, type EvaluateOptions } from "../../src/eval/evaluate.js";
import { openResults, ResultWriter, RowSet, type Header } from "../../src/eval/results.js";
import { Tally, type ResultRecord } from "../../src/eval/summary.js";

/* The loop of `grade eval` with engines that answer as a test says: concurrency, back-off, stops. */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-loop-"));
});

function dataset(name: string, rows: number, extra: string[] = []): string {
  const file = path.join(dir, name);
  const lines = Array.from({ length: rows }, (_, i) => JSON.stringify({ item: { n: i + 1 }, sample: `s${i + 1}` }));
  fs.writeFileSync(file, [...lines, ...extra].join("\n") + "\n");
  return file;
}

const answer = (reward: number): RunResponse => ({ reward, metadata: { name: "t", type: "python", errors: { other_error: false }, execution_time: 0.001 } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(data: string, grade: (row: ReadyRow) => Promise<RowOutcome>, options: Partial<EvaluateOptions> = {}) {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.jsonl`);
  const header: Header = { grade_eval: 1, grader: { file: "g", sha256: "a" }, data: { file: "d", sha256: "b", bytes: 0, rows: 0 }, engine: "remote" };
  const opened = await openResults(out, header, {});
  const writer = new ResultWriter(opened.fd);
  const tally = new Tally();
  const notices: string[] = [];
  let engines = 0;
  const result = await evaluate({
    data,
    engine: "local",
    concurrency: 4,
    createEngine: async (): Promise<RowEngine> => {
      engines++;
      return { grade, close: async () => undefined };
    },
    done: new RowSet(16),
    tally,
    writer,
    notice: (m) => notices.push(m),
    backoff: { baseMs: 20, maxMs: 80, maxStreak: 3 },
    ...options,
  });
  writer.close();
  const records = fs.readFileSync(out, "utf8").trimEnd().split("\n").slice(1).map((l) => JSON.parse(l) as ResultRecord);
  return { result, tally, notices, records, engines };
}

const rowsOf = (records: ResultRecord[]) => records.map((r) => r.row).sort((a, b) => a - b);

describe("evaluate", () => {
  it("grades every row once, at most `concurrency` at a time, one engine per slot", async () => {
    let now = 0;
    let most = 0;
    const { records, tally, engines, result } = await run(dataset("a.jsonl", 40), async (row) => {
      most = Math.max(most, ++now);
      await sleep(row.row % 3);
      now--;
      return { kind: "graded", response: answer((row.item!["n"] as number) % 2) };
    });
    expect(rowsOf(records)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(most).toBe(4);
    expect(engines).toBeLessThanOrEqual(4);
    expect(tally.stats()!.mean).toBeCloseTo(0.5, 12);
    expect(result).toEqual({ interrupted: undefined, dropped: false, fatal: undefined, gaveUp: undefined });
  });

  it("malformed and blank lines: results with the reason, no slot used; failed rows written", async () => {
    const data = dataset("m.jsonl", 3, ["", "not json", '{"item": {}}', "   "]);
    const { records, tally } = await run(data, async (row) =>
      row.row === 2 ? { kind: "failed", message: "HTTP 413", status: 413 } : { kind: "graded", response: answer(1) },
    );
    expect(rowsOf(records)).toEqual([1, 2, 3, 5, 6]);
    expect(records.find((r) => r.row === 5)).toMatchObject({ reward: null, error_kind: "malformed", error: expect.stringMatching(/^not valid JSON/) });
    expect(records.find((r) => r.row === 2)).toEqual({ row: 2, reward: null, error: "HTTP 413", error_kind: "failed", status: 413 });
    expect(tally).toMatchObject({ graded: 2, malformed: 2, failed: 1 });
  });

  it("skips the rows already done", async () => {
    const done = new RowSet(16);
    [1, 3, 5].forEach((r) => done.add(r));
    const seen: number[] = [];
    const { records } = await run(dataset("s.jsonl", 6), async (row) => {
      seen.push(row.row);
      return { kind: "graded", response: answer(1) };
    }, { done });
    expect(seen.sort()).toEqual([2, 4, 6]);
    expect(rowsOf(records)).toEqual([2, 4, 6]);
  });

  it("429: the row is retried after a pause, with fewer requests at once, then more again", async () => {
    let calls = 0;
    let now = 0;
    const inFlightAfter: number[] = [];
    const { records, notices } = await run(dataset("r.jsonl", 30), async () => {
      const call = ++calls;
      now++;
      if (call > 4) inFlightAfter.push(now); // started after the 429s (the first 4 started together)
      await sleep(2);
      now--;
      if (call <= 2) return { kind: "retry", rateLimited: true, message: "rate limited (HTTP 429)" };
      return { kind: "graded", response: answer(1) };
    });
    expect(rowsOf(records)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(notices.some((n) => /rate limited \(HTTP 429\); waiting 0\.02 s, then 2 requests at once \(the row will be retried\)/.test(n))).toBe(true);
    expect(Math.max(...inFlightAfter.slice(0, 4))).toBeLessThanOrEqual(2);
  });

  it("failures that persist stop the run (gaveUp); the rows graded are kept, the others are not written", async () => {
    let calls = 0;
    const { records, result } = await run(dataset("g.jsonl", 20), async () => {
      await sleep(1);
      return ++calls <= 3 ? { kind: "graded", response: answer(1) } : { kind: "retry", rateLimited: false, message: "the API failed (HTTP 503)" };
    });
    expect(result.gaveUp).toMatch(/^the API kept failing: the API failed \(HTTP 503\)/);
    expect(records.every((r) => r.reward === 1)).toBe(true);
    expect(records.length).toBeLessThanOrEqual(3);
  });

  it("a fatal answer stops taking rows", async () => {
    const error = new EngineError("auth", "the API did not accept the key (HTTP 401)");
    const { records, result } = await run(dataset("f.jsonl", 50), async (row) => (row.row >= 5 ? { kind: "fatal", error } : { kind: "graded", response: answer(1) }));
    expect(result.fatal).toBe(error);
    expect(records.length).toBeLessThan(50);
    expect(records.every((r) => r.reward === 1)).toBe(true);
  });

  it("SIGINT stops taking rows and waits for those in flight; a second one drops them (not written)", async () => {
    const signals = new EventEmitter();
    const gates: (() => void)[] = [];
    const started: number[] = [];
    const pending = run(
      dataset("sig.jsonl", 50),
      (row) =>
        new Promise<RowOutcome>((resolve) => {
          started.push(row.row);
          gates.push(() => resolve({ kind: "graded", response: answer(1) }));
        }),
      { signals },
    );
    while (started.length < 4) await sleep(1);
    signals.emit("SIGINT");
    gates[0]!();
    gates[1]!();
    await sleep(5);
    signals.emit("SIGINT");
    const { result, records, notices } = await pending;
    expect(result).toMatchObject({ interrupted: "SIGINT", dropped: true });
    expect(started).toHaveLength(4);
    expect(rowsOf(records)).toEqual(started.slice(0, 2).sort((a, b) => a - b));
    expect(notices).toEqual([
      "grade eval: SIGINT: stopping; waiting for 4 rows in flight (press Ctrl-C again to drop them)",
      "grade eval: SIGINT again: dropping 2 rows in flight (a resumed run grades them)",
    ]);
    gates[2]!(); // a late answer after the drop is not written
    await sleep(5);
  });

  it("SIGTERM with nothing in flight ends at once", async () => {
    const signals = new EventEmitter();
    let calls = 0;
    const { result, records } = await run(dataset("term.jsonl", 200), async () => {
      if (++calls === 10) signals.emit("SIGTERM");
      return { kind: "graded", response: answer(1) };
    }, { signals, concurrency: 1 });
    expect(result.interrupted).toBe("SIGTERM");
    expect(records).toHaveLength(10);
  });

  it("the local engine's rows, end to end", async () => {
    const grader = { type: "string_check", name: "n", input: "{{sample.output_text}}", reference: "s{{item.n}}", operation: "eq" };
    const engine = await localEngines(grader, {})();
    const { records } = await run(dataset("l.jsonl", 5), (row) => engine.grade(row));
    expect(records.map((r) => r.reward)).toEqual([1, 1, 1, 1, 1]);
    await engine.close();
  });
});

describe("resultOf and classify", () => {
  it("keeps the set flags with their details, and model fields only when given", () => {
    const record = resultOf(3, "id-3", {
      reward: 0,
      metadata: {
        errors: { python_grader_runtime_error: true, python_grader_runtime_error_details: "Traceback", other_error: false, python_grader_server_error_type: null },
        execution_time: 0.123456789,
        scores: {},
        token_usage: { prompt_tokens: 5 },
        sampled_model_name: "gpt-4o",
      },
      sub_rewards: {},
      model_grader_token_usage_per_model: {},
    });
    expect(record).toEqual({
      row: 3,
      id: "id-3",
      reward: 0,
      errors: { python_grader_runtime_error: true, python_grader_runtime_error_details: "Traceback" },
      sub_rewards: {},
      execution_time: 0.123457,
      token_usage: { prompt_tokens: 5 },
      sampled_model_name: "gpt-4o",
    });
  });

  it("API failures: stop, retry, or fail the row", () => {
    const graderError = (e: EngineError) => e.details.param?.startsWith("grader") ?? false;
    const kind = (k: ConstructorParameters<typeof EngineError>[0], details = {}) => classify(new EngineError(k, "m", details), graderError).kind;
    expect(["auth", "permission", "not-found", "config"].map((k) => kind(k as never))).toEqual(["fatal", "fatal", "fatal", "fatal"]);
    expect(kind("rejected", { param: "grader.input", status: 400 })).toBe("fatal");
    expect(kind("rejected", { param: "model_sample", status: 400 })).toBe("failed");
    expect(classify(new EngineError("rate-limit", "m"), graderError)).toEqual({ kind: "retry", rateLimited: true, message: "m" });
    expect(["server", "timeout", "network"].map((k) => kind(k as never))).toEqual(["retry", "retry", "retry"]);
    expect(["http", "response"].map((k) => kind(k as never))).toEqual(["failed", "failed"]);
  });
});
