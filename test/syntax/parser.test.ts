import { describe, expect, it } from "vitest";
import type { Document, Grader, Member, Message } from "../../src/syntax/ast.js";
import { walk } from "../../src/syntax/ast.js";
import { LineIndex } from "../../src/syntax/lines.js";
import { parse } from "../../src/syntax/parse.js";

function ok(source: string): Document {
  const result = parse(source);
  expect(result.diagnostics).toEqual([]);
  return result.document;
}

/** `line:col message` for each syntax finding. */
function errors(source: string): string[] {
  const lines = new LineIndex(source);
  return parse(source).diagnostics.map((d) => `${lines.label(d.span.start)} ${d.message}`);
}

/** The members of the document's grader, which must be in block form. */
function membersOf(doc: Document): readonly Member[] {
  const body = doc.grader!.body;
  if (body.kind !== "BlockBody") throw new Error(`expected a block body, got ${body.kind}`);
  return body.members;
}

const strip = (node: unknown): unknown => JSON.parse(JSON.stringify(node, (k, v) => (k === "span" ? undefined : v)));

describe("parser: graders", () => {
  it("parses the one-line string_check form", () => {
    const doc = ok('string_check "exact": sample.output_text eq item.label');
    expect(strip(doc.grader)).toEqual({
      kind: "Grader",
      type: { kind: "Identifier", name: "string_check" },
      name: { kind: "StringValue", value: "exact", block: false },
      body: {
        kind: "CompareForm",
        input: { kind: "PathValue", path: "sample.output_text" },
        operation: { kind: "Identifier", name: "eq" },
        reference: { kind: "PathValue", path: "item.label" },
      },
    });
  });

  it("parses the one-line text_similarity form, commas optional", () => {
    for (const src of ["fuzzy_match(sample.output_text, item.name)", "fuzzy_match(sample.output_text item.name,)"]) {
      const body = ok(`text_similarity "n": ${src}`).grader!.body;
      expect(body.kind).toBe("CallForm");
      expect(body.kind === "CallForm" && body.args.map((a) => a.kind)).toEqual(["PathValue", "PathValue"]);
    }
  });

  it("parses messages with every content form and the `message` marker", () => {
    const doc = ok(`score_model "s" {
  model: "m"
  system "plain"
  developer message "typed"
  user input_text("part")
  assistant ["a", input_text("b"), output_text("c")]
  user [input_image("https://x/y.png", detail: high, file_id: null), input_audio(item.clip, format: mp3)]
  user item.prompt
}`);
    const messages = membersOf(doc).filter((m): m is Message => m.kind === "Message");
    expect(messages.map((m) => [m.role.name, m.typed, m.content.kind])).toEqual([
      ["system", false, "StringValue"],
      ["developer", true, "StringValue"],
      ["user", false, "CallValue"],
      ["assistant", false, "ListValue"],
      ["user", false, "ListValue"],
      ["user", false, "PathValue"],
    ]);
  });

  it("parses nested objects with and without a colon, lists, numbers, booleans and null", () => {
    const doc = ok('score_model "s" {\n  sampling_params { temperature: -0.5, seed: 1e3 }\n  other: { a: [1, true, false, null], b { c: x } }\n}');
    const fields = membersOf(doc);
    expect(strip(fields[0])).toMatchObject({
      key: { name: "sampling_params" },
      value: { kind: "ObjectValue", entries: [{ value: { kind: "NumberValue", value: -0.5, raw: "-0.5" } }, { value: { value: 1000 } }] },
    });
    expect(strip(fields[1])).toMatchObject({ value: { entries: [{ value: { kind: "ListValue" } }, { value: { kind: "ObjectValue" } }] } });
  });

  it("parses multi graders with a keyed map and an unquoted formula, in any field order", () => {
    const doc = ok(`multi "m" {
  calculate_output: (a + b) / 2 // average
  graders {
    a: string_check "a": sample.output_text eq item.a
    "b key": python "b" { source: file("b.py") }
  }
}`);
    const [formula, graders] = membersOf(doc);
    expect(strip(formula)).toMatchObject({ value: { kind: "Formula", text: "(a + b) / 2" } });
    expect(strip(graders)).toMatchObject({ value: { kind: "GraderMap", entries: [{ key: { name: "a" } }, { key: { name: "b key", quoted: true } }] } });
  });

  it("drops comments from a formula written over several lines", () => {
    const doc = ok('multi "m" {\n  calculate_output: 0.5 * a   // half\n    + 0.5 * b\n  graders { a: string_check "a": x eq y }\n}');
    const formula = membersOf(doc)[0];
    expect(strip(formula)).toMatchObject({ value: { text: "0.5 * a\n    + 0.5 * b" } });
  });

  it("parses declarations with all type forms", () => {
    const doc = ok('item {\n  a: string\n  b?: [number]\n  c: { d: integer, "e f": any }\n  g: "x" | "y" | null\n}\nsample { output_json: { name: string } }\npython { source: "" }');
    expect(doc.declarations.map((d) => d.namespace.name)).toEqual(["item", "sample"]);
    expect(strip(doc.declarations[0]!.type.fields.map((f) => [f.key.name, f.optional, f.type.kind]))).toEqual([
      ["a", false, "NamedType"],
      ["b", true, "ListType"],
      ["c", false, "ObjectType"],
      ["g", false, "UnionType"],
    ]);
  });

  it("parses test blocks with expectations", () => {
    const doc = ok('python { source: "" }\ntest "t" { sample: "x", item: { a: 1 }, expect: 0.9 within 0.05, given { a: 1 } }\ntest "r" { expect: 0..1 }');
    expect(doc.tests.map((t) => t.name.value)).toEqual(["t", "r"]);
    expect(doc.tests[0]!.fields.map((f) => f.value.kind)).toEqual(["StringValue", "ObjectValue", "ToleranceValue", "ObjectValue"]);
    expect(doc.tests[1]!.fields[0]!.value.kind).toBe("RangeValue");
  });

  it("keeps comments", () => {
    expect(parse("// a\npython { source: \"\" } // b\n").document.comments.map((c) => c.text)).toEqual(["// a", "// b"]);
  });
});

describe("parser: spans", () => {
  it("gives every node a span inside its parent's", () => {
    const source = `item { a: string }\nmulti "m" {\n  graders {\n    x: score_model "s" { model: "m", user [input_text("""\n      hi {{item.a}}\n      """)] }\n  }\n  calculate_output: x\n}\n`;
    const doc = ok(source);
    walk(doc, (node, parents) => {
      const parent = parents[parents.length - 1];
      expect(node.span.start).toBeLessThanOrEqual(node.span.end);
      if (parent) {
        expect(node.span.start).toBeGreaterThanOrEqual(parent.span.start);
        expect(node.span.end).toBeLessThanOrEqual(parent.span.end);
      }
    });
    const grader = doc.grader as Grader;
    expect(source.slice(grader.span.start, grader.span.end)).toMatch(/^multi "m" \{[\s\S]*\}$/);
  });
});

describe("parser: errors in the user's words", () => {
  it("names the block a missing `}` should close and where it opened", () => {
    expect(errors('multi "m" {\n  graders {\n    a: string_check "a": x eq y\n  calculate_output: a\n')).toEqual([
      "4:3 expected `}` to close `graders` opened at 2:11, found `calculate_output`",
      "5:1 expected `}` to close the `multi` grader opened at 1:11, found the end of the file",
    ]);
  });

  it("reports a missing colon after a field name", () => {
    expect(errors('string_check "s" {\n  input: sample.output_text\n  operation 3\n}')).toEqual(["3:13 expected `:` and a value after `operation`, found `3`"]);
  });

  it("reports several errors in one file and goes on", () => {
    const found = errors('score_model "s" {\n  model: \n  sampling_params { seed: }\n  user [input_text("a") , ]\n  range: [0, 1\n}\n');
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found.every((e) => !/Expecting|token of type|-->/.test(e))).toBe(true);
  });

  it("never shows chevrotain's default text", () => {
    const broken = ["{", "}", "multi {", 'x "y" {', "item { a: }", 'python "p" { source: [ }', "test x", "string_check: a", "a: b: c", "((("];
    for (const source of broken) {
      for (const e of errors(source)) expect(e).not.toMatch(/Expecting|but found|token of type|-->|<--|EOF/);
    }
  });

  it("reports a second grader, and no grader at all", () => {
    expect(errors('python { source: "" }\npython { source: "" }')).toEqual(["2:1 a file holds exactly one grader; this is a second one"]);
    expect(errors("item { a: string }")).toEqual(["1:18 this file holds no grader"]);
  });

  it("reports unexpected characters by name", () => {
    expect(errors('python { source: "" } \u00a0')).toEqual(["1:23 unexpected non-breaking space (U+00A0)"]);
    expect(errors('python { source: "" } @')).toEqual(["1:23 unexpected character `@`"]);
  });

  it("asks to quote a value written with dashes, once, and parses on", () => {
    expect(errors('score_model "s" {\n  model: gpt-4o-2024-08-06\n  user "hi"\n}')).toEqual(["2:10 `gpt-4o-2024-08-06` must be quoted to be one value"]);
    expect(errors('multi "m" {\n  graders { a: string_check "a": x eq y }\n  calculate_output: a-1\n}')).toEqual([]);
  });

  it("asks to quote a grader's name written bare", () => {
    expect(errors("string_check exact: sample.output_text eq item.label")).toEqual(['1:14 a grader\'s name is a string: write `string_check "exact"`']);
    expect(parse("string_check exact: sample.output_text eq item.label").document.grader?.name?.value).toBe("exact");
  });

  it("reports a declaration given twice", () => {
    expect(errors('item { a: string }\nitem { b: string }\npython { source: "" }')).toEqual(["2:1 `item` is declared twice; merge the two declarations"]);
  });
});

describe("parser: recovery keeps what the editor needs", () => {
  const source = 'string_check "x" {\n  input: sample.output_text\n  reference:\n  operation: eq\n}\n';

  it("a field whose value is not written yet, the next field below: one finding, the next field kept", () => {
    expect(errors(source)).toEqual(["3:3 expected a value after `reference:`, found the next field `operation`"]);
    const members = membersOf(parse(source).document);
    expect(members.map((m) => (m.kind === "Field" ? m.key.name : m.kind))).toEqual(["input", "operation"]);
  });

  it("a value on the next line is still the field's value", () => {
    const doc = ok('string_check "x" {\n  input:\n    sample.output_text\n  reference: "a"\n  operation: eq\n}\n');
    expect(membersOf(doc).map((m) => (m.kind === "Field" ? m.key.name : m.kind))).toEqual(["input", "reference", "operation"]);
  });

  it("a value missing before `}` is reported as before", () => {
    expect(errors('string_check "x" {\n  operation:\n}\n')).toEqual(["3:1 expected a value (a string, number, name, template path, list or object), found `}`"]);
  });
});
