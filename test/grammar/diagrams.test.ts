import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { diagramsHtml, inlinedFiles } from "../../scripts/diagrams-lib.js";
import { GradeParser } from "../../src/syntax/parser.js";

/*
 * grammar/diagrams.html is generated (scripts/diagrams.js): it must match a fresh generation,
 * be self-contained, and draw a diagram for every parser rule.
 */

const committed = readFileSync(new URL("../../grammar/diagrams.html", import.meta.url), "utf8");
const parser = new GradeParser();
const rules = Object.keys(parser.getGAstProductions());

/** The page's scripts run in a bare context; returns the HTML the page puts in `#diagrams`. */
function renderDiagrams(html: string): string {
  const scripts = [...html.matchAll(/<script>\n([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const target = { innerHTML: "" };
  const page: Record<string, unknown> = {
    document: {
      getElementById: (id: string) => (id === "diagrams" ? target : null),
      getElementsByClassName: () => [],
      getElementsByTagName: () => [],
    },
  };
  page["window"] = page;
  for (const script of scripts) runInNewContext(script, page);
  return target.innerHTML;
}

describe("grammar/diagrams.html", () => {
  it("is up to date (run `npm run build && node scripts/diagrams.js`)", () => {
    expect(committed === diagramsHtml(parser.getSerializedGastProductions())).toBe(true);
  });

  it("is self-contained", () => {
    expect(committed).not.toMatch(/<script src=|<link |https?:\/\/unpkg/);
    expect(inlinedFiles.every((file) => file.endsWith(".css") || committed.includes(`// chevrotain/diagrams/${file}`))).toBe(true);
  });

  it("draws a diagram for every parser rule", () => {
    const drawn = renderDiagrams(committed);
    const headers = [...drawn.matchAll(/<h2 class="diagramHeader">(\w+)<\/h2>\s*<svg/g)].map((m) => m[1]!);
    expect(headers).toEqual(rules);
  });
});
