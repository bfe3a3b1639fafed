import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { hostname } from "node:os";
import { ioError, ResultsError } from "./results.js";

/*
 * One `grade eval` at a time per results file. Two runs appending to one `--out` would both grade
 * the rows left and write each of them twice (and `--overwrite` would truncate the other run's
 * file under it). A run holds `<out>.lock`, created exclusively (`wx`), holding its pid, host and
 * a token; it removes the file when it ends, and at exit whatever the path to it. A run killed
 * with SIGKILL leaves the file behind: a later run on the same host sees that its pid is gone and
 * takes the lock over. A lock from another host (a shared disk) is never taken over: the message
 * says which file to delete.
 */

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
  readonly token: string;
}

export interface ResultsLock {
  /** The lock file's path. */
  readonly file: string;
  /** Removes the lock file if it is still this run's. Safe to call more than once. */
  release(): void;
}

/** A lock file this young whose content cannot be read may be one being written now. */
const FRESH_MS = 10_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists and belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Holder>;
    if (Number.isSafeInteger(value.pid) && typeof value.host === "string" && typeof value.token === "string") return value as Holder;
  } catch {
    // unreadable or torn: undefined
  }
  return undefined;
}

/** Whether the lock file may be taken over: its run is gone (same host), or it is unreadable and old. */
function stale(file: string, holder: Holder | undefined): boolean {
  if (holder) return holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid);
  try {
    return Date.now() - fs.statSync(file).mtimeMs > FRESH_MS;
  } catch {
    return true; // gone meanwhile
  }
}

function held(out: string, file: string, holder: Holder | undefined): ResultsError {
  const who = holder
    ? `another grade eval (pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`}, started ${holder.started})`
    : "another grade eval";
  return new ResultsError(
    `\`${out}\` is being written by ${who}; wait for it to finish or give another --out (if no such run is going on, delete \`${file}\`)`,
  );
}

/** Takes the lock of the results file `out`, or throws ResultsError naming the run that holds it. */
export function lockResults(out: string): ResultsLock {
  const file = `${out}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomUUID() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, "wx");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") throw ioError(error, `write --out \`${out}\``);
      if (code !== "EEXIST") throw ioError(error, `create the lock file \`${file}\` beside --out`);
      const holder = readHolder(file);
      // One take-over only: a second EEXIST means another run took the stale lock first.
      if (attempt > 0 || !stale(file, holder)) throw held(out, file, holder);
      fs.rmSync(file, { force: true });
      continue;
    }
    try {
      fs.writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    break;
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own file: a run that (wrongly) took it over keeps its lock.
    if (readHolder(file)?.token === me.token) fs.rmSync(file, { force: true });
  };
  process.on("exit", release);
  return { file, release };
}
