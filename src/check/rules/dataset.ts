import type { Rule } from "../context.js";

/**
 * Findings about a `--items` dataset are reported by `checkDataset` (src/check/dataset.ts), which
 * streams the file; this entry documents them in the catalog.
 */
export const datasetRule: Rule = {
  shared: true,
  meta: {
    id: "dataset",
    severity: "error",
    summary:
      "With `--items data.jsonl`: a line that is not a JSON object (with its line number), a declared `item` field some rows lack or hold with another type, or an empty dataset (a warning).",
    example:
      '// grade check grader.grade --items data.jsonl\n// data.jsonl line 9: {"answer": "Paris", "score": "high"}\nitem { answer: string, score: integer }   // `item.score` is declared `integer` but is a string in 1 of 10 rows, first at line 9\nstring_check "exact": sample.output_text eq item.answer',
  },
  create: () => ({}),
};
