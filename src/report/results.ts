import * as fs from "node:fs";
import { readLines } from "../eval/lines.js";
import { FORMAT_VERSION, type Header } from "../eval/results.js";
import type { ResultRecord } from "../eval/summary.js";

/*
 * Reading a finished (or partial) results file of `grade eval --out` for `grade report` and
 * `grade agree`: the header and the rows, read only (the file is never changed). The format and
 * its header are src/eval/results.ts's; the lines come from src/eval/lines.ts's reader. A row seen
 * twice keeps its first line, as resuming does; a torn last line (a killed run) is left out and
 * counted.
 */

/** A results file that cannot be read as one: a message for the user (exit 2). */
export class ReadError extends Error {}

export interface Results {
  readonly file: string;
  readonly header: Header;
  /** The rows, in row order. */
  readonly rows: readonly ResultRecord[];
  /** Lines left out: a torn last line, a duplicate row. */
  readonly skipped: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export async function readResults(file: string): Promise<Results> {
  let size: number;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new ReadError(`\`${file}\` is a directory; give a results file of grade eval --out`);
    size = stat.size;
  } catch (error) {
    if (error instanceof ReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReadError(`cannot read \`${file}\`: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? error)}`);
  }
  if (size === 0) throw new ReadError(`\`${file}\` is empty; give a results file of grade eval --out`);

  let header: Header | undefined;
  const byRow = new Map<number, ResultRecord>();
  let skipped = 0;
  let last: { line: number; bad: boolean } | undefined;
  const problems: string[] = [];
  for await (const { line, text } of readLines(file)) {
    if (text === undefined || text.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    if (header === undefined) {
      if (!isObject(value) || !("grade_eval" in value)) {
        throw new ReadError(`\`${file}\` is not a results file of grade eval (line ${line} is no header {"grade_eval": ...}); write one with grade eval --out`);
      }
      if (value["grade_eval"] !== FORMAT_VERSION) {
        throw new ReadError(`\`${file}\` was written by another version of grade eval (format ${String(value["grade_eval"])}; this one reads ${FORMAT_VERSION})`);
      }
      header = value as unknown as Header;
      continue;
    }
    const ok = isObject(value) && Number.isSafeInteger(value["row"]) && (value["row"] as number) >= 1 && ("reward" in value || "error" in value);
    last = { line, bad: !ok };
    if (!ok) {
      problems.push(`line ${line}`);
      continue;
    }
    const record = value as unknown as ResultRecord;
    if (byRow.has(record.row)) skipped++;
    else byRow.set(record.row, record);
  }
  if (header === undefined) throw new ReadError(`\`${file}\` has no header line; write it with grade eval --out`);
  // A torn last line is what a killed run leaves: left out. Any other bad line is an edit.
  if (last?.bad && problems.length === 1 && problems[0] === `line ${last.line}`) {
    skipped++;
    problems.pop();
  }
  if (problems.length) {
    throw new ReadError(
      `${problems[0]} of \`${file}\` is not a result of grade eval (was the file edited?)${problems.length > 1 ? `, and ${problems.length - 1} more line${problems.length > 2 ? "s" : ""}` : ""}`,
    );
  }
  const rows = [...byRow.values()].sort((a, b) => a.row - b.row);
  return { file, header, rows, skipped };
}

/** The flags set on a row (companions `*_details`, `*_type` left out). */
export function flagsOf(record: ResultRecord): string[] {
  const errors = record.errors;
  if (!errors) return [];
  return Object.keys(errors).filter((k) => errors[k] === true && !/_(details|type)$/.test(k));
}
