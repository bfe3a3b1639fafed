import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GradeParser } from "../../src/syntax/parser.js";

/*
 * grammar/grammar.md documents the parser: every production of its ```ebnf block must be a
 * parser rule of the same name, and every parser rule must have a production.
 */

const markdown = readFileSync(new URL("../../grammar/grammar.md", import.meta.url), "utf8");

function ebnfBlock(text: string): string {
  const blocks = [...text.matchAll(/^```ebnf\n([\s\S]*?)^```$/gm)];
  expect(blocks, "grammar.md must hold exactly one ```ebnf block").toHaveLength(1);
  return blocks[0]![1]!;
}

/** Names defined in the block: `name =` at the start of a line, comments removed. */
function productionNames(ebnf: string): string[] {
  const code = ebnf.replace(/\(\*[\s\S]*?\*\)/g, "");
  return [...code.matchAll(/^([A-Za-z_]\w*)\s*=/gm)].map((m) => m[1]!);
}

/** Names used in the block: lowercase identifiers outside quotes and comments. */
function referencedNames(ebnf: string): string[] {
  const code = ebnf.replace(/\(\*[\s\S]*?\*\)/g, "").replace(/"[^"]*"/g, "");
  return [...code.matchAll(/\b([a-z]\w*)\b/g)].map((m) => m[1]!);
}

const ebnf = ebnfBlock(markdown);
const documented = productionNames(ebnf);
const rules = Object.keys(new GradeParser().getGAstProductions());

describe("grammar.md EBNF", () => {
  it("defines each production once", () => {
    const duplicates = documented.filter((name, i) => documented.indexOf(name) !== i);
    expect(duplicates).toEqual([]);
  });

  it("has exactly the parser's rules", () => {
    const missingInDoc = rules.filter((r) => !documented.includes(r));
    const notInParser = documented.filter((d) => !rules.includes(d));
    expect({ missingInDoc, notInParser }).toEqual({ missingInDoc: [], notInParser: [] });
    expect(rules.length).toBeGreaterThan(20);
  });

  it("refers only to defined productions (tokens are UPPERCASE)", () => {
    const undefinedRefs = [...new Set(referencedNames(ebnf))].filter((n) => !documented.includes(n));
    expect(undefinedRefs).toEqual([]);
  });
});
