import * as fs from "node:fs";
import * as path from "node:path";
import { doc, format as prettierFormat, type Plugin } from "prettier";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { comparable, format } from "../../src/format/format.js";
import plugin, * as pluginModule from "../../src/format/plugin.js";
import { printBlockString } from "../../src/format/printer.js";
import * as A from "../../src/syntax/ast.js";
import { parse } from "../../src/syntax/parse.js";
import { gradeLexer } from "../../src/syntax/tokens.js";

const root = path.resolve(import.meta.dirname, "../..");
const fixtures = path.join(import.meta.dirname, "fixtures");
const read = (file: string) => fs.readFileSync(file, "utf8");

/** Fixture pairs: `x.grade` (as a user might write it) and `x.formatted.grade` (the canonical layout). */
const pairs = fs
  .readdirSync(fixtures)
  .filter((f) => f.endsWith(".grade") && !f.endsWith(".formatted.grade"))
  .sort()
  .map((f) => ({ name: f.replace(/\.grade$/, ""), input: path.join(fixtures, f), expected: path.join(fixtures, f.replace(/\.grade$/, ".formatted.grade")) }));
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();
/** Every source the properties below are checked on. */
const corpus: { name: string; text: string }[] = [
  ...examples.map((f) => ({ name: f, text: read(path.join(root, f)) })),
  ...pairs.flatMap((p) => [
    { name: `fixtures/${p.name}`, text: read(p.input) },
    { name: `fixtures/${p.name} (formatted)`, text: read(p.expected) },
  ]),
];

const meaning = (text: string) => {
  const { document, diagnostics } = parse(text);
  expect(diagnostics).toEqual([]);
  return comparable(document);
};
const commentsOf = (text: string) => parse(text).document.comments.map((c) => c.text.trimEnd()).sort();

describe("fixtures: input → canonical layout", () => {
  it("has a fixture for every construct", () => expect(pairs.length).toBeGreaterThanOrEqual(12));
  for (const pair of pairs) {
    it(pair.name, async () => {
      const expected = read(pair.expected);
      expect(await format(read(pair.input))).toBe(expected);
      expect(await format(expected)).toBe(expected);
    });
  }

  it("covers every node kind", () => {
    const seen = new Set<string>();
    for (const pair of pairs) A.walk(parse(read(pair.input)).document, (node) => void seen.add(node.kind));
    seen.add("Comment");
    expect([...seen].sort()).toEqual(Object.keys(A.childKeys).sort());
  });
});

describe("formatting is idempotent, keeps the meaning and every comment", () => {
  for (const { name, text } of corpus) {
    it(name, async () => {
      const once = await format(text);
      expect(await format(once)).toBe(once);
      expect(meaning(once)).toEqual(meaning(text));
      expect(commentsOf(once)).toEqual(commentsOf(text));
    });
  }
});

describe("grammar/formatting.md shows what the formatter does", () => {
  const blocks = [...read(path.join(root, "grammar/formatting.md")).matchAll(/```grade\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const body = (text: string) => text.replace(/^\/\/ (before|after)\n/, "");
  it("has examples", () => expect(blocks.length).toBeGreaterThanOrEqual(6));
  blocks.forEach((text, i) => {
    if (text.startsWith("// after")) return;
    it(text.startsWith("// before") ? `before → after, example ${i + 1}` : `already formatted, example ${i + 1}`, async () => {
      const expected = text.startsWith("// before") ? body(blocks[i + 1]!) : text;
      expect(body(await format(text))).toBe(expected);
    });
  });
});

describe("the examples are in the canonical layout", () => {
  // `grade fmt` reads the repository's .prettierrc.json (printWidth 120), as prettier does.
  const config = JSON.parse(read(path.join(root, ".prettierrc.json"))) as { printWidth?: number };
  for (const file of examples) {
    it(file, async () => {
      const text = read(path.join(root, file));
      expect(await format(text, { printWidth: config.printWidth ?? 100 })).toBe(text);
    });
  }
});

/*
 * The same tokens laid out anew: random spaces, line breaks, blank lines and extra comments
 * between them (a formula, whose text is its source, stays as it is). The result must format to
 * the same meaning, with every comment, and be a fixed point.
 */
describe("any layout of the same tokens formats to the same meaning", () => {
  for (const { name, text } of corpus.filter((c) => !c.name.endsWith("(formatted)"))) {
    it(name, async () => {
      for (let seed = 1; seed <= 8; seed++) {
        const variant = relayout(text, seed);
        expect(meaning(variant)).toEqual(meaning(text));
        const once = await format(variant);
        expect(meaning(once)).toEqual(meaning(text));
        expect(commentsOf(once)).toEqual(commentsOf(variant));
        expect(await format(once)).toBe(once);
      }
    });
  }
});

function relayout(text: string, seed: number): string {
  let state = seed * 7919;
  const random = (n: number) => {
    state = (state * 48271) % 2147483647;
    return state % n;
  };
  const formulas: A.Span[] = [];
  A.walk(parse(text).document, (node) => void (node.kind === "Formula" && node.span.end > node.span.start && formulas.push(node.span)));
  const lexed = gradeLexer().tokenize(text);
  const pieces = [
    ...lexed.tokens.map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, comment: false })),
    ...(lexed.groups["comments"] ?? []).map((t) => ({ start: t.startOffset, end: t.startOffset + t.image.length, comment: true })),
  ].sort((a, b) => a.start - b.start);
  const atoms: { start: number; end: number; comment: boolean }[] = [];
  for (const piece of pieces) {
    const formula = formulas.find((f) => f.start <= piece.start && piece.end <= f.end);
    if (!formula) atoms.push(piece);
    else if (atoms[atoms.length - 1]?.start !== formula.start) atoms.push({ ...formula, comment: false });
  }
  const spaces = [" ", "  ", "\n", "\n\n", "\n      ", "\n\n\n  ", " // added\n"];
  const breaks = ["\n", "\n\n", "\n    ", "\n// added on its own line\n"];
  return atoms
    .map((atom, i) => {
      const sep = i === atoms.length - 1 ? "\n" : atom.comment ? breaks[random(breaks.length)] : spaces[random(spaces.length)];
      return text.slice(atom.start, atom.end) + sep;
    })
    .join("");
}

describe("block strings keep their value", () => {
  /** The value of `source` in a python grader written `source: <raw>` at `indent`. */
  const valueIn = (text: string) => {
    const { document, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const field = A.fieldOf(document.grader!, "source")!;
    const value = field.value as A.StringValue;
    expect(value.kind).toBe("StringValue");
    return value;
  };
  const cases: [string, string][] = [
    ["a leading line break", '  source: """\n\n    first line was empty\n    """'],
    ["trailing spaces on a line", '  source: """\n    spaces after this   \n    and a tab\t\n    """'],
    ["a whitespace-only line", '  source: """\n    above\n      \n    below\n    """'],
    ["a whitespace-only last line", '  source: """\n    above\n       \n    """'],
    ["empty lines", '  source: """\n    a\n\n\n    b\n    """'],
    ["a trailing line break", '  source: """\n    ends with a line break\n\n    """'],
    ["only line breaks", '  source: """\n\n\n    """'],
    ["escaped triple quotes", '  source: """\n    say \\"""hi\\""" and \\"""""\n    """'],
    ["a value ending with a quote", '  source: """\n    he said "yes"\n    """'],
    ["a one-line value ending with a quote", '  source: """he said "yes""""'],
    ["a one-line value starting with a quote", '  source: """"quoted" first"""'],
    ["a value ending with a backslash", '  source: """\n    C:\\dir\\\n    """'],
    ["a value ending with an escaped triple quote", '  source: """\n    x\\"""\n    """'],
    ["a backslash before quotes", '  source: """\n    a \\"" b\n    """'],
    ["an empty one-line value", '  source: """"""'],
    ["an empty multi-line value", '  source: """\n    """'],
    ["a one-line value with trailing spaces", '  source: """trailing   """'],
    ["a whitespace-only one-line value", '  source: """   """'],
    ["a one-line value with a line break inside", '  source: """one\ntwo"""'],
    ["tabs for indentation", '\tsource: """\n\t\tline one\n\t\t\tline two\n\t\t"""'],
    ["lines indented less than in the output", 'source: """\nx\n  y\n"""'],
    ["CRLF line ends", '  source: """\r\n    one\r\n    two\r\n    """'],
    ["a long value on one line", `  source: """${"long words ".repeat(20)}end"""`],
    ["Python with a regex", '  source: """\n    import re\n    PATTERN = re.compile(r"^\\d+(\\.\\d+)?$")\n    """'],
  ];
  for (const [name, raw] of cases) {
    it(name, async () => {
      const text = `python "p" {\n${raw}\n  image_tag: "x"\n}\n`;
      const before = valueIn(text);
      expect(before.block).toBe(true);
      const once = await format(text);
      const after = valueIn(once);
      expect(after).toMatchObject({ value: before.value, block: true });
      expect(await format(once)).toBe(once);
      // Deeper in the tree, the same value reads back too.
      const nested = `multi "m" {\n  graders {\n    p: python "p" {\n${raw}\n    }\n  }\n  calculate_output: p\n}\n`;
      const deep = await format(nested);
      const entry = (parse(deep).document.grader!.body as A.BlockBody).members[0] as A.Field;
      const grader = (entry.value as A.GraderMap).entries[0]!.grader;
      expect((A.fieldOf(grader, "source")!.value as A.StringValue).value).toBe(before.value);
    });
  }

  it("is re-indented under its line, the closing quotes at the same indentation", async () => {
    const text = 'python "p" {\nsource: """\n        def grade(sample, item):\n            return 1.0\n        """\n}\n';
    expect(await format(text)).toBe('python "p" {\n  source: """\n    def grade(sample, item):\n        return 1.0\n    """\n}\n');
  });

  it("keeps trailing spaces, and puts no indentation on empty lines", async () => {
    const text = 'python "p" {\n  source: """\n    a  \n\n    b\n    """\n}\n';
    expect(await format(text)).toBe(text);
  });

  it("stays on one line when the value has no line break and fits", async () => {
    expect(await format('python "p" {\n  source: """\n    x\n    """\n}\n')).toBe('python "p" {\n  source: """x"""\n}\n');
  });

  // Every value of up to five characters from an alphabet of the hard cases, at two depths.
  it("reads back every short value exactly", () => {
    const alphabet = ["a", " ", "\t", "\n", '"', "\\"];
    let values = [""];
    const all: string[] = [""];
    for (let n = 1; n <= 5; n++) {
      values = values.flatMap((v) => alphabet.map((c) => v + c));
      all.push(...values);
    }
    for (const depth of [0, 3]) {
      for (const value of all) {
        let body: doc.builders.Doc = ["source: ", printBlockString(value)];
        for (let i = 0; i < depth; i++) body = doc.builders.indent([doc.builders.hardline, body]);
        const printed = [`python "p" {`, doc.builders.indent([doc.builders.hardline, body]), doc.builders.hardline, "}", doc.builders.hardline];
        const { formatted } = doc.printer.printDocToString(printed, { printWidth: 100, tabWidth: 2, useTabs: false });
        const { document, diagnostics } = parse(formatted);
        if (diagnostics.length) throw new Error(`${JSON.stringify(value)}: ${diagnostics[0]!.message}\n${formatted}`);
        const read = A.fieldOf(document.grader!, "source")!.value as A.StringValue;
        if (read.value !== value || !read.block) throw new Error(`${JSON.stringify(value)} read back as ${JSON.stringify(read.value)}\n${formatted}`);
      }
    }
    expect(all.length).toBe(9331);
  });
});

describe("strings, numbers and names are printed as the values they are", () => {
  it("prints quoted strings as JSON", async () => {
    const text = 'string_check "a\\u00e9\\/b": "tab\\t \\"q\\" \\\\ \\u0001" eq item.x\n';
    expect(await format(text)).toBe('string_check "aé/b": "tab\\t \\"q\\" \\\\ \\u0001" eq item.x\n');
  });

  it("keeps numbers as written", async () => {
    // `b: -1..-0.5` written together would read as one unquoted word: a range with a negative
    // bound keeps spaces around `..`.
    const text = "python {\n  a: [1.50, 1e-3, -0, 2E+10]\n  b: -1   ..   -0.5\n  c: 0 .. 1\n}\n";
    expect(await format(text)).toBe("python {\n  a: [1.50, 1e-3, -0, 2E+10]\n  b: -1 .. -0.5\n  c: 0..1\n}\n");
  });

  it("keeps a comma where `1 within 2` would otherwise be read", async () => {
    const items = Array.from({ length: 30 }, (_, i) => `item_${i}`).join(", ");
    const text = `python {\n  a: [1, within, 2, ${items}]\n}\n`;
    const once = await format(text);
    expect(once).toContain("\n    1,\n    within\n");
    expect(meaning(once)).toEqual(meaning(text));
  });

  it("keeps a comma after a formula that ends in an operator", async () => {
    const text = "multi {\n  calculate_output: a +, user \"x\"\n}\n";
    const once = await format(text);
    expect(once).toBe('multi {\n  calculate_output: a +,\n  user "x"\n}\n');
    expect(meaning(once)).toEqual(meaning(text));
  });
});

describe("the prettier plugin", () => {
  it("exports languages, parsers, printers and options, also as the default export", () => {
    expect(pluginModule.languages[0]).toMatchObject({ name: "grade", parsers: ["grade"], extensions: [".grade"] });
    expect(pluginModule.parsers["grade"]).toMatchObject({ astFormat: "grade-ast" });
    expect(Object.keys(pluginModule.printers)).toEqual(["grade-ast"]);
    expect(pluginModule.options).toEqual({});
    expect(plugin).toMatchObject({
      languages: pluginModule.languages,
      parsers: pluginModule.parsers,
      printers: pluginModule.printers,
      options: pluginModule.options,
    });
  });

  it("reports a syntax error with its line and column", async () => {
    const error = await prettierFormat('string_check "x" {\n  input: sample.output_text\n  operation: \n}\n', {
      parser: "grade",
      plugins: [plugin],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as { loc: unknown }).loc).toEqual({ start: { line: 4, column: 1 }, end: { line: 4, column: 2 } });
    expect((error as Error).message).toMatch(/^expected a value .*, found `\}` \(4:1\)/);
  });

  it("throws for a node kind it does not know", () => {
    const node = { kind: "Mystery", span: { start: 0, end: 0 } } as unknown as A.Node;
    const printer = pluginModule.printers["grade-ast"]!;
    const path = { node, parent: null } as never;
    expect(() => printer.print(path, { originalText: "" } as never, () => "")).toThrow(/no rule for a Mystery/);
  });

  it("prints from the AST alone (as for another parser, such as one from grader JSON)", async () => {
    // A parser whose AST has no spans into the text and no comments, like one built from JSON.
    const source = read(path.join(fixtures, "multi.formatted.grade"));
    const { document } = parse(source);
    const unspanned = JSON.parse(JSON.stringify(document), (key, value: unknown) =>
      key === "span" ? { start: 0, end: 0 } : value,
    ) as A.Document;
    const other: Plugin<A.Node> = {
      parsers: { other: { ...pluginModule.parsers["grade"]!, parse: () => ({ ...unspanned, comments: [] }) } },
    };
    const printed = await prettierFormat("{}", { parser: "other", plugins: [plugin, other], printWidth: 100 });
    expect(printed).toBe(source);
  });

  it("prints a formula's text when the original text has no comment at its place", async () => {
    const source = "multi {\n  calculate_output: a +\n    b\n}\n";
    const { document } = parse(source);
    const formula = (document.grader!.body as A.BlockBody).members[0]!;
    expect(formula).toMatchObject({ kind: "Field", value: { kind: "Formula", text: "a +\n    b" } });
    expect(await format(source)).toBe(source);
  });
});
