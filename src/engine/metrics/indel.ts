/**
 * Indel distance (insertions + deletions only, i.e. Levenshtein with substitution weight 2)
 * via the longest common subsequence, computed with Hyyrö's bit-parallel algorithm over
 * 32-bit words (one word for patterns of up to 32 code points, blocks of words beyond). Sequences
 * are arrays of Unicode code points so that lengths match Python's `len(str)`. Mirrors rapidfuzz
 * 3.x `distance/Indel_py.py` + `distance/LCSseq_py.py` in results, and rapidfuzz-cpp in method:
 * common prefix and suffix removed first, the pattern-match table built once per pattern (and
 * reused across `partial_ratio`'s windows), no allocation in the inner loops (the match tables
 * and the state words are module-level scratch buffers, grown when needed and cleared after use).
 */

export type CodePoints = readonly number[];

/** Pre-computed match masks of a pattern: for each code point, the bit positions where it occurs. */
export interface PatternBlock {
  readonly length: number;
  readonly words: number;
  /** Masks of the code points below 256: `ascii[cp * words + w]`. */
  readonly ascii: Uint32Array;
  /** Masks of the other code points. */
  readonly other: ReadonlyMap<number, Uint32Array>;
}

export function toCodePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push((c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

export function buildPatternBlock(s1: CodePoints): PatternBlock {
  const words = Math.max(1, Math.ceil(s1.length / 32));
  const ascii = new Uint32Array(256 * words);
  const other = new Map<number, Uint32Array>();
  for (let i = 0; i < s1.length; i++) {
    const cp = s1[i] as number;
    const w = i >>> 5;
    const bit = 1 << (i & 31);
    if (cp < 256) {
      const at = cp * words + w;
      ascii[at] = (ascii[at] as number) | bit;
    } else {
      let mask = other.get(cp);
      if (mask === undefined) {
        mask = new Uint32Array(words);
        other.set(cp, mask);
      }
      mask[w] = (mask[w] as number) | bit;
    }
  }
  return { length: s1.length, words, ascii, other };
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

// Scratch state words of the multi-word LCS, grown on demand.
let scratchState = new Uint32Array(64);
const EMPTY = new Uint32Array(0);

/** LCS length of the pattern behind `block` and `s2[from, to)`. */
export function lcsWithBlock(block: PatternBlock, s2: CodePoints, from = 0, to = s2.length): number {
  const len1 = block.length;
  if (len1 === 0 || to <= from) return 0;
  const words = block.words;
  const ascii = block.ascii;
  const other = block.other;
  if (words === 1) {
    let state = -1;
    for (let j = from; j < to; j++) {
      const cp = s2[j] as number;
      const m = cp < 256 ? (ascii[cp] as number) : ((other.get(cp) ?? EMPTY)[0] ?? 0);
      const u = state & m;
      state = (state + u) | (state - u);
    }
    const valid = len1 === 32 ? -1 : (1 << len1) - 1;
    return popcount32(~state & valid);
  }
  if (scratchState.length < words) scratchState = new Uint32Array(words * 2);
  const state = scratchState;
  state.fill(0xffffffff, 0, words);
  for (let j = from; j < to; j++) {
    const cp = s2[j] as number;
    let carry = 0;
    if (cp < 256) {
      const base = cp * words;
      for (let w = 0; w < words; w++) {
        const s = state[w] as number;
        const u = (s & (ascii[base + w] as number)) >>> 0;
        const sum = s + u + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        state[w] = ((sum >>> 0) | (s - u)) >>> 0;
      }
    } else {
      const matches = other.get(cp);
      if (matches === undefined) continue; // no match: S is unchanged (u = 0, S + 0 | S)
      for (let w = 0; w < words; w++) {
        const s = state[w] as number;
        const u = (s & (matches[w] as number)) >>> 0;
        const sum = s + u + carry;
        carry = sum > 0xffffffff ? 1 : 0;
        state[w] = ((sum >>> 0) | (s - u)) >>> 0;
      }
    }
  }
  // LCS = number of zero bits among the low len1 bits of S.
  let ones = 0;
  for (let w = 0; w < words; w++) {
    const valid = Math.min(32, len1 - w * 32);
    const mask = valid === 32 ? 0xffffffff : ((1 << valid) - 1) >>> 0;
    ones += popcount32(((state[w] as number) & mask) >>> 0);
  }
  return len1 - ones;
}

// Scratch single-word match table for code points below 256 (cleared after each use).
const SHORT_ASCII = new Int32Array(256);
const SHORT_OTHER = new Map<number, number>();

/** LCS of `a[aFrom, aTo)` (at most 32 code points) and `b[bFrom, bTo)`: one 32-bit word. */
function lcsShort(a: CodePoints, aFrom: number, aTo: number, b: CodePoints, bFrom: number, bTo: number): number {
  let usedOther = false;
  for (let i = aFrom; i < aTo; i++) {
    const cp = a[i] as number;
    const bit = 1 << (i - aFrom);
    if (cp < 256) SHORT_ASCII[cp] = (SHORT_ASCII[cp] as number) | bit;
    else {
      SHORT_OTHER.set(cp, (SHORT_OTHER.get(cp) ?? 0) | bit);
      usedOther = true;
    }
  }
  let state = -1;
  if (usedOther) {
    for (let j = bFrom; j < bTo; j++) {
      const cp = b[j] as number;
      const m = cp < 256 ? (SHORT_ASCII[cp] as number) : (SHORT_OTHER.get(cp) ?? 0);
      const u = state & m;
      state = (state + u) | (state - u);
    }
    SHORT_OTHER.clear();
  } else {
    for (let j = bFrom; j < bTo; j++) {
      const cp = b[j] as number;
      if (cp >= 256) continue;
      const u = state & (SHORT_ASCII[cp] as number);
      state = (state + u) | (state - u);
    }
  }
  for (let i = aFrom; i < aTo; i++) {
    const cp = a[i] as number;
    if (cp < 256) SHORT_ASCII[cp] = 0;
  }
  const len = aTo - aFrom;
  const valid = len === 32 ? -1 : (1 << len) - 1;
  return popcount32(~state & valid);
}

export function lcsLength(s1: CodePoints, s2: CodePoints): number {
  let start1 = 0;
  let end1 = s1.length;
  let start2 = 0;
  let end2 = s2.length;
  // A common prefix and suffix are part of every LCS.
  while (start1 < end1 && start2 < end2 && s1[start1] === s2[start2]) {
    start1++;
    start2++;
  }
  while (end1 > start1 && end2 > start2 && s1[end1 - 1] === s2[end2 - 1]) {
    end1--;
    end2--;
  }
  const affix = start1 + (s1.length - end1);
  if (start1 === end1 || start2 === end2) return affix;
  // The shorter side is the pattern (LCS is symmetric).
  if (end1 - start1 <= 32) return affix + lcsShort(s1, start1, end1, s2, start2, end2);
  if (end2 - start2 <= 32) return affix + lcsShort(s2, start2, end2, s1, start1, end1);
  const [p, pFrom, pTo, t, tFrom, tTo] =
    end1 - start1 <= end2 - start2 ? [s1, start1, end1, s2, start2, end2] : [s2, start2, end2, s1, start1, end1];
  const pattern: number[] = [];
  for (let i = pFrom; i < pTo; i++) pattern.push(p[i] as number);
  return affix + lcsWithBlock(buildPatternBlock(pattern), t, tFrom, tTo);
}

/**
 * Indel distance; with `scoreCutoff`, distances above it are reported as `scoreCutoff + 1`
 * (rapidfuzz `Indel.distance(score_cutoff=...)`).
 */
export function indelDistance(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  const dist = s1.length + s2.length - 2 * lcsLength(s1, s2);
  return scoreCutoff === undefined || dist <= scoreCutoff ? dist : scoreCutoff + 1;
}

/** The normalized similarity of an LCS of `lcs` between lengths `len1` and `len2` (no cutoff). */
export function indelSimilarityOf(lcs: number, len1: number, len2: number): number {
  return normalizedSimilarityFromLcs(lcs, len1, len2);
}

function normalizedSimilarityFromLcs(lcs: number, len1: number, len2: number, scoreCutoff?: number): number {
  const maximum = len1 + len2;
  const dist = maximum - 2 * lcs;
  const normDist = maximum ? dist / maximum : 0;
  const normSim = 1.0 - normDist;
  return scoreCutoff === undefined || normSim >= scoreCutoff ? normSim : 0;
}

/** Normalized Indel similarity in [0, 1]: `1 - dist / (len1 + len2)` (1 for two empty sequences). */
export function indelNormalizedSimilarity(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  return normalizedSimilarityFromLcs(lcsLength(s1, s2), s1.length, s2.length, scoreCutoff);
}

/** As {@link indelNormalizedSimilarity}, for the pattern in `block` against `s2[from, to)`. */
export function blockNormalizedSimilarity(
  block: PatternBlock,
  s2: CodePoints,
  from: number,
  to: number,
  scoreCutoff?: number,
): number {
  return normalizedSimilarityFromLcs(lcsWithBlock(block, s2, from, to), block.length, to - from, scoreCutoff);
}
