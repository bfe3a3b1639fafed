/**
 * Sentence-level METEOR, following NLTK 3.9.1
 * `nltk.translate.meteor_score.meteor_score([reference_tokens], candidate_tokens)` with its defaults:
 * `preprocess=str.lower`, `stemmer=PorterStemmer()`, `wordnet=nltk.corpus.wordnet` (WordNet 3.0),
 * `alpha=0.9`, `beta=3`, `gamma=0.5`.
 *
 * Alignment, exactly as NLTK builds it (quirks included):
 * 1. exact stage — for each hypothesis word from the last to the first, the *last* still-unmatched
 *    reference word equal to it is matched and both are removed;
 * 2. stem stage — the same on the Porter stems (NLTK's `PorterStemmer`, see ./porter.ts) of what
 *    is left; NLTK hands the *stemmed* leftovers on, so
 * 3. the WordNet stage compares stems: a reference stem matches when it is among the lemma names
 *    (without `_`) of all `wordnet.synsets(hypothesis_stem)` or equals the hypothesis stem.
 *    Consequently `big`/`large` do not match (`large` stems to `larg`), while `quick`/`fast` and
 *    `went`/`go` do.
 * Then matches are sorted by hypothesis position, chunks are maximal runs adjacent on both sides,
 * and `score = (1 − γ·(chunks/m)^β) · P·R / (α·P + (1 − α)·R)` with `P = m/|hyp|`, `R = m/|ref|`;
 * NLTK returns 0 on any division by zero (no tokens on a side, or no match).
 *
 * Tokenisation is Python `str.split()` (as for BLEU/GLEU; see ./tokenize.ts), so punctuation stays
 * attached: `"cat."` matches neither `"cat"` nor its synonyms. The service's tokeniser is
 * undocumented; NLTK's `meteor_score` itself requires pre-tokenised input.
 */
import { porterStem } from "./porter.js";
import { pyLower } from "./pyunicode.js";
import { whitespaceTokens } from "./tokenize.js";
import { meteorSynonyms } from "./wordnet.js";

export interface MeteorOptions {
  /** Weight of precision against recall (NLTK default 0.9). */
  readonly alpha?: number;
  /** Shape of the fragmentation penalty (NLTK default 3). */
  readonly beta?: number;
  /** Weight of the fragmentation penalty (NLTK default 0.5). */
  readonly gamma?: number;
  /**
   * WordNet Morphy as in NLTK 3.9 (default: one pass of suffix rules, what the service's NLTK
   * 3.9.1 does) or NLTK ≤ 3.8 (rules re-applied until a lemma is found); for comparisons only.
   */
  readonly morphy?: "nltk-3.9" | "nltk-3.8";
}

/** (position, word) pairs — NLTK's "enumerated" word lists. */
type Enumerated = [position: number, word: string][];

/** A match: (hypothesis position, reference position). */
export type MeteorMatch = readonly [hypothesis: number, reference: number];

/** METEOR of `candidate` against a single `reference`, in [0, 1]. */
export function meteor(candidate: string, reference: string, options: MeteorOptions = {}): number {
  return meteorTokens(whitespaceTokens(candidate), whitespaceTokens(reference), options);
}

/** METEOR of pre-tokenised input: NLTK `single_meteor_score(reference, hypothesis)`. */
export function meteorTokens(
  hypothesis: readonly string[],
  reference: readonly string[],
  options: MeteorOptions = {},
): number {
  const alpha = options.alpha ?? 0.9;
  const beta = options.beta ?? 3;
  const gamma = options.gamma ?? 0.5;
  const matches = meteorAlignment(hypothesis, reference, options);
  const matchCount = matches.length;
  if (hypothesis.length === 0 || reference.length === 0 || matchCount === 0) return 0;
  const precision = matchCount / hypothesis.length;
  const recall = matchCount / reference.length;
  const denominator = alpha * precision + (1 - alpha) * recall;
  if (denominator === 0) return 0;
  const fmean = (precision * recall) / denominator;
  const fragmentation = countChunks(matches) / matchCount;
  const penalty = gamma * fragmentation ** beta;
  return (1 - penalty) * fmean;
}

/**
 * NLTK `_enum_align_words` on lowercased tokens: exact, then stem, then WordNet-synonym matches,
 * sorted by hypothesis position.
 */
export function meteorAlignment(
  hypothesis: readonly string[],
  reference: readonly string[],
  options: MeteorOptions = {},
): MeteorMatch[] {
  let hyp: Enumerated = hypothesis.map((word, position) => [position, pyLower(word)]);
  let ref: Enumerated = reference.map((word, position) => [position, pyLower(word)]);
  const matches: MeteorMatch[] = matchEnums(hyp, ref);
  // Stem stage; the stemmed leftovers (not the words) go on to the WordNet stage, as in NLTK.
  hyp = hyp.map(([position, word]) => [position, porterStem(word)]);
  ref = ref.map(([position, word]) => [position, porterStem(word)]);
  matches.push(...matchEnums(hyp, ref));
  matches.push(...synonymMatches(hyp, ref, options.morphy === "nltk-3.8"));
  return matches.sort((a, b) => a[0] - b[0]);
}

/** NLTK `_match_enums`: removes matched entries from both lists (hence the backwards loops). */
function matchEnums(hyp: Enumerated, ref: Enumerated): MeteorMatch[] {
  const matches: MeteorMatch[] = [];
  for (let i = hyp.length - 1; i >= 0; i--) {
    const [hypPosition, hypWord] = hyp[i] as [number, string];
    for (let j = ref.length - 1; j >= 0; j--) {
      const [refPosition, refWord] = ref[j] as [number, string];
      if (hypWord === refWord) {
        matches.push([hypPosition, refPosition]);
        hyp.splice(i, 1);
        ref.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

/** NLTK `_enum_wordnetsyn_match`. WordNet is only touched when both sides still have words. */
function synonymMatches(hyp: Enumerated, ref: Enumerated, recursive: boolean): MeteorMatch[] {
  const matches: MeteorMatch[] = [];
  for (let i = hyp.length - 1; i >= 0 && ref.length > 0; i--) {
    const [hypPosition, hypWord] = hyp[i] as [number, string];
    const synonyms = meteorSynonyms(hypWord, { recursive });
    for (let j = ref.length - 1; j >= 0; j--) {
      const [refPosition, refWord] = ref[j] as [number, string];
      if (synonyms.has(refWord)) {
        matches.push([hypPosition, refPosition]);
        hyp.splice(i, 1);
        ref.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

/** NLTK `_count_chunks` over matches sorted by hypothesis position. */
function countChunks(matches: readonly MeteorMatch[]): number {
  let chunks = 1;
  for (let i = 0; i + 1 < matches.length; i++) {
    const current = matches[i] as MeteorMatch;
    const next = matches[i + 1] as MeteorMatch;
    if (!(next[0] === current[0] + 1 && next[1] === current[1] + 1)) chunks++;
  }
  return chunks;
}
