/*
 * Where the cursor is in `.grade` text, read from the text before it: the blocks it is inside
 * (with the words that open them), and whether it is in a string or a comment. Completion asks
 * this rather than the AST because the text being typed is rarely valid: the scan needs no
 * parse, so `operation: ` with nothing after it still has a place.
 */

export interface OpenBlock {
  /** `{`, `[` or `(`. */
  readonly bracket: string;
  /** Offset of the bracket. */
  readonly open: number;
  /** The words before the bracket on its line, trimmed: `label_model "tone"`, `graders`, `test "t"`, `item`. */
  readonly header: string;
  /** Offset where the header starts. */
  readonly headerStart: number;
}

export interface Cursor {
  readonly offset: number;
  /** Outermost first. */
  readonly blocks: readonly OpenBlock[];
  /** Inside a string: where it starts (its first quote) and whether it is a `"""` block string. */
  readonly string: { readonly start: number; readonly block: boolean } | undefined;
  readonly comment: boolean;
  /** The text from the start of the cursor's line to the cursor. */
  readonly linePrefix: string;
}

const isBoundary = (c: string): boolean => c === "\n" || c === "{" || c === "}" || c === "," || c === "[" || c === "(";

export function cursorAt(text: string, offset: number): Cursor {
  const end = Math.max(0, Math.min(offset, text.length));
  const blocks: OpenBlock[] = [];
  let string: { start: number; block: boolean } | undefined;
  let comment = false;
  for (let i = 0; i < end; i++) {
    const c = text[i]!;
    if (comment) {
      if (c === "\n") comment = false;
      continue;
    }
    if (string) {
      if (string.block) {
        if (text.startsWith('"""', i)) {
          string = undefined;
          i += 2;
        }
      } else if (c === "\\") i++;
      else if (c === '"' || c === "\n") string = undefined;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") comment = true;
    else if (c === '"') string = text.startsWith('"""', i) ? ((i += 2), { start: i - 2, block: true }) : { start: i, block: false };
    else if (c === "{" || c === "[" || c === "(") {
      let s = i - 1;
      while (s >= 0 && !isBoundary(text[s]!)) s--;
      const raw = text.slice(s + 1, i);
      const lead = raw.length - raw.trimStart().length;
      blocks.push({ bracket: c, open: i, header: raw.trim(), headerStart: s + 1 + lead });
    } else if (c === "}" || c === "]" || c === ")") blocks.pop();
  }
  const lineStart = text.lastIndexOf("\n", end - 1) + 1;
  return { offset: end, blocks, string, comment, linePrefix: text.slice(lineStart, end) };
}

/** The grader kind a block header opens (`tone: label_model "tone"` → `label_model`). */
export function kindOfHeader(header: string): string | undefined {
  const m = /(?:^|[\s:])(string_check|text_similarity|python|score_model|label_model|multi)\b/.exec(header);
  return m?.[1];
}
