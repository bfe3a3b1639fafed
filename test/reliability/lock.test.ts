import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../helpers/cli.js";

/*
 * The lock of `grade eval --out` under races: two processes find the same stale lock (a run
 * killed with SIGKILL) at the same moment, hundreds of times; exactly one of them takes it each
 * time. The built dist/ module in real processes (the race is between processes, not promises).
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-lock-race-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const racer = path.join(root, "test/fixtures/reliability/lock-racer.mjs");

/** A pid that is not running: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function race(rounds: number, gapMs: number): Promise<string[][]> {
  const pid = deadPid();
  for (let i = 0; i < rounds; i++) {
    const stale = { pid, host: os.hostname(), started: "2026-01-01T00:00:00.000Z", token: `stale-${i}` };
    fs.writeFileSync(path.join(dir, `out-${i}.lock`), `${JSON.stringify(stale)}\n`);
  }
  // Both processes loaded before the first round.
  const start = Date.now() + 1500;
  const run = () =>
    new Promise<string[]>((resolve, reject) => {
      const child = spawn(process.execPath, [racer, dir, String(rounds), String(start), String(gapMs)], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(stdout.trimEnd().split("\n")) : reject(new Error(`racer exited ${code}: ${stderr}`))));
    });
  return Promise.all([run(), run()]);
}

describe("the stale-lock take-over is atomic", () => {
  it("two processes racing for the same stale lock 200 times: exactly one takes it each time", async () => {
    const rounds = 200;
    const [a = [], b = []] = await race(rounds, 4);
    expect(a).toHaveLength(rounds);
    expect(b).toHaveLength(rounds);
    const both: number[] = [];
    const neither: number[] = [];
    for (let i = 0; i < rounds; i++) {
      expect([a[i], b[i]], `round ${i}`).toEqual(expect.arrayContaining([expect.stringMatching(/^(taken|refused)$/)]));
      if (a[i] === "taken" && b[i] === "taken") both.push(i);
      if (a[i] !== "taken" && b[i] !== "taken") neither.push(i);
    }
    expect(both, "rounds both processes took").toEqual([]);
    expect(neither, "rounds neither took").toEqual([]);
    // Every lock now belongs to a racer (exited: its lock was released at exit), no marker is left.
    expect(fs.readdirSync(dir).filter((f) => f.includes(".break-") || /\.lock\.[0-9a-f-]{36}/.test(f))).toEqual([]);
  }, 60_000);
});
