import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { checkDataset } from "../../src/index.js";
import { check } from "../../src/compile.js";
import { CheckContext } from "../../src/check/context.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { grader, jsonl, project } from "./fixtures.js";

/** A finding as a row: the underlined text for the .grade file, `line:col` for the dataset. */
interface Row {
  rule: string;
  severity: string;
  message: string;
  at: string;
  suggestion?: string;
}

function rows(source: string, diagnostics: readonly Diagnostic[]): Row[] {
  return diagnostics.map((d) => ({
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    at: d.location ? `${d.file}:${d.location.line}:${d.location.column}` : source.slice(d.span.start, d.span.end),
    ...(d.suggestion ? { suggestion: d.suggestion } : {}),
  }));
}

async function run(source: string, data: string | Buffer, options: Parameters<typeof checkDataset>[2] = {}): Promise<Row[]> {
  const dir = project({ "d.jsonl": data });
  return rows(source, await checkDataset(source, path.join(dir, "d.jsonl"), { label: "d.jsonl", ...options }));
}

describe("template paths some rows lack", () => {
  it("counts the rows that lack a path and names the first line", async () => {
    const data = jsonl([
      { question: "a", reference_answer: "x" },
      { question: "b" },
      { question: "c", reference_answer: "y" },
      { question: "d" },
      { question: "e", reference_answer: "z" },
    ]);
    expect(await run(grader("{{item.question}} {{item.reference_answer}}"), data)).toEqual([
      { rule: "unknown-variable", severity: "error", message: "`item.reference_answer` is missing in 2 of 5 rows, first at line 2", at: "item.reference_answer" },
    ]);
  });

  it("writes thousands with separators", async () => {
    const many = Array.from({ length: 5000 }, (_, i) => (i === 16 || i === 99 || i === 4000 ? { reference: "r" } : { reference: "r", reference_answer: "a" }));
    expect(await run(grader("{{item.reference_answer}}"), jsonl(many))).toEqual([
      { rule: "unknown-variable", severity: "error", message: "`item.reference_answer` is missing in 3 of 5,000 rows, first at line 17", at: "item.reference_answer" },
    ]);
  });

  it("says `in every row` when no row has it, and suggests a close key the rows have", async () => {
    const data = jsonl([{ referenceanswer: "x" }, { referenceanswer: "y" }]);
    expect(await run(grader("{{item.reference_answer}}"), data)).toEqual([
      {
        rule: "unknown-variable",
        severity: "error",
        message: "`item.reference_answer` is missing in every row",
        at: "item.reference_answer",
        suggestion: "did you mean `item.referenceanswer`? (present in all rows)",
      },
    ]);
  });

  it("gives the replacement path with the suggestion", async () => {
    const source = grader("{{item.anwser}}");
    const dir = project({ "d.jsonl": jsonl([{ answer: 1 }, { answer: 2 }, { anwser: 3 }]) });
    const [d] = await checkDataset(source, path.join(dir, "d.jsonl"));
    expect(d).toMatchObject({ suggestion: "did you mean `item.answer`? (present in every row that lacks it)", replacement: "item.answer" });
  });

  it("lists the rows' keys when nothing is close and every row lacks the path", async () => {
    expect(await run(grader("{{item.reference_answer}}"), jsonl([{ question: "q", gold: "g" }]))).toEqual([
      {
        rule: "unknown-variable",
        severity: "error",
        message: "`item.reference_answer` is missing in every row",
        at: "item.reference_answer",
        suggestion: "the rows have `question` and `gold`",
      },
    ]);
  });

  it("blames the rows, not the template, when only a few rows spell the key differently", async () => {
    const data = jsonl([{ answer: "a" }, { answer: "b" }, { answr: "c" }]);
    expect(await run(grader("{{item.answer}}"), data)).toEqual([
      {
        rule: "unknown-variable",
        severity: "error",
        message: "`item.answer` is missing in 1 of 3 rows, first at line 3",
        at: "item.answer",
        suggestion: "the rows that lack it have `item.answr` instead (1 of 1); fix them in the dataset?",
      },
    ]);
  });

  it("counts a close key among the rows that lack the path when most rows lack it", async () => {
    const data = jsonl([{ answer: 1 }, { answer: 2 }, { anwser: 3 }, { other: 4 }]);
    expect(await run(grader("{{item.anwser}}"), data)).toEqual([
      {
        rule: "unknown-variable",
        severity: "error",
        message: "`item.anwser` is missing in 3 of 4 rows, first at line 1",
        at: "item.anwser",
        suggestion: "did you mean `item.answer`? (present in 2 of the 3 rows that lack it)",
      },
    ]);
    const every = jsonl([{ answer: 1 }, { answer: 2 }, { other: 4 }]);
    expect((await run(grader("{{item.anwser}}"), every))[0]?.suggestion).toBe("did you mean `item.answer`? (present in 2 of 3 rows)");
  });

  it("suggests a nested key at the level where the path fails", async () => {
    const data = jsonl([{ gt: { datum: "d" } }, { gt: { datum: "e" } }]);
    expect((await run(grader("{{item.gt.date}}"), data))[0]).toMatchObject({
      message: "`item.gt.date` is missing in every row",
      suggestion: "did you mean `item.gt.datum`? (present in all rows)",
    });
    expect((await run(grader("{{item.gt.zzz}}"), data))[0]?.suggestion).toBe("`item.gt` has `datum`");
  });

  it("reads keys that Object.prototype also has as the rows' own (constructor, __proto__, toString)", async () => {
    const data = '{"constructor": 1, "__proto__": {"x": 2}}\n{"toString": "s"}\n';
    expect((await run(grader("{{item.constructor}} {{item.__proto__.x}} {{item.toString}} {{item.hasOwnProperty}}"), data)).map((f) => f.message)).toEqual([
      "`item.constructor` is missing in 1 of 2 rows, first at line 2",
      "`item.__proto__.x` is missing in 1 of 2 rows, first at line 2",
      "`item.toString` is missing in 1 of 2 rows, first at line 1",
      "`item.hasOwnProperty` is missing in every row",
    ]);
    const declared = grader("{{sample.output_text}}", "item { constructor: integer, valueOf?: string }");
    expect((await run(declared, '{"constructor": 1}\n{"valueOf": "v"}\n{"constructor": "c"}\n')).map((f) => f.message)).toEqual([
      "declared `constructor` is missing in 1 of 3 rows, first at line 2",
      "`item.constructor` is declared `integer` but is a string in 1 of 3 rows, first at line 3",
    ]);
  });

  it("resolves nested paths: a row whose object lacks the field, or has no object there, lacks the path", async () => {
    const data = jsonl([
      { ground_truth: { date: "2024-01-01" } },
      { ground_truth: { amount: 3 } },
      { ground_truth: "2024-01-02" },
      {},
      { ground_truth: { date: null } },
    ]);
    expect(await run(grader("{{item.ground_truth.date}}"), data)).toEqual([
      { rule: "unknown-variable", severity: "error", message: "`item.ground_truth.date` is missing in 3 of 5 rows, first at line 2", at: "item.ground_truth.date" },
    ]);
  });

  it("resolves list indexes: a row with an empty list (or no list) lacks `item.tags[0]`", async () => {
    const data = jsonl([{ tags: ["a"] }, { tags: [] }, { tags: ["b", "c"] }, { tags: "a" }]);
    expect(await run(grader("{{item.tags[0]}} {{item.tags[1]}}"), data)).toEqual([
      { rule: "unknown-variable", severity: "error", message: "`item.tags[0]` is missing in 2 of 4 rows, first at line 2", at: "item.tags[0]" },
      { rule: "unknown-variable", severity: "error", message: "`item.tags[1]` is missing in 3 of 4 rows, first at line 1", at: "item.tags[1]" },
    ]);
  });

  it("reports nothing when every row has every path (null values count as present)", async () => {
    const data = jsonl([
      { a: 1, b: { c: [0] } },
      { a: null, b: { c: [null, 1] } },
    ]);
    expect(await run(grader("{{item.a}} {{item.b.c[0]}} {{sample.output_text}}"), data)).toEqual([]);
  });

  it("reports a path once, at its first use, with the other uses as related places", async () => {
    const source = `multi "m" {
  graders {
    a: string_check "a": sample.output_text eq item.label
    b: string_check "b": sample.output_text ne item.label
  }
  calculate_output: a + b
}
`;
    const dir = project({ "d.jsonl": jsonl([{ label: "x" }, { other: 1 }]) });
    const found = await checkDataset(source, path.join(dir, "d.jsonl"));
    expect(found).toHaveLength(1);
    expect(source.slice(found[0]!.span.start, found[0]!.span.end)).toBe("item.label");
    expect(found[0]!.span.start).toBe(source.indexOf("item.label"));
    expect(found[0]!.related).toEqual([{ message: "`item.label` is also used here", span: { start: source.lastIndexOf("item.label"), end: source.lastIndexOf("item.label") + 10 } }]);
  });

  it("leaves a path the declared shape lacks to the checker (one finding, not two)", async () => {
    const source = grader("{{item.answr}}", "item { answer: string }");
    expect(await run(source, jsonl([{ answer: "a" }]))).toEqual([]);
    expect(check(source).diagnostics.map((d) => d.rule)).toEqual(["unknown-variable"]);
  });

  it("checks several graders in one pass, each finding in its own file, the dataset's lines once", async () => {
    const dir = project({ "d.jsonl": "{\"a\": 1}\nnot json\n" });
    const found = await checkDataset(
      [
        { source: grader("{{item.a}} {{item.b}}"), file: "one.grade" },
        { source: grader("{{item.c}}"), file: "two.grade" },
      ],
      path.join(dir, "d.jsonl"),
      { label: "d.jsonl" },
    );
    expect(found.map((d) => [d.file, d.message])).toEqual([
      ["one.grade", "`item.b` is missing in every row"],
      ["two.grade", "`item.c` is missing in every row"],
      ["d.jsonl", "this line is not valid JSON: Unexpected token 'o', \"not json\" is not valid JSON"],
    ]);
  });

  it("takes a CheckContext, and names the .grade file by its filename", async () => {
    const source = grader("{{item.x}}");
    const { document } = check(source);
    const ctx = new CheckContext(document, source, { filename: "g.grade" }, false);
    const dir = project({ "d.jsonl": jsonl([{ y: 1 }]) });
    const [d] = await checkDataset(ctx, path.join(dir, "d.jsonl"));
    expect(d).toMatchObject({ rule: "unknown-variable", file: "g.grade", message: "`item.x` is missing in every row" });
  });
});

describe("lines that are not rows", () => {
  it("reports a line that is not JSON at its line and column, with the JSON error", async () => {
    const data = '{"a": 1}\n{"a": 1,}\n{"a": }\n{"a": 2}\n';
    expect(await run(grader("{{item.a}}"), data)).toEqual([
      {
        rule: "dataset",
        severity: "error",
        message: "this line is not valid JSON: Expected double-quoted property name",
        at: "d.jsonl:2:9",
        suggestion: "each line of a dataset is one JSON object (a row), written on one line",
      },
      {
        rule: "dataset",
        severity: "error",
        message: "this line is not valid JSON: Unexpected token '}', \"{\"a\": }\" is not valid JSON",
        at: "d.jsonl:3:1",
        suggestion: "each line of a dataset is one JSON object (a row), written on one line",
      },
    ]);
  });

  it("reports JSON that is not an object; such lines are not rows", async () => {
    const data = '[1, 2]\n"text"\n3\nnull\ntrue\n{"a": 1}\n';
    const found = await run(grader("{{item.a}}"), data);
    expect(found.map((f) => [f.at, f.message])).toEqual([
      ["d.jsonl:1:1", "this line is a JSON list, not an object; each line of a dataset is one row, a JSON object"],
      ["d.jsonl:2:1", "this line is a JSON string, not an object; each line of a dataset is one row, a JSON object"],
      ["d.jsonl:3:1", "this line is a JSON number, not an object; each line of a dataset is one row, a JSON object"],
      ["d.jsonl:4:1", "this line is JSON null, not an object; each line of a dataset is one row, a JSON object"],
      ["d.jsonl:5:1", "this line is a JSON boolean, not an object; each line of a dataset is one row, a JSON object"],
    ]);
  });

  it("lists the first 20 bad lines, then one finding with the total", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? '{"a": 1}' : `oops ${i}`));
    const found = await run(grader("{{item.a}}"), lines.join("\n"));
    expect(found).toHaveLength(21);
    expect(found.slice(0, 20).map((f) => f.at)).toEqual(Array.from({ length: 20 }, (_, i) => `d.jsonl:${2 * i + 2}:1`));
    expect(found[20]).toEqual({
      rule: "dataset",
      severity: "error",
      message: "250 lines in all are not JSON objects; only the first 20 are reported one by one",
      at: "d.jsonl:42:1",
    });
  });

  it("takes the cap as an option", async () => {
    const found = await run(grader("{{item.a}}"), "x\ny\nz\n", { maxMalformed: 1 });
    expect(found.map((f) => [f.at, f.message])).toEqual([
      ["d.jsonl:1:1", "this line is not valid JSON: Unexpected token 'x', \"x\" is not valid JSON"],
      ["d.jsonl:2:1", "3 lines in all are not JSON objects; only the first 1 are reported one by one"],
    ]);
  });

  it("skips a line longer than the limit with a finding, and reads on", async () => {
    const long = JSON.stringify({ a: "x".repeat(5000) });
    const found = await run(grader("{{item.a}}"), `{"a": 1}\n${long}\n{"b": 2}\n${long}`, { maxLineLength: 1000 });
    expect(found.map((f) => [f.at, f.message])).toEqual([
      ["item.a", "`item.a` is missing in 1 of 2 rows, first at line 3"],
      ["d.jsonl:2:1", "this line is longer than 1,000 characters; it was skipped"],
      ["d.jsonl:4:1", "this line is longer than 1,000 characters; it was skipped"],
    ]);
  });

  it("reads very long lines (many chunks) whole", async () => {
    const big = "é".repeat(3_000_000); // 6 MB of two-byte characters: split across chunks mid-character
    const data = `${JSON.stringify({ a: big })}\n${JSON.stringify({ b: 1, a: big })}`;
    expect(await run(grader("{{item.a}}"), data)).toEqual([]);
  });
});

describe("the file's form", () => {
  it("accepts CRLF, a BOM, blank lines and a last line without newline; line numbers stay physical", async () => {
    const data = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"a": 1}\r\n\r\n   \r\n{"b": 2}\r\n\n{"a": 3}'),
    ]);
    expect(await run(grader("{{item.a}}"), data)).toEqual([
      { rule: "unknown-variable", severity: "error", message: "`item.a` is missing in 1 of 3 rows, first at line 4", at: "item.a" },
    ]);
  });

  it("reads a BOM-only first line as blank, and a malformed line after a BOM at its true column", async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1,}\n{"a": 1}\n')]);
    expect((await run(grader("{{item.a}}"), data)).map((f) => f.at)).toEqual(["d.jsonl:1:9"]);
  });

  it("warns about a dataset with no rows", async () => {
    for (const data of ["", "\n\n  \n"]) {
      expect(await run(grader("{{item.a}}"), data)).toEqual([
        {
          rule: "dataset",
          severity: "warning",
          message: "the dataset has no rows, so nothing was checked against it",
          at: "d.jsonl:1:1",
          suggestion: "give a JSONL file: one JSON object a line, whose keys are the `item` fields",
        },
      ]);
    }
  });

  it("rejects when the file cannot be read", async () => {
    await expect(checkDataset(grader("{{item.a}}"), path.join(project({}), "none.jsonl"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("names the dataset by the path given when there is no label", async () => {
    const dir = project({ "d.jsonl": "nope\n" });
    const file = path.join(dir, "d.jsonl");
    const [d] = await checkDataset(grader("{{item.a}}"), file);
    expect(d).toMatchObject({ file, span: { start: 0, end: 0 }, location: { line: 1, column: 1 } });
    expect(fs.existsSync(file)).toBe(true);
  });
});

describe("a declared `item` block against the rows", () => {
  const declared = `item {
  answer: string
  score: integer
  kind: "invoice" | "receipt"
  ground_truth: { date: string, amount?: number }
  tags: [string]
  note?: string
  anything: any
}`;
  const good = { answer: "a", score: 1, kind: "invoice", ground_truth: { date: "d" }, tags: ["t"], anything: [1, { x: 2 }] };

  it("finds nothing when every row fits, optional fields missing or not", async () => {
    const data = jsonl([good, { ...good, note: "n", ground_truth: { date: "d", amount: 2.5 }, tags: [] }]);
    expect(await run(grader("{{item.answer}}", declared), data)).toEqual([]);
  });

  it("reports a required field some rows lack, at the declared field", async () => {
    const { answer: _a, ...noAnswer } = good;
    const data = jsonl([good, good, good, noAnswer, good, noAnswer, good, good, good, good]);
    expect(await run(grader("{{sample.output_text}}", declared), data)).toEqual([
      {
        rule: "dataset",
        severity: "error",
        message: "declared `answer` is missing in 2 of 10 rows, first at line 4",
        at: "answer",
        suggestion: "mark it optional (`answer?: ...`) if rows may lack it, or add it to every row",
      },
    ]);
  });

  it("reports a nested required field, counted once a row", async () => {
    const data = jsonl([good, { ...good, ground_truth: { amount: 1 } }]);
    expect((await run(grader("{{sample.output_text}}", declared), data)).map((f) => [f.at, f.message])).toEqual([
      ["date", "declared `ground_truth.date` is missing in 1 of 2 rows, first at line 2"],
    ]);
  });

  it("reports values of another JSON type, by kind, at the declared type", async () => {
    const data = jsonl([
      good,
      { ...good, score: "5" },
      { ...good, score: 2.5 },
      { ...good, score: "6" },
      { ...good, kind: "memo" },
      { ...good, kind: 3 },
      { ...good, tags: ["a", 1, 2] },
      { ...good, ground_truth: null },
      { ...good, answer: null },
    ]);
    expect((await run(grader("{{sample.output_text}}", declared), data)).map((f) => [f.rule, f.at, f.message])).toEqual([
      ["dataset", "string", "`item.answer` is declared `string` but is null in 1 of 9 rows, first at line 9"],
      ["dataset", "integer", "`item.score` is declared `integer` but is a string in 2 of 9 rows, first at line 2; a fractional number in 1 of 9 rows, first at line 3"],
      ["dataset", '"invoice" | "receipt"', '`item.kind` is declared `"invoice" | "receipt"` but is another string in 1 of 9 rows, first at line 5 ("memo"); a number in 1 of 9 rows, first at line 6'],
      ["dataset", "{ date: string, amount?: number }", "`item.ground_truth` is declared `{ date: string, amount?: number }` but is null in 1 of 9 rows, first at line 8"],
      ["dataset", "string", "`item.tags[*]` is declared `string` but is a number in 1 of 9 rows, first at line 7"],
    ]);
  });

  it("checks every type: number, boolean, null, lists, objects and nested unions", async () => {
    const source = grader(
      "{{sample.output_text}}",
      'item { n: number, b: boolean, z: null, l: [[integer]], o: { p: { q: boolean } }, u: string | { k: "x" } }',
    );
    const fits = { n: 1.5, b: false, z: null, l: [[1], []], o: { p: { q: true } }, u: { k: "x" } };
    expect(await run(source, jsonl([fits, { ...fits, u: "s" }]))).toEqual([]);
    const bad = { n: "1", b: 0, z: 0, l: [[1.5]], o: { p: [] }, u: { k: "y" } };
    expect((await run(source, jsonl([bad]))).map((f) => f.message)).toEqual([
      "`item.n` is declared `number` but is a string in every row",
      "`item.b` is declared `boolean` but is a number in every row",
      "`item.z` is declared `null` but is a number in every row",
      "`item.l[*][*]` is declared `integer` but is a fractional number in every row",
      "`item.o.p` is declared `{ q: boolean }` but is a list in every row",
      '`item.u` is declared `string | { k: "x" }` but is an object in every row',
    ]);
  });

  it("treats a misspelt type as `any` (the `unknown-type` rule reports it)", async () => {
    expect(await run(grader("{{item.a}}", "item { a: strng }"), jsonl([{ a: 1 }]))).toEqual([]);
  });

  it("reports both a template path and the declared field when rows lack a declared, used field", async () => {
    const source = grader("{{item.answer}}", "item { answer: string }");
    expect((await run(source, jsonl([{ answer: "a" }, {}]))).map((f) => [f.rule, f.message])).toEqual([
      ["dataset", "declared `answer` is missing in 1 of 2 rows, first at line 2"],
      ["unknown-variable", "`item.answer` is missing in 1 of 2 rows, first at line 2"],
    ]);
  });
});
