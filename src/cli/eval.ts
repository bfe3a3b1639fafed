import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { knownSecrets, resolveRemoteConfig, type RemoteOptions } from "../api/config.js";
import { EngineError } from "../api/errors.js";
import { loadGraderFile, type GraderFile } from "../api/input.js";
import { apiErrorPaths, locateApiError } from "../api/locate.js";
import { createRedactor, withoutCredentials } from "../api/redact.js";
import { EXIT, Reporter } from "../api/report.js";
import type { JsonObject } from "../emit/emit.js";
import { localEngines, remoteEngines, type EngineFactory } from "../eval/engines.js";
import { cpuOnlyGrader, ROWS_IN_FLIGHT_PER_WORKER, workerEngines } from "../eval/workers.js";
import { evaluate } from "../eval/evaluate.js";
import { scanData, type DataScan } from "../eval/lines.js";
import { isStream, spool } from "../eval/spool.js";
import { lockResults, type ResultsLock } from "../eval/lock.js";
import { Progress, type ProgressMode } from "../eval/progress.js";
import { type EngineConfig, FORMAT_VERSION, openResults, ResultsError, ResultWriter, RowSet, type Header } from "../eval/results.js";
import { formatSummary, summaryJson, thousands, Tally, type RunInfo } from "../eval/summary.js";
import { brokenGates, evalSuite } from "../report/gates.js";
import { junitXml } from "../report/junit.js";
import { readResults } from "../report/results.js";
import { describeIoError, UsageError, useColor } from "./io.js";
import { localEngineOptions, modelSecrets, resolveModelServer, unsandboxedNotice, type LocalCommandOptions } from "./local-options.js";

/*
 * `grade eval <grader> --data rows.jsonl [--out results.jsonl]`: grade every row of a dataset on
 * the local engine (or --remote through the API), streamed, a few rows at a time, with progress,
 * resumable, and a summary at the end. The modules are in src/eval/; docs/engine.md's "Evaluating a
 * dataset" has the formats.
 */

export interface EvalCommandOptions extends RemoteOptions, LocalCommandOptions {
  readonly data: string;
  readonly out?: string | undefined;
  readonly overwrite?: boolean | undefined;
  readonly concurrency?: number | undefined;
  readonly workers?: number | undefined;
  readonly json?: boolean | undefined;
  readonly remote?: boolean | undefined;
  /** False with --no-progress. */
  readonly progress?: boolean | undefined;
  readonly progressEvery?: number | undefined;
  /** CI gates (src/report/gates.ts) and the JUnit output. */
  readonly failUnder?: number | undefined;
  readonly maxErrorRate?: number | undefined;
  readonly format?: "text" | "json" | "junit" | undefined;
}

export const DEFAULT_CONCURRENCY = 8;
/**
 * Grading threads by default: 1 (the main thread) until a thread pool is measured faster on a quiet
 * machine (issue 20: on the shared 2-core machine, load ~12, two threads cost ~40% more CPU and
 * were no faster).
 */
export const DEFAULT_WORKERS = 1;
const DEFAULT_PROGRESS_SECONDS = 5;
/** Exit codes of a run stopped by a signal: 128 + the signal's number. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

function checkOptions(options: EvalCommandOptions, localFlags: readonly (readonly [string, string])[]): void {
  if (options.data.trim() === "") throw new UsageError("--data needs a JSONL file, or - for standard input, not an empty path");
  if (options.out?.trim() === "") throw new UsageError("--out needs a file, not an empty path");
  if (options.out !== undefined && path.resolve(options.out) === path.resolve(options.data)) {
    throw new UsageError("--out is the --data file: give another file for the results");
  }
  if (options.overwrite && options.out === undefined) throw new UsageError("--overwrite replaces the --out file: give --out");
  if (options.format === "junit" && options.out === undefined) throw new UsageError("--format junit reads the rows back from the results file: give --out <results.jsonl>");
  if (options.remote) {
    const given = options as unknown as Record<string, unknown>;
    for (const [flag, key] of localFlags) {
      if (given[key] !== undefined) throw new UsageError(`${flag} is for the local engine; with --remote the API runs the grader`);
    }
  }
}

/** The local engine's settings that change rewards, for the results header (no secret in it). */
function engineConfig(options: EvalCommandOptions): EngineConfig {
  const models = resolveModelServer(options);
  return {
    model_base_url: models ? withoutCredentials(models.baseURL) : null,
    model_api: models ? (models.api ?? "chat") : null,
    model_map: models?.modelMap ?? {},
    python: options.python ?? null,
  };
}

function graderOf(source: GraderFile): JsonObject {
  return source.kind === "grade" ? source.grader! : source.grader;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function label(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative && !relative.startsWith("..") ? relative : path.resolve(file);
}

/** The dataset to read: the file itself, or a copy of a stream (`-`, a pipe). */
interface Data extends DataScan {
  /** The file the rows are read from. */
  readonly file: string;
  /** The data as the header and summary name it. */
  readonly label: string;
  /** Removes a copy of a stream. */
  readonly remove?: () => void;
}

async function openData(data: string): Promise<Data> {
  let stat: fs.Stats | undefined;
  if (data !== "-") {
    try {
      stat = fs.statSync(data);
    } catch (error) {
      throw new UsageError(`cannot read --data \`${data}\`: ${describeIoError(error)}`);
    }
  }
  let file = data;
  let remove: (() => void) | undefined;
  if (isStream(data, stat)) {
    if (data === "-" && process.stdin.isTTY) throw new UsageError("--data - reads the rows from standard input, which is a terminal: pipe them in (`jq -c ... | grade eval g.grade --data -`)");
    try {
      ({ file, remove } = await spool(data === "-" ? process.stdin : fs.createReadStream(data)));
    } catch (error) {
      throw new UsageError(`cannot read --data \`${data}\`: ${describeIoError(error)}`);
    }
  } else if (!stat!.isFile()) {
    throw new UsageError(`--data \`${data}\` is not a file (give a JSONL file: one row a line, or - for standard input)`);
  }
  try {
    return { ...(await scanData(file)), file, label: data === "-" ? "-" : label(data), remove };
  } catch (error) {
    remove?.();
    throw new UsageError(`cannot read --data \`${data}\`: ${describeIoError(error)}`);
  }
}

/** True when an API rejection is about the grader (every row would meet it), not about one row. */
function aboutGrader(source: GraderFile) {
  return (error: EngineError): boolean => {
    const paths = apiErrorPaths(error.details.param, error.details.apiMessage);
    if (paths.some((p) => p === "grader" || p.startsWith("grader.") || p.startsWith("grader["))) return true;
    return source.kind === "grade" && locateApiError(paths, source.sourceMap) !== undefined;
  };
}

/**
 * Runs `grade eval`. Exit 0 every row graded with no error flag; 1 a row is malformed, failed or
 * has an error flag; 2 usage or I/O (nothing graded); 3 the API failed in a way that stopped the
 * run; 130/143 stopped by SIGINT/SIGTERM.
 */
export async function evalCommand(
  file: string,
  options: EvalCommandOptions,
  localFlags: readonly (readonly [flag: string, key: string])[] = [["--python", "python"], ["--python-timeout", "pythonTimeout"], ["--workers", "workers"]],
): Promise<number> {
  checkOptions(options, localFlags);
  // Every configured secret, masked in all that is written: messages, the summary, the results.
  const redact = createRedactor([...knownSecrets(options), ...(options.remote ? [] : modelSecrets(options))]);
  const report = new Reporter({ redact, color: useColor(process.stderr) });
  const engineName = options.remote ? "remote" : "local";

  const source = await loadGraderFile(file, options.remote ? "rft" : "file");
  if (report.findings(source, "nothing was graded")) return EXIT.usage;
  const grader = graderOf(source);

  let createEngine: EngineFactory;
  let concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  if (options.remote) {
    try {
      createEngine = remoteEngines(grader, resolveRemoteConfig(options), aboutGrader(source));
    } catch (error) {
      if (error instanceof EngineError) return report.failure(error, source, "run");
      throw error;
    }
  } else {
    const { readGrader } = await import("../engine/local.js");
    try {
      readGrader(grader);
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      report.fail(`\`${source.label}\`: ${error.message}; nothing was graded`);
      return EXIT.usage;
    }
    const workers = options.workers ?? DEFAULT_WORKERS;
    if (workers > 1 && cpuOnlyGrader(grader)) {
      createEngine = workerEngines(grader, workers);
      concurrency = options.concurrency ?? Math.max(DEFAULT_CONCURRENCY, workers * ROWS_IN_FLIGHT_PER_WORKER);
    } else {
      createEngine = localEngines(grader, { ...localEngineOptions(options), onUnsandboxed: unsandboxedNotice });
    }
  }

  const data = await openData(options.data);
  const header: Header = {
    grade_eval: FORMAT_VERSION,
    grader: { file: source.label, sha256: sha256(JSON.stringify(grader)) },
    data: { file: data.label, sha256: data.sha256, bytes: data.bytes, rows: data.rows },
    engine: engineName,
    ...(options.remote ? {} : { config: engineConfig(options) }),
  };

  const tally = new Tally(data.rows);
  /** Aborted when standard output (the results) is closed by its reader, e.g. `| head`. */
  const abort = new AbortController();
  let writer: ResultWriter;
  let done: RowSet;
  let lock: ResultsLock | undefined;
  if (options.out !== undefined) {
    try {
      // Before the file is opened: --overwrite must not truncate another run's file either.
      lock = lockResults(options.out);
      const opened = await openResults(options.out, header, {
        overwrite: options.overwrite,
        onRecord: (r) => tally.add(r, true),
        lines: data.lines,
        blank: data.blank,
      });
      // A failed write (a full disk) stops the run at once, like a closed standard output.
      writer = new ResultWriter(opened.fd, { onError: () => abort.abort(), out: options.out, redact });
      done = opened.done;
      if (opened.repaired) report.err(`grade eval: \`${options.out}\` ended in a torn line (the last run was killed); it was cut off and its row runs again\n`);
      if (opened.resumed) {
        report.err(`grade eval: resuming: ${thousands(done.size)} of ${thousands(data.rows)} rows are in \`${options.out}\` already\n`);
      }
    } catch (error) {
      lock?.release();
      data.remove?.();
      if (error instanceof ResultsError) throw new UsageError(error.message);
      throw error;
    }
  } else {
    writer = new ResultWriter(undefined, { onBroken: () => abort.abort(), onError: () => abort.abort(), redact });
    done = new RowSet(data.lines + 1);
  }

  // Plain progress lines would be mixed into the JSON summary when that goes to standard error.
  const jsonOnStderr = options.json && options.out === undefined;
  const mode: ProgressMode =
    options.progress === false ? "off" : process.stderr.isTTY ? "bar" : jsonOnStderr ? "off" : "lines";
  const progress = new Progress({
    mode,
    every: options.progressEvery ?? DEFAULT_PROGRESS_SECONDS,
    stream: process.stderr,
    state: () => ({
      done: tally.rows,
      total: data.rows,
      thisRun: tally.thisRun,
      flagged: tally.flagged,
      problems: tally.malformed + tally.failed,
      mean: tally.meanReward,
    }),
  });

  const started = performance.now();
  let result;
  try {
    result = await evaluate({
      data: data.file,
      engine: engineName,
      concurrency,
      createEngine,
      done,
      tally,
      writer,
      progress,
      notice: (message) => progress.log(redact(message)),
      signals: process,
      abort: abort.signal,
    });
  } finally {
    writer.close();
    lock?.release();
    data.remove?.();
  }
  const seconds = (performance.now() - started) / 1000;

  if (writer.error) {
    // A full disk or a size limit: what failed, and that nothing written is lost.
    const kept =
      options.out !== undefined
        ? `the ${thousands(tally.earlier + writer.written)} of ${thousands(data.rows)} rows written are kept: make room and run the same command again to resume`
        : "give --out <file> to make a run resumable";
    report.fail(`${redact(writer.error.message)}; stopped; ${kept}`);
    return forceExit(EXIT.usage);
  }

  const info: RunInfo = {
    grader: source.label,
    data: data.label,
    engine: engineName,
    total: data.rows,
    seconds,
    out: options.out,
    interrupted: result.interrupted,
    stopped: result.fatal?.message ?? result.gaveUp,
  };
  const summary = options.format === "junit"
    ? await junitSummary(options.out!, source.label)
    : options.json || options.format === "json"
    ? `${JSON.stringify(summaryJson(tally, info), null, 2)}\n`
    : formatSummary(tally, info, { color: useColor(options.out !== undefined ? process.stdout : process.stderr) });
  // With --out the summary is the command's output; without, standard output holds the results.
  if (options.out !== undefined) report.out(summary);
  else report.err(summary);

  const left = data.rows - tally.rows;
  const resume =
    options.out !== undefined
      ? `run the same command again to grade the ${thousands(left)} row${left === 1 ? "" : "s"} left (the rows in \`${options.out}\` are kept)`
      : "the results so far were printed; give --out <file> to make a run resumable";
  if (result.fatal) {
    report.failure(result.fatal, source, "run");
    report.err(`grade eval: stopped; ${resume}\n`);
    return forceExit(EXIT.remote);
  }
  if (result.gaveUp) {
    report.fail(result.gaveUp);
    report.err(`grade eval: stopped; ${resume}\n`);
    return forceExit(EXIT.remote);
  }
  if (result.interrupted) {
    report.err(`grade eval: interrupted by ${result.interrupted} after ${thousands(tally.rows)} of ${thousands(data.rows)} rows; ${resume}\n`);
    return forceExit(SIGNAL_EXIT[result.interrupted]);
  }
  if (abort.signal.aborted) {
    report.err(`grade eval: standard output was closed; stopped after ${thousands(tally.rows)} of ${thousands(data.rows)} rows\n`);
    return forceExit(EXIT.flagged);
  }
  const broken = brokenGates(options, { mean: tally.meanReward, rows: tally.rows, errors: tally.malformed + tally.failed + tally.flagged });
  for (const line of broken) report.err(`grade eval: ${line}\n`);
  if (broken.length) return EXIT.flagged;
  // Rows with errors within --max-error-rate do not fail the run.
  if (options.maxErrorRate !== undefined && tally.rows >= data.rows) return EXIT.ok;
  return tally.clean && tally.rows >= data.rows ? EXIT.ok : EXIT.flagged;
}

/** `--format junit`: one testcase a row of the results file. */
async function junitSummary(out: string, grader: string): Promise<string> {
  const results = await readResults(out);
  return junitXml([evalSuite(results.rows, grader)], `grade eval ${grader}`);
}

/**
 * A stopped run may leave requests in flight that nothing waits for (their sockets keep Node
 * alive until their timeout): exit with `code` shortly after the output is written, unless Node
 * has exited by itself.
 */
function forceExit(code: number): number {
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}
