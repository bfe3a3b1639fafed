/**
 * Indel distance (insertions + deletions only, i.e. Levenshtein with substitution weight 2)
 * via the longest common subsequence, computed with Hyyrö's bit-parallel algorithm over
 * 32-bit words. Sequences are arrays of Unicode code points so that lengths match Python's
 * `len(str)`. Mirrors rapidfuzz 3.x `distance/Indel_py.py` + `distance/LCSseq_py.py`.
 */

export type CodePoints = readonly number[];

/** Pre-computed match masks of a pattern: for each code point, the bit positions where it occurs. */
export interface PatternBlock {
  readonly length: number;
  readonly words: number;
  readonly masks: ReadonlyMap<number, Uint32Array>;
}

export function toCodePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) ?? 0);
  return out;
}

export function buildPatternBlock(s1: CodePoints): PatternBlock {
  const words = Math.max(1, Math.ceil(s1.length / 32));
  const masks = new Map<number, Uint32Array>();
  for (let i = 0; i < s1.length; i++) {
    const cp = s1[i] as number;
    let mask = masks.get(cp);
    if (mask === undefined) {
      mask = new Uint32Array(words);
      masks.set(cp, mask);
    }
    const w = i >>> 5;
    mask[w] = ((mask[w] as number) | (1 << (i & 31))) >>> 0;
  }
  return { length: s1.length, words, masks };
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** LCS length of the pattern behind `block` and `s2` (`s2[from, to)`). */
export function lcsWithBlock(block: PatternBlock, s2: CodePoints, from = 0, to = s2.length): number {
  const len1 = block.length;
  if (len1 === 0) return 0;
  const words = block.words;
  const state = new Uint32Array(words).fill(0xffffffff);
  for (let j = from; j < to; j++) {
    const matches = block.masks.get(s2[j] as number);
    if (matches === undefined) continue; // u = 0: S = (S + 0) | (S - 0) = S
    let carry = 0;
    for (let w = 0; w < words; w++) {
      const s = state[w] as number;
      const u = (s & (matches[w] as number)) >>> 0;
      const sum = s + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      state[w] = ((sum >>> 0) | (s - u)) >>> 0;
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

export function lcsLength(s1: CodePoints, s2: CodePoints): number {
  if (s1.length === 0 || s2.length === 0) return 0;
  return lcsWithBlock(buildPatternBlock(s1), s2);
}

/**
 * Indel distance; with `scoreCutoff`, distances above it are reported as `scoreCutoff + 1`
 * (rapidfuzz `Indel.distance(score_cutoff=...)`).
 */
export function indelDistance(s1: CodePoints, s2: CodePoints, scoreCutoff?: number): number {
  const dist = s1.length + s2.length - 2 * lcsLength(s1, s2);
  return scoreCutoff === undefined || dist <= scoreCutoff ? dist : scoreCutoff + 1;
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
