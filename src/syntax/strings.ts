import type { Span } from "./ast.js";

/*
 * Decoding of string literals. The parser uses the value; the checker asks again with
 * `offsets` to point a diagnostic at a character inside a string (a template, say).
 */

export interface StringProblem {
  readonly message: string;
  readonly span: Span;
}

export interface DecodedString {
  readonly value: string;
  /** Source offset of each character of `value` (only when asked for). */
  readonly offsets: readonly number[] | undefined;
  readonly problems: readonly StringProblem[];
}

const simpleEscapes: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** A `"..."` literal (quotes included in `raw`) with JSON escapes. */
export function decodeQuoted(raw: string, start: number, wantOffsets = false): DecodedString {
  const closed = raw.length >= 2 && raw.endsWith('"') && !isEscapedQuoteAtEnd(raw);
  const body = raw.slice(1, closed ? -1 : undefined);
  const base = start + 1;
  if (!wantOffsets && !body.includes("\\")) return { value: body, offsets: undefined, problems: [] };
  const problems: StringProblem[] = [];
  const offsets: number[] | undefined = wantOffsets ? [] : undefined;
  // Copy the text between escapes in slices: a string of megabytes stays cheap.
  const parts: string[] = [];
  let from = 0;
  const copy = (to: number): void => {
    if (to <= from) return;
    parts.push(body.slice(from, to));
    if (offsets) for (let k = from; k < to; k++) offsets.push(base + k);
  };
  for (let i = body.indexOf("\\"); i >= 0; i = body.indexOf("\\", from)) {
    copy(i);
    const next = body[i + 1];
    if (next === undefined) {
      problems.push({ message: "a string cannot end with a lone `\\`", span: { start: base + i, end: base + i + 1 } });
      from = body.length;
      break;
    }
    const simple = simpleEscapes[next];
    if (simple !== undefined) {
      parts.push(simple);
      offsets?.push(base + i);
      from = i + 2;
    } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 2, i + 6))) {
      parts.push(String.fromCharCode(parseInt(body.slice(i + 2, i + 6), 16)));
      offsets?.push(base + i);
      from = i + 6;
    } else {
      problems.push({
        message: `\`\\${next}\` is not a valid escape in a string (use \`\\\\\` for a backslash, or a """ block string for raw text)`,
        span: { start: base + i, end: base + i + 2 },
      });
      parts.push(next);
      offsets?.push(base + i + 1);
      from = i + 2;
    }
  }
  copy(body.length);
  offsets?.push(base + body.length);
  return { value: parts.join(""), offsets, problems };
}

function isEscapedQuoteAtEnd(raw: string): boolean {
  let backslashes = 0;
  for (let i = raw.length - 2; i >= 1 && raw[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

const BLOCK_ESCAPE = '\\"""';

/**
 * A `"""` block string (delimiters included in `raw`). Raw text: the only escape is `\"""` for
 * `"""`. When the opening quotes end their line, that line break is dropped, the closing
 * `"""` must stand on its own line, its indentation is removed from every line, and the line
 * break before it is dropped. Line ends are normalised to `\n`.
 */
export function decodeBlock(raw: string, start: number, wantOffsets = false): DecodedString {
  const closed = raw.length >= 6 && raw.endsWith('"""') && !raw.endsWith(BLOCK_ESCAPE);
  const content = raw.slice(3, closed ? raw.length - 3 : raw.length);
  const base = start + 3;
  const problems: StringProblem[] = [];
  const out: string[] = [];
  const offsets: number[] | undefined = wantOffsets ? [] : undefined;

  const emitText = (text: string, at: number): void => {
    if (!offsets) {
      out.push(text.includes(BLOCK_ESCAPE) ? text.replaceAll(BLOCK_ESCAPE, '"""') : text);
      return;
    }
    // Unescape `\"""` while mapping each character to its source offset.
    let i = 0;
    while (i < text.length) {
      if (text.startsWith(BLOCK_ESCAPE, i)) {
        out.push('"""');
        offsets?.push(at + i + 1, at + i + 2, at + i + 3);
        i += 4;
      } else {
        out.push(text[i]!);
        offsets?.push(at + i);
        i++;
      }
    }
  };

  // A line break is LF, CRLF or a lone CR (as in a quoted string, and as the formatter reads it).
  const firstBreak = /^[ \t]*(?:\r\n?|\n)/.exec(content);
  if (firstBreak && !offsets) {
    const fast = decodeBlockLines(content.slice(firstBreak[0].length), closed);
    if (fast !== undefined) return { value: fast, offsets: undefined, problems };
  }
  if (!firstBreak) {
    // One-line form: raw text as written (line ends normalised).
    const lines = splitLines(content, base);
    lines.forEach((line, n) => {
      if (n > 0) {
        out.push("\n");
        offsets?.push(line.at - 1);
      }
      emitText(line.text, line.at);
    });
  } else {
    const lines = splitLines(content.slice(firstBreak[0].length), base + firstBreak[0].length);
    const last = lines[lines.length - 1]!;
    let indent = "";
    if (closed && /^[ \t]*$/.test(last.text)) {
      indent = last.text;
      lines.pop();
    } else if (closed) {
      problems.push({
        message: 'the closing `"""` of a multi-line block string must stand on its own line',
        span: { start: start + raw.length - 3, end: start + raw.length },
      });
    }
    lines.forEach((line, n) => {
      if (n > 0) {
        out.push("\n");
        offsets?.push(line.at - 1);
      }
      if (line.text.startsWith(indent)) {
        emitText(line.text.slice(indent.length), line.at + indent.length);
      } else if (!/^[ \t]*$/.test(line.text)) {
        const lead = /^[ \t]*/.exec(line.text)![0].length;
        problems.push({
          message: 'this line is indented less than the closing `"""`; indent it at least as far',
          span: { start: line.at, end: line.at + Math.max(lead, 1) },
        });
        emitText(line.text.slice(lead), line.at + lead);
      }
    });
  }
  offsets?.push(start + raw.length - (closed ? 3 : 0));
  return { value: out.join(""), offsets, problems };
}

/**
 * The common case of a multi-line block string, without offsets: every line indented at least as
 * far as the closing `"""`, which stands on its own line. Plain string operations, no object per
 * line; undefined sends the caller to the general path, which also reports the problems.
 */
function decodeBlockLines(body: string, closed: boolean): string | undefined {
  if (!closed) return undefined;
  const lastBreak = Math.max(body.lastIndexOf("\n"), body.lastIndexOf("\r"));
  const indent = body.slice(lastBreak + 1);
  if (!/^[ \t]*$/.test(indent)) return undefined;
  if (lastBreak < 0) return "";
  const content = body.slice(0, lastBreak);
  // Faster still, without a string per line: no \r, and every line indented as far as the
  // closing quotes, or empty. Then removing the indent after each line break is all there is.
  if (!content.includes("\r")) {
    let plain = content.length === 0 || content.startsWith(indent) || content.charCodeAt(0) === 10;
    for (let at = content.indexOf("\n"); plain && at >= 0; at = content.indexOf("\n", at + 1)) {
      plain = content.startsWith(indent, at + 1) || at + 1 === content.length || content.charCodeAt(at + 1) === 10;
    }
    if (plain) {
      const first = content.startsWith(indent) ? content.slice(indent.length) : content;
      const text = indent === "" ? first : first.replaceAll(`\n${indent}`, "\n");
      return text.includes(BLOCK_ESCAPE) ? text.replaceAll(BLOCK_ESCAPE, '"""') : text;
    }
  }
  // The CR of a CRLF ending the content (before the closing line) was cut off with it.
  const lines = (lastBreak > 0 && body[lastBreak] === "\n" && body[lastBreak - 1] === "\r" ? content.slice(0, -1) : content).split(/\r\n?|\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith(indent)) lines[i] = line.slice(indent.length);
    else if (/^[ \t]*$/.test(line)) lines[i] = "";
    else return undefined;
  }
  const text = lines.join("\n");
  return text.includes(BLOCK_ESCAPE) ? text.replaceAll(BLOCK_ESCAPE, '"""') : text;
}

interface Line {
  readonly text: string;
  readonly at: number;
}

function splitLines(text: string, at: number): Line[] {
  const lines: Line[] = [];
  const re = /\r\n?|\n/g;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    lines.push({ text: text.slice(from, m.index), at: at + from });
    from = m.index + m[0].length;
  }
  lines.push({ text: text.slice(from), at: at + from });
  return lines;
}

/** Writes `text` as a block string body: every `"""` escaped as `\"""`. */
export function escapeBlock(text: string): string {
  return text.replaceAll('"""', BLOCK_ESCAPE);
}

/**
 * A formula's line breaks as `\n`, whatever the file's: a line break is only space in a formula, so
 * the JSON holds the same text for a CRLF (or lone CR) file as for an LF one, and the formatter's
 * output (LF) reads back as the same formula.
 */
export const formulaLines = (text: string): string => (text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text);
