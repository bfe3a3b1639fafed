/**
 * The oracle fixtures: every local text_similarity metric against the reference libraries
 * themselves (compiled rapidfuzz, NLTK over WordNet 3.0, google-research rouge when installed),
 * written by scripts/oracle.sh — the versions are in the fixture header. 292 pairs of hard cases:
 * Unicode in every script, combining marks, Unicode 14+ letters, empty and whitespace-only
 * strings, long needles, repeated tokens, numbers, punctuation, 10k-word texts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { textSimilarity, type LocalTextSimilarityMetric } from "../../../src/engine/metrics/index.js";

interface OracleCase {
  readonly id: number;
  readonly note: string;
  readonly input: string;
  readonly reference: string;
  readonly expected: Partial<Record<LocalTextSimilarityMetric, number>>;
}
interface OracleFile {
  readonly header: Record<string, unknown>;
  readonly pairs: readonly OracleCase[];
}

const fixture = JSON.parse(
  readFileSync(new URL("./fixtures/oracle.json", import.meta.url), "utf8"),
) as OracleFile;

const rows = fixture.pairs.flatMap((p) =>
  (Object.entries(p.expected) as [LocalTextSimilarityMetric, number][]).map(
    ([metric, expected]) => [p.id, metric, p.note, p, expected] as const,
  ),
);

describe("oracle fixtures (reference libraries)", () => {
  it("records the versions it was made with", () => {
    expect(fixture.header).toMatchObject({ python: "3.11.7", nltk: expect.any(String), rapidfuzz: expect.any(String) });
    expect(fixture.pairs.length).toBeGreaterThanOrEqual(280);
    const metrics = new Set(rows.map((r) => r[1]));
    for (const m of ["fuzzy_match", "bleu", "gleu", "meteor"]) expect(metrics).toContain(m);
  });

  it.each(rows)("#%i %s: %s", (_id, metric, _note, p, expected) => {
    const got = textSimilarity(metric, p.input, p.reference);
    expect(Math.abs(got - expected)).toBeLessThanOrEqual(1e-9);
  });
});
