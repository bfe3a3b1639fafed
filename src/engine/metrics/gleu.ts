/**
 * Sentence-level Google-BLEU (GLEU), following NLTK 3.8/3.9
 * `nltk.translate.gleu_score.sentence_gleu([reference], candidate, min_len=1, max_len=4)`:
 *
 *   all 1..4-grams of each side as multisets (NLTK `everygrams`),
 *   tp = |hyp ∩ ref| (multiset), GLEU = tp / max(|hyp|, |ref|)   — i.e. min(precision, recall).
 *
 * Choices: tokenisation is Python `str.split()` (case-sensitive, punctuation kept), the same as
 * {@link ./bleu.ts}; no smoothing exists for GLEU. Empty input: 0 when both sides have no tokens
 * (NLTK's `corpus_n_all == 0` branch), and 0 when only one side is empty (tp = 0).
 */
import { ngramCounts, overlapCount, totalCount, whitespaceTokens } from "./tokenize.js";

const MIN_LEN = 1;
const MAX_LEN = 4;

/** GLEU of `candidate` against a single `reference`, in [0, 1]. */
export function gleu(candidate: string, reference: string): number {
  const hyp = everygrams(whitespaceTokens(candidate));
  const ref = everygrams(whitespaceTokens(reference));
  const all = Math.max(totalCount(hyp), totalCount(ref));
  if (all === 0) return 0;
  return overlapCount(ref, hyp) / all;
}

/** Multiset of all n-grams with MIN_LEN ≤ n ≤ MAX_LEN (keys of different orders never collide). */
function everygrams(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = MIN_LEN; n <= MAX_LEN; n++) {
    for (const [gram, count] of ngramCounts(tokens, n)) counts.set(gram, count);
  }
  return counts;
}
