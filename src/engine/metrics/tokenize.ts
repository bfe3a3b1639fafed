/**
 * Tokenisers shared by the local text_similarity metrics.
 *
 * - {@link whitespaceTokens}: Python's `str.split()` with no arguments — split on runs of Unicode
 *   whitespace as Python defines it (`str.isspace`), drop empty strings. Case and punctuation are
 *   kept. Used by BLEU and GLEU (the NLTK reference fixtures call `sentence_bleu([ref.split()],
 *   cand.split())`).
 * - {@link rougeTokens}: `rouge_score` 0.1.2 `tokenize.tokenize(text, stemmer=None)` — lowercase,
 *   replace every run of characters outside `[a-z0-9]` with a space, split on whitespace, keep only
 *   tokens matching `^[a-z0-9]+$`. No stemming (`RougeScorer(use_stemmer=False)` is the default).
 *   Consequently non-ASCII letters (accents, CJK, Greek, emoji) never form ROUGE tokens.
 */

import { pyLower } from "./pyunicode.js";

/**
 * Python's `str.isspace()` set: U+0009..U+000D, U+001C..U+001F, U+0020, U+0085, U+00A0, U+1680,
 * U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000. (JavaScript's `\s` differs: it includes
 * U+FEFF and excludes U+001C..U+001F and U+0085.)
 */
export function isPythonWhitespace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python `text.split()`: whitespace-separated tokens, no empty strings. */
export function whitespaceTokens(text: string): string[] {
  const tokens: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    // All Python whitespace is in the BMP, so UTF-16 code units suffice (surrogates are never space).
    if (isPythonWhitespace(text.charCodeAt(i))) {
      if (start >= 0) tokens.push(text.slice(start, i));
      start = -1;
    } else if (start < 0) {
      start = i;
    }
  }
  if (start >= 0) tokens.push(text.slice(start));
  return tokens;
}

const NON_ALPHANUM = /[^a-z0-9]+/g;
const VALID_TOKEN = /^[a-z0-9]+$/;

/** `rouge_score` 0.1.2 default tokenisation (no stemmer). */
export function rougeTokens(text: string): string[] {
  return pyLower(text)
    .replace(NON_ALPHANUM, " ")
    .split(" ")
    .filter((token) => VALID_TOKEN.test(token));
}

/**
 * Multiset of the contiguous `n`-grams of `tokens` (empty when `tokens.length < n`). Keys join the
 * tokens with a space, which is unambiguous because neither tokeniser yields tokens containing U+0020.
 */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Total number of n-grams in a multiset. */
export function totalCount(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/** Size of the multiset intersection: Σ min(a[g], b[g]). */
export function overlapCount(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let overlap = 0;
  for (const [gram, count] of a) overlap += Math.min(count, b.get(gram) ?? 0);
  return overlap;
}
