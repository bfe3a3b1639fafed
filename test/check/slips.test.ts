// The slips people make, each with the message they see (issue 14, item 6).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check } from "../../src/compile.js";
import { findings } from "../helpers/harness.js";
import { grade } from "../helpers/cli.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-slips-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("operators from other languages", () => {
  it("`==` is one finding that says to use `eq`, and the grader is read as if it said `eq`", () => {
    expect(findings('string_check "a": sample.output_text == "x"\n')).toEqual([
      {
        rule: "syntax",
        severity: "error",
        message: "`==` is not an operator in .grade: a string_check operation is a name",
        at: "1:38-1:40",
        suggestion: "use `eq`, as in `sample.output_text eq item.answer`",
      },
    ]);
    const doc = check('string_check "a": sample.output_text == "x"\n').document;
    expect(doc.grader?.body.kind === "CompareForm" && doc.grader.body.operation.name).toBe("eq");
  });

  it("`!=` says `ne`; `=` between a field and its value says `:`", () => {
    expect(findings('string_check "a": sample.output_text != "x"\n').map((f) => f.suggestion)).toEqual(["use `ne`, as in `sample.output_text ne item.answer`"]);
    expect(findings('string_check "a" {\n  input = sample.output_text\n  reference: "x"\n  operation: eq\n}\n')).toEqual([
      { rule: "syntax", severity: "error", message: "unexpected `=`: a field and its value are separated by `:`", at: "2:9-2:10", suggestion: "write `field: value`" },
    ]);
  });
});

describe("a grader kind written with a dash", () => {
  it("is named with its spelling, once, and the grader is checked as that kind", () => {
    expect(findings('string-check "a" { input: sample.output_text reference: "x" operation: eq }\n')).toEqual([
      { rule: "syntax", severity: "error", message: "`string-check` is not a grader kind; did you mean `string_check`?", at: "1:1-1:13", suggestion: "write `string_check`" },
    ]);
    const sub = findings('multi "m" {\n  graders { a: text-similarity "t": bleu(sample.output_text, "x") }\n  calculate_output: a\n}\n');
    expect(sub.map((f) => f.message)).toEqual(["`text-similarity` is not a grader kind; did you mean `text_similarity`?"]);
  });

  it("as a field's value it is a value to quote, not a kind", () => {
    const f = findings('string_check "a" { input: sample.output_text reference: "x" operation: string-check }\n');
    expect(f.map((x) => x.message)).toContain("`string-check` must be quoted to be one value");
    expect(f.map((x) => x.message).some((m) => m.includes("grader kind"))).toBe(false);
  });
});

describe("a missing `}` before a test", () => {
  const source = 'string_check "a" {\n  input: sample.output_text\n  reference: "x"\n  operation: eq\n\ntest "t" {\n  sample: "x"\n  expect: 1\n}\n';

  it("is reported as the unclosed grader, and nothing else; the test is still read as a test", () => {
    expect(findings(source)).toEqual([
      { rule: "syntax", severity: "error", message: "expected `}` to close the `string_check` grader opened at 1:18, found `test`", at: "6:1-6:5" },
    ]);
    const { document } = check(source);
    expect(document.tests.map((t) => t.name.value)).toEqual(["t"]);
    expect(document.grader?.body.kind === "BlockBody" && document.grader.body.members.length).toBe(3);
  });
});

describe("JSON graders", () => {
  it("a trailing comma is reported at the comma, once", () => {
    const json = '{"type": "string_check", "name": "a", "input": "{{sample.output_text}}", "reference": "x", "operation": "eq",\n}';
    expect(findings(json, { filename: "g.json" })).toEqual([
      { rule: "syntax", severity: "error", message: "invalid JSON: a trailing comma (JSON allows none before `}` or `]`)", at: "1:109-1:110", suggestion: "remove this comma" },
    ]);
    expect(findings('{"type": "label_model", "labels": ["a", ], "name": "x"}', { filename: "g.json" })[0]?.at).toBe("1:39-1:40");
  });
});

describe("single braces", () => {
  it("`{sample.output_text}` is a warning with the fix; JSON in a prompt and `{{ }}` are not", () => {
    expect(findings('string_check "a" { input: "{sample.output_text}" reference: "x" operation: eq }\n')).toEqual([
      {
        rule: "malformed-template",
        severity: "warning",
        message: "`{sample.output_text}` looks like a template, but templates take two braces: this is literal text",
        at: "1:28-1:48",
        suggestion: "write `{{sample.output_text}}`",
      },
    ]);
    const fix = check('string_check "a" { input: "{ item.answer }" reference: "x" operation: eq }\n').diagnostics[0];
    expect(fix?.replacement).toBe("{{item.answer}}");
    expect(findings('score_model "s" { model: "gpt-4o" user """Answer {"score": 1} for {{item.q}}""" }\n')).toEqual([]);
    expect(findings('score_model "s" { model: "gpt-4o" user "{item}, {sample}, {other.x}" }\n')).toEqual([]);
  });
});

describe("--items given grade eval rows", () => {
  it("says so, once, with the jq command that extracts the items", () => {
    const grader = path.join(tmp, "g.grade");
    fs.writeFileSync(grader, 'item { x: string }\nstring_check "a" { input: sample.output_text reference: item.x operation: eq }\n');
    const rows = path.join(tmp, "rows.jsonl");
    fs.writeFileSync(rows, '{"item": {"x": "a"}, "sample": {"output_text": "a"}}\n{"item": {"x": "b"}, "sample": "b"}\n');
    const run = grade(["check", grader, "--items", rows], { cwd: tmp });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("rows.jsonl:1:1: error[dataset]: these rows are `grade eval` rows (`{\"item\": ..., \"sample\": ...}`), not items: `--items` takes one item a line");
    expect(run.stdout).toContain("help: check their items: `jq -c .item rows.jsonl > items.jsonl`, then `--items items.jsonl` (or grade them as they are: `grade eval <grader> --data rows.jsonl`)");
    expect(run.stdout).toContain("1 error, 0 warnings");
  });
});
