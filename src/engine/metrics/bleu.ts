/**
 * Sentence-level BLEU, following NLTK 3.8/3.9 `nltk.translate.bleu_score.sentence_bleu` with one
 * reference and the defaults `weights=(0.25, 0.25, 0.25, 0.25)`, `auto_reweigh=False`:
 *
 *   p_n  = modified (clipped) n-gram precision, numerator Σ min(count_hyp, count_ref),
 *          denominator max(1, number of hypothesis n-grams), n = 1..4
 *   BP   = 1 if c > r, 0 if c = 0, else exp(1 − r/c)   (c, r = candidate / reference token counts)
 *   BLEU = 0 if p_1's numerator is 0, else BP · exp(Σ 0.25 · ln p_n)
 *
 * Choices (undocumented by the service, chosen here):
 * - Tokenisation: Python `str.split()` on both strings (case-sensitive, punctuation stays attached).
 *   `nltk.word_tokenize` needs the punkt model and is not reproducible without it.
 * - Smoothing: `SmoothingFunction().method1` (epsilon 0.1 added to zero-count numerators) by default.
 *   Grader rewards are mostly short answers; unsmoothed BLEU is ~0 (≈1e-77, NLTK's
 *   `sys.float_info.min` trick) for any candidate without a matching 4-gram, including an exact
 *   3-word match, which makes it useless as a graded reward. `{ smoothing: "none" }` reproduces
 *   NLTK's default `method0` exactly (zero precisions replaced by `sys.float_info.min`).
 * - Empty input: 0 whenever either side has no tokens (no unigram match), like NLTK.
 */
import { ngramCounts, overlapCount, totalCount, whitespaceTokens } from "./tokenize.js";

export type BleuSmoothing = "method1" | "none";

export interface BleuOptions {
  /** Default `"method1"` (NLTK `SmoothingFunction().method1`, epsilon 0.1). */
  readonly smoothing?: BleuSmoothing;
}

const MAX_ORDER = 4;
const WEIGHT = 1 / MAX_ORDER;
/** NLTK `SmoothingFunction.epsilon`. */
const EPSILON = 0.1;
/** Python `sys.float_info.min` (smallest positive normal double), used by NLTK's method0. */
const FLOAT_INFO_MIN = 2.2250738585072014e-308;

/** BLEU of `candidate` against a single `reference`, in [0, 1]. */
export function bleu(candidate: string, reference: string, options: BleuOptions = {}): number {
  const smoothing = options.smoothing ?? "method1";
  const hyp = whitespaceTokens(candidate);
  const ref = whitespaceTokens(reference);

  const numerators: number[] = [];
  const denominators: number[] = [];
  for (let n = 1; n <= MAX_ORDER; n++) {
    const hypCounts = ngramCounts(hyp, n);
    numerators.push(overlapCount(hypCounts, ngramCounts(ref, n)));
    denominators.push(Math.max(1, totalCount(hypCounts)));
  }
  if (numerators[0] === 0) return 0;

  const bp = brevityPenalty(ref.length, hyp.length);
  let logSum = 0;
  for (let i = 0; i < MAX_ORDER; i++) {
    const numerator = numerators[i] ?? 0;
    const denominator = denominators[i] ?? 1;
    let precision: number;
    if (numerator !== 0) precision = numerator / denominator;
    else precision = smoothing === "method1" ? EPSILON / denominator : FLOAT_INFO_MIN;
    logSum += WEIGHT * Math.log(precision);
  }
  return bp * Math.exp(logSum);
}

/** NLTK `brevity_penalty(closest_ref_len, hyp_len)`. */
function brevityPenalty(refLength: number, hypLength: number): number {
  if (hypLength > refLength) return 1;
  if (hypLength === 0) return 0;
  return Math.exp(1 - refLength / hypLength);
}
