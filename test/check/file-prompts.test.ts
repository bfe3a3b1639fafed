// Prompts and test samples in their own files: `user file("prompts/judge.md")`,
// `input_text(file(...))`, `sample: file("samples/reply.txt")`, inside the project only.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check, compile } from "../../src/compile.js";
import { grade } from "../helpers/cli.js";

const project = fs.mkdtempSync(path.join(os.tmpdir(), "grade-prompts-"));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));
fs.mkdirSync(path.join(project, "prompts"));
fs.mkdirSync(path.join(project, "samples"));
fs.writeFileSync(path.join(project, "prompts", "judge.md"), "Rate the reply.\nQuestion: {{item.question}}\n");
fs.writeFileSync(path.join(project, "prompts", "typo.md"), "Rate the reply.\nQuestion: {{item.questoin}} and {{ itme.x }}\n");
fs.writeFileSync(path.join(project, "samples", "reply.txt"), "We ship to Paris on Monday.\n");
const grader = path.join(project, "judge.grade");
const options = { filename: grader, root: project };

const judge = (content: string) => `item { question: string }\nscore_model "judge" {\n  model: "gpt-4o"\n  ${content}\n  range: [0, 1]\n}\n`;

describe("file() as message content", () => {
  it("is the file's text, exactly, in the JSON; as a message or as an input_text part", () => {
    const result = compile(judge('system file("prompts/judge.md")\n  user input_text(file("prompts/judge.md"))'), options);
    expect(result.diagnostics).toEqual([]);
    expect(result.grader?.["input"]).toEqual([
      { role: "system", content: "Rate the reply.\nQuestion: {{item.question}}\n" },
      { role: "user", content: { type: "input_text", text: "Rate the reply.\nQuestion: {{item.question}}\n" } },
    ]);
  });

  it("checks the file's templates, saying where in the file, with no edit of the .grade text", () => {
    const source = judge('user file("prompts/typo.md")');
    const { diagnostics } = check(source, options);
    expect(diagnostics.map((d) => [d.rule, d.message, source.slice(d.span.start, d.span.end), d.replacement])).toEqual([
      [
        "unknown-namespace",
        "`itme` is not a template namespace; templates read `item.*` (the dataset row) or `sample.*` (the model's output) (in `prompts/typo.md` at 2:36)",
        'file("prompts/typo.md")',
        undefined,
      ],
      [
        "unknown-variable",
        "`item` has no field `questoin` (it has `question`) (in `prompts/typo.md` at 2:13)",
        'file("prompts/typo.md")',
        undefined,
      ],
    ]);
    expect(diagnostics[1]!.suggestion).toBe("did you mean `item.question`?");
  });

  it("a missing file, or one outside the project, is a `file` error and nothing is emitted", () => {
    const missing = compile(judge('user file("prompts/none.md")'), options);
    expect(missing.grader).toBeUndefined();
    expect(missing.diagnostics.map((d) => [d.rule, d.message])).toEqual([
      ["file", `\`prompts/none.md\` does not exist (looked for ${path.join(project, "prompts", "none.md")})`],
    ]);
    const outside = check(judge('user file("../../etc/passwd")'), options);
    expect(outside.diagnostics.map((d) => d.rule)).toEqual(["file"]);
    expect(outside.diagnostics[0]!.message).toContain("outside the project");
  });

  it("is still no content part of its own: other calls are", () => {
    const { diagnostics } = check(judge('user fle("prompts/judge.md")'), options);
    expect(diagnostics.map((d) => d.message)).toEqual([
      "`fle` is not a content part; the parts are `input_text`, `output_text`, `input_image` or `input_audio`",
    ]);
  });
});

describe("file() as a test's sample", () => {
  const source = `item { city: string }\nstring_check "c" {\n  input: sample.output_text\n  reference: item.city\n  operation: like\n}\ntest "from a file" {\n  sample: file("samples/reply.txt")\n  item { city: "Paris" }\n  expect: 1\n}\n`;

  it("checks clean, and grade test runs it on the file's text", () => {
    expect(check(source, options).diagnostics).toEqual([]);
    fs.writeFileSync(grader, source);
    const run = grade(["test", grader], { cwd: project });
    expect(run.stdout).toContain("✓ from a file  reward 1, expected 1");
    expect(run.code).toBe(0);
  });

  it("a sample file that does not exist is a `file` error at its path", () => {
    const bad = source.replace("samples/reply.txt", "samples/none.txt");
    const { diagnostics } = check(bad, options);
    expect(diagnostics.map((d) => [d.rule, bad.slice(d.span.start, d.span.end)])).toEqual([["file", '"samples/none.txt"']]);
  });
});
