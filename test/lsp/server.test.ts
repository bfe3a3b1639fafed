// `grade lsp` driven over stdio by a real LSP client (vscode-languageserver-protocol): every
// feature, on the built binary, with the exact texts users see.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodeActionRequest,
  type CompletionItem,
  CompletionRequest,
  DefinitionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  type MarkupContent,
  PrepareRenameRequest,
  SemanticTokensRequest,
  ReferencesRequest,
  RenameRequest,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { format } from "../../src/format/format.js";
import { grade, hasStackTrace, root } from "../helpers/cli.js";
import { type Client, cursor, positionOf, startClient } from "./client.js";

let client: Client;
beforeAll(async () => {
  client = await startClient();
});
afterAll(async () => {
  expect(await client.stop()).toBe(0);
  expect(client.stderr()).toBe("");
});

let counter = 0;
/** Opens `text` as a new document and waits for its first diagnostics. */
async function openDoc(text: string, ext = "grade") {
  const uri = client.open(`test/lsp/scratch-${++counter}.${ext}`, text);
  const diagnostics = await client.diagnostics(uri);
  return { uri, diagnostics };
}

async function complete(textWithCursor: string, ext = "grade"): Promise<string[]> {
  const { text, offset } = cursor(textWithCursor);
  const { uri } = await openDoc(text, ext);
  const items = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionItem[];
  return items.map((i) => i.label);
}

async function completionItems(textWithCursor: string): Promise<CompletionItem[]> {
  const { text, offset } = cursor(textWithCursor);
  const { uri } = await openDoc(text);
  return (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: positionOf(text, offset) })) as CompletionItem[];
}

async function hoverText(textWithCursor: string, ext = "grade"): Promise<string | undefined> {
  const { text, offset } = cursor(textWithCursor);
  const { uri } = await openDoc(text, ext);
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, offset) });
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

/** Applies the edits of one document to its text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offsetOf = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(e.range.start)) + e.newText + out.slice(offsetOf(e.range.end));
  return out;
}

const multi = `item {
  name: string
  email: string
}

multi "contact" {
  graders {
    name: text_similarity "name_grader" {
      input: sample.output_json.name
      reference: item.name
      evaluation_metric: fuzzy_match
    }
    email: string_check "email_grader": sample.output_json.email eq item.email
  }
  calculate_output: (name + email) / 2
}

test "both right" {
  sample: """{"name": "Ada", "email": "ada@example.com"}"""
  item { name: "Ada", email: "ada@example.com" }
  expect: 1
}
`;

describe("initialize", () => {
  it("announces the features", () => {
    const c = client.capabilities;
    expect(c.completionProvider).toBeDefined();
    expect(c.hoverProvider).toBe(true);
    expect(c.definitionProvider).toBe(true);
    expect(c.referencesProvider).toBe(true);
    expect(c.renameProvider).toEqual({ prepareProvider: true });
    expect(c.codeActionProvider).toBeDefined();
    expect(c.documentFormattingProvider).toBe(true);
    expect(c.documentSymbolProvider).toBe(true);
  });
});

describe("diagnostics", () => {
  it("are those of grade check: rule id, message, help, span", async () => {
    const { diagnostics } = await openDoc(`string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  operaton: eq\n}\n`);
    expect(diagnostics).toEqual([
      {
        range: { start: { line: 3, character: 2 }, end: { line: 3, character: 10 } },
        severity: 1,
        code: "unknown-field",
        source: "grade",
        message: "`string_check` has no field `operaton`, and the `operation` it needs is missing\nhelp: did you mean `operation`?",
        data: { replacement: "operation" },
      },
    ]);
  });

  it("carry related spans", async () => {
    const { diagnostics } = await openDoc(`string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  operation: eq\n  operation: ne\n}\n`);
    const duplicate = diagnostics.find((d) => d.code === "duplicate-field");
    expect(duplicate?.relatedInformation?.[0]?.message).toBe("first given here");
    expect(duplicate?.relatedInformation?.[0]?.location.range.start).toEqual({ line: 3, character: 2 });
  });

  it("follow edits (debounced), for the latest version", async () => {
    const { uri, diagnostics } = await openDoc(`string_check "x": sample.output_text eq item.answer\n`);
    expect(diagnostics).toEqual([]);
    client.change(uri, `string_check "x": sample.output_text equals item.answer\n`);
    client.change(uri, `string_check "x": sample.output_text eqq item.answer\n`);
    const after = await client.diagnostics(uri, client.version(uri));
    expect(after.map((d) => [d.code, d.message])).toEqual([["invalid-enum", "`eqq` is not a valid operation; it is one of `eq`, `ne`, `like` or `ilike`\nhelp: did you mean `eq`?"]]);
  });

  it("keep the rest of the file's findings when it has a syntax error", async () => {
    const { diagnostics } = await openDoc(`item {\n  answer: string\n}\n\nstring_check "x" {\n  input: sample.output_text\n  reference: item.answr\n  operation:\n}\n`);
    expect(diagnostics.map((d) => d.code)).toEqual(["unknown-variable", "syntax"]);
  });

  it("for grader JSON, at the line and column inside the JSON", async () => {
    const { diagnostics } = await openDoc(`{\n  "type": "string_check",\n  "name": "x",\n  "input": "{{sample.output_text}}",\n  "reference": "a",\n  "operation": "equals"\n}\n`, "json");
    expect(diagnostics.map((d) => [d.code, d.range.start])).toEqual([["invalid-enum", { line: 5, character: 15 }]]);
  });

  it("never crash on garbage", async () => {
    const { diagnostics } = await openDoc("\u0000\u0001 }}}{{{ \"\"\" ");
    expect(diagnostics[0]?.code).toBe("syntax");
    const json = await openDoc("{ not json", "json");
    expect(json.diagnostics.length).toBeGreaterThan(0);
  });
});

describe("completion", () => {
  it("offers the fields of the grader kind, not those already given", async () => {
    const labels = await complete(`string_check "x" {\n  input: sample.output_text\n  |\n}\n`);
    expect(labels).toEqual(["name", "reference", "operation"]);
  });

  it("follows the target: pass_threshold only for evals", async () => {
    expect(await complete(`text_similarity "x" {\n  |\n}\n`)).not.toContain("pass_threshold");
    expect(await complete(`// @target evals\ntext_similarity "x" {\n  |\n}\n`)).toContain("pass_threshold");
  });

  it("offers the messages' roles in a model grader", async () => {
    const labels = await complete(`score_model "x" {\n  model: "gpt-4o-2024-08-06"\n  |\n}\n`);
    expect(labels).toEqual(expect.arrayContaining(["range", "sampling_params", "user", "system", "assistant", "developer"]));
    expect(labels).not.toContain("input");
  });

  it("offers enum values", async () => {
    expect(await complete(`string_check "x" {\n  operation: |\n}\n`)).toEqual(["eq", "ne", "like", "ilike"]);
    // cosine is a metric of both targets (the API description lists it for rft too).
    expect(await complete(`text_similarity "x" {\n  evaluation_metric: |\n}\n`)).toContain("cosine");
    expect(await complete(`// @target evals\ntext_similarity "x" {\n  evaluation_metric: |\n}\n`)).toContain("cosine");
    expect(await complete(`score_model "x" {\n  sampling_params {\n    reasoning_effort: |\n  }\n}\n`)).toEqual(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
    expect(await complete(`score_model "x" {\n  sampling_params {\n    |\n  }\n}\n`)).toEqual(["max_completions_tokens", "reasoning_effort", "seed", "temperature", "top_p"]);
  });

  it("offers template paths inside {{ }}: the sample built-ins and the declared item fields", async () => {
    const labels = await complete(`item {\n  answer: string\n  meta: { lang: string }\n}\n\nscore_model "x" {\n  user "Answer: {{ item.|"\n}\n`);
    expect(labels).toEqual(["item.answer", "item.meta", "item.meta.lang"]);
    const sample = await complete(`score_model "x" {\n  user "{{sample.output_t|}}"\n}\n`);
    expect(sample[0]).toBe("sample.output_text");
    expect(sample.every((l) => l.startsWith("sample.output_t"))).toBe(true);
  });

  it("replaces the whole path typed so far", async () => {
    const items = await completionItems(`item {\n  answer: string\n}\nscore_model "x" {\n  user "{{item.ans|"\n}\n`);
    expect(items.map((i) => [i.label, i.textEdit])).toEqual([["item.answer", { range: { start: { line: 4, character: 10 }, end: { line: 4, character: 18 } }, newText: "item.answer" }]]);
  });

  it("offers bare paths for input and reference", async () => {
    const labels = await complete(`item {\n  answer: string\n}\nstring_check "x" {\n  reference: |\n}\n`);
    expect(labels).toEqual(expect.arrayContaining(["item.answer", "sample.output_text", "sample.output_json", "sample.output_tools[0].function.name"]));
  });

  it("offers grader keys and functions in calculate_output", async () => {
    const text = multi.replace("calculate_output: (name + email) / 2", "calculate_output: 0.5 * |");
    expect(await complete(text)).toEqual(["name", "email", "min", "max", "abs", "floor", "ceil", "exp", "sqrt", "log"]);
  });

  it("offers the labels in passing_labels", async () => {
    const labels = await complete(`label_model "tone" {\n  model: "gpt-4o-2024-08-06"\n  labels: [warm, neutral, curt]\n  passing_labels: [warm, |]\n  user "{{sample.output_text}}"\n}\n`);
    expect(labels).toEqual(["warm", "neutral", "curt"]);
  });

  it("offers metrics and operations in the one-line forms", async () => {
    expect(await complete(`text_similarity "x": |`)).toEqual(["cosine", "fuzzy_match", "bleu", "gleu", "meteor", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"]);
    expect(await complete(`string_check "x": sample.output_text |`)).toEqual(["eq", "ne", "like", "ilike"]);
  });

  it("offers the grader kinds and declarations at the top level, and test fields in a test", async () => {
    expect(await complete(`|`)).toEqual(["string_check", "text_similarity", "python", "score_model", "label_model", "multi", "item", "sample", "test"]);
    expect(await complete(`string_check "x": a eq b\n\ntest "t" {\n  |\n}\n`)).toEqual(["sample", "item", "expect", "expect_error", "given"]);
    const given = await complete(multi.replace("  expect: 1\n}", "  given { | }\n  expect: 1\n}"));
    expect(given).toEqual(["name", "email"]);
    const item = await complete(multi.replace(`item { name: "Ada", email: "ada@example.com" }`, "item { | }"));
    expect(item).toEqual(["name", "email"]);
  });

  it("offers a lone label_model's labels for a test's `given`", async () => {
    expect(await complete(`label_model "x" {\n  model: "m"\n  labels: [warm, curt]\n  passing_labels: [warm]\n  user "hi"\n}\ntest "t" {\n  given: |\n}\n`)).toEqual(["warm", "curt"]);
  });

  it("offers nothing in a comment", async () => {
    expect(await complete(`// operation: |\nstring_check "x": a eq b\n`)).toEqual([]);
  });

  it("in grader JSON: keys of the kind and enum values", async () => {
    expect(await complete(`{\n  "type": "string_check",\n  "input": "a",\n  |\n}\n`, "json")).toEqual(["name", "reference", "operation"]);
    expect(await complete(`{\n  "type": "string_check",\n  "operation": |\n}\n`, "json")).toEqual(["eq", "ne", "like", "ilike"]);
  });
});

describe("hover", () => {
  it("gives a field's meaning from the schema descriptions", async () => {
    expect(await hoverText(`string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  op|eration: eq\n}\n`)).toBe(
      "**operation** (string_check): How `input` is compared with `reference`: eq (equal), ne (not equal), like (contains, case-sensitive), ilike (contains, ignoring case).",
    );
  });

  it("gives a grader kind's and an enum value's meaning", async () => {
    expect(await hoverText(`string_ch|eck "x": a eq b\n`)).toMatch(/^\*\*string_check\*\*: Compares `input` with `reference`/);
    expect(await hoverText(`string_check "x": sample.output_text il|ike item.a\n`)).toBe("**ilike**: 1 when input contains reference, ignoring case.");
  });

  it("gives a rule's catalog entry on a finding", async () => {
    const text = await hoverText(`string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  opera|ton: eq\n}\n`);
    expect(text).toContain("**unknown-field** (warning): ");
    expect(text).toContain("```grade\n");
  });

  it("gives a template path's declared type", async () => {
    expect(await hoverText(`item {\n  meta: { lang: string }\n}\nscore_model "x" {\n  user "{{item.me|ta}}"\n}\n`)).toBe("`item.meta`: { lang: string }");
    expect(await hoverText(`string_check "x": sample.output_te|xt eq "a"\n`)).toBe("`sample.output_text`: string");
  });

  it("in grader JSON, on a key", async () => {
    expect(await hoverText(`{\n  "type": "string_check",\n  "ope|ration": "eq"\n}\n`, "json")).toMatch(/^\*\*operation\*\* \(string_check\): How `input`/);
  });
});

describe("definition, references and rename", () => {
  const at = (needle: string, nth = 0, delta = 1) => {
    let i = -1;
    for (let n = 0; n <= nth; n++) i = multi.indexOf(needle, i + 1);
    return positionOf(multi, i + delta);
  };

  it("go from a formula's grader key to its declaration", async () => {
    const { uri } = await openDoc(multi);
    const found = await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: at("(name") });
    expect(found).toEqual({ uri, range: { start: { line: 7, character: 4 }, end: { line: 7, character: 8 } } });
  });

  it("find every reference of a grader key: the map, the formula", async () => {
    const { uri } = await openDoc(multi);
    const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: at("email: string_check"), context: { includeDeclaration: true } });
    expect(refs?.map((r) => r.range.start)).toEqual([{ line: 12, character: 4 }, { line: 14, character: 28 }]);
  });

  it("find every use of an item field: declaration, templates, tests' items", async () => {
    const { uri } = await openDoc(multi);
    const refs = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri }, position: at("email: string", 0, 0), context: { includeDeclaration: true } });
    expect(refs?.map((r) => r.range.start.line)).toEqual([2, 12, 19]);
  });

  it("rename a grader key everywhere", async () => {
    const { uri } = await openDoc(multi);
    const prepared = await client.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri }, position: at("+ email", 0, 3) });
    expect(prepared).toEqual({ start: { line: 14, character: 28 }, end: { line: 14, character: 33 } });
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at("+ email", 0, 3), newName: "mail" })) as WorkspaceEdit;
    const renamed = applyEdits(multi, edit.changes![uri]!);
    expect(renamed).toContain("    mail: string_check");
    expect(renamed).toContain("calculate_output: (name + mail) / 2");
    expect(renamed).toContain("  email: string\n"); // the item field is another name
  });

  it("rename an item field in the declaration, the templates and the tests", async () => {
    const { uri } = await openDoc(multi);
    const edit = (await client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at("item.email", 0, 6), newName: "address" })) as WorkspaceEdit;
    const renamed = applyEdits(multi, edit.changes![uri]!);
    expect(renamed).toContain("  address: string\n");
    expect(renamed).toContain("sample.output_json.email eq item.address");
    expect(renamed).toContain(`item { name: "Ada", address: "ada@example.com" }`);
    expect(renamed).toContain("(name + email) / 2");
  });

  it("refuse a new name that is not one", async () => {
    const { uri } = await openDoc(multi);
    await expect(client.connection.sendRequest(RenameRequest.type, { textDocument: { uri }, position: at("(name"), newName: "two words" })).rejects.toThrow(
      "`two words` is not a name: use letters, digits and _, not starting with a digit",
    );
  });
});

describe("code actions", () => {
  async function actions(text: string) {
    const { uri, diagnostics } = await openDoc(text);
    const range = { start: { line: 0, character: 0 }, end: { line: text.split("\n").length, character: 0 } };
    const found = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
    return { uri, actions: (found ?? []) as { title: string; isPreferred?: boolean; edit?: WorkspaceEdit }[] };
  }

  it("offer every finding's replacement as a quick fix", async () => {
    const text = `string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  operaton: eq\n}\n`;
    const { uri, actions: found } = await actions(text);
    expect(found.map((a) => a.title)).toEqual(["Replace with `operation`"]);
    expect(applyEdits(text, found[0]!.edit!.changes![uri]!)).toContain("  operation: eq\n");
  });

  it("add a missing field", async () => {
    const text = `string_check "x" {\n  input: sample.output_text\n  reference: "a"\n}\n`;
    const { uri, actions: found } = await actions(text);
    expect(found.map((a) => a.title)).toEqual(["Add missing field `operation`"]);
    expect(applyEdits(text, found[0]!.edit!.changes![uri]!)).toBe(`string_check "x" {\n  input: sample.output_text\n  reference: "a"\n  operation: eq\n}\n`);
  });

  it("quote a dashed value", async () => {
    const text = `score_model "x" {\n  model: gpt-4o-mini\n  user "{{sample.output_text}}"\n}\n`;
    const { uri, actions: found } = await actions(text);
    const quote = found.find((a) => a.title === "Quote this dashed value");
    expect(quote?.isPreferred).toBe(true);
    expect(applyEdits(text, quote!.edit!.changes![uri]!)).toContain(`  model: "gpt-4o-mini"\n`);
  });
});

describe("formatting and symbols", () => {
  it("formats with the printer of grade fmt", async () => {
    const text = `string_check   "x" {\ninput:sample.output_text\n      reference: "a"\n operation: eq }\n`;
    const { uri } = await openDoc(text);
    const edits = await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    expect(applyEdits(text, edits!)).toBe(await format(text));
  });

  it("leaves a file with a syntax error as it is", async () => {
    const { uri } = await openDoc(`string_check "x" {\n  input:\n`);
    expect(await client.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })).toBeNull();
  });

  it("outlines the declarations, the grader with its sub-graders, and the tests", async () => {
    const { uri } = await openDoc(multi);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as { name: string; detail?: string; children?: { name: string; detail?: string }[] }[];
    expect(symbols.map((s) => [s.name, s.detail, s.children?.map((c) => `${c.name}: ${c.detail}`)])).toEqual([
      ["item", "declaration", ["name: undefined", "email: undefined"]],
      ["contact", "multi", ["name: text_similarity \"name_grader\"", "email: string_check \"email_grader\""]],
      ["both right", "test", undefined],
    ]);
  });
});

describe("semantic tokens", () => {
  it("mark grader kinds, fields, grader keys, functions, enum values and template paths", async () => {
    const text = multi.replace("calculate_output: (name + email) / 2", "calculate_output: max(name, email)");
    const { uri } = await openDoc(text);
    const legend = client.capabilities.semanticTokensProvider!.legend;
    const { data } = (await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } }))!;
    const lines = text.split("\n");
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i]!;
      character = data[i]! === 0 ? character + data[i + 1]! : data[i + 1]!;
      const word = lines[line]!.slice(character, character + data[i + 2]!);
      decoded.push(`${word}:${legend.tokenTypes[data[i + 3]!]}${data[i + 4] ? "*" : ""}`);
    }
    expect(decoded).toEqual([
      "name:property*",
      "email:property*",
      "multi:type",
      "graders:property",
      "name:variable*",
      "text_similarity:type",
      "input:property",
      "sample.output_json.name:variable",
      "reference:property",
      "item.name:variable",
      "evaluation_metric:property",
      "fuzzy_match:enumMember",
      "email:variable*",
      "string_check:type",
      "sample.output_json.email:variable",
      "item.email:variable",
      "calculate_output:property",
      "max:function",
      "name:variable",
      "email:variable",
    ]);
  });
});

describe("the examples", () => {
  it("every example opens without a finding at error level", async () => {
    const files = fs.readdirSync(path.join(root, "examples/graders")).filter((f) => f.endsWith(".grade"));
    for (const file of files) {
      const uri = client.open(path.join(root, "examples/graders", file), fs.readFileSync(path.join(root, "examples/graders", file), "utf8"));
      const diagnostics = await client.diagnostics(uri);
      expect(diagnostics.filter((d) => d.severity === 1), file).toEqual([]);
    }
  });
});

describe("bad input never breaks a request", () => {
  it("completion, hover, definition and symbols answer at every cut of every example", async () => {
    const files = ["examples/graders/support-reply.grade", "examples/reference/guide-name-email-multi.grade", "examples/graders/support-reply.json"];
    for (const file of files) {
      const full = fs.readFileSync(path.join(root, file), "utf8");
      // The file typed up to a point (every 23rd character), the cursor at its end.
      for (let cut = 0; cut <= full.length; cut += 23) {
        const text = full.slice(0, cut);
        const uri = client.open(`test/lsp/cut-${++counter}${path.extname(file)}`, text);
        const position = positionOf(text, text.length);
        const answers = await Promise.all([
          client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
          client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }),
          client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position }),
          client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
        ]);
        expect(Array.isArray(answers[0]), `${file} cut at ${cut}`).toBe(true);
      }
    }
    expect(client.stderr()).toBe("");
  }, 60_000);
});

describe("grade lsp as a command", () => {
  it("stops quietly when its client goes away (standard input closed) or sends garbage", () => {
    for (const input of ["", "garbage\n\n", "Content-Length: 5\r\n\r\n{bad}"]) {
      const run = grade(["lsp"], { input, timeout: 20_000 });
      expect(run.code).toBe(0);
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
  });

  it("exits 1 on `exit` without `shutdown`, as the protocol asks", async () => {
    const other = await startClient();
    const exited = new Promise<number | null>((resolve) => other.process.once("exit", (code) => resolve(code)));
    await other.connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(1);
  });
});
