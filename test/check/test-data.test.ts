import { describe, expect, it } from "vitest";
import { check } from "../../src/compile.js";
import { LineIndex } from "../../src/syntax/lines.js";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

const answer = `string_check "s": sample.output_text eq item.answer\n`;

const multi = `multi "m" {
  graders {
    name: text_similarity "name": fuzzy_match(sample.output_json.name, item.name)
    email: string_check "email": sample.output_json.email eq item.email
    tone: label_model "tone" {
      model: "gpt-4o-2024-08-06"
      labels: [warm, curt]
      passing_labels: [warm]
      user "Customer: {{item.message}}\\n\\nReply: {{sample.output_text}}"
    }
  }
  calculate_output: (name + email + tone) / 3
}
`;

const declared = `item {
  answer: string
  score: integer
  ratio?: number
  done: boolean
  note: string | null
  tags: [string]
  meta: { id: integer, source?: string }
  level: "low" | "high"
  extra: any
}
string_check "s": sample.output_text eq item.answer
`;
const row = `answer: "a", score: 3, done: true, note: null, tags: ["x"], meta: { id: 1 }, level: low, extra: [1]`;

/** The related notes of the `test-data` findings, as `line:col message`. */
function notes(source: string): string[][] {
  const lines = new LineIndex(source);
  return check(source)
    .diagnostics.filter((d) => d.rule === "test-data")
    .map((d) => (d.related ?? []).map((r) => `${lines.label(r.span.start)} ${r.message}`));
}

describe("test-data: the paths the grader reads", () => {
  it("a test whose item has every path the grader reads: nothing", () => {
    expectValid("test-data", `${answer}\ntest "t" { sample: "Paris", item { answer: "Paris", other: 1 }, expect: 1 }\n`);
    expectValid(
      "test-data",
      `${multi}\ntest "t" { sample: """{"name": "Ada", "email": "a@b.c"}""", item { name: "Ada", email: "a@b.c", message: "hi" }, given { tone: warm }, expect: 1 }\n`,
    );
    // A value of `null` is there: the service substitutes it as `null`.
    expectValid("test-data", `${answer}\ntest "t" { sample: "null", item { answer: null }, expect: 1 }\n`);
  });

  it("a missing path, with the close key the item has instead underlined; with no `item` declaration either side may be the typo", () => {
    const source = `${answer}\ntest "paris" {\n  sample: "Paris"\n  item { answr: "Paris" }\n  expect: 1\n}\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "paris": `item.answer` is missing from its item; the grader reads it at 1:41',
        at: "5:10-5:15",
        suggestion: "the test's item has `answr`: if the grader means `item.answr`, fix its template at 1:41; else rename `answr` to `answer` here",
      },
    ]);
    expect(notes(source)).toEqual([["1:41 `item.answer` is read here"]]);
    // Nothing says which spelling is right, so no edit is offered...
    expect(check(source).diagnostics.find((d) => d.rule === "test-data")?.replacement).toBeUndefined();
    // ...but with a declaration the grader's path is right (unknown-variable checks it), and the test's key is renamed.
    const declared = `item { answer: string }\n${source}`;
    const fix = check(declared).diagnostics.find((d) => d.rule === "test-data");
    expect(fix?.suggestion).toBe("did you mean `answer`?");
    expect(fix?.replacement).toBe("answer");
  });

  it("a missing path without a close key: the item is underlined, and the help says what to add", () => {
    const source = `${answer}\ntest "t" { sample: "x", item { city: "Paris" }, expect: 0 }\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": `item.answer` is missing from its item; the grader reads it at 1:41',
        at: "3:30-3:47",
        suggestion: "add `answer: ...` to the test's item",
      },
    ]);
    expect(underlined(source, "test-data")).toEqual(['{ city: "Paris" }']);
  });

  it("nested paths: a field of an object, a field of a string", () => {
    const grader = `string_check "s": sample.output_text eq "{{item.meta.id}}"\n`;
    expectFindings("test-data", `${grader}\ntest "a" { sample: "1", item { meta: { source: "x" } }, expect: 1 }\ntest "b" { sample: "1", item { meta: "m1" }, expect: 1 }\n`).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "a": `item.meta.id` is missing from its item; the grader reads it at 1:44',
        at: "3:38-3:53",
        suggestion: "add `id: ...` to `item.meta`",
      },
      {
        rule: "test-data",
        severity: "error",
        message: 'test "b": `item.meta.id` is missing from its item (`item.meta` is a string); the grader reads it at 1:44',
        at: "4:38-4:42",
      },
    ]);
  });

  it("list indexes: an empty list, one too short, a value that is no list", () => {
    const grader = `string_check "s": sample.output_text eq "{{item.tags[1]}}"\n`;
    expectFindings(
      "test-data",
      `${grader}\ntest "a" { sample: "x", item { tags: [] }, expect: 0 }\ntest "b" { sample: "x", item { tags: ["x"] }, expect: 0 }\ntest "c" { sample: "x", item { tags: "x" }, expect: 0 }\ntest "d" { sample: "x", item { tags: ["w", "x"] }, expect: 1 }\n`,
    ).toEqual([
      { rule: "test-data", severity: "error", message: 'test "a": `item.tags[1]` is missing from its item (`item.tags` is empty); the grader reads it at 1:44', at: "3:38-3:40" },
      { rule: "test-data", severity: "error", message: 'test "b": `item.tags[1]` is missing from its item (`item.tags` has 1 item); the grader reads it at 1:44', at: "4:38-4:43" },
      { rule: "test-data", severity: "error", message: 'test "c": `item.tags[1]` is missing from its item (`item.tags` is a string, not a list); the grader reads it at 1:44', at: "5:38-5:41" },
    ]);
  });

  it("the paths of a multi's sub-graders and of message contents, each named by its sub-grader", () => {
    const source = `${multi}\ntest "t" {\n  sample: """{"name": "Ada", "email": "a@b.c"}"""\n  item { name: "Ada", mail: "a@b.c" }\n  given { tone: warm }\n  expect: 1\n}\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": `item.message` is missing from its item; the sub-grader `tone` reads it at 9:25',
        at: "17:8-17:38",
        suggestion: "add `message: ...` to the test's item",
      },
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": `item.email` is missing from its item; the sub-grader `email` reads it at 4:62',
        at: "17:23-17:27",
        suggestion: "the test's item has `mail`: if the grader means `item.mail`, fix its template at 4:62; else rename `mail` to `email` here",
      },
    ]);
  });

  it("a sub-grader that `given` stands in for is not run, so its paths are not read; a model grader's messages still are", () => {
    expectFindings("test-data", `${multi}\ntest "t" { sample: """{"name": "Ada"}""", item { name: "Ada" }, given { email: 1, tone: warm }, expect: 1 }\n`).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": `item.message` is missing from its item; the sub-grader `tone` reads it at 9:25',
        at: "15:48-15:63",
        suggestion: "add `message: ...` to the test's item",
      },
    ]);
  });

  it("a path read in several places: the first is named, every one is a note", () => {
    const source = `score_model "s" {\n  model: "gpt-4o-2024-08-06"\n  system "Answer: {{item.answer}}"\n  user ["{{item.answer}}", input_image(item.url)]\n}\n\ntest "t" { sample: "x", item { url: "https://x" }, given: 1, expect: 1 }\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": `item.answer` is missing from its item; the grader reads it at 3:21 (and 1 more place)',
        at: "7:30-7:50",
        suggestion: "add `answer: ...` to the test's item",
      },
    ]);
    expect(notes(source)).toEqual([["3:21 `item.answer` is read here", "4:12 `item.answer` is read here"]]);
  });

  it("a test without an item: one finding that lists the paths, under the test's name", () => {
    const source = `${multi}\ntest "no row" { sample: """{"name": "Ada", "email": "a@b.c"}""", given { tone: warm }, expect: 0 }\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "no row" has no `item`, but the grader reads `item.name` at 3:72, `item.email` at 4:62 and `item.message` at 9:25',
        at: "15:6-15:14",
        suggestion: "give it the dataset row: `item { name: ..., email: ..., message: ... }`",
      },
    ]);
    expectValid("test-data", `string_check "s": sample.output_text eq "yes"\n\ntest "t" { sample: "yes", expect: 1 }\n`);
  });

  it("a path the declared `item` lacks is the grader's `unknown-variable` finding, not one per test", () => {
    const source = `item { answer: string }\nstring_check "s": sample.output_text eq item.answr\n\ntest "t" { sample: "x", item { answer: "x" }, expect: 1 }\n`;
    expectValid("test-data", source);
    expectFindings("unknown-variable", source).toEqual([expect.objectContaining({ rule: "unknown-variable" })]);
  });

  it("an item that is not data is the `test-block` finding only", () => {
    const source = `${answer}\ntest "t" { sample: "x", item { answer: item.answer }, expect: 1 }\n`;
    expectValid("test-data", source);
    expectFindings("test-block", source).toEqual([expect.objectContaining({ rule: "test-block" })]);
  });
});

describe("test-data: the declared `item` shape", () => {
  it("an item that fits: nothing (optional fields may be absent, `any` takes anything)", () => {
    expectValid("test-data", `${declared}\ntest "t" { sample: "a", item { ${row} }, expect: 1 }\n`);
    expectValid("test-data", `${declared}\ntest "t" { sample: "a", item { ${row.replace("note: null", 'note: "n"')}, ratio: 0.5, meta: { id: 2, source: "s" } }, expect: 1 }\n`);
  });

  it("a required field the item lacks, with the declaration as a note", () => {
    const source = `${declared}\ntest "t" { sample: "a", item { ${row.replace("score: 3, ", "")} }, expect: 1 }\n`;
    expectFindings("test-data", source).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "t": declared `item.score` is missing from its item',
        at: "14:30-14:123",
        suggestion: "add it, or mark it optional in the `item` block (`score?: ...`)",
      },
    ]);
    expect(notes(source)).toEqual([["3:3 `item.score` is declared here"]]);
  });

  it("values of another type, each underlined, in the dataset rule's words", () => {
    const cases: [from: string, to: string, message: string, underlined: string][] = [
      ["score: 3", 'score: "3"', "`item.score` is declared `integer` but is a string", '"3"'],
      ["score: 3", "score: 2.5", "`item.score` is declared `integer` but is a fractional number", "2.5"],
      ["done: true", 'done: "yes"', "`item.done` is declared `boolean` but is a string", '"yes"'],
      ["note: null", "note: 3", "`item.note` is declared `string | null` but is a number", "3"],
      ['tags: ["x"]', 'tags: "x"', "`item.tags` is declared `[string]` but is a string", '"x"'],
      ['tags: ["x"]', 'tags: ["x", 2]', "`item.tags[1]` is declared `string` but is a number", "2"],
      ["meta: { id: 1 }", "meta: [1]", "`item.meta` is declared `{ id: integer, source?: string }` but is a list", "[1]"],
      ["meta: { id: 1 }", 'meta: { id: "1" }', "`item.meta.id` is declared `integer` but is a string", '"1"'],
      ["level: low", "level: medium", '`item.level` is declared `"low" | "high"` but is another string ("medium")', "medium"],
      ['answer: "a"', 'answer: { text: "a" }', "`item.answer` is declared `string` but is an object", '{ text: "a" }'],
    ];
    for (const [from, to, message, under] of cases) {
      const source = `${declared}\ntest "t" { sample: "a", item { ${row.replace(from, to)} }, expect: 1 }\n`;
      const found = check(source).diagnostics.filter((d) => d.rule === "test-data");
      expect(found.map((d) => [d.severity, d.message])).toEqual([["error", `test "t": ${message}`]]);
      expect(underlined(source, "test-data")).toEqual([under]);
    }
  });

  it("a path the grader reads and the declaration requires is reported once", () => {
    const source = `${declared}\ntest "t" { sample: "a", item { ${row.replace('answer: "a", ', "")} }, expect: 1 }\n`;
    expectFindings("test-data", source).toEqual([
      expect.objectContaining({ message: 'test "t": `item.answer` is missing from its item; the grader reads it at 12:41' }),
    ]);
  });
});

describe("test-data: the sample", () => {
  const json = `string_check "s": sample.output_json.name eq item.name\n`;

  it("a JSON sample that has the path, as text or as an object: nothing", () => {
    expectValid("test-data", `${json}\ntest "t" { sample: """{"name": "Ada"}""", item { name: "Ada" }, expect: 1 }\n`);
    expectValid("test-data", `${json}\ntest "t" { sample { output_json { name: "Ada" } }, item { name: "Ada" }, expect: 1 }\n`);
    expectValid("test-data", `${json}\ntest "t" { sample { output_text: """{"name": "Ada"}""" }, item { name: "Ada" }, expect: 1 }\n`);
  });

  it("a JSON sample that lacks a path the grader reads", () => {
    expectFindings("test-data", `${json}\ntest "a" { sample { output_json { nme: "Ada" } }, item { name: "Ada" }, expect: 1 }\ntest "b" { sample: """{"nme": "Ada"}""", item { name: "Ada" }, expect: 1 }\n`).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "a": `sample.output_json.name` is missing from its sample; the grader reads it at 1:19',
        at: "3:35-3:38",
        suggestion: "the test's sample has `nme`: if the grader means `sample.output_json.nme`, fix its template at 1:19; else rename `nme` to `name` here",
      },
      {
        rule: "test-data",
        severity: "error",
        message: 'test "b": `sample.output_json.name` is missing from its sample; the grader reads it at 1:19',
        at: "4:20-4:40",
        suggestion: "the test's sample has `sample.output_json.nme` instead",
      },
    ]);
  });

  it("a sample that is not JSON, for a grader that reads `sample.output_json`", () => {
    expectFindings("test-data", `${json}\ntest "a" { sample: "Ada", item { name: "Ada" }, expect: 0 }\ntest "b" { sample { output_text: "Ada" }, item { name: "Ada" }, expect: 0 }\n`).toEqual([
      {
        rule: "test-data",
        severity: "error",
        message: 'test "a": `sample.output_json.name` is missing from its sample (the sample is not JSON, so `sample.output_json` is null); the grader reads it at 1:19',
        at: "3:20-3:25",
      },
      {
        rule: "test-data",
        severity: "error",
        message: 'test "b": `sample.output_json.name` is missing from its sample (its output text is not JSON, so `sample.output_json` is null); the grader reads it at 1:19',
        at: "4:34-4:39",
      },
    ]);
  });

  it("a sample's `output_json` against the declared `sample` shape: a warning", () => {
    const source = `sample { output_json: { name: string, age?: integer } }\nstring_check "s": sample.output_text eq "x"\n\ntest "a" { sample { output_json { name: 3 } }, expect: 0 }\ntest "b" { sample: """{"age": 40}""", expect: 0 }\ntest "c" { sample: "not json", expect: 0 }\n`;
    expectFindings("test-data", source).toEqual([
      { rule: "test-data", severity: "warning", message: 'test "a": `sample.output_json.name` is declared `string` but is a number', at: "4:41-4:42" },
      {
        rule: "test-data",
        severity: "warning",
        message: 'test "b": declared `sample.output_json.name` is missing from its sample',
        at: "5:20-5:37",
        suggestion: "add it, or mark it optional in the `sample` block (`name?: ...`)",
      },
    ]);
  });

  it("a sample the engine refuses is the `test-block` finding only", () => {
    expectValid("test-data", `${json}\ntest "t" { sample { output_text: 3 }, item { name: "3" }, expect: 1 }\n`);
  });
});

describe("test-data: edge cases", () => {
  it("a name `Object.prototype` has is missing unless the item has it", () => {
    const grader = `string_check "s": sample.output_text eq "{{item.constructor}}"\n`;
    expectFindings("test-data", `${grader}\ntest "t" { sample: "x", item { a: 1 }, expect: 0 }\n`).toEqual([
      expect.objectContaining({ message: 'test "t": `item.constructor` is missing from its item; the grader reads it at 1:44' }),
    ]);
    expectValid("test-data", `${grader}\ntest "t" { sample: "x", item { "constructor": "x" }, expect: 1 }\n`);
  });

  it("a key given twice: the last value counts, as in the JSON the engine gets", () => {
    expectFindings("test-data", `item { a: string }\nstring_check "s": sample.output_text eq item.a\n\ntest "t" { sample: "x", item { a: "x", a: 1 }, expect: 0 }\n`).toEqual([
      expect.objectContaining({ message: 'test "t": `item.a` is declared `string` but is a number', at: "4:43-4:44" }),
    ]);
  });

  it("nothing after a syntax error (the values may be cut short)", () => {
    expectValid("test-data", `${answer}\ntest "t" { sample { output_json: }, item { answr: "x" } expect: 1 }\n`);
  });
});
