/**
 * ROUGE-N (N = 1..5) and ROUGE-L F-measures, following Google's `rouge_score` 0.1.2
 * (`rouge_scorer.RougeScorer(["rouge1".."rouge5", "rougeL"], use_stemmer=False).score(reference,
 * candidate)[metric].fmeasure`):
 *
 * - tokenisation: `tokenize.tokenize` — lowercase, non-`[a-z0-9]` runs → space, split, keep
 *   `^[a-z0-9]+$` tokens (see {@link ./tokenize.ts}); NO Porter stemming (the library default,
 *   and the only choice that needs no stemmer port; "cats" and "cat" are different tokens).
 * - ROUGE-N (`_score_ngrams`): overlap = Σ min(count_ref, count_cand) over n-grams,
 *   P = overlap / max(|cand n-grams|, 1), R = overlap / max(|ref n-grams|, 1).
 * - ROUGE-L (`_score_lcs`): sentence-level LCS over the whole token sequences (NOT `rougeLsum`),
 *   P = LCS / |cand|, R = LCS / |ref|; 0 when either side has no tokens.
 * - F = 2PR / (P + R), or 0 when P + R = 0 (`scoring.fmeasure`). F is symmetric, so argument order
 *   does not matter for the reported value.
 * - Empty input (no tokens after tokenisation, e.g. "", "!!!", "你好"): 0.
 */
import { ngramCounts, overlapCount, rougeTokens, totalCount } from "./tokenize.js";

/** The n-gram orders the service exposes (`rouge_1` .. `rouge_5`). */
export type RougeOrder = 1 | 2 | 3 | 4 | 5;

/** ROUGE-N F-measure of `candidate` against `reference`, in [0, 1]. */
export function rougeN(candidate: string, reference: string, n: RougeOrder): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`rougeN: n must be a positive integer, got ${n}`);
  const target = ngramCounts(rougeTokens(reference), n);
  const prediction = ngramCounts(rougeTokens(candidate), n);
  const overlap = overlapCount(target, prediction);
  const precision = overlap / Math.max(totalCount(prediction), 1);
  const recall = overlap / Math.max(totalCount(target), 1);
  return fmeasure(precision, recall);
}

/** ROUGE-L (sentence-level LCS) F-measure of `candidate` against `reference`, in [0, 1]. */
export function rougeL(candidate: string, reference: string): number {
  const target = rougeTokens(reference);
  const prediction = rougeTokens(candidate);
  if (target.length === 0 || prediction.length === 0) return 0;
  const lcs = lcsLength(target, prediction);
  return fmeasure(lcs / prediction.length, lcs / target.length);
}

/** `scoring.fmeasure`. */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** Length of the longest common subsequence (two-row version of `_lcs_table`). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (const tokenA of a) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        tokenA === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, current[j - 1] ?? 0);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] ?? 0;
}
