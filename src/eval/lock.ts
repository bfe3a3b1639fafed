import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { hostname } from "node:os";
import { ioError, ResultsError } from "./results.js";

/*
 * One `grade eval` at a time per results file. Two runs appending to one `--out` would both grade
 * the rows left and write each of them twice (and `--overwrite` would truncate the other run's
 * file under it). A run holds `<out>.lock`, holding its pid, host and a token; it removes the file
 * when it ends, and at exit whatever the path to it.
 *
 * Atomic, never torn: the holder is written whole to a fresh name (`<out>.lock.<token>`, created
 * with O_EXCL) and only then linked to `<out>.lock` (link(2) fails if the name exists), so a lock
 * file always holds its whole content, and a failed write (a full disk) leaves no lock behind.
 *
 * Taking a stale lock over: a run killed with SIGKILL leaves its lock behind; a later run on the
 * same host sees that its pid is gone and takes it over. Two runs may see the same stale lock at
 * the same moment, so the take-over itself is exclusive: the run that links its holder to
 * `<out>.lock.break-<stale token>` first is the only one that may replace that lock (rename(2) of
 * its fresh name over it); the other finds the new holder alive and is refused. A breaker killed
 * in the middle leaves its marker with a dead pid: the marker is taken over the same way. A lock
 * from another host (a shared disk) is never taken over: the message says which file to delete.
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

/** A lock file this young whose content cannot be read may be one an older version is writing now. */
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

/** The holder in a lock file; undefined when it is gone or cannot be read. */
function readHolder(file: string): Holder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<Holder>;
    if (Number.isSafeInteger(value.pid) && typeof value.host === "string" && typeof value.token === "string") return value as Holder;
  } catch {
    // unreadable or torn: undefined
  }
  return undefined;
}

/** What a stale lock is known by: its holder's token, or for an unreadable file its inode and time. */
function staleId(file: string, holder: Holder | undefined): string | undefined {
  if (holder) return holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid) ? holder.token : undefined;
  try {
    const stat = fs.statSync(file);
    // Unreadable (written by an older version, or by hand) and old.
    return Date.now() - stat.mtimeMs > FRESH_MS ? `ino${stat.ino}-${Math.floor(stat.mtimeMs)}` : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `file` is still the stale lock known by `id`. */
function stillStale(file: string, id: string): boolean {
  const holder = readHolder(file);
  if (holder) return holder.token === id;
  try {
    const stat = fs.statSync(file);
    return `ino${stat.ino}-${Math.floor(stat.mtimeMs)}` === id;
  } catch {
    return false;
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

const code = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

function remove(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort
  }
}

/** Creates `name` holding `text`, exclusively, written whole; on any failure nothing is left. */
function writeFresh(name: string, text: string): void {
  const fd = fs.openSync(name, "wx");
  try {
    const bytes = Buffer.from(text, "utf8");
    for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    fs.closeSync(fd);
  } catch (error) {
    try {
      fs.closeSync(fd);
    } catch {
      // closed already
    }
    remove(name);
    throw error;
  }
}

/**
 * Makes `fresh` (a name of our holder) the lock at `target`, exclusively: links it when the name
 * is free; takes a stale lock over through its break marker. Returns the holder that keeps us out,
 * or "taken".
 */
function take(target: string, fresh: string, depth = 0): "taken" | { holder: Holder | undefined } {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.linkSync(fresh, target);
      return "taken";
    } catch (error) {
      if (code(error) !== "EEXIST") throw error;
    }
    const holder = readHolder(target);
    const id = staleId(target, holder);
    if (id === undefined) {
      // Gone meanwhile (released): try again; else alive, or another host's, or being written.
      if (fs.existsSync(target)) return { holder };
      continue;
    }
    if (depth > 4) return { holder };
    // Exclusive right to replace this stale lock: whoever holds its break marker.
    const marker = `${target}.break-${id}`;
    const breaker = take(marker, fresh, depth + 1);
    if (breaker !== "taken") return { holder: breaker.holder ?? holder };
    try {
      if (!stillStale(target, id)) {
        // Released or replaced between our look and our marker: start again.
        continue;
      }
      // Our own name for the rename (it consumes the name); `fresh` stays for the caller.
      const spare = `${fresh}.${depth}`;
      fs.linkSync(fresh, spare);
      try {
        fs.renameSync(spare, target);
      } catch (error) {
        remove(spare);
        throw error;
      }
      return "taken";
    } finally {
      remove(marker);
    }
  }
  return { holder: readHolder(target) };
}

/** Takes the lock of the results file `out`, or throws ResultsError naming the run that holds it. */
export function lockResults(out: string): ResultsLock {
  const file = `${out}.lock`;
  const me: Holder = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomUUID() };
  const fresh = `${file}.${me.token}`;
  try {
    writeFresh(fresh, `${JSON.stringify(me)}\n`);
  } catch (error) {
    if (code(error) === "ENOENT") throw ioError(error, `write --out \`${out}\``);
    throw ioError(error, `create the lock file \`${file}\` beside --out`);
  }
  let result: ReturnType<typeof take>;
  try {
    result = take(file, fresh);
  } catch (error) {
    throw ioError(error, `create the lock file \`${file}\` beside --out`);
  } finally {
    remove(fresh);
  }
  if (result !== "taken") throw held(out, file, result.holder);

  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Only our own file: a run that (wrongly) took it over keeps its lock.
    if (readHolder(file)?.token === me.token) remove(file);
  };
  process.on("exit", release);
  return { file, release };
}
