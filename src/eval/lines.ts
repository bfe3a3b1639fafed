import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

/*
 * The dataset of `grade eval`, read as a stream: one pass up front that counts the rows and
 * hashes the bytes (for the progress bar's total and the results file's header), then the lines
 * one at a time, pulled by the caller, so memory holds a 16 kB chunk and the rows in flight —
 * never the file.
 */

/** The longest line read (characters); a longer one is a malformed row, skipped without being kept. */
export const MAX_LINE_LENGTH = 64 * 1024 * 1024;

/**
 * Bytes read at a time, into one buffer reused for the whole file: no buffer per chunk for the
 * garbage collector to find, and a small decoded chunk that lives while its rows are graded.
 */
const CHUNK = 1 << 14;
const NEWLINE = 0x0a;

/** The chunks of a file, read into one reused buffer: each chunk is valid until the next is asked for. */
async function* chunks(file: string): AsyncGenerator<Buffer, void, undefined> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

export interface DataScan {
  /** Lines holding something other than whitespace: the rows. */
  readonly rows: number;
  /** Every line, blank ones included (a last line without a newline counts). */
  readonly lines: number;
  readonly bytes: number;
  /** sha256 of the bytes, hex. */
  readonly sha256: string;
  /** The numbers of the blank lines, ascending (no row has them: a results line naming one is refused). */
  readonly blank: readonly number[];
}

/** JSON whitespace, and the carriage return of `\r\n`. */
const isBlankByte = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0d;

/** Counts the rows and lines of a file and hashes it, in one streamed pass. */
export async function scanData(file: string): Promise<DataScan> {
  const hash = createHash("sha256");
  let rows = 0;
  let lines = 0;
  let bytes = 0;
  const blank: number[] = [];
  /** Whether the line being read has a byte that is not whitespace yet; `open` once it has any byte. */
  let content = false;
  let open = false;
  let first = true;
  for await (const chunk of chunks(file)) {
    hash.update(chunk);
    bytes += chunk.length;
    let from = 0;
    // A UTF-8 byte order mark at the very start is not content.
    if (first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
    first = false;
    while (from < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, from);
      const end = nl === -1 ? chunk.length : nl;
      if (!content) {
        for (let i = from; i < end; i++) {
          if (!isBlankByte(chunk[i]!)) {
            content = true;
            break;
          }
        }
      }
      if (end > from) open = true;
      if (nl === -1) break;
      lines++;
      if (content) rows++;
      else blank.push(lines);
      content = false;
      open = false;
      from = nl + 1;
    }
  }
  if (open) {
    lines++;
    if (content) rows++;
    else blank.push(lines);
  }
  return { rows, lines, bytes, sha256: hash.digest("hex"), blank };
}

/** One line of the file: its 1-based number and text (without `\r\n`; the BOM of line 1 removed). */
export interface Line {
  readonly line: number;
  /** Undefined when the line was longer than MAX_LINE_LENGTH (its text is dropped). */
  readonly text: string | undefined;
}

/**
 * The lines of a file, streamed and pulled: the next chunk is read only when the lines of this one
 * have been taken. `\n` or `\r\n` endings; a last line without a newline is included.
 */
export async function* readLines(file: string, maxLength = MAX_LINE_LENGTH): AsyncGenerator<Line, void, undefined> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  /** The current line is too long: its text is being skipped up to the next newline. */
  let skipping = false;
  let line = 0;
  const finish = (text: string): Line => {
    line++;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { line, text };
  };
  for await (const chunk of chunks(file)) {
    const text = decoder.write(chunk);
    let from = 0;
    for (;;) {
      const nl = text.indexOf("\n", from);
      if (nl === -1) break;
      if (skipping) {
        skipping = false;
        yield { line: ++line, text: undefined };
      } else if (carry.length + (nl - from) > maxLength) {
        carry = "";
        yield { line: ++line, text: undefined };
      } else {
        const whole = carry ? carry + text.slice(from, nl) : text.slice(from, nl);
        carry = "";
        yield finish(whole);
      }
      from = nl + 1;
    }
    if (!skipping) {
      if (carry.length + (text.length - from) > maxLength) {
        carry = "";
        skipping = true;
      } else if (from < text.length) carry += text.slice(from);
    }
  }
  const rest = decoder.end();
  if (skipping) yield { line: ++line, text: undefined };
  else if (carry || rest) {
    const whole = carry + rest;
    if (whole.length > maxLength) yield { line: ++line, text: undefined };
    else yield finish(whole);
  }
}
