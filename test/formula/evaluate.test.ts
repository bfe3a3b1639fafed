import { describe, expect, it } from "vitest";
import type { FormulaExpr } from "../../src/formula/ast.js";
import { evaluateFormula } from "../../src/formula/evaluate.js";
import { parseFormula } from "../../src/formula/parse.js";

function parsed(text: string): FormulaExpr {
  const { expr, problems } = parseFormula(text);
  if (!expr) throw new Error(`does not parse: ${text}: ${problems.map((p) => p.message).join("; ")}`);
  return expr;
}

const evaluate = (text: string, values: Record<string, number> = {}): ReturnType<typeof evaluateFormula> =>
  evaluateFormula(parsed(text), values);

function value(text: string, values: Record<string, number> = {}): number {
  const result = evaluate(text, values);
  if (!result.ok) throw new Error(`error for ${text}: ${result.error}`);
  return result.value;
}

function error(text: string, values: Record<string, number> = {}): string {
  const result = evaluate(text, values);
  if (result.ok) throw new Error(`no error for ${text}: ${result.value}`);
  return result.error;
}

describe("evaluateFormula: arithmetic and precedence", () => {
  it.each<[string, number]>([
    ["1 + 2", 3],
    ["7 - 10", -3],
    ["6 * 7", 42],
    ["1 / 4", 0.25],
    ["2 ^ 10", 1024],
    ["-2^2", -4],
    ["(-2)^2", 4],
    ["2^3^2", 512],
    ["(2^3)^2", 64],
    ["2^-1", 0.5],
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["10 - 4 - 3", 3],
    ["64 / 4 / 2", 8],
    ["2 * 3 ^ 2", 18],
    ["--3", 3],
    ["-(1 + 2)", -3],
    [".5 + 1e1", 10.5],
    ["4 ^ 0.5", 2],
    ["(-8) ^ 3", -512],
  ])("%s = %d", (text, expected) => {
    expect(value(text)).toBeCloseTo(expected, 12);
  });

  it("reads grader keys from values", () => {
    expect(value("(name + email) / 2", { name: 1, email: 0 })).toBe(0.5);
    expect(value("0.85*x + 0.15*y", { x: 1, y: 0.5 })).toBeCloseTo(0.925, 12);
    expect(value("0.5 * a + 0.5 * b", { a: 0.2, b: 0.4 })).toBeCloseTo(0.3, 12);
    expect(value("x", { x: 0.75 })).toBe(0.75);
  });

  it("returns 0, not -0", () => {
    expect(Object.is(value("-x", { x: 0 }), 0)).toBe(true);
    expect(Object.is(value("ceil(-0.5)"), 0)).toBe(true);
    expect(Object.is(value("0 * -1"), 0)).toBe(true);
  });

  it("evaluates long left-associative chains without deep recursion", () => {
    const text = Array.from({ length: 20000 }, () => "x").join(" + ");
    expect(value(text, { x: 1 })).toBe(20000);
    const mixed = Array.from({ length: 5000 }, (_, i) => `${i % 2 ? "x * 2" : "x"}`).join(" - ");
    expect(Number.isFinite(value(mixed, { x: 1 }))).toBe(true);
  });
});

describe("evaluateFormula: functions", () => {
  it.each<[string, number]>([
    ["min(3, 1)", 1],
    ["max(3, 1)", 3],
    ["min(5, 4, 3, 2, 1, 6)", 1],
    ["max(-5, -4, -3, -2, -9)", -2],
    ["max(a, b, c, d)", 0.9],
    ["min(a, b, c, d)", 0.1],
    ["abs(-2.5)", 2.5],
    ["floor(2.7)", 2],
    ["floor(-2.2)", -3],
    ["ceil(2.2)", 3],
    ["ceil(-2.7)", -2],
    ["exp(0)", 1],
    ["exp(1)", Math.E],
    ["sqrt(16)", 4],
    ["sqrt(0)", 0],
    ["log(1)", 0],
    ["log(exp(2))", 2],
    ["max(0, min(1, 2 * a))", 0.2],
    ["min(a + b, 1) ^ 2", 0.36],
  ])("%s = %d", (text, expected) => {
    expect(value(text, { a: 0.1, b: 0.5, c: 0.9, d: 0.3 })).toBeCloseTo(expected, 12);
  });

  it("log is the natural logarithm", () => {
    expect(value("log(10)")).toBeCloseTo(Math.LN10, 15);
  });
});

describe("evaluateFormula: errors", () => {
  it("division by zero", () => {
    expect(error("1 / 0")).toBe("division by zero in `1 / 0`");
    expect(error("0 / 0")).toBe("division by zero in `0 / 0`");
    expect(error("(a + b) / (a - b)", { a: 1, b: 1 })).toBe("division by zero in `(a + b) / (a - b)`");
    expect(error("1 + x / y", { x: 1, y: 0 })).toBe("division by zero in `x / y`");
  });

  it("log of zero or a negative number", () => {
    expect(error("log(0)")).toBe("`log` of zero in `log(0)`");
    expect(error("log(x)", { x: -1 })).toBe("`log` of a negative number (-1) in `log(x)`");
    expect(error("log(-0.5)")).toBe("`log` of a negative number (-0.5) in `log(-0.5)`");
  });

  it("sqrt of a negative number", () => {
    expect(error("sqrt(-4)")).toBe("`sqrt` of a negative number (-4) in `sqrt(-4)`");
    expect(error("sqrt(a - b)", { a: 0, b: 1 })).toBe("`sqrt` of a negative number (-1) in `sqrt(a - b)`");
  });

  it("powers with no real or finite value", () => {
    expect(error("0 ^ -1")).toBe("0 raised to a negative power in `0 ^ -1`");
    expect(error("(-8) ^ (1 / 3)")).toBe(
      "negative number -8 raised to the non-integer power 0.3333333333333333 in `(-8) ^ (1 / 3)`",
    );
    expect(error("10 ^ 400")).toBe("`10 ^ 400` is too large (the result is not a finite number)");
  });

  it("any infinite intermediate result", () => {
    expect(error("exp(1000)")).toBe("`exp(1000)` is too large (the result is not a finite number)");
    expect(error("exp(1000) - exp(1000)")).toBe("`exp(1000)` is too large (the result is not a finite number)");
    expect(error("1e308 * 10")).toBe("`1e+308 * 10` is too large (the result is not a finite number)");
    expect(error("1e308 + 1e308")).toBe("`1e+308 + 1e+308` is too large (the result is not a finite number)");
    expect(error("-1e308 - 1e308")).toBe("`-1e+308 - 1e+308` is too large (the result is not a finite number)");
    expect(error("1e308 / 0.1")).toBe("`1e+308 / 0.1` is too large (the result is not a finite number)");
    expect(error("1e999")).toBe("the number 1e999 is too large");
  });

  it("unknown names, including inherited object properties", () => {
    expect(error("a + nope", { a: 1 })).toBe("unknown name `nope`: it is not one of the graders' keys");
    expect(error("constructor")).toBe("unknown name `constructor`: it is not one of the graders' keys");
    expect(error("toString + 1")).toBe("unknown name `toString`: it is not one of the graders' keys");
  });

  it("non-finite values of grader keys", () => {
    expect(error("a", { a: Number.NaN })).toBe("the value of `a` is not a finite number (NaN)");
    expect(error("a", { a: Infinity })).toBe("the value of `a` is not a finite number (Infinity)");
  });

  it("unknown functions and wrong arity", () => {
    expect(error("round(1)")).toBe("unknown function `round`");
    expect(error("foo(1 / 0)")).toBe("unknown function `foo`");
    expect(error("constructor(1)")).toBe("unknown function `constructor`");
    expect(error("min(1)")).toBe("`min` takes at least 2 arguments, got 1");
    expect(error("max()")).toBe("`max` takes at least 2 arguments, got 0");
    expect(error("abs(1, 2)")).toBe("`abs` takes 1 argument, got 2");
    expect(error("log()")).toBe("`log` takes 1 argument, got 0");
  });

  it("quotes long sub-expressions shortened", () => {
    const long = Array.from({ length: 30 }, (_, i) => `k${i}`).join(" + ");
    const values = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 0]));
    const message = error(`1 / (${long})`, values);
    expect(message.startsWith("division by zero in `1 / (k0 + k1")).toBe(true);
    expect(message.endsWith("...`")).toBe(true);
  });

  it("never throws, even for hand-built ASTs", () => {
    const span = { start: 0, end: 0 };
    const bad: FormulaExpr = {
      kind: "FormulaCall",
      callee: { kind: "FormulaName", name: "__proto__", span },
      args: [],
      span,
    };
    expect(evaluateFormula(bad, {})).toEqual({ ok: false, error: "unknown function `__proto__`" });
    let deep: FormulaExpr = { kind: "FormulaNumber", value: 1, span };
    for (let i = 0; i < 200000; i++) deep = { kind: "FormulaUnary", operator: "-", operand: deep, span };
    expect(evaluateFormula(deep, {})).toEqual({ ok: false, error: "the formula is nested too deeply to evaluate" });
  });
});
