import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { glob } from "tinyglobby";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.js";

/*
 * The TextMate grammar (grammar/grade.tmLanguage.json): specific constructs get specific
 * scopes, and every example and fixture tokenizes back to the root rule stack.
 */

const root = fileURLToPath(new URL("../../", import.meta.url));
const grammarPath = `${root}grammar/grade.tmLanguage.json`;

let grammar: textmate.IGrammar;

beforeAll(async () => {
  await oniguruma.loadWASM(readFileSync(`${root}node_modules/vscode-oniguruma/release/onig.wasm`));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.grade" ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar("source.grade");
  if (!loaded) throw new Error("source.grade did not load");
  grammar = loaded;
});

interface Token {
  readonly line: number;
  /** Offset in the whole text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

function tokenize(text: string): { tokens: Token[]; depth: number } {
  const tokens: Token[] = [];
  let stack = textmate.INITIAL;
  let offset = 0;
  text.split("\n").forEach((line, n) => {
    const result = grammar.tokenizeLine(line, stack, 1000);
    expect(result.stoppedEarly, `line ${n + 1} took too long`).toBe(false);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) {
        tokens.push({ line: n + 1, start: offset + t.startIndex, end: offset + end, text: line.slice(t.startIndex, end), scopes: t.scopes });
      }
    }
    stack = result.ruleStack;
    offset += line.length + 1;
  });
  return { tokens, depth: stack.depth };
}

const has = (scopes: readonly string[], scope: string): boolean =>
  scopes.some((s) => s === scope || s.startsWith(`${scope}.`));

/**
 * The tokens covering the `nth` occurrence of `needle` in `text` (or of `within` inside
 * `needle`, to point at part of a longer, unique context).
 */
function tokensOf(text: string, needle: string, within = needle, nth = 0): Token[] {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`fixture lacks occurrence ${nth} of ${JSON.stringify(needle)}`);
  }
  const inner = needle.indexOf(within);
  if (inner < 0) throw new Error(`${JSON.stringify(within)} is not inside ${JSON.stringify(needle)}`);
  const from = at + inner;
  const to = from + within.length;
  return tokenize(text).tokens.filter((t) => t.end > from && t.start < to);
}

/** Asserts every token of `within` (in the context `needle`) carries `scope`. */
function expectScope(text: string, needle: string, scope: string, within = needle, nth = 0): void {
  const tokens = tokensOf(text, needle, within, nth);
  expect(tokens.length).toBeGreaterThan(0);
  for (const t of tokens) expect(t.scopes, `${JSON.stringify(t.text)} in ${JSON.stringify(needle)}`).toSatisfy((s: string[]) => has(s, scope));
}

function expectNoScope(text: string, needle: string, scope: string, within = needle): void {
  for (const t of tokensOf(text, needle, within)) {
    expect(t.scopes, `${JSON.stringify(t.text)} in ${JSON.stringify(needle)}`).not.toSatisfy((s: string[]) => has(s, scope));
  }
}

// ── Fixtures: valid .grade files covering every construct ───────────────────

const modelGrader = `// Shape of each dataset row
item {
  reference_answer: string
  ground_truth: { date: string, amount?: number }
  tags: [string]
  mood: "happy" | "sad" | null
}
sample {
  output_json: { name: string, email: string }
}

score_model "closeness" {
  model: "gpt-5-mini"
  sampling_params { temperature: 1, top_p: 1, seed: 42 }
  range: [-1, 1e-3]
  user [input_text("""
    Score how close the answer is. // not a comment
    Reference: {{item.reference_answer}}
    A literal \\""" and a regex \\d+\\.\\d*
    """)]
  system "Say {{ sample.output_text }} // not a comment either\\n"
  developer message "typed"
  assistant item.reference_answer
  user ["a", input_text("b"), output_text("c")]
  user input_image("https://example.com/x.png", detail: high, file_id: null)
  user input_audio(item.clip_b64, format: mp3)
  pass_threshold: 0.5
}

test "scores well" {
  sample: "positive"
  item: { reference_answer: "positive" }
  expect: 0.9 within 0.05
}
test "in range" { sample: { output_text: "x" }, expect: 0.5..1 }
`;

const labelGrader = `label_model "sentiment" {
  model: "gpt-4o-2024-08-06"
  labels: [positive, neutral, negative]
  passing_labels: [positive]
  system """Classify "this" as positive, neutral or negative."""
  user "Statement: {{item.response}}"
}
`;

const oneLineCheck = `string_check "exact label": sample.output_text eq item.label // eq | ne | like | ilike
`;

const oneLineSimilarity = `text_similarity: fuzzy_match(sample.output_json.name, item.name)
`;

const pythonGrader = `python "json is valid" {
  image_tag: "2025-05-08"
  source: """
    import json
    def grade(sample, item) -> float:
        return 1.0 if json.loads(sample["output_text"]) else 0.0
    """
}
`;

const pythonFile = `python "clinical phrase" { source: file("graders/clinical_phrase.py") }
`;

const multiGrader = `multi "extraction" {
  graders {
    name: text_similarity "name_grader": fuzzy_match(sample.output_json.name, item.name)
    email: string_check "email_grader": sample.output_json.email ilike item.email
  }
  calculate_output: max(name, email) ^ 2 - -1 / sqrt(abs(name))
}

test "both right" {
  given { name: 1, email: 0.5 }
  expect: 0.75
}
`;

const fixtures: Record<string, string> = {
  modelGrader,
  labelGrader,
  oneLineCheck,
  oneLineSimilarity,
  pythonGrader,
  pythonFile,
  multiGrader,
};

describe("fixtures", () => {
  it.each(Object.entries(fixtures))("%s is valid .grade", (_name, text) => {
    expect(parse(text).diagnostics).toEqual([]);
  });

  it.each(Object.entries(fixtures))("%s tokenizes back to the root, with nothing invalid", (_name, text) => {
    const { tokens, depth } = tokenize(text);
    expect(depth).toBe(1);
    expect(tokens.filter((t) => has(t.scopes, "invalid"))).toEqual([]);
  });
});

describe("scopes", () => {
  it("comments", () => {
    expectScope(modelGrader, "// Shape of each dataset row", "comment.line.double-slash.grade");
    expectScope(oneLineCheck, "// eq | ne | like | ilike", "comment.line.double-slash.grade");
  });

  it("`//` inside a string is not a comment", () => {
    expectNoScope(modelGrader, "// not a comment either", "comment");
    expectScope(modelGrader, "// not a comment either", "string.quoted.double.grade");
    expectNoScope(modelGrader, "// not a comment\n", "comment");
  });

  it("declarations: keywords, keys and type names", () => {
    expectScope(modelGrader, "item {", "keyword.other.declaration.grade", "item");
    expectScope(modelGrader, "sample {", "keyword.other.declaration.grade", "sample");
    expectScope(modelGrader, "reference_answer: string", "variable.other.property.grade", "reference_answer");
    expectScope(modelGrader, "reference_answer: string", "support.type.primitive.grade", "string");
    expectScope(modelGrader, "amount?: number", "keyword.operator.optional.grade", "?");
    expectScope(modelGrader, "amount?: number", "support.type.primitive.grade", "number");
    expectScope(modelGrader, '"sad" | null', "keyword.operator.union.grade", "|");
    expectScope(modelGrader, '"sad" | null', "support.type.primitive.grade", "null");
  });

  it("all six grader kinds", () => {
    const kinds: [string, string][] = [
      [modelGrader, "score_model"],
      [labelGrader, "label_model"],
      [oneLineCheck, "string_check"],
      [oneLineSimilarity, "text_similarity"],
      [pythonGrader, "python"],
      [multiGrader, "multi"],
    ];
    for (const [text, kind] of kinds) {
      expectScope(text, kind, "keyword.other.grader-kind.grade");
      expectScope(text, kind, "entity.name.type");
    }
    expectScope(multiGrader, 'text_similarity "name_grader"', "keyword.other.grader-kind.grade", "text_similarity");
    expectScope(multiGrader, "name: text_similarity", "variable.other.property.grade", "name");
  });

  it("one-line forms", () => {
    expectScope(oneLineCheck, "sample.output_text eq", "variable.other.template.grade", "sample.output_text");
    expectScope(oneLineCheck, " eq ", "keyword.operator.comparison.grade", "eq");
    expectScope(oneLineCheck, "item.label", "variable.other.template.grade");
    expectScope(oneLineSimilarity, "fuzzy_match", "entity.name.function.grade");
    expectScope(oneLineSimilarity, "item.name", "variable.other.template.grade");
    expectScope(multiGrader, " ilike ", "keyword.operator.comparison.grade", "ilike");
  });

  it("fields, values and punctuation", () => {
    expectScope(modelGrader, "model:", "variable.other.property.grade", "model");
    expectScope(modelGrader, "model:", "punctuation.separator.key-value.grade", ":");
    expectScope(modelGrader, "sampling_params {", "variable.other.property.grade", "sampling_params");
    expectScope(modelGrader, "sampling_params {", "punctuation.definition.block.grade", "{");
    expectScope(modelGrader, "seed: 42", "constant.numeric.grade", "42");
    expectScope(modelGrader, "[-1, 1e-3]", "constant.numeric.grade", "-1");
    expectScope(modelGrader, "[-1, 1e-3]", "constant.numeric.grade", "1e-3");
    expectScope(modelGrader, "[-1, 1e-3]", "punctuation.separator.comma.grade", ",");
    expectScope(modelGrader, "file_id: null", "constant.language.grade", "null");
    expectScope(labelGrader, "[positive, neutral", "string.unquoted.grade", "neutral");
  });

  it("messages: roles, `message`, every content form", () => {
    for (const role of ["user [", "system ", "developer ", "assistant "]) {
      expectScope(modelGrader, role, "keyword.other.role.grade", role.trim().split(" ")[0]);
    }
    expectScope(modelGrader, "developer message", "keyword.other.message.grade", "message");
    expectScope(modelGrader, "assistant item.reference_answer", "variable.other.template.grade", "item.reference_answer");
    for (const part of ["input_text", "output_text", "input_image", "input_audio"]) {
      expectScope(modelGrader, `${part}(`, "support.function.grade", part);
    }
    expectScope(pythonFile, 'file("', "support.function.grade", "file");
    expectScope(modelGrader, "detail: high", "variable.other.property.grade", "detail");
    expectScope(modelGrader, "format: mp3", "string.unquoted.grade", "mp3");
  });

  it("strings: escapes and templates", () => {
    expectScope(modelGrader, '"Say {{', "string.quoted.double.grade", '"Say');
    expectScope(modelGrader, "{{ sample.output_text }}", "meta.template.grade");
    expectScope(modelGrader, "{{ sample.output_text }}", "variable.other.template.grade", "sample.output_text");
    expectScope(modelGrader, "either\\n", "constant.character.escape.grade", "\\n");
    expectScope(labelGrader, "{{item.response}}", "variable.other.template.grade", "item.response");
  });

  it("block strings: raw, templates, the `\\\"\"\"` escape, across lines", () => {
    const start = modelGrader.indexOf('input_text("""') + 'input_text('.length;
    const end = modelGrader.indexOf('"""', modelGrader.indexOf('\\"""') + 4) + 3;
    const inside = tokenize(modelGrader).tokens.filter((t) => t.start >= start && t.end <= end);
    expect(new Set(inside.map((t) => t.line)).size).toBe(5);
    for (const t of inside) expect(t.scopes, JSON.stringify(t.text)).toSatisfy((s: string[]) => has(s, "string.quoted.triple.grade"));
    expectScope(modelGrader, "{{item.reference_answer}}", "meta.template.grade");
    expectScope(modelGrader, "{{item.reference_answer}}", "variable.other.template.grade", "item.reference_answer");
    expectScope(modelGrader, 'literal \\""" and', "constant.character.escape.grade", '\\"""');
    expectNoScope(modelGrader, "regex \\d+", "constant.character.escape", "\\d");
    expectScope(labelGrader, '"""Classify "this"', "string.quoted.triple.grade", '"this"');
    expectScope(pythonGrader, 'sample["output_text"]', "string.quoted.triple.grade");
  });

  it("formulas", () => {
    expectScope(multiGrader, "calculate_output", "variable.other.property.grade");
    expectScope(multiGrader, "max(name", "support.function.math.grade", "max");
    expectScope(multiGrader, "sqrt(abs", "support.function.math.grade", "sqrt");
    expectScope(multiGrader, "sqrt(abs", "support.function.math.grade", "abs");
    expectScope(multiGrader, "max(name, email)", "variable.other.grader-key.grade", "email");
    expectScope(multiGrader, ") ^ 2", "keyword.operator.arithmetic.grade", "^");
    expectScope(multiGrader, "2 - -1", "keyword.operator.arithmetic.grade", "-");
    expectScope(multiGrader, "2 - -1", "constant.numeric.grade", "-1");
    expectScope(multiGrader, "/ sqrt", "keyword.operator.arithmetic.grade", "/");
    expectScope(multiGrader, "^ 2", "constant.numeric.grade", "2");
  });

  it("tests", () => {
    expectScope(modelGrader, 'test "scores well"', "keyword.other.test.grade", "test");
    expectScope(modelGrader, 'test "scores well"', "string.quoted.double.grade", '"scores well"');
    expectScope(modelGrader, "expect: 0.9", "variable.other.property.grade", "expect");
    expectScope(modelGrader, "0.9 within 0.05", "keyword.operator.within.grade", "within");
    expectScope(modelGrader, "0.5..1", "keyword.operator.range.grade", "..");
    expectScope(modelGrader, "0.5..1", "constant.numeric.grade", "1", 0);
    expectScope(multiGrader, "given {", "variable.other.property.grade", "given");
    expectScope(modelGrader, "item: { reference_answer", "variable.other.property.grade", "item");
  });
});

describe("examples", () => {
  it("every examples/**/*.grade file tokenizes back to the root", async () => {
    const files = await glob("examples/**/*.grade", { cwd: root, absolute: true });
    for (const file of files) {
      const { depth } = tokenize(readFileSync(file, "utf8").replace(/\r\n/g, "\n"));
      expect(depth, file).toBe(1);
    }
  });
});
