import fc from "fast-check";

/*
 * How long and with which seed the property tests run. In `npm test` (CI): a fixed seed and a
 * time budget per property, so a run is reproducible and fast. `npm run fuzz` sets GRADE_FUZZ=1:
 * a random seed (printed, and in fast-check's failure report), many more runs and a longer budget.
 * A failure prints its seed and path; rerun it with GRADE_FUZZ_SEED=<seed>, and turn the shrunk
 * input into a regression test (test/reliability/fuzz-crashes.test.ts or the `onceCrashed` lists).
 */

const long = process.env["GRADE_FUZZ"] === "1";
const seedText = process.env["GRADE_FUZZ_SEED"];
const seed = seedText !== undefined ? Number(seedText) : long ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0 : 18;
if (long) console.log(`property tests: seed ${seed} (rerun one with GRADE_FUZZ_SEED=${seed})`);

/** Parameters for fc.assert: `runs` in CI, 50 times more when fuzzing, within the time budget. */
export function fuzz<T>(runs: number, budgetMs = 8_000): fc.Parameters<T> {
  return {
    seed,
    numRuns: long ? runs * 50 : runs,
    interruptAfterTimeLimit: long ? Number(process.env["GRADE_FUZZ_BUDGET_MS"] ?? 120_000) : budgetMs,
    markInterruptAsFailure: false,
  };
}

/** The test timeout for a property with that budget. */
export const timeout = (budgetMs = 8_000): number => (long ? Number(process.env["GRADE_FUZZ_BUDGET_MS"] ?? 120_000) : budgetMs) + 30_000;
