// Golden files of what `grade check` prints for files with syntax errors: each
// test/syntax/errors/NN-name.grade has beside it NN-name.out, the findings exactly as the CLI
// renders them (pretty, no colour). They pin every message of src/syntax/parse-errors.ts, the
// lexer's and the string decoder's, the document-level ones (no grader, two graders, a repeated
// declaration), the slips that parse but break a rule (`input sample.x`, `user { ... }`), and
// the parser's recovery (what else is reported after the first error), so the parser can be
// rewritten with its behaviour held fixed. They record today's messages, good and bad: some
// (e.g. an `item` declaration called "the `item` grader") are to be improved, deliberately.
//
// After an intended change of a message: GRADE_UPDATE_GOLDENS=1 npx vitest run test/syntax/errors.test.ts
// and review the diff of the .out files.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../../src/compile.js";
import { renderPretty } from "../../src/diagnostics/render-pretty.js";

const dir = path.join(import.meta.dirname, "errors");
const cases = fs
  .readdirSync(dir)
  .filter((name) => name.endsWith(".grade"))
  .sort();
const update = process.env.GRADE_UPDATE_GOLDENS === "1";

function render(name: string, source: string): string {
  const file = `test/syntax/errors/${name}`;
  const diagnostics = check(source, { filename: file }).diagnostics.map((d) => ({ ...d, file }));
  return `${renderPretty(diagnostics, () => source, { color: false })}\n`;
}

describe("syntax error goldens", () => {
  it("cover at least 60 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)("%s", (name) => {
    const source = fs.readFileSync(path.join(dir, name), "utf8");
    const actual = render(name, source);
    const golden = path.join(dir, name.replace(/\.grade$/, ".out"));
    if (update) fs.writeFileSync(golden, actual);
    expect(actual).toBe(fs.readFileSync(golden, "utf8"));
  });

  it("report an error in every case (a slip that parses is reported by the rule it breaks)", () => {
    const clean = cases.filter((name) => !/: error\[/.test(render(name, fs.readFileSync(path.join(dir, name), "utf8"))));
    expect(clean).toEqual([]);
  });
});
