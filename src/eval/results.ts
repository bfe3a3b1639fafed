import * as fs from "node:fs";
import { readLines } from "./lines.js";
import type { ResultRecord } from "./summary.js";

/*
 * The results file of `grade eval --out`: JSON Lines, one header line, then one line per row in the
 * order the rows finished.
 *
 *   {"grade_eval":1,"grader":{"file":...,"sha256":...},"data":{"file":...,"sha256":...,"bytes":...,"rows":...},"engine":"local"}
 *   {"row":3,"reward":1,"errors":{},"sub_rewards":{},"execution_time":0.000012}
 *   {"row":1,"reward":null,"error":"not valid JSON (...)","error_kind":"malformed"}
 *
 * Resuming: the header says which grader (the sha256 of its compiled JSON) ran on which data (the
 * sha256 of the file) on which engine; a run with another one is refused. The rows already in the
 * file are skipped. Every line is written whole in one write call; a last line without its newline
 * (the process was killed inside a write) is cut off before resuming, and its row runs again.
 */

export const FORMAT_VERSION = 1;

export interface Header {
  readonly grade_eval: number;
  readonly grader: { readonly file: string; readonly sha256: string };
  readonly data: { readonly file: string; readonly sha256: string; readonly bytes: number; readonly rows: number };
  readonly engine: "local" | "remote";
  /**
   * What else decides the rewards: the model server (its URL without credentials), the model
   * map, the model API, the python interpreter; no secret. Absent in files of older runs.
   */
  readonly config?: EngineConfig;
}

/** The settings of a run that change its rewards, as the header records them (`null`: not set). */
export interface EngineConfig {
  readonly model_base_url: string | null;
  readonly model_api: string | null;
  readonly model_map: Readonly<Record<string, string>>;
  readonly python: string | null;
}

/** How a setting is given on the command line, to say what differs. */
const CONFIG_FLAGS: Readonly<Record<keyof EngineConfig, string>> = {
  model_base_url: "--model-base-url",
  model_api: "--model-api",
  model_map: "--model",
  python: "--python",
};

/** The settings that differ between two runs, in words (empty when none). */
function configChanges(found: EngineConfig, wanted: EngineConfig): string[] {
  const show = (key: keyof EngineConfig, value: unknown): string => {
    if (value === null || value === undefined) return "not set";
    if (key === "model_map") {
      const entries = Object.entries(value as Record<string, string>);
      return entries.length === 0 ? "no map" : entries.map(([from, to]) => `${from}=${to}`).join(", ");
    }
    return `\`${String(value)}\``;
  };
  const changes: string[] = [];
  for (const key of Object.keys(CONFIG_FLAGS) as (keyof EngineConfig)[]) {
    const a = found[key] ?? (key === "model_map" ? {} : null);
    const b = wanted[key] ?? (key === "model_map" ? {} : null);
    if (JSON.stringify(a) !== JSON.stringify(b)) changes.push(`${CONFIG_FLAGS[key]}: ${show(key, a)} then, ${show(key, b)} now`);
  }
  return changes;
}

/** Why the results file cannot be resumed: a message for the user (exit 2). */
export class ResultsError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The header's mismatch with this run, in words, or undefined when it matches. */
function mismatch(found: Header, wanted: Header, out: string): string | undefined {
  const short = (sha: string) => sha.slice(0, 12);
  if (found.grade_eval !== FORMAT_VERSION) {
    return `\`${out}\` was written by another version of grade eval (format ${String(found.grade_eval)})`;
  }
  if (found.grader?.sha256 !== wanted.grader.sha256) {
    return `\`${out}\` holds results of another grader (${found.grader?.file ?? "?"}, sha256 ${short(String(found.grader?.sha256))}…; this one is ${short(wanted.grader.sha256)}…)`;
  }
  if (found.data?.sha256 !== wanted.data.sha256) {
    return `\`${out}\` holds results for other data (${found.data?.file ?? "?"}, sha256 ${short(String(found.data?.sha256))}…; \`${wanted.data.file}\` is ${short(wanted.data.sha256)}…)`;
  }
  if (found.engine !== wanted.engine) {
    return `\`${out}\` holds results of the ${found.engine === "remote" ? "API (--remote)" : "local engine"}; this run uses the ${wanted.engine === "remote" ? "API (--remote)" : "local engine"}`;
  }
  // Rows graded by two judges in one file mean nothing together: the settings must be the same.
  if (isObject(found.config) && wanted.config) {
    const changes = configChanges(found.config as unknown as EngineConfig, wanted.config);
    if (changes.length) {
      return `\`${out}\` was graded with other settings (${changes.join("; ")}): resume it with the same settings`;
    }
  }
  return undefined;
}

/** Rows done, one bit each, by row (line) number. */
export class RowSet {
  private bits: Uint8Array;
  size = 0;
  constructor(capacity: number) {
    this.bits = new Uint8Array((capacity >> 3) + 1);
  }
  has(row: number): boolean {
    const byte = row >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (row & 7))) !== 0;
  }
  /** Adds the row; false when it was there already. */
  add(row: number): boolean {
    const byte = row >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (row & 7);
    if (this.bits[byte]! & mask) return false;
    this.bits[byte]! |= mask;
    this.size++;
    return true;
  }
}

export interface Opened {
  readonly fd: number;
  /** The rows already in the file. */
  readonly done: RowSet;
  /** True when an earlier run's rows were found. */
  readonly resumed: boolean;
  /** True when a torn last line was cut off. */
  readonly repaired: boolean;
}

/** The offset just after the last newline of the file (0 when it has none). */
function lastNewlineEnd(fd: number, size: number): number {
  const buffer = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - buffer.length);
    const n = fs.readSync(fd, buffer, 0, end - start, start);
    const at = buffer.subarray(0, n).lastIndexOf(0x0a);
    if (at !== -1) return start + at + 1;
    end = start;
  }
  return 0;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: "no such directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory",
  ENOSPC: "no space left on the device (ENOSPC)",
  EDQUOT: "disk quota exceeded (EDQUOT)",
  EFBIG: "the file is larger than the file size limit allows (EFBIG)",
  EROFS: "read-only file system (EROFS)",
  EIO: "input/output error (EIO)",
};

/** An I/O error's reason in words: `permission denied`, `no space left on the device (ENOSPC)`. */
export function ioReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && Object.hasOwn(REASONS, code)) return REASONS[code]!;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** An I/O error in words: `cannot <what>: permission denied`. */
export function ioError(error: unknown, what: string): ResultsError {
  return new ResultsError(`cannot ${what}: ${ioReason(error)}`);
}

/**
 * Opens the results file for appending: a new (or empty) file gets the header; an existing one is
 * checked against the header (ResultsError when it belongs to another run), its torn last line cut
 * off, and its rows passed to `onRecord` and returned as done. `overwrite` starts afresh.
 */
export interface OpenOptions {
  readonly overwrite?: boolean | undefined;
  readonly onRecord?: (record: ResultRecord) => void;
  /** The lines of the data (blank ones included) and the blank ones: a result for another line is refused. */
  readonly lines?: number | undefined;
  readonly blank?: readonly number[] | undefined;
}

export async function openResults(out: string, header: Header, options: OpenOptions): Promise<Opened> {
  let size = 0;
  try {
    const stat = fs.statSync(out);
    if (stat.isDirectory()) throw new ResultsError(`--out \`${out}\` is a directory; give a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ResultsError) throw error;
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw ioError(error, `read --out \`${out}\``);
  }
  const done = new RowSet(header.data.rows + 1);
  if (options.overwrite || size === 0) {
    let fd: number;
    try {
      fd = fs.openSync(out, "w");
    } catch (error) {
      throw ioError(error, `write --out \`${out}\``);
    }
    try {
      writeHeader(fd, header, out, 0);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    return { fd, done, resumed: false, repaired: false };
  }

  let fd: number;
  try {
    // Appending: every write goes to the end, whatever the position.
    fd = fs.openSync(out, "a+");
  } catch (error) {
    throw ioError(error, `open --out \`${out}\``);
  }
  try {
    // The header first: a file that is not ours is left exactly as it is.
    const end = lastNewlineEnd(fd, size);
    const head = firstLine(fd, end);
    if (head === undefined) {
      // Not one whole line: a header torn by a kill (ours), or someone else's file.
      if (!readText(fd, 0, Math.min(size, 64)).startsWith('{"grade_eval"')) throw notOurs(out);
    } else {
      let found: unknown;
      try {
        found = JSON.parse(head);
      } catch {
        found = undefined;
      }
      if (!isObject(found) || !("grade_eval" in found)) throw notOurs(out);
      const problem = mismatch(found as unknown as Header, header, out);
      if (problem) throw new ResultsError(`${problem}; give another --out to keep it, or --overwrite to start again`);
    }
    let repaired = false;
    if (end < size) {
      fs.ftruncateSync(fd, end);
      repaired = true;
    }
    let first = true;
    const blank = new RowSet(options.lines ?? 0);
    for (const line of options.blank ?? []) blank.add(line);
    for await (const { line, text } of readLines(out)) {
      if (first) {
        first = false;
        continue;
      }
      if (text === undefined || text.trim() === "") continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch {
        record = undefined;
      }
      const problem = invalidRecord(record, options.lines, blank, header.data.file);
      if (problem) {
        throw new ResultsError(`line ${line} of \`${out}\` ${problem} (was the file edited?); fix or delete that line, or --overwrite to start again`);
      }
      // A row written twice (by hand, or two runs of an older version) counts once: the first.
      if (done.add((record as ResultRecord).row)) options.onRecord?.(record as ResultRecord);
    }
    if (first) writeHeader(fd, header, out, end);
    return { fd, done, resumed: done.size > 0, repaired };
  } catch (error) {
    fs.closeSync(fd);
    throw error;
  }
}

const finite = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value);

/**
 * What is wrong with a results line read back, in words ("is for row 99999, ..."), or undefined
 * when it is a result grade eval could have written for this data: a row that is a line of the
 * data holding a row; a finite reward, or none with the reason; finite numbers where the
 * summary adds them up.
 */
function invalidRecord(record: unknown, lines: number | undefined, blank: RowSet, data: string): string | undefined {
  if (!isObject(record)) return "is not a result of grade eval";
  const row = record["row"];
  if (typeof row !== "number" || !Number.isSafeInteger(row) || row < 1) return "is not a result of grade eval (no row number)";
  if (lines !== undefined && row > lines) {
    return `is for row ${row}, but \`${data}\` has ${lines} line${lines === 1 ? "" : "s"}`;
  }
  if (blank.has(row)) return `is for row ${row}, a blank line of \`${data}\``;
  const reward = record["reward"];
  if (reward === null) {
    if (record["error_kind"] !== "malformed" && record["error_kind"] !== "failed") return `has no reward and no error_kind (malformed or failed) for row ${row}`;
    if (typeof record["error"] !== "string") return `has no error message for row ${row}`;
  } else if (!finite(reward)) {
    return `has a reward that is not a finite number for row ${row} (${typeof reward === "number" ? String(reward) : JSON.stringify(reward)})`;
  }
  const errors = record["errors"];
  if (errors !== undefined && !isObject(errors)) return `has errors that are not an object for row ${row}`;
  const seconds = record["execution_time"];
  if (seconds !== undefined && (!finite(seconds) || (seconds as number) < 0)) return `has an execution_time that is not a finite number of seconds for row ${row}`;
  return undefined;
}

/** Writes the header at `at` (the file's end); a failure (a full disk) is a ResultsError, the file cut back. */
function writeHeader(fd: number, header: Header, out: string, at: number): void {
  try {
    writeWhole(fd, `${JSON.stringify(header)}\n`);
  } catch (error) {
    try {
      fs.ftruncateSync(fd, at);
    } catch {
      // a torn header is recognised on the next run
    }
    throw ioError(error, `write --out \`${out}\``);
  }
}

function notOurs(out: string): ResultsError {
  return new ResultsError(
    `\`${out}\` exists and is not a results file of grade eval (its first line is no header); give another --out, or --overwrite to replace it`,
  );
}

function readText(fd: number, position: number, length: number): string {
  const buffer = Buffer.alloc(length);
  const n = fs.readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n).toString("utf8");
}

/** The first line of the file (without its newline) when it ends before `end`; undefined otherwise. */
function firstLine(fd: number, end: number): string | undefined {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(64 * 1024);
  for (let at = 0; at < end; ) {
    const n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at);
    if (n === 0) break;
    const nl = buffer.subarray(0, n).indexOf(0x0a);
    if (nl !== -1) {
      chunks.push(Buffer.from(buffer.subarray(0, nl)));
      return Buffer.concat(chunks).toString("utf8").replace(/\r$/, "");
    }
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    at += n;
    if (at > 1024 * 1024) return "";
  }
  return undefined;
}

/** Writes all of `text`: in one call (a regular file takes it whole); a short write is finished. */
function writeWhole(fd: number, text: string): void {
  const written = fs.writeSync(fd, text, null, "utf8");
  const bytes = Buffer.byteLength(text, "utf8");
  if (written === bytes) return;
  const rest = Buffer.from(text, "utf8");
  for (let at = written; at < bytes; ) at += fs.writeSync(fd, rest, at, bytes - at, null);
}

/**
 * Where finished rows go: appended to the results file, or printed to standard output. Lines
 * finished in the same turn of the event loop are written together, in one write call of whole
 * lines, at the end of that turn (or at once past 64 kB), so a SIGKILL never tears a line.
 *
 * A write that fails (a full disk, a file size limit) never throws: the file is cut back to its
 * last whole line, nothing more is written, `error` says what failed and `onError` is called (the
 * run stops; the rows written are kept and a resumed run grades the others).
 */
export interface WriterOptions {
  /** Standard output was closed by its reader. */
  readonly onBroken?: (() => void) | undefined;
  /** A write failed (`error` says what): the run should stop. */
  readonly onError?: ((error: ResultsError) => void) | undefined;
  /** The results file as the user named it, for the error. */
  readonly out?: string | undefined;
  /** Masks the configured secrets in every line (a model server may echo a key back). */
  readonly redact?: ((text: string) => string) | undefined;
}

export class ResultWriter {
  private pending: string[] = [];
  private pendingSize = 0;
  private scheduled = false;
  private drained: Promise<void> | undefined;

  /** Standard output was closed by the reader (`| head`): nothing more is written. */
  private broken = false;
  /** The length of the results file: whole lines only. */
  private end = 0;

  /** The write error that stopped the writer, in words (`cannot write --out ...: no space left ...`). */
  error: ResultsError | undefined;
  /** Result lines written (and not cut back). */
  written = 0;

  /**
   * fd: the results file (positioned at its end), or undefined for standard output.
   */
  constructor(
    private readonly fd: number | undefined,
    private readonly options: WriterOptions = {},
  ) {
    this.redact = options.redact ?? ((text) => text);
    if (fd === undefined) {
      process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        this.pending = [];
        if (error.code === "EPIPE") {
          this.broken = true;
          options.onBroken?.();
        } else this.fail(error);
      });
    } else {
      this.end = fs.fstatSync(fd).size;
    }
  }

  private fail(error: unknown): void {
    if (this.error) return;
    this.broken = true;
    this.pending = [];
    this.error = ioError(error, this.fd === undefined ? "write the results to standard output" : `write --out \`${this.options.out ?? "the results file"}\``);
    this.options.onError?.(this.error);
  }

  private readonly redact: (text: string) => string;

  write(line: string): void {
    if (this.broken) return;
    line = this.redact(line);
    this.pending.push(line);
    this.pendingSize += line.length;
    if (this.pendingSize >= 64 * 1024) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Resolves when standard output can take more (undefined when it can now). */
  get backpressure(): Promise<void> | undefined {
    return this.drained;
  }

  /** Writes what is pending now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    if (this.broken) return;
    const count = this.pending.length;
    const text = this.pending.join("\n") + "\n";
    this.pending = [];
    this.pendingSize = 0;
    if (this.fd !== undefined) {
      // The position is the end of the file: opened for append, or truncated and written from 0.
      try {
        writeWhole(this.fd, text);
      } catch (error) {
        // Part of the text may be in the file: cut it back to the last whole line.
        try {
          fs.ftruncateSync(this.fd, this.end);
        } catch {
          // a torn last line is cut off when the run is resumed
        }
        this.fail(error);
        return;
      }
      this.end += Buffer.byteLength(text, "utf8");
      this.written += count;
    } else {
      this.written += count;
      if (!process.stdout.write(text) && !this.drained) {
        this.drained = new Promise((resolve) => process.stdout.once("drain", () => {
          this.drained = undefined;
          resolve();
        }));
      }
    }
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    if (this.fd === undefined) return;
    try {
      fs.closeSync(this.fd);
    } catch (error) {
      this.fail(error);
    }
  }
}
