import * as fs from "node:fs";
import { loadGraderFile } from "../api/input.js";
import { readLines, scanData } from "../eval/lines.js";
import { agree, AgreeError, agreementJson } from "../report/agree.js";
import { CompareError, diffJson, diffReport, runJson, runReport, type RunContext } from "../report/build.js";
import { reportHtml } from "../report/html.js";
import { ReadError, readResults, type Results } from "../report/results.js";
import { loadLabels, type AgreeCommandOptions } from "./agree.js";
import { describeIoError, UsageError } from "./io.js";

/*
 * `grade report <results.jsonl> -o report.html`, and `grade report a.jsonl b.jsonl -o diff.html`:
 * one self-contained HTML page of a run (or of two runs compared). The figures are computed in
 * src/report/build.ts, the page is src/report/html.ts with assets/report/; docs/report.md.
 */

export interface ReportCommandOptions extends AgreeCommandOptions {
  readonly out?: string | undefined;
  readonly by?: "row" | "id" | undefined;
  readonly title?: string | undefined;
}

const MAX_SOURCE = 256 * 1024;

/** The grader's text and shape, and the dataset rows, when their files are there and unchanged. */
async function contextOf(results: Results, data: string | undefined, join = true): Promise<RunContext> {
  const context: { -readonly [K in keyof RunContext]: RunContext[K] } = {};
  try {
    context.modified = fs.statSync(results.file).mtime.toISOString();
  } catch {
    /* read a moment ago */
  }
  const graderFile = results.header.grader?.file;
  if (graderFile && fs.existsSync(graderFile) && fs.statSync(graderFile).isFile()) {
    try {
      const text = fs.readFileSync(graderFile, "utf8");
      context.graderSource = text.length > MAX_SOURCE ? `${text.slice(0, MAX_SOURCE)}\n…` : text;
      const loaded = await loadGraderFile(graderFile, "file");
      const grader = (loaded.grader ?? {}) as Record<string, unknown>;
      if (typeof grader["type"] === "string") context.graderType = grader["type"];
      if (typeof grader["name"] === "string") context.graderName = grader["name"];
      if (typeof grader["pass_threshold"] === "number") context.passThreshold = grader["pass_threshold"];
    } catch {
      // A grader that no longer compiles still has its text to show.
    }
  }
  const dataFile = data ?? results.header.data?.file;
  // A comparison's page shows the rewards side by side, not the rows' text.
  if (!join) {
    context.joinNote = "not shown in a comparison";
    return context;
  }
  if (!dataFile || dataFile === "-") {
    context.joinNote = "not shown: the rows came from standard input (give --data <rows.jsonl>)";
    return context;
  }
  if (!fs.existsSync(dataFile)) {
    context.joinNote = `not shown: the dataset \`${dataFile}\` is not there (run from where grade eval ran, or give --data)`;
    return context;
  }
  let scan;
  try {
    scan = await scanData(dataFile);
  } catch (error) {
    throw new UsageError(`cannot read the dataset \`${dataFile}\`: ${describeIoError(error)}`);
  }
  if (scan.sha256 !== results.header.data?.sha256) {
    context.joinNote = `not shown: \`${dataFile}\` has changed since the run (its sha256 is not the one in the results)`;
    return context;
  }
  const rows = new Map<number, { item: unknown; sample: unknown }>();
  for await (const { line, text } of readLines(dataFile)) {
    if (text === undefined || text.trim() === "") continue;
    try {
      const value = JSON.parse(text) as Record<string, unknown>;
      if (value && typeof value === "object") rows.set(line, { item: value["item"], sample: value["sample"] });
    } catch {
      // A malformed row: its result says so.
    }
  }
  context.dataRows = rows;
  return context;
}

function write(out: string, text: string): void {
  try {
    fs.writeFileSync(out, text);
  } catch (error) {
    throw new UsageError(`cannot write -o \`${out}\`: ${describeIoError(error)}`);
  }
}

const size = (bytes: number): string => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`);

export async function reportCommand(files: readonly string[], options: ReportCommandOptions): Promise<number> {
  if (files.length > 2) throw new UsageError(`give one results file (a report) or two (a comparison), not ${files.length}`);
  if (options.out === undefined && !options.json) throw new UsageError("give -o <report.html> for the page (or --json for the figures)");
  if (options.out?.trim() === "") throw new UsageError("-o needs a file, not an empty path");
  try {
    if (files.length === 2) {
      if (options.labels !== undefined || options.labelField !== undefined) throw new UsageError("--labels and --label-field are for one run's report (grade agree compares a run with people)");
      if (options.data !== undefined) throw new UsageError("--data is for one run's report; a comparison reads each run's dataset from its header");
      const [a, b] = await Promise.all(files.map((f) => readResults(f)));
      const report = diffReport(a!, b!, await contextOf(a!, undefined, false), await contextOf(b!, undefined, false), {
        by: options.by,
        threshold: options.threshold,
        resamples: options.resamples,
        seed: options.seed,
        title: options.title,
      });
      if (options.out !== undefined) {
        const html = reportHtml(report);
        write(options.out, html);
        process.stderr.write(`grade report: wrote ${options.out} (${size(Buffer.byteLength(html))}; ${report.figures.pairs} paired rows, ${report.figures.changed} changed)\n`);
      }
      if (options.json) process.stdout.write(`${JSON.stringify(diffJson(report, options.top ?? 20), null, 2)}\n`);
      return 0;
    }
    if (options.by !== undefined) throw new UsageError("--by pairs the rows of two runs: give two results files");
    const results = await readResults(files[0]!);
    let agreement: object | undefined;
    if (options.labels !== undefined || options.labelField !== undefined) {
      const labels = await loadLabels(results, options);
      const list = (text: string | undefined) => (text === undefined ? undefined : text.split(",").map((s) => s.trim()).filter(Boolean));
      agreement = agreementJson(
        agree(results.rows, labels, {
          threshold: options.threshold,
          labelThreshold: options.labelThreshold,
          order: list(options.order),
          passing: list(options.passing),
          resamples: options.resamples,
          seed: options.seed,
          top: options.top,
        }),
        results.file,
      );
    }
    const report = runReport(results, await contextOf(results, options.data), { threshold: options.threshold, title: options.title, agreement });
    if (options.out !== undefined) {
      const html = reportHtml(report);
      write(options.out, html);
      process.stderr.write(`grade report: wrote ${options.out} (${size(Buffer.byteLength(html))}; ${report.columns.row.length} rows)\n`);
    }
    if (options.json) process.stdout.write(`${JSON.stringify(runJson(report), null, 2)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ReadError || error instanceof AgreeError || error instanceof CompareError) throw new UsageError(error.message);
    throw error;
  }
}
