import { describe, expect, it } from "vitest";
import { decodeBlock, decodeQuoted, escapeBlock } from "../../src/syntax/strings.js";

const block = (raw: string) => decodeBlock(raw, 0);

describe("block strings", () => {
  it("drop the first line break and the closing line's indentation", () => {
    expect(block('"""\n    a\n      b\n\n    c\n    """').value).toBe("a\n  b\n\nc");
  });

  it("are raw: backslashes stay (python regexes survive)", () => {
    expect(block('"""\n  re.match(r"\\d+\\.\\s", x)\n  """').value).toBe('re.match(r"\\d+\\.\\s", x)');
  });

  it('hold """ written as \\"""', () => {
    expect(block('"""\n  doc = \\"""hi\\"""\n  """').value).toBe('doc = """hi"""');
    expect(block('"""a \\""" b"""').value).toBe('a """ b');
  });

  it("round-trip any text through escapeBlock", () => {
    for (const text of ['"""', '\\"""', 'ends with "', 'x""""y', "\\", 'a\n"""\nb', '""""""']) {
      const raw = `"""\n  ${escapeBlock(text).replaceAll("\n", "\n  ")}\n  """`;
      expect(block(raw).value).toBe(text);
    }
  });

  it("keep a one-line form as written", () => {
    expect(block('"""  spaced  """').value).toBe("  spaced  ");
  });

  it("normalise CRLF to LF", () => {
    expect(block('"""\r\n  a\r\n  b\r\n  """').value).toBe("a\nb");
  });

  it("treat whitespace-only lines shorter than the indentation as empty", () => {
    expect(block('"""\n    a\n  \n    b\n    """').value).toBe("a\n\nb");
  });

  it("report a line indented less than the closing quotes", () => {
    const d = block('"""\n    a\n  b\n    """');
    expect(d.problems.map((p) => p.message)).toEqual(['this line is indented less than the closing `"""`; indent it at least as far']);
    expect(d.problems[0]!.span).toEqual({ start: 10, end: 12 });
  });

  it("report a closing delimiter that is not on its own line", () => {
    expect(block('"""\n  a\n  b"""').problems[0]!.message).toBe('the closing `"""` of a multi-line block string must stand on its own line');
  });

  it("map every character to its source offset", () => {
    const raw = '"""\n  ab\n  c\\"""\n  """';
    const d = decodeBlock(raw, 100, true);
    expect(d.value).toBe('ab\nc"""');
    expect(d.offsets!.slice(0, d.value.length).map((o) => raw[o - 100])).toEqual(["a", "b", "\n", "c", '"', '"', '"']);
  });
});

describe("quoted strings", () => {
  it("decode JSON escapes", () => {
    expect(decodeQuoted('"a\\n\\t\\"\\\\\\/\\u00e9"', 0).value).toBe('a\n\t"\\/é');
  });

  it("report an invalid escape with its span", () => {
    const d = decodeQuoted('"\\d+"', 0);
    expect(d.problems).toEqual([
      { message: '`\\d` is not a valid escape in a string (use `\\\\` for a backslash, or a """ block string for raw text)', span: { start: 1, end: 3 } },
    ]);
  });

  it("map characters after escapes to their offsets", () => {
    const d = decodeQuoted('"\\n{{x}}"', 0, true);
    expect(d.value).toBe("\n{{x}}");
    expect(d.offsets!.slice(0, 3)).toEqual([1, 3, 4]);
  });
});
