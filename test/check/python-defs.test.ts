import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gradeDefs } from "../../src/check/python.js";

/*
 * gradeDefs finds `def grade(` by searching for `def` and trying the pattern from each line's
 * start; the multi-line pattern run over the whole source is the definition it keeps to.
 */

function byPattern(source: string) {
  const found: { start: number; open: number; async: boolean }[] = [];
  for (const m of source.matchAll(/^([ \t]*)(async[ \t]+)?def[ \t]+grade[ \t]*\(/gm)) {
    found.push({ start: m.index + m[1]!.length, open: m.index + m[0].length - 1, async: m[2] !== undefined });
  }
  return found;
}

const piece = fc.constantFrom("def", " ", "\t", "grade", "(", "async", "\n", "\r\n", "\r", "\u2028", "x", "undefined", ":", "  def grade(s, i):", "class C:", "#", "asyncdef", "de", "f");

describe("python: def grade", () => {
  it("is found where the multi-line pattern finds it", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((p) => p.join("")), (source) => {
        expect(gradeDefs(source).map(({ start, open, async }) => ({ start, open, async }))).toEqual(byPattern(source));
      }),
      { numRuns: 20000 },
    );
  });
});
