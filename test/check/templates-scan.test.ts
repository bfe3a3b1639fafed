import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTemplatePath, scanTemplates } from "../../src/check/templates.js";
import { trickyString } from "../property/zod-arbitrary.js";

/*
 * scanTemplates and parseTemplatePath skip text and scan paths by hand for speed; these are the
 * definitions they must keep to.
 */

const PATH = /^([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;

function byRegex(path: string) {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const segments = [...m[2]!.matchAll(SEGMENT)].map((s) => (s[1] !== undefined ? { kind: "field", name: s[1] } : { kind: "index", index: Number(s[2]) }));
  return { namespace: m[1]!, segments };
}

const pathPart = fc.constantFrom("item", "sample", "a", "_x1", ".", "[", "]", "0", "12", " ", "é", "-", "\n", ".b", "[3]", "x");
const pathLike = fc.array(pathPart, { maxLength: 8 }).map((p) => p.join(""));

describe("template paths", () => {
  it("parse as the path pattern says", () => {
    fc.assert(
      fc.property(fc.oneof(pathLike, fc.string({ maxLength: 12 })), (path) => {
        expect(parseTemplatePath(path)).toEqual(byRegex(path));
      }),
      { numRuns: 3000 },
    );
  });

  it("are found in text, whatever surrounds them", () => {
    const braces = fc.array(fc.constantFrom("{", "}", "{{", "}}", "{{{", "}}}", " ", "item.a", "x", "{{item.b}}", "{ {{sample.output_text}} }", "{{ }}", "{{a b}}"), { maxLength: 10 });
    fc.assert(
      fc.property(fc.oneof(braces.map((p) => p.join("")), trickyString), (text) => {
        const { refs, problems } = scanTemplates(text);
        // Every ref is a real path at its place in the text.
        for (const ref of refs) expect(text.slice(ref.start, ref.end)).toBe(ref.path);
        for (const p of problems) expect(p.start).toBeLessThanOrEqual(p.end);
      }),
      { numRuns: 2000 },
    );
    expect(scanTemplates("a {{ item.x }} and {{sample.output_json.y[0]}}}").problems.map((p) => p.message)).toEqual(["extra `}` after the template"]);
    expect(scanTemplates('{"a": {"b": {{item.x}}}}').refs.map((r) => r.path)).toEqual(["item.x"]);
  });
});
