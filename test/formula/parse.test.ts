import { describe, expect, it } from "vitest";
import type { FormulaExpr } from "../../src/formula/ast.js";
import { MAX_FORMULA_DEPTH, parseFormula } from "../../src/formula/parse.js";

/** The structure of a formula as an S-expression: `(+ a (* b 2))`, `(neg a)`, `(min a b)`. */
function sexpr(e: FormulaExpr): string {
  switch (e.kind) {
    case "FormulaNumber":
      return String(e.value);
    case "FormulaName":
      return e.name;
    case "FormulaUnary":
      return `(neg ${sexpr(e.operand)})`;
    case "FormulaBinary":
      return `(${e.operator} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "FormulaCall":
      return `(${[e.callee.name, ...e.args.map(sexpr)].join(" ")})`;
  }
}

function tree(text: string): string {
  const { expr, problems } = parseFormula(text);
  expect(problems).toEqual([]);
  return sexpr(expr!);
}

function problemsOf(text: string, base = 0) {
  const { expr, problems } = parseFormula(text, base);
  expect(expr).toBeUndefined();
  return problems;
}

describe("parseFormula", () => {
  describe("precedence and associativity", () => {
    it("binds ^ tightest, then unary minus, then * /, then + -", () => {
      expect(tree("a + b * c ^ d")).toBe("(+ a (* b (^ c d)))");
      expect(tree("-a^2")).toBe("(neg (^ a 2))");
      expect(tree("-a * b")).toBe("(* (neg a) b)");
      expect(tree("a * -b")).toBe("(* a (neg b))");
      expect(tree("a - -b")).toBe("(- a (neg b))");
      expect(tree("--a")).toBe("(neg (neg a))");
      expect(tree("(-a)^2")).toBe("(^ (neg a) 2)");
    });

    it("makes ^ right-associative and takes a unary minus in the exponent", () => {
      expect(tree("a ^ b ^ c")).toBe("(^ a (^ b c))");
      expect(tree("2^-1")).toBe("(^ 2 (neg 1))");
      expect(tree("2^-a^2")).toBe("(^ 2 (neg (^ a 2)))");
      expect(tree("-2^-2")).toBe("(neg (^ 2 (neg 2)))");
      expect(tree("(a ^ b) ^ c")).toBe("(^ (^ a b) c)");
    });

    it("makes + - * / left-associative", () => {
      expect(tree("a - b - c")).toBe("(- (- a b) c)");
      expect(tree("a / b * c")).toBe("(* (/ a b) c)");
      expect(tree("a / b / c")).toBe("(/ (/ a b) c)");
      expect(tree("a + b - c + d")).toBe("(+ (- (+ a b) c) d)");
      expect(tree("a - (b - c)")).toBe("(- a (- b c))");
    });

    it("reads parentheses as grouping only", () => {
      expect(tree("((a))")).toBe("a");
      expect(tree("(a + b) * c")).toBe("(* (+ a b) c)");
    });
  });

  describe("calls", () => {
    it("parses calls with zero, one or more arguments, nested (arity is a checker concern)", () => {
      expect(tree("min(a, b)")).toBe("(min a b)");
      expect(tree("max(a, b, 1, -c)")).toBe("(max a b 1 (neg c))");
      expect(tree("abs(a - b)")).toBe("(abs (- a b))");
      expect(tree("f()")).toBe("(f)");
      expect(tree("sqrt(min(a, b ^ 2)) * 2")).toBe("(* (sqrt (min a (^ b 2))) 2)");
      expect(tree("-log(a)^2")).toBe("(neg (^ (log a) 2))");
    });

    it("keeps the callee as a name node with its own span", () => {
      const { expr } = parseFormula("max(a, b)");
      expect(expr).toMatchObject({ kind: "FormulaCall", callee: { kind: "FormulaName", name: "max", span: { start: 0, end: 3 } }, span: { start: 0, end: 9 } });
    });
  });

  describe("numbers", () => {
    it("reads JSON-style numbers and a leading dot", () => {
      const value = (text: string) => (parseFormula(text).expr as { value: number }).value;
      expect(value("1")).toBe(1);
      expect(value("0.25")).toBe(0.25);
      expect(value("1e-3")).toBe(0.001);
      expect(value("1E3")).toBe(1000);
      expect(value("2.5e+2")).toBe(250);
      expect(value(".5")).toBe(0.5);
      expect(value(".5e1")).toBe(5);
      expect(tree("1e-3 * a")).toBe("(* 0.001 a)");
      expect(tree("-.5")).toBe("(neg 0.5)");
    });

    it("rejects malformed numbers", () => {
      expect(problemsOf("1.")).toEqual([{ message: "unexpected `.` in the formula", span: { start: 1, end: 2 } }]);
      expect(problemsOf("1e")).toEqual([{ message: "expected an operator (`+ - * / ^`) or the end of the formula, found `e`", span: { start: 1, end: 2 } }]);
      expect(problemsOf("1.2.3")).toEqual([{ message: "expected an operator (`+ - * / ^`) or the end of the formula, found `.3`", span: { start: 3, end: 5 } }]);
    });
  });

  describe("spans", () => {
    it("are absolute: offsets plus the base", () => {
      const { expr } = parseFormula("a + max(b, 2)", 100);
      expect(expr).toEqual({
        kind: "FormulaBinary",
        operator: "+",
        left: { kind: "FormulaName", name: "a", span: { start: 100, end: 101 } },
        right: {
          kind: "FormulaCall",
          callee: { kind: "FormulaName", name: "max", span: { start: 104, end: 107 } },
          args: [
            { kind: "FormulaName", name: "b", span: { start: 108, end: 109 } },
            { kind: "FormulaNumber", value: 2, span: { start: 111, end: 112 } },
          ],
          span: { start: 104, end: 113 },
        },
        span: { start: 100, end: 113 },
      });
    });

    it("include parentheses and the unary minus, and skip surrounding whitespace and newlines", () => {
      expect(parseFormula("  -(a)  ", 10).expr!.span).toEqual({ start: 12, end: 16 });
      expect(parseFormula("\n  (a +\n b)\n", 0).expr!.span).toEqual({ start: 3, end: 11 });
    });

    it("are absolute in problems too", () => {
      expect(problemsOf("a $ b", 50)).toEqual([{ message: "unexpected `$` in the formula", span: { start: 52, end: 53 } }]);
    });
  });

  describe("errors", () => {
    it("`(a + 1`: the unclosed `(`", () => {
      expect(problemsOf("(a + 1")).toEqual([{ message: "expected `)` to close `(`, found the end of the formula", span: { start: 0, end: 1 } }]);
      expect(problemsOf("(a + 1 b")).toEqual([{ message: "expected `)` to close `(`, found `b`", span: { start: 7, end: 8 } }]);
    });

    it("`a +`: a missing operand at the end (an empty span after the last token)", () => {
      expect(problemsOf("a +")).toEqual([
        { message: "expected a number, a grader key, a function call or `(`, found the end of the formula", span: { start: 3, end: 3 } },
      ]);
      expect(problemsOf("a +   ")).toEqual([
        { message: "expected a number, a grader key, a function call or `(`, found the end of the formula", span: { start: 3, end: 3 } },
      ]);
      expect(problemsOf("-")[0]!.message).toBe("expected a number, a grader key, a function call or `(`, found the end of the formula");
    });

    it("`a b`: a missing operator", () => {
      expect(problemsOf("a b")).toEqual([{ message: "expected an operator (`+ - * / ^`) or the end of the formula, found `b`", span: { start: 2, end: 3 } }]);
      expect(problemsOf("2(a)")).toEqual([{ message: "expected an operator (`+ - * / ^`) or the end of the formula, found `(`", span: { start: 1, end: 2 } }]);
    });

    it("`)`: a parenthesis with nothing to close", () => {
      expect(problemsOf(")")).toEqual([{ message: "expected a number, a grader key, a function call or `(`, found `)`", span: { start: 0, end: 1 } }]);
      expect(problemsOf("a)")).toEqual([{ message: "unexpected `)`: there is no `(` for it to close", span: { start: 1, end: 2 } }]);
      expect(problemsOf("(a))")).toEqual([{ message: "unexpected `)`: there is no `(` for it to close", span: { start: 3, end: 4 } }]);
    });

    it("`a $ b`: a character outside the language, a whole code point", () => {
      expect(problemsOf("a $ b")).toEqual([{ message: "unexpected `$` in the formula", span: { start: 2, end: 3 } }]);
      expect(problemsOf("a == b")).toEqual([{ message: "unexpected `=` in the formula", span: { start: 2, end: 3 } }]);
      expect(problemsOf("a + 😀")).toEqual([{ message: "unexpected `😀` in the formula", span: { start: 4, end: 6 } }]);
    });

    it("calls: a missing `,` or `)`", () => {
      expect(problemsOf("min(a b)")).toEqual([{ message: "expected `,` or `)` in the call `min(`, found `b`", span: { start: 6, end: 7 } }]);
      expect(problemsOf("min(a, b")).toEqual([{ message: "expected `,` or `)` in the call `min(`, found the end of the formula", span: { start: 3, end: 4 } }]);
      expect(problemsOf("min(")).toEqual([
        { message: "expected a number, a grader key, a function call or `(`, found the end of the formula", span: { start: 4, end: 4 } },
      ]);
      expect(problemsOf("min(a,)")[0]!.message).toBe("expected a number, a grader key, a function call or `(`, found `)`");
    });

    it("an empty formula", () => {
      expect(problemsOf("")).toEqual([{ message: "the formula is empty", span: { start: 0, end: 0 } }]);
      expect(problemsOf("   ", 7)).toEqual([{ message: "the formula is empty", span: { start: 7, end: 10 } }]);
    });

    it("reports one problem and never throws", () => {
      for (const text of ["(", "((", "^", "*a", "a ^", "a ,b", ",", "max(,)", "\u0000", "a\u00a0+ b", "1e999999", "é"]) {
        expect(() => parseFormula(text)).not.toThrow();
      }
      expect(parseFormula("(a + ) * $").problems).toHaveLength(1);
    });
  });

  describe("depth", () => {
    const tooDeep = `the formula nests more than ${MAX_FORMULA_DEPTH} levels deep`;

    it("accepts 200 levels of parentheses or unary minus", () => {
      expect(parseFormula(`${"(".repeat(200)}a${")".repeat(200)}`).problems).toEqual([]);
      expect(parseFormula(`${"-".repeat(200)}a`).problems).toEqual([]);
    });

    it("reports 10,000 nested parentheses as a finding at the level past the limit, fast", () => {
      const start = performance.now();
      const problems = problemsOf(`${"(".repeat(10_000)}a${")".repeat(10_000)}`, 5);
      expect(performance.now() - start).toBeLessThan(1000);
      expect(problems).toEqual([{ message: tooDeep, span: { start: 205, end: 206 } }]);
    });

    it("reports 10,000 unary minuses, nested calls and exponents the same way", () => {
      expect(problemsOf(`${"-".repeat(10_000)}a`)).toEqual([{ message: tooDeep, span: { start: 200, end: 201 } }]);
      expect(problemsOf(`${"abs(".repeat(10_000)}a${")".repeat(10_000)}`)[0]!.message).toBe(tooDeep);
      expect(problemsOf(`a${"^a".repeat(10_000)}`)[0]!.message).toBe(tooDeep);
      expect(problemsOf(`${"(".repeat(10_000)}`)[0]!.message).toBe(tooDeep);
    });

    it("does not limit long flat formulas", () => {
      const start = performance.now();
      expect(parseFormula(`a${" + a * 2".repeat(20_000)}`).problems).toEqual([]);
      expect(performance.now() - start).toBeLessThan(2000);
    });
  });
});
