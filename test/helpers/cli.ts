import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "bin/grade.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real `grade` binary (the built dist/) in a child process. */
export function grade(args: readonly string[], options: { input?: string | Buffer; cwd?: string; env?: Record<string, string | undefined>; timeout?: number } = {}): Run {
  const started = performance.now();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? root,
    input: options.input ?? "",
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: options.timeout ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, ms: performance.now() - started };
}

/** True when output shows a JavaScript stack trace (never acceptable in front of a user). */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.*:\d+:\d+\)|\n\s+at file:\/\/|node:internal/.test(text);
}
