import * as fs from "node:fs";
import { readLines } from "../eval/lines.js";
import { ReadError } from "./results.js";

/*
 * Human labels for `grade agree` and the agreement section of `grade report`, from one of:
 *
 *   a labels file (JSON Lines), one row a line, matched to the results by `id` or by `row` (the
 *   dataset's line number, as in the results):
 *     {"id": "q-17", "label": "good"}      {"row": 3, "label": 4}      {"id": 9, "score": 0.75}
 *   the value under "label", else "score", else the key given by --label-key;
 *
 *   a field of the dataset itself (--label-field item.human_score): a dotted path into each row
 *   {"item": ..., "sample": ..., "id": ...} of the data the results were graded on.
 *
 * A value is a number (a score or an ordinal grade), a string (a label) or a boolean (pass/fail);
 * null or a missing value means "not labelled" and the row is left out.
 */

export type LabelValue = number | string | boolean;

export interface Labels {
  /** Where they came from, for messages: a file, or `field item.x of data.jsonl`. */
  readonly source: string;
  readonly byId: ReadonlyMap<string, LabelValue>;
  readonly byRow: ReadonlyMap<number, LabelValue>;
  /** Lines with no value (null or missing). */
  readonly unlabelled: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function checkFile(file: string, what: string): void {
  try {
    if (fs.statSync(file).isDirectory()) throw new ReadError(`${what} \`${file}\` is a directory; give a JSONL file`);
  } catch (error) {
    if (error instanceof ReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReadError(`cannot read ${what} \`${file}\`: ${code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(code ?? error)}`);
  }
}

function value(raw: unknown, where: string): LabelValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === "number" && Number.isFinite(raw)) return raw;
  if (typeof raw === "string" || typeof raw === "boolean") return raw;
  throw new ReadError(`${where}: a label must be a number, a string or true/false, not ${describe(raw)}`);
}

/** Reads a labels file (see above); `key` is the value's key when neither "label" nor "score". */
export async function readLabelsFile(file: string, key?: string): Promise<Labels> {
  checkFile(file, "--labels");
  const byId = new Map<string, LabelValue>();
  const byRow = new Map<number, LabelValue>();
  let unlabelled = 0;
  for await (const { line, text } of readLines(file)) {
    const where = `${file}:${line}`;
    if (text === undefined) throw new ReadError(`${where}: the line is longer than 64 MiB`);
    if (text.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      throw new ReadError(`${where}: not valid JSON (a labels file has one object a line: {"id": ..., "label": ...})`);
    }
    if (!isObject(row)) throw new ReadError(`${where}: a label line must be a JSON object {"id": ..., "label": ...}, not ${describe(row)}`);
    const id = row["id"];
    const rowNumber = row["row"];
    if (id === undefined && rowNumber === undefined) throw new ReadError(`${where}: the line has neither "id" nor "row" to match it to a result`);
    if (id !== undefined && typeof id !== "string" && typeof id !== "number") throw new ReadError(`${where}: "id" must be a string or a number, not ${describe(id)}`);
    if (rowNumber !== undefined && !(Number.isSafeInteger(rowNumber) && (rowNumber as number) >= 1)) {
      throw new ReadError(`${where}: "row" must be a line number of the dataset (1 or more), not ${JSON.stringify(rowNumber)}`);
    }
    const k = key ?? ("label" in row ? "label" : "score" in row ? "score" : undefined);
    if (k === undefined) throw new ReadError(`${where}: the line has no "label" or "score" (or give --label-key <key>)`);
    const v = value(row[k], where);
    if (v === undefined) {
      unlabelled++;
      continue;
    }
    if (id !== undefined) {
      if (byId.has(String(id))) throw new ReadError(`${where}: id ${JSON.stringify(id)} is labelled twice`);
      byId.set(String(id), v);
    } else {
      if (byRow.has(rowNumber as number)) throw new ReadError(`${where}: row ${String(rowNumber)} is labelled twice`);
      byRow.set(rowNumber as number, v);
    }
  }
  return { source: file, byId, byRow, unlabelled };
}

/** Reads a field of each dataset row (`item.human_score`): the row numbers are the data's line numbers. */
export async function readLabelField(data: string, field: string): Promise<Labels> {
  const path = field.split(".");
  if (path.some((p) => p === "")) throw new ReadError(`--label-field \`${field}\` is not a dotted path such as item.human_score`);
  checkFile(data, "the dataset");
  const byRow = new Map<number, LabelValue>();
  let unlabelled = 0;
  for await (const { line, text } of readLines(data)) {
    if (text === undefined || text.trim() === "") continue;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      // A malformed row has no result to compare with either.
      continue;
    }
    let at: unknown = row;
    for (const part of path) at = isObject(at) ? at[part] : undefined;
    const v = value(at, `${data}:${line} (${field})`);
    if (v === undefined) unlabelled++;
    else byRow.set(line, v);
  }
  return { source: `field ${field} of ${data}`, byId: new Map(), byRow, unlabelled };
}
