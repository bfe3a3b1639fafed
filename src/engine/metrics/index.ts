/**
 * Local (offline) `text_similarity` metrics. See ./README.md for the reference each one follows and
 * the tokenisation / smoothing / stemming choices.
 */
import { bleu } from "./bleu.js";
import { fuzzyMatch } from "./fuzzy.js";
import { gleu } from "./gleu.js";
import { meteor } from "./meteor.js";
import { rougeL, rougeN } from "./rouge.js";

export { bleu, type BleuOptions, type BleuSmoothing } from "./bleu.js";
export { gleu } from "./gleu.js";
export { fuzzyMatch } from "./fuzzy.js";
export { meteor, type MeteorOptions } from "./meteor.js";
export { rougeL, rougeN, type RougeOrder } from "./rouge.js";

/** The `evaluation_metric` values implemented locally: all but `cosine` (which needs embeddings). */
export type LocalTextSimilarityMetric =
  | "fuzzy_match"
  | "bleu"
  | "gleu"
  | "meteor"
  | "rouge_1"
  | "rouge_2"
  | "rouge_3"
  | "rouge_4"
  | "rouge_5"
  | "rouge_l";

/** Score `candidate` (the grader's `input`) against `reference` with `metric`; in [0, 1]. */
export function textSimilarity(metric: LocalTextSimilarityMetric, candidate: string, reference: string): number {
  switch (metric) {
    case "fuzzy_match":
      return fuzzyMatch(candidate, reference);
    case "bleu":
      return bleu(candidate, reference);
    case "gleu":
      return gleu(candidate, reference);
    case "meteor":
      return meteor(candidate, reference);
    case "rouge_1":
      return rougeN(candidate, reference, 1);
    case "rouge_2":
      return rougeN(candidate, reference, 2);
    case "rouge_3":
      return rougeN(candidate, reference, 3);
    case "rouge_4":
      return rougeN(candidate, reference, 4);
    case "rouge_5":
      return rougeN(candidate, reference, 5);
    case "rouge_l":
      return rougeL(candidate, reference);
  }
}
