import { describe, expect, it } from "vitest";
import { type Diagnostic, sortDiagnostics } from "../../src/diagnostics/diagnostic.js";
import { Locator } from "../../src/diagnostics/locate.js";
import { renderGithub } from "../../src/diagnostics/render-github.js";
import { renderJson } from "../../src/diagnostics/render-json.js";
import { renderPretty } from "../../src/diagnostics/render-pretty.js";

/*
 * A finding about a file whose text is not held (a dataset line) carries `location` and the span
 * {0, 0}: every renderer prints that line and column, and no code frame.
 */

const source = "python {\n  source: 1\n}\n";
const inGrade: Diagnostic = { rule: "invalid-value", severity: "error", message: "not a string", file: "g.grade", span: { start: 19, end: 20 } };
const inData: Diagnostic = { rule: "dataset", severity: "error", message: "bad line", file: "d.jsonl", span: { start: 0, end: 0 }, location: { line: 7, column: 3 }, suggestion: "fix it" };
const sourceOf = (file: string | undefined) => (file === "g.grade" ? source : undefined);

describe("diagnostics with a location", () => {
  it("are located at their line and column", () => {
    const locator = new Locator(sourceOf);
    expect(locator.locateDiagnostic(inData)).toEqual({ start: { line: 7, column: 3 }, end: { line: 7, column: 3 } });
    expect(locator.locateDiagnostic(inGrade)).toEqual({ start: { line: 2, column: 11 }, end: { line: 2, column: 12 } });
  });

  it("print without a code frame, even when a text is found for the file", () => {
    expect(renderPretty([inData], sourceOf)).toBe("d.jsonl:7:3: error[dataset]: bad line\n  help: fix it\n");
    expect(renderPretty([inData], () => source)).toBe("d.jsonl:7:3: error[dataset]: bad line\n  help: fix it\n");
    expect(renderPretty([inGrade], sourceOf)).toBe(
      ["g.grade:2:11: error[invalid-value]: not a string", "    1 | python {", "  > 2 |   source: 1", "      |           ^", "    3 | }", ""].join("\n"),
    );
  });

  it("give the file, line and column in JSON and GitHub annotations", () => {
    expect(JSON.parse(renderJson([inData], sourceOf))).toEqual([
      { rule: "dataset", severity: "error", message: "bad line", file: "d.jsonl", start: { line: 7, column: 3 }, end: { line: 7, column: 3 }, suggestion: "fix it" },
    ]);
    expect(renderGithub([inData], sourceOf)).toBe("::error file=d.jsonl,line=7,col=3,endLine=7,endColumn=3,title=gradelang dataset::bad line%0Ahelp: fix it");
  });

  it("sort by line within their file", () => {
    const at = (line: number): Diagnostic => ({ ...inData, location: { line, column: 1 }, message: `line ${line}` });
    expect(sortDiagnostics([at(30), inGrade, at(4), at(12)]).map((d) => d.message)).toEqual(["line 4", "line 12", "line 30", "not a string"]);
  });
});
