/**
 * `fuzzy_match` text-similarity metric: rapidfuzz's
 * `fuzz.WRatio(input, reference, processor=utils.default_process) / 100`.
 *
 * A port of the published pure-Python fallback of rapidfuzz 3.x (`rapidfuzz/fuzz_py.py`),
 * score_cutoff plumbing included so that floating-point edge cases behave the same. Strings
 * are handled as arrays of Unicode code points (Python `str` semantics), never UTF-16 units.
 * `defaultProcess` follows the compiled `rapidfuzz.utils.default_process` (see its doc).
 * See src/engine/metrics/README.md for known deviations.
 */

import {
  type CodePoints,
  blockNormalizedSimilarity,
  buildPatternBlock,
  indelSimilarityOf,
  indelDistance,
  indelNormalizedSimilarity,
  toCodePoints,
} from "./indel.js";
import { rapidfuzzProcessChar } from "./pyunicode.js";

export type Processor = (s: string) => string;

export interface ScorerOptions {
  /** Applied to both strings first (rapidfuzz `processor=`). Default: none. */
  readonly processor?: Processor;
  /** 0..100; results below it are reported as 0 (rapidfuzz `score_cutoff=`). Default 0. */
  readonly scoreCutoff?: number;
}

const SPACE = 0x20;

/**
 * rapidfuzz `utils.default_process` as shipped in the compiled extension
 * (`UnicodeDefaultProcess`): each code point that is not alphanumeric in RapidFuzz's own bundled
 * CPython table (Unicode 13-era: letters added later are not alphanumeric there) becomes a space,
 * each alphanumeric code point becomes the first code point of its lowercase mapping (per
 * character, so no final-sigma rule and "İ" -> "i"), then leading/trailing spaces are trimmed.
 * "_" is replaced too. The table is RapidFuzz's, not Node's (./pyunicode.ts).
 */
export function defaultProcess(sentence: string): string {
  return String.fromCodePoint(...defaultProcessCodePoints(sentence));
}

/** ASCII part of the table: -1 for "becomes a space", else the code point it becomes. */
const ASCII_PROCESS = Int32Array.from({ length: 128 }, (_, cp) => rapidfuzzProcessChar(cp));

/** {@link defaultProcess} as an array of code points (what the scorers work on). */
export function defaultProcessCodePoints(sentence: string): number[] {
  const out: number[] = [];
  const n = sentence.length;
  for (let i = 0; i < n; i++) {
    let cp = sentence.charCodeAt(i);
    let mapped: number;
    if (cp < 128) mapped = ASCII_PROCESS[cp] as number;
    else {
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        const d = sentence.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = (cp - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
          i++;
        }
      }
      mapped = rapidfuzzProcessChar(cp);
    }
    out.push(mapped < 0 ? SPACE : mapped);
  }
  let start = 0;
  let end = out.length;
  while (start < end && out[start] === SPACE) start++;
  while (end > start && out[end - 1] === SPACE) end--;
  return start === 0 && end === out.length ? out : out.slice(start, end);
}

// ------------------------------------------------------------------------------------ tokens

/** Python `str.isspace()` code points (bidi WS/B/S or category Zs). */
function isPySpace(cp: number): boolean {
  return (
    (cp >= 0x09 && cp <= 0x0d) ||
    (cp >= 0x1c && cp <= 0x20) ||
    cp === 0x85 ||
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** Python `str.split()`: tokens as strings (for Set membership). */
function splitTokens(s: CodePoints): string[] {
  const tokens: string[] = [];
  let current = "";
  for (let i = 0; i < s.length; i++) {
    const cp = s[i] as number;
    if (cp <= 0x3000 && isPySpace(cp)) {
      if (current !== "") tokens.push(current);
      current = "";
    } else {
      current += cp < 0x10000 ? String.fromCharCode(cp) : String.fromCodePoint(cp);
    }
  }
  if (current !== "") tokens.push(current);
  return tokens;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python string ordering: lexicographic by code point (not by UTF-16 unit). */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i) ?? 0;
    const cb = b.codePointAt(j) ?? 0;
    if (ca !== cb) return ca < cb ? -1 : 1;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  return restA === restB ? 0 : restA ? 1 : -1;
}

function sortedJoin(tokens: Iterable<string>): number[] {
  const list = [...tokens];
  // Without surrogates, UTF-16 order (the default sort) is code-point order.
  if (SURROGATE.test(list.join(""))) list.sort(compareCodePoints);
  else list.sort();
  return toCodePoints(list.join(" "));
}

function joinedLength(tokens: Iterable<string>): number {
  let len = 0;
  let count = 0;
  for (const t of tokens) {
    for (const _ of t) len++;
    count++;
  }
  return count === 0 ? 0 : len + count - 1;
}

function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (!b.has(x)) out.add(x);
  return out;
}

function intersection(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  return out;
}

// ------------------------------------------------------------------------ code-point scorers

function normDistance(dist: number, lensum: number, scoreCutoff: number): number {
  const score = lensum ? 100 - (100 * dist) / lensum : 100;
  return score >= scoreCutoff ? score : 0;
}

function ratioCp(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  const cutoff = scoreCutoff === undefined ? undefined : scoreCutoff / 100;
  return indelNormalizedSimilarity(s1, s2, cutoff) * 100;
}

/** Best alignment of `s1` (len1 <= len2) against windows of `s2`; `scoreCutoff` in 0..1. */
function partialRatioImpl(s1: CodePoints, s2: CodePoints, scoreCutoff: number): number {
  const len1 = s1.length;
  const len2 = s2.length;
  const chars = new Set(s1);
  const block = buildPatternBlock(s1);
  // inS1[j]: s2[j] occurs in s1. A window's LCS is at most its count of such positions (and at
  // most len1): when even that bound cannot beat the best score so far (or reach the cutoff), the
  // window is skipped. The bound goes through the same float expression as the score, which is
  // monotonic in the LCS, so a skipped window could never have changed the result.
  const inS1 = new Uint8Array(len2);
  for (let j = 0; j < len2; j++) inS1[j] = chars.has(s2[j] as number) ? 1 : 0;
  let best = 0;
  let cutoff = scoreCutoff;

  const consider = (from: number, to: number, present: number): boolean => {
    const bound = Math.min(present, len1, to - from);
    const limit = indelSimilarityOf(bound, len1, to - from);
    if (limit <= best || limit < cutoff) return false;
    const r = blockNormalizedSimilarity(block, s2, from, to, cutoff);
    if (r > best) {
      best = cutoff = r;
      return best === 1;
    }
    return false;
  };

  // Windows anchored at the start of s2, shorter than s1 (s1 overhanging the left end).
  let present = 0;
  for (let i = 1; i < len1; i++) {
    present += inS1[i - 1] as number;
    if (inS1[i - 1] === 1 && consider(0, i, present)) return 100;
  }
  // Full-length windows.
  present = 0;
  for (let j = 0; j < Math.min(len1, len2) - 1; j++) present += inS1[j] as number;
  for (let i = 0; i < len2 - len1; i++) {
    present += inS1[i + len1 - 1] as number;
    if (i > 0) present -= inS1[i - 1] as number;
    if (inS1[i + len1 - 1] === 1 && consider(i, i + len1, present)) return 100;
  }
  // Windows anchored at the end of s2: the last full-length one, then shrinking.
  const first = Math.max(0, len2 - len1);
  present = 0;
  for (let j = first; j < len2; j++) present += inS1[j] as number;
  for (let i = first; i < len2; i++) {
    if (inS1[i] === 1 && consider(i, len2, present)) return 100;
    present -= inS1[i] as number;
  }
  return best * 100;
}

function partialRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff = 0): number {
  let cutoff = scoreCutoff;
  if (s1.length === 0 && s2.length === 0) return 100;
  const len1 = s1.length;
  const len2 = s2.length;
  const [shorter, longer] = len1 <= len2 ? [s1, s2] : [s2, s1];
  let score = partialRatioImpl(shorter, longer, cutoff / 100);
  if (score !== 100 && len1 === len2) {
    cutoff = Math.max(cutoff, score);
    const score2 = partialRatioImpl(longer, shorter, cutoff / 100);
    if (score2 > score) score = score2;
  }
  return score >= cutoff ? score : 0;
}

function tokenSortRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  return tokenSortRatioTokens(splitTokens(s1), splitTokens(s2), scoreCutoff);
}

function tokenSortRatioTokens(a: readonly string[], b: readonly string[], scoreCutoff?: number): number {
  return ratioCp(sortedJoin(a), sortedJoin(b), scoreCutoff);
}

function tokenSetRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff = 0): number {
  return tokenSetRatioTokens(splitTokens(s1), splitTokens(s2), scoreCutoff);
}

function tokenSetRatioTokens(a: readonly string[], b: readonly string[], scoreCutoff = 0): number {
  const tokensA = new Set(a);
  const tokensB = new Set(b);
  // As in FuzzyWuzzy: 0 when either side has no tokens.
  if (tokensA.size === 0 || tokensB.size === 0) return 0;

  const intersect = intersection(tokensA, tokensB);
  const diffAB = difference(tokensA, tokensB);
  const diffBA = difference(tokensB, tokensA);
  // One token set contains the other.
  if (intersect.size > 0 && (diffAB.size === 0 || diffBA.size === 0)) return 100;

  const diffABJoined = sortedJoin(diffAB);
  const diffBAJoined = sortedJoin(diffBA);
  const abLen = diffABJoined.length;
  const baLen = diffBAJoined.length;
  const sectLen = joinedLength(intersect);
  const sep = sectLen !== 0 ? 1 : 0;
  const sectABLen = sectLen + sep + abLen;
  const sectBALen = sectLen + sep + baLen;

  let result = 0;
  const cutoffDistance = Math.ceil((sectABLen + sectBALen) * (1 - scoreCutoff / 100));
  const dist = indelDistance(diffABJoined, diffBAJoined, cutoffDistance);
  if (dist <= cutoffDistance) result = normDistance(dist, sectABLen + sectBALen, scoreCutoff);
  if (!sectLen) return result;

  // "sect" vs "sect + diff": only the diff part (and the separator) has to be inserted.
  const sectABRatio = normDistance(sep + abLen, sectLen + sectABLen, scoreCutoff);
  const sectBARatio = normDistance(sep + baLen, sectLen + sectBALen, scoreCutoff);
  return Math.max(result, sectABRatio, sectBARatio);
}

function tokenRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  const a = splitTokens(s1);
  const b = splitTokens(s2);
  return Math.max(tokenSetRatioTokens(a, b, scoreCutoff), tokenSortRatioTokens(a, b, scoreCutoff));
}

function partialTokenSortRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  return partialRatioCp(sortedJoin(splitTokens(s1)), sortedJoin(splitTokens(s2)), scoreCutoff);
}

function partialTokenSetRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  const tokensA = new Set(splitTokens(s1));
  const tokensB = new Set(splitTokens(s2));
  if (tokensA.size === 0 || tokensB.size === 0) return 0;
  if (intersection(tokensA, tokensB).size > 0) return 100;
  return partialRatioCp(sortedJoin(difference(tokensA, tokensB)), sortedJoin(difference(tokensB, tokensA)), scoreCutoff);
}

function partialTokenRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff = 0): number {
  const splitA = splitTokens(s1);
  const splitB = splitTokens(s2);
  const tokensA = new Set(splitA);
  const tokensB = new Set(splitB);
  if (intersection(tokensA, tokensB).size > 0) return 100;

  const diffAB = difference(tokensA, tokensB);
  const diffBA = difference(tokensB, tokensA);
  const result = partialRatioCp(sortedJoin(splitA), sortedJoin(splitB), scoreCutoff);
  // Without duplicate tokens the diff strings equal the sorted strings: nothing new to compute.
  if (splitA.length === diffAB.size && splitB.length === diffBA.size) return result;

  const cutoff = Math.max(scoreCutoff, result);
  return Math.max(result, partialRatioCp(sortedJoin(diffAB), sortedJoin(diffBA), cutoff));
}

const UNBASE_SCALE = 0.95;

function wRatioCp(s1: CodePoints, s2: CodePoints, scoreCutoff = 0): number {
  // As in FuzzyWuzzy: 0 when either (processed) string is empty.
  if (s1.length === 0 || s2.length === 0) return 0;
  const len1 = s1.length;
  const len2 = s2.length;
  const lenRatio = len1 > len2 ? len1 / len2 : len2 / len1;

  let cutoff = scoreCutoff;
  let endRatio = ratioCp(s1, s2, cutoff);
  if (lenRatio < 1.5) {
    cutoff = Math.max(cutoff, endRatio) / UNBASE_SCALE;
    return Math.max(endRatio, tokenRatioCp(s1, s2, cutoff) * UNBASE_SCALE);
  }

  const partialScale = lenRatio < 8.0 ? 0.9 : 0.6;
  cutoff = Math.max(cutoff, endRatio) / partialScale;
  endRatio = Math.max(endRatio, partialRatioCp(s1, s2, cutoff) * partialScale);
  cutoff = Math.max(cutoff, endRatio) / UNBASE_SCALE;
  return Math.max(endRatio, partialTokenRatioCp(s1, s2, cutoff) * UNBASE_SCALE * partialScale);
}

// ------------------------------------------------------------------------------ public API

function prepare(s1: string, s2: string, options: ScorerOptions | undefined): [number[], number[]] {
  const p = options?.processor;
  return [toCodePoints(p ? p(s1) : s1), toCodePoints(p ? p(s2) : s2)];
}

/** rapidfuzz `fuzz.ratio`: normalized Indel similarity, 0..100. */
export function ratio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return ratioCp(a, b, options?.scoreCutoff);
}

/** rapidfuzz `fuzz.partial_ratio`: best `ratio` of the shorter string against windows of the longer. */
export function partialRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return partialRatioCp(a, b, options?.scoreCutoff);
}

export function tokenSortRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return tokenSortRatioCp(a, b, options?.scoreCutoff);
}

export function tokenSetRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return tokenSetRatioCp(a, b, options?.scoreCutoff);
}

export function tokenRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return tokenRatioCp(a, b, options?.scoreCutoff);
}

export function partialTokenSortRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return partialTokenSortRatioCp(a, b, options?.scoreCutoff);
}

export function partialTokenSetRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return partialTokenSetRatioCp(a, b, options?.scoreCutoff);
}

export function partialTokenRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return partialTokenRatioCp(a, b, options?.scoreCutoff);
}

/** rapidfuzz `fuzz.WRatio`: weighted combination of the scorers above, 0..100. */
export function wRatio(s1: string, s2: string, options?: ScorerOptions): number {
  const [a, b] = prepare(s1, s2, options);
  return wRatioCp(a, b, options?.scoreCutoff);
}

/**
 * OpenAI `text_similarity` `fuzzy_match`:
 * `fuzz.WRatio(input, reference, processor=utils.default_process) / 100`, in [0, 1].
 */
export function fuzzyMatch(input: string, reference: string): number {
  return wRatioCp(defaultProcessCodePoints(input), defaultProcessCodePoints(reference)) / 100;
}
