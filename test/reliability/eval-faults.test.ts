import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace, root, type Run } from "../helpers/cli.js";

/*
 * `grade eval` under faults: the results file's disk filling up mid-run (a file size limit,
 * RLIMIT_FSIZE, set with the shell's `ulimit -f`), no room even for the lock, hand-edited results
 * lines, and SIGKILL at random points. Nothing is lost, nothing counted twice, no stack trace.
 */

const CITY = path.join(root, "examples/graders/contains-city.grade");
const bin = path.join(root, "bin/grade.js");
let dir: string;
const file = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-faults-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Rows for contains-city: every 100th lacks `city` (flagged), every 4th misses the city (0), every 250th is not JSON. */
function cityRows(n: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) {
    if (i % 250 === 0) lines.push(`{"id": ${i}, "item": `);
    else if (i % 100 === 0) lines.push(JSON.stringify({ id: i, item: { town: "Paris" }, sample: "Paris" }));
    else if (i % 4 === 0) lines.push(JSON.stringify({ id: i, item: { city: "Paris" }, sample: `Row ${i} stays home.` }));
    else lines.push(JSON.stringify({ id: i, item: { city: "Paris" }, sample: `Row ${i} flies to PARIS.` }));
  }
  return lines.join("\n") + "\n";
}

/** A shell script (here: `ulimit -f <512-byte blocks> && exec node bin/grade.js ...`), as a user types it. */
function shell(script: string): Run {
  const started = performance.now();
  const result = spawnSync("sh", ["-c", script], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

const clean = (run: Run) => expect(hasStackTrace(run.stdout + run.stderr), run.stdout + run.stderr).toBe(false);

/** The rows of a results file; every line whole JSON, the header first. */
function rowsOf(out: string): number[] {
  const text = fs.readFileSync(out, "utf8");
  expect(text.endsWith("\n"), "no torn line").toBe(true);
  const lines = text.slice(0, -1).split("\n");
  expect(JSON.parse(lines[0]!)).toHaveProperty("grade_eval", 1);
  return lines.slice(1).map((l) => (JSON.parse(l) as { row: number }).row);
}

function exactlyOnce(rows: number[], n: number): void {
  const sorted = [...rows].sort((a, b) => a - b);
  expect(sorted.length).toBe(n);
  expect(new Set(sorted).size).toBe(n);
  expect(sorted[0]).toBe(1);
  expect(sorted[n - 1]).toBe(n);
}

/** The --json summary without what differs between runs (time, rows this run, the slowest). */
function comparable(stdout: string): unknown {
  const j = JSON.parse(stdout) as Record<string, unknown> & { rows: Record<string, unknown>; reward: Record<string, number> };
  delete j["seconds"];
  delete j["rows_per_second"];
  delete j["slowest"];
  delete j["out"];
  delete j.rows["this_run"];
  delete j.rows["earlier"];
  for (const k of Object.keys(j.reward)) j.reward[k] = Number(j.reward[k]!.toFixed(12));
  return j;
}

describe("grade eval on a write error", () => {
  it("the disk fills up mid-run: exit 2, one line saying what failed and that the run resumes; the resumed run completes", () => {
    const data = file("full.jsonl");
    fs.writeFileSync(data, cityRows(3000));
    const out = file("full-results.jsonl");
    const failed = shell(`ulimit -f 128 && exec "${process.execPath}" "${bin}" eval "${CITY}" --data "${data}" --out "${out}" --no-progress`);
    clean(failed);
    expect(failed.code).toBe(2);
    const written = rowsOf(out);
    expect(written.length).toBeGreaterThan(100);
    expect(written.length).toBeLessThan(3000);
    expect(failed.stderr).toBe(
      `grade: cannot write --out \`${out}\`: the file is larger than the file size limit allows (EFBIG); stopped; ` +
        `the ${written.length.toLocaleString("en-US")} of 3,000 rows written are kept: make room and run the same command again to resume\n`,
    );
    expect(failed.stdout).toBe("");
    expect(fs.existsSync(`${out}.lock`), "the lock is released").toBe(false);

    const resumed = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress", "--json"]);
    clean(resumed);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toContain(`grade eval: resuming: ${written.length.toLocaleString("en-US")} of 3,000 rows are in \`${out}\` already\n`);
    exactlyOnce(rowsOf(out), 3000);
    const whole = grade(["eval", CITY, "--data", data, "--out", file("whole.jsonl"), "--no-progress", "--json"]);
    expect(comparable(resumed.stdout)).toEqual(comparable(whole.stdout));
  });

  it("no room for the lock: exit 2 (not 70), no lock file left behind, the next run goes ahead", () => {
    const data = file("lock.jsonl");
    fs.writeFileSync(data, cityRows(50));
    const out = file("lock-results.jsonl");
    const failed = shell(`ulimit -f 0 && exec "${process.execPath}" "${bin}" eval "${CITY}" --data "${data}" --out "${out}" --no-progress`);
    clean(failed);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`grade: cannot create the lock file \`${out}.lock\` beside --out: the file is larger than the file size limit allows (EFBIG)\n`);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("lock-results"))).toEqual([]);
    const next = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(next);
    expect(next.code).toBe(0);
    exactlyOnce(rowsOf(out), 50);
  });

  it("room for the lock but not the header: exit 2, the next run writes the header and every row", () => {
    // A long data name: the header (which names it) is past 512 bytes, the lock file is not.
    const data = file(`${"d".repeat(240)}.jsonl`);
    fs.writeFileSync(data, cityRows(50));
    const out = file("header-results.jsonl");
    const failed = shell(`ulimit -f 1 && exec "${process.execPath}" "${bin}" eval "${CITY}" --data "${data}" --out "${out}" --no-progress`);
    clean(failed);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`grade: cannot write --out \`${out}\`: the file is larger than the file size limit allows (EFBIG)\n`);
    expect(fs.existsSync(`${out}.lock`)).toBe(false);
    const next = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(next);
    exactlyOnce(rowsOf(out), 50);
  });
});

describe("grade eval resuming hand-edited or foreign results", () => {
  /** A complete run of 300 rows (blank line 7), then `edit` applied to its results file. */
  function edited(name: string, edit: (lines: string[]) => string[]): { data: string; out: string } {
    const data = file(`${name}.jsonl`);
    const rows = cityRows(300).split("\n");
    rows.splice(6, 0, "   ");
    fs.writeFileSync(data, rows.join("\n"));
    const out = file(`${name}-results.jsonl`);
    const first = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    expect(first.code).toBe(1);
    const lines = fs.readFileSync(out, "utf8").trimEnd().split("\n");
    fs.writeFileSync(out, `${edit(lines).join("\n")}\n`);
    return { data, out };
  }

  const resume = ({ data, out }: { data: string; out: string }) => {
    const before = fs.readFileSync(out, "utf8");
    const run = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(run);
    expect(run.code).toBe(2);
    expect(run.stdout, "no summary").toBe("");
    expect(fs.readFileSync(out, "utf8"), "the file is left as it is").toBe(before);
    return run.stderr;
  };
  const tail = "(was the file edited?); fix or delete that line, or --overwrite to start again\n";

  it("a line for a row that is not in the data: refused with its line number, never 302 of 301 rows", () => {
    const files = edited("foreign-row", (lines) => [...lines, JSON.stringify({ row: 99999, reward: 1, errors: {}, sub_rewards: {} })]);
    expect(resume(files)).toBe(`grade: line 302 of \`${files.out}\` is for row 99999, but \`${files.data}\` has 301 lines ${tail}`);
  });

  it("a line for a blank line of the data", () => {
    const files = edited("blank-row", (lines) => [lines[0]!, JSON.stringify({ row: 7, reward: 1, errors: {}, sub_rewards: {} }), ...lines.slice(1).filter((l) => !l.startsWith('{"row":7,'))]);
    expect(resume(files)).toBe(`grade: line 2 of \`${files.out}\` is for row 7, a blank line of \`${files.data}\` ${tail}`);
  });

  it("a reward edited to 1e999: refused, never a summary of NaN and Infinity", () => {
    const files = edited("infinite", (lines) => lines.map((l, i) => (i === 5 ? l.replace(/"reward":[^,]+/, '"reward":1e999') : l)));
    const row = (JSON.parse(fs.readFileSync(files.out, "utf8").split("\n")[5]!) as { row: number }).row;
    expect(resume(files)).toBe(`grade: line 6 of \`${files.out}\` has a reward that is not a finite number for row ${row} (Infinity) ${tail}`);
  });

  it("a reward that is a string, a null reward without its reason, a row number that is not one", () => {
    const cases: [(l: string) => string, (row: number) => string][] = [
      [(l) => l.replace(/"reward":[^,]+/, '"reward":"1"'), (row) => `has a reward that is not a finite number for row ${row} ("1")`],
      [(l) => l.replace(/"reward":[^,]+/, '"reward":null'), (row) => `has no reward and no error_kind (malformed or failed) for row ${row}`],
      [(l) => l.replace(/"row":\d+/, '"row":2.5'), () => "is not a result of grade eval (no row number)"],
      [(l) => l.replace(/"execution_time":[^,}]+/, '"execution_time":-1'), (row) => `has an execution_time that is not a finite number of seconds for row ${row}`],
    ];
    for (const [i, [edit, message]] of cases.entries()) {
      const files = edited(`bad-${i}`, (lines) => lines.map((l, n) => (n === 3 && l.includes('"execution_time"') ? edit(l) : l)));
      const line = fs.readFileSync(files.out, "utf8").split("\n")[3]!;
      const row = Number(/"row":(\d+)/.exec(line)?.[1]);
      expect(resume(files)).toBe(`grade: line 4 of \`${files.out}\` ${message(row)} ${tail}`);
    }
  });

  it("a header naming other data or another grader is refused (the fingerprints), whatever the rows say", () => {
    const files = edited("fingerprint", (lines) => [lines[0]!.replace(/("data":\{"file":"[^"]*","sha256":")[0-9a-f]{12}/, "$1000000000000"), ...lines.slice(1)]);
    expect(resume(files)).toMatch(/^grade: `.*fingerprint-results\.jsonl` holds results for other data \(.*fingerprint\.jsonl, sha256 000000000000…; `.*fingerprint\.jsonl` is [0-9a-f]{12}…\); give another --out to keep it, or --overwrite to start again\n$/);
  });
});

describe("grade eval killed with SIGKILL at random points", () => {
  /** A seeded generator (mulberry32): the kill points are the same on every run of the test. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const size = (f: string): number => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  };

  /** Starts `grade eval` and kills it with SIGKILL once --out has grown past `bytes` (or after `ms`). */
  function killAt(args: readonly string[], out: string, at: { bytes?: number; ms?: number }): Promise<"killed" | "finished"> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
      let killed = false;
      const kill = () => {
        if (killed || child.exitCode !== null) return;
        killed = true;
        child.kill("SIGKILL");
      };
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        clearInterval(poll);
        resolve(signal === "SIGKILL" ? "killed" : code === 0 || code === 1 ? "finished" : (reject(new Error(`grade eval exited ${code}`)) as never));
      });
      if (at.ms !== undefined) setTimeout(kill, at.ms);
      const poll = setInterval(() => {
        if (at.bytes !== undefined && size(out) >= at.bytes) kill();
      }, 1);
    });
  }

  it("30 kills over a 20,000-row run, each resumed: every row exactly once, the same summary as a run never killed", async () => {
    const n = 20_000;
    const kills = 30;
    const data = file("kill.jsonl");
    fs.writeFileSync(data, cityRows(n));
    const whole = grade(["eval", CITY, "--data", data, "--out", file("kill-whole.jsonl"), "--no-progress", "--json"]);
    const fullSize = size(file("kill-whole.jsonl"));
    const out = file("kill-results.jsonl");
    const args = ["eval", CITY, "--data", data, "--out", out, "--no-progress"];
    const next = random(Number(process.env["GRADE_FUZZ_SEED"] ?? 18));
    let killed = 0;
    let finished = false;
    for (let attempt = 0; killed < kills && attempt < kills * 3; attempt++) {
      const now = size(out);
      // Mostly at a point in the rows left, now and then during start-up (before or inside the header).
      const at = next() < 0.2 ? { ms: Math.floor(next() * 250) } : { bytes: now + Math.floor(next() * ((fullSize - now) / (kills - killed + 1)) * 1.5) };
      const outcome = await killAt(args, out, at);
      if (outcome === "finished") {
        finished = true;
        break;
      }
      killed++;
      // What a kill leaves is whole lines, plus at most one torn last line the next run cuts off.
    }
    expect(killed, "kills that landed before the run finished").toBeGreaterThanOrEqual(finished ? 20 : kills);
    const last = grade([...args, "--json"]);
    clean(last);
    expect(last.code).toBe(1);
    exactlyOnce(rowsOf(out), n);
    expect(comparable(last.stdout)).toEqual(comparable(whole.stdout));
    expect(fs.existsSync(`${out}.lock`), "the last run released the lock it took over").toBe(false);
  }, 120_000);
});

describe("grade eval on a really full disk (a small tmpfs; skipped where mounting one is not allowed)", () => {
  let disk: string | undefined;
  beforeAll(() => {
    const at = fs.mkdtempSync(path.join(os.tmpdir(), "grade-full-disk-"));
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", at], { encoding: "utf8" });
    if (mounted.status === 0) disk = at;
    else fs.rmdirSync(at);
  });
  afterAll(() => {
    if (!disk) return;
    spawnSync("umount", [disk]);
    fs.rmSync(disk, { recursive: true, force: true });
  });
  /** Fills the disk but for about `free` bytes: a file of zeros that can be deleted to make room. */
  const fill = (free: number) => {
    const filler = path.join(disk!, "filler");
    fs.rmSync(filler, { force: true });
    const block = Buffer.alloc(4096);
    const fd = fs.openSync(filler, "w");
    try {
      for (;;) {
        if (fs.statfsSync(disk!).bavail * fs.statfsSync(disk!).bsize <= free) break;
        fs.writeSync(fd, block);
      }
    } catch {
      // full
    } finally {
      fs.closeSync(fd);
    }
    return filler;
  };

  it("no room for the lock (ENOSPC): exit 2 and one line, no empty lock left behind; with room again the run goes ahead", (context) => {
    if (!disk) return context.skip();
    const data = file("enospc-lock.jsonl");
    fs.writeFileSync(data, cityRows(100));
    const out = path.join(disk, "results.jsonl");
    const filler = fill(0);
    const failed = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(failed);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toBe(`grade: cannot create the lock file \`${out}.lock\` beside --out: no space left on the device (ENOSPC)\n`);
    expect(fs.readdirSync(disk).sort()).toEqual(["filler"]);
    fs.rmSync(filler);
    const next = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(next);
    expect(next.code).toBe(1);
    exactlyOnce(rowsOf(out), 100);
  });

  it("the disk fills up mid-run (ENOSPC): exit 2, whole lines kept; after making room the resumed run completes", (context) => {
    if (!disk) return context.skip();
    const data = file("enospc-run.jsonl");
    fs.writeFileSync(data, cityRows(3000));
    const out = path.join(disk, "run-results.jsonl");
    const filler = fill(64 * 1024);
    const failed = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(failed);
    expect(failed.code).toBe(2);
    const kept = rowsOf(out).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3000);
    expect(failed.stderr).toBe(
      `grade: cannot write --out \`${out}\`: no space left on the device (ENOSPC); stopped; the ${kept.toLocaleString("en-US")} of 3,000 rows written are kept: make room and run the same command again to resume\n`,
    );
    fs.rmSync(filler);
    const resumed = grade(["eval", CITY, "--data", data, "--out", out, "--no-progress"]);
    clean(resumed);
    expect(resumed.code).toBe(1);
    exactlyOnce(rowsOf(out), 3000);
  });
});
