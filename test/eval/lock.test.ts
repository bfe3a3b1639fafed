import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lockResults } from "../../src/eval/lock.js";
import { ResultsError } from "../../src/eval/results.js";

let dir: string;
let out: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-lock-"));
  out = path.join(dir, "results.jsonl");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A pid that was a process a moment ago and is none now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

const holder = (pid: number, host = os.hostname()) => JSON.stringify({ pid, host, started: "2026-11-24T10:00:00.000Z", token: "t" });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ResultsError);
    return (error as Error).message;
  }
  throw new Error("expected a ResultsError");
}

describe("lockResults", () => {
  it("creates <out>.lock with this run's pid and host; release removes it", () => {
    const lock = lockResults(out);
    expect(lock.file).toBe(`${out}.lock`);
    expect(JSON.parse(fs.readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid, host: os.hostname() });
    lock.release();
    expect(fs.existsSync(lock.file)).toBe(false);
    lock.release(); // twice is harmless
  });

  it("refuses while a live run holds it, naming the run and the file to delete", () => {
    fs.writeFileSync(`${out}.lock`, holder(process.ppid));
    expect(refusal(() => lockResults(out))).toBe(
      `\`${out}\` is being written by another grade eval (pid ${process.ppid}, started 2026-11-24T10:00:00.000Z); wait for it to finish or give another --out (if no such run is going on, delete \`${out}.lock\`)`,
    );
    expect(fs.readFileSync(`${out}.lock`, "utf8")).toBe(holder(process.ppid)); // left alone
  });

  it("a second lock in the same process is refused too", () => {
    const lock = lockResults(out);
    expect(refusal(() => lockResults(out))).toContain(`(pid ${process.pid}, started `);
    lock.release();
  });

  it("takes over the lock of a run that is gone (killed with SIGKILL)", () => {
    fs.writeFileSync(`${out}.lock`, holder(deadPid()));
    const lock = lockResults(out);
    expect(JSON.parse(fs.readFileSync(lock.file, "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("never takes over a lock from another host", () => {
    fs.writeFileSync(`${out}.lock`, holder(deadPid(), "build-7.example"));
    expect(refusal(() => lockResults(out))).toContain("by another grade eval (pid ");
    expect(refusal(() => lockResults(out))).toContain(" on build-7.example, started ");
  });

  it("an unreadable lock file is held while fresh (it may be being written), taken over when old", () => {
    fs.writeFileSync(`${out}.lock`, "{");
    expect(refusal(() => lockResults(out))).toBe(
      `\`${out}\` is being written by another grade eval; wait for it to finish or give another --out (if no such run is going on, delete \`${out}.lock\`)`,
    );
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(`${out}.lock`, old, old);
    lockResults(out).release();
  });

  it("release leaves a lock that is no longer this run's", () => {
    const lock = lockResults(out);
    fs.writeFileSync(lock.file, holder(process.ppid));
    lock.release();
    expect(fs.readFileSync(lock.file, "utf8")).toBe(holder(process.ppid));
  });

  it("a directory that does not exist, or cannot be written, is a clear error", () => {
    const missing = path.join(dir, "no", "such", "out.jsonl");
    expect(refusal(() => lockResults(missing))).toBe(`cannot write --out \`${missing}\`: no such directory`);
    if (process.getuid?.() === 0) return; // root writes anywhere
    const readOnly = path.join(dir, "ro");
    fs.mkdirSync(readOnly, { mode: 0o555 });
    expect(refusal(() => lockResults(path.join(readOnly, "out.jsonl")))).toBe(
      `cannot create the lock file \`${path.join(readOnly, "out.jsonl")}.lock\` beside --out: permission denied`,
    );
  });
});
