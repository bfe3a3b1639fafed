import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `word`, if it is close enough to be a likely typo: up to a third of
 * the letters may differ (an adjacent swap counts as two edits). Words of one or two letters only
 * match a different letter case, and a tie between candidates suggests nothing.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  const lower = word.toLowerCase();
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const d = candidate.toLowerCase() === lower ? 0.5 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance) tied = true;
  }
  if (best === undefined || tied) return undefined;
  if (bestDistance === 0.5) return best;
  if (Math.max(word.length, best.length) <= 2) return undefined;
  const limit = Math.max(1, Math.ceil(Math.max(word.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** "did you mean `x`?" when there is a close candidate. */
export function didYouMean(word: string, candidates: Iterable<string>): { suggestion: string; replacement: string } | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : { suggestion: `did you mean \`${match}\`?`, replacement: match };
}

/** Lists candidates for a message: "`a`, `b` or `c`". */
export function listOf(candidates: readonly string[], conjunction = "or"): string {
  const quoted = candidates.map((c) => `\`${c}\``);
  if (quoted.length <= 1) return quoted.join("");
  return `${quoted.slice(0, -1).join(", ")} ${conjunction} ${quoted[quoted.length - 1]}`;
}
