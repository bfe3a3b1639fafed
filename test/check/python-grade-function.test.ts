import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectFindings, expectValid, underlined } from "../helpers/harness.js";

/** A python grader whose block-string source starts at 3:5 (the `"""` opens at 2:11). */
const python = (code: string) => `python "p" {
  source: """
${code
  .split("\n")
  .map((line) => (line ? `    ${line}` : line))
  .join("\n")}
    """
}
`;

const fix = "define `def grade(sample, item) -> float:` at the top level";
const problem = (message: string, at: string, suggestion = fix) => ({ rule: "python-grade-function", severity: "error", message, at, suggestion });
const twoOnly = (n: number) => `\`grade\` takes ${n} parameter${n === 1 ? "" : "s"}; the service calls it with exactly two, \`(sample, item)\``;

describe("python-grade-function", () => {
  it("accepts a top-level grade(sample, item) in its usual spellings", () => {
    for (const code of [
      "def grade(sample, item):\n    return 1.0",
      "def grade(sample, item) -> float:\n    return 1.0",
      "def grade(s, i): return 1.0",
      "import json\n\n\ndef grade (sample, item):\n    return 1.0",
      "def\tgrade(sample, item):\n    return 1.0",
      "@some_decorator\ndef grade(sample, item):\n    return 1.0",
      "def helper(x):\n    def grade(a):\n        return a\n    return grade\n\ndef grade(sample, item):\n    return helper(1)(1.0)",
    ]) {
      expectValid("python-grade-function", python(code));
    }
    expectValid("python-grade-function", 'python "p" { source: "def grade(sample, item): return 1.0" }\n');
  });

  it("accepts annotations and defaults that hold commas, brackets and parentheses", () => {
    for (const signature of [
      "def grade(sample: dict[str, Any], item: dict[str, Any]) -> float:",
      "def grade(sample: Dict[str, Tuple[int, int]], item: Mapping[str, Any] = {}) -> float:",
      'def grade(sample, item={"a": 1, "b": (2, 3)}):',
      'def grade(sample, item="a,b"):',
      'def grade(sample, item = "(" ):',
      "def grade(sample, item=')'):",
      'def grade(sample, item="\\")"):',
      "def grade(sample, item) -> Callable[[int, int], int]:",
    ]) {
      expectValid("python-grade-function", python(`${signature}\n    return 1.0`));
    }
  });

  it("accepts a signature written over several lines, with comments", () => {
    const code = `def grade(
    sample: dict[str, Any],  # the model's output, with a comma
    item: dict[str, Any],    # the dataset row (a paren: ")")
) -> float:
    return 1.0`;
    expectValid("python-grade-function", python(code));
  });

  it("accepts further parameters that have defaults, *args and **kwargs: grade(sample, item) still works", () => {
    for (const signature of [
      "def grade(sample, item=None):",
      "def grade(sample, item, debug=False):",
      "def grade(sample, item, *args, **kwargs):",
      "def grade(sample, item, *, strict=True):",
      "def grade(sample, /, item):",
    ]) {
      expectValid("python-grade-function", python(`${signature}\n    return 1.0`));
    }
  });

  it("accepts a definition at module level inside if/try blocks", () => {
    const code = `try:
    import numpy

    def grade(sample, item):
        return 1.0
except ImportError:
    def grade(sample, item):
        return 0.0`;
    expectValid("python-grade-function", python(code));
  });

  it("reports a source without def grade, underlining the source", () => {
    expectFindings("python-grade-function", python("def score(sample, item):\n    return 1.0")).toEqual([
      problem("the python source has no `def grade(sample, item)`", "2:11-5:8"),
    ]);
    expectFindings("python-grade-function", python("# def grade(sample, item):\ndef gradex(sample, item):\n    return 1.0")).toEqual([
      problem("the python source has no `def grade(sample, item)`", "2:11-6:8"),
    ]);
    expectFindings("python-grade-function", 'python "p" { source: "" }\n').toEqual([
      problem("the python source has no `def grade(sample, item)`", "1:22-1:24"),
    ]);
  });

  it("reports a grade nested in a class or function, at the nested def", () => {
    const inClass = "class Grader:\n    def grade(self, sample, item):\n        return 1.0";
    expectFindings("python-grade-function", python(inClass)).toEqual([
      problem("`def grade` must be at the top level, not inside a class or function", "4:9-4:19"),
    ]);
    const inFunction = "def make():\n    if True:\n        def grade(sample, item):\n            return 1.0\n    return grade";
    expectFindings("python-grade-function", python(inFunction)).toEqual([
      problem("`def grade` must be at the top level, not inside a class or function", "5:13-5:23"),
    ]);
  });

  it("reports async def at the signature", () => {
    expectFindings("python-grade-function", python("async def grade(sample, item):\n    return 1.0")).toEqual([
      problem("`grade` must be a plain function, not `async def`", "3:5-3:34"),
    ]);
  });

  it("reports one or three parameters at the signature", () => {
    expectFindings("python-grade-function", python("def grade(sample):\n    return 1.0")).toEqual([problem(twoOnly(1), "3:5-3:22")]);
    expectFindings("python-grade-function", python("def grade():\n    return 1.0")).toEqual([problem(twoOnly(0), "3:5-3:16")]);
    const further = `${fix}; further parameters need a default value`;
    expectFindings("python-grade-function", python("def grade(sample, item, extra):\n    return 1.0")).toEqual([
      problem(twoOnly(3), "3:5-3:35", further),
    ]);
    expectFindings("python-grade-function", python("def grade(self, sample, item):\n    return 1.0")).toEqual([
      problem(twoOnly(3), "3:5-3:34", further),
    ]);
    expectFindings("python-grade-function", python("def grade(sample, item, x, y=1):\n    return 1.0")).toEqual([
      problem("`grade` takes 3 parameters without a default; the service calls it with exactly two, `(sample, item)`", "3:5-3:36", further),
    ]);
    expectFindings("python-grade-function", python("def grade(sample, item, *, strict):\n    return 1.0")).toEqual([
      problem(twoOnly(3), "3:5-3:39", further),
    ]);
  });

  it("counts parameters correctly when annotations and defaults hold commas", () => {
    expectFindings("python-grade-function", python("def grade(sample: dict[str, Any]) -> float:\n    return 1.0")).toEqual([
      problem(twoOnly(1), "3:5-3:38"),
    ]);
    expectFindings("python-grade-function", python('def grade(item={"a": 1, "b": 2}):\n    return 1.0')).toEqual([problem(twoOnly(1), "3:5-3:37")]);
    // A `#` in a string is no comment: `x` is a third parameter without a default.
    expectFindings("python-grade-function", python('def grade(sample, item="#, y=1", x):\n    return 1.0')).toEqual([
      problem(twoOnly(3), "3:5-3:40", `${fix}; further parameters need a default value`),
    ]);
  });

  it("reports *args in place of the two positional parameters", () => {
    const message = "`grade` must take `sample` and `item` as two positional parameters, as in `(sample, item)`";
    expectFindings("python-grade-function", python("def grade(*args):\n    return 1.0")).toEqual([problem(message, "3:5-3:21")]);
    expectFindings("python-grade-function", python("def grade(sample, *args):\n    return 1.0")).toEqual([problem(message, "3:5-3:29")]);
    expectFindings("python-grade-function", python("def grade(sample, *, item):\n    return 1.0")).toEqual([problem(message, "3:5-3:31")]);
    expectFindings("python-grade-function", python("def grade(**kwargs):\n    return 1.0")).toEqual([problem(message, "3:5-3:24")]);
  });

  it("spans a multi-line signature", () => {
    const code = "def grade(\n    sample,\n    extra,\n    item,\n):\n    return 1.0";
    expectFindings("python-grade-function", python(code)).toEqual([problem(twoOnly(3), "3:5-7:6", `${fix}; further parameters need a default value`)]);
  });

  it("reports an unclosed parameter list", () => {
    expectFindings("python-grade-function", python("def grade(sample, item:\n    return 1.0")).toEqual([
      problem("the parameter list of `def grade(` is not closed", "3:5-3:15"),
    ]);
  });

  it("checks the last top-level definition, as Python binds it", () => {
    expectFindings("python-grade-function", python("def grade(sample, item):\n    return 1.0\n\ndef grade(x):\n    return 0.0")).toEqual([
      problem(twoOnly(1), "6:5-6:17"),
    ]);
    expectValid("python-grade-function", python("def grade(x):\n    return 0.0\n\ndef grade(sample, item):\n    return 1.0"));
  });

  it("points through escapes in a quoted source", () => {
    expect(underlined('python "p" { source: "import os\\nasync def grade(sample, item): return 1" }\n', "python-grade-function")).toEqual([
      "async def grade(sample, item)",
    ]);
  });

  describe("with a file() source", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-pgf-"));
    afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
    const options = { filename: path.join(root, "grader.grade"), root };
    fs.writeFileSync(path.join(root, "good.py"), "def grade(sample, item):\n    return 1.0\n");
    fs.writeFileSync(path.join(root, "bad.py"), "def grade(sample):\n    return 1.0\n");

    it("accepts a good file", () => {
      expectValid("python-grade-function", 'python "p" { source: file("good.py") }\n', options);
    });

    it("reports a bad file at the file() call, naming the file", () => {
      expectFindings("python-grade-function", 'python "p" { source: file("bad.py") }\n', options).toEqual([
        problem(`${twoOnly(1)} (in \`bad.py\`)`, "1:22-1:36"),
      ]);
    });

    it("leaves a file that cannot be read to the file rule", () => {
      expectValid("python-grade-function", 'python "p" { source: file("missing.py") }\n', options);
    });
  });
});
