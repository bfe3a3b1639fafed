import { describe, expect, it } from "vitest";
import { stringCheck, type StringCheckOperation } from "../../src/engine/string-check.js";

describe("stringCheck", () => {
  it.each<[string, string, StringCheckOperation, 0 | 1]>([
    // eq: exact, case-sensitive
    ["Paris", "Paris", "eq", 1],
    ["Paris", "paris", "eq", 0],
    ["Paris ", "Paris", "eq", 0],
    ["", "", "eq", 1],
    ["Paris", "Par", "eq", 0],
    // ne
    ["Paris", "Paris", "ne", 0],
    ["Paris", "paris", "ne", 1],
    ["", "", "ne", 0],
    ["a", "", "ne", 1],
    // like: input contains reference, case-sensitive
    ["The capital is Paris.", "Paris", "like", 1],
    ["The capital is paris.", "Paris", "like", 0],
    ["Paris", "The capital is Paris.", "like", 0],
    ["Paris", "Paris", "like", 1],
    ["anything", "", "like", 1],
    ["", "", "like", 1],
    ["", "x", "like", 0],
    // no SQL wildcards
    ["abc", "a%", "like", 0],
    ["a%c", "a%", "like", 1],
    ["abc", "a_c", "like", 0],
    ["a_c", "a_c", "ilike", 1],
    ["abc", "%", "ilike", 0],
    // ilike: contains, ignoring case
    ["The capital is PARIS.", "paris", "ilike", 1],
    ["paris", "PaRiS", "ilike", 1],
    ["Lyon", "paris", "ilike", 0],
    ["ÉCOLE normale", "école", "ilike", 1],
    ["ΣΟΦΙΑ", "σοφια", "ilike", 1],
  ])("%j %j %s → %d", (input, reference, operation, expected) => {
    expect(stringCheck(input, reference, operation)).toBe(expected);
  });

  it("does no trimming or Unicode normalisation", () => {
    const composed = "caf\u00e9";
    const decomposed = "cafe\u0301";
    expect(stringCheck(composed, decomposed, "eq")).toBe(0);
    expect(stringCheck(composed, decomposed, "ilike")).toBe(0);
    expect(stringCheck(" yes\n", "yes", "eq")).toBe(0);
    expect(stringCheck(" yes\n", "yes", "like")).toBe(1);
    expect(stringCheck("yes", "yes\n", "like")).toBe(0);
  });

  it("folds case with toLowerCase(), not locale rules or case folding", () => {
    // Locale-independent: `I` lowers to `i` whatever the host locale (not Turkish dotless `ı`).
    expect(stringCheck("TITLE", "title", "ilike")).toBe(1);
    expect(stringCheck("title", "TİTLE", "ilike")).toBe(0); // `İ` lowers to `i̇` (i + combining dot)
    // No full case folding: `ß` does not match `SS`.
    expect(stringCheck("STRASSE", "straße", "ilike")).toBe(0);
    expect(stringCheck("STRASSE", "strasse", "ilike")).toBe(1);
  });

  it("handles emoji and astral characters as plain code units", () => {
    expect(stringCheck("great 👍 job", "👍", "like")).toBe(1);
    expect(stringCheck("𝐀", "𝐚", "ilike")).toBe(0);
  });
});
