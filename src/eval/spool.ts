import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";

/*
 * `--data -` (standard input) and `--data <(jq ...)` (a pipe): `grade eval` reads its data twice —
 * once to count and hash the rows (progress, the results header), once to grade them — so a
 * stream is first copied, as it comes, to a temporary file that is read instead. Memory stays flat
 * (the copy streams); the disk holds the data once more until the run ends.
 */

export interface Spooled {
  /** The temporary copy. */
  readonly file: string;
  /** Removes the copy (and its directory). Safe to call more than once; also done at exit. */
  remove(): void;
}

/** Copies `input` to a new temporary file. */
export async function spool(input: NodeJS.ReadableStream): Promise<Spooled> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-data-"));
  const file = path.join(dir, "data.jsonl");
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off("exit", remove);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", remove);
  try {
    await pipeline(input, fs.createWriteStream(file));
  } catch (error) {
    remove();
    throw error;
  }
  return { file, remove };
}

/** Whether `--data` names a stream to spool rather than a file to read twice: `-`, a pipe, a socket, a terminal. */
export function isStream(data: string, stat: fs.Stats | undefined): boolean {
  return data === "-" || (stat !== undefined && (stat.isFIFO() || stat.isSocket() || stat.isCharacterDevice()));
}
