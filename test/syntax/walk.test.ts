import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { corpus } from "../../bench/corpus.js";
import { childrenOf, type Node, walk } from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parse.js";

/** walk() reads each kind's children property by property; childKeys (childrenOf) is the truth. */
function generic(root: Node, out: Node[]): void {
  out.push(root);
  for (const c of childrenOf(root)) generic(c, out);
}

describe("walk", () => {
  it("visits the nodes childKeys lists, in its order, with their parents", () => {
    const dir = path.resolve(import.meta.dirname, "../../examples");
    const texts = [
      ...fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".grade")).map((f) => fs.readFileSync(path.join(dir, f), "utf8")),
      ...corpus(16),
      // recovered from syntax errors: nodes with children left out
      'multi "m" { graders { a: string_check "a": } calculate_output: a + }\ntest "t" { expect: 1..2 sample: x within 0.1 }',
      'score_model "s" { user input_image( }',
      'item { a: string | [ { b: } ] }',
    ];
    let nodes = 0;
    for (const text of texts) {
      const document = parse(text).document;
      const expected: Node[] = [];
      generic(document, expected);
      const seen: Node[] = [];
      walk(document, (node, parents) => {
        seen.push(node);
        if (parents.length > 0) expect(childrenOf(parents[parents.length - 1]!)).toContain(node);
      });
      expect(seen).toEqual(expected);
      nodes += seen.length;
    }
    expect(nodes).toBeGreaterThan(1000);
  });

  it("skips the children of a node when enter returns false", () => {
    const document = parse('string_check "s": a eq b').document;
    const kinds: string[] = [];
    walk(document, (node) => {
      kinds.push(node.kind);
      return node.kind !== "Grader";
    });
    expect(kinds).toEqual(["Document", "Grader"]);
  });
});
