import { describe, expect, it } from "vitest";
import type { FormulaExpr } from "../../src/formula/ast.js";
import { parseFormula } from "../../src/formula/parse.js";
import { printFormula } from "../../src/formula/print.js";

/** The structure without spans (a printed formula has other offsets). */
function shape(e: FormulaExpr): unknown {
  switch (e.kind) {
    case "FormulaNumber":
      return { kind: e.kind, value: e.value };
    case "FormulaName":
      return { kind: e.kind, name: e.name };
    case "FormulaUnary":
      return { kind: e.kind, operator: e.operator, operand: shape(e.operand) };
    case "FormulaBinary":
      return { kind: e.kind, operator: e.operator, left: shape(e.left), right: shape(e.right) };
    case "FormulaCall":
      return { kind: e.kind, callee: shape(e.callee), args: e.args.map(shape) };
  }
}

function parsed(text: string): FormulaExpr {
  const { expr, problems } = parseFormula(text);
  expect(problems).toEqual([]);
  return expr!;
}

const reprint = (text: string) => printFormula(parsed(text));

describe("printFormula", () => {
  const formulas = [
    "a",
    "1",
    "0.001",
    "a + b",
    "(a + b) / 2",
    "0.25 * name + 0.25 * email + 0.5 * judge",
    "a - b - c",
    "a - (b - c)",
    "a / b * c",
    "a / (b * c)",
    "a * (b / c)",
    "-a^2",
    "(-a)^2",
    "2^-1",
    "2^-a^2",
    "a ^ b ^ c",
    "(a ^ b) ^ c",
    "-(a + b)",
    "-(a * b)",
    "(-a) * b",
    "--a",
    "a - -b",
    "-2 ^ -2",
    "a ^ (b * c)",
    "a ^ -(b + c)",
    "min(a, -b, c ^ 2)",
    "max(min(a, b), abs(a - b) / 2, sqrt(exp(log(a))))",
    "floor(a * 10) / 10 + ceil(b)",
    "f()",
    "-log(a) ^ 2",
    "((((a))))",
    "1e-7 + 1e21 * .5",
    "1e400",
  ];

  it("round-trips: parse(print(e)) has the structure of e", () => {
    for (const text of formulas) {
      const expr = parsed(text);
      const printed = printFormula(expr);
      expect(shape(parsed(printed)), `${text} printed as ${printed}`).toEqual(shape(expr));
    }
  });

  it("is stable: printing the printed formula gives it back", () => {
    for (const text of formulas) {
      const once = reprint(text);
      expect(reprint(once)).toBe(once);
    }
  });

  it("writes the parentheses the structure needs and no more", () => {
    expect(reprint("((a + b)) / 2")).toBe("(a + b) / 2");
    expect(reprint("(a * b) + c")).toBe("a * b + c");
    expect(reprint("a + (b * c)")).toBe("a + b * c");
    expect(reprint("(a + b) + c")).toBe("a + b + c");
    expect(reprint("a + (b + c)")).toBe("a + (b + c)");
    expect(reprint("(a - b) - c")).toBe("a - b - c");
    expect(reprint("a - (b - c)")).toBe("a - (b - c)");
    expect(reprint("(a / b) * c")).toBe("a / b * c");
    expect(reprint("a / (b * c)")).toBe("a / (b * c)");
    expect(reprint("a ^ (b ^ c)")).toBe("a ^ b ^ c");
    expect(reprint("(a ^ b) ^ c")).toBe("(a ^ b) ^ c");
    expect(reprint("-(a ^ 2)")).toBe("-a ^ 2");
    expect(reprint("(-a) ^ 2")).toBe("(-a) ^ 2");
    expect(reprint("2 ^ (-1)")).toBe("2 ^ -1");
    expect(reprint("(-a) * b")).toBe("-a * b");
    expect(reprint("-(a * b)")).toBe("-(a * b)");
    expect(reprint("a * (-b)")).toBe("a * -b");
    expect(reprint("max((a), (b + c))")).toBe("max(a, b + c)");
  });

  it("prints numbers so they read back the same", () => {
    expect(reprint("1e-3")).toBe("0.001");
    expect(reprint(".5")).toBe("0.5");
    expect(reprint("1e400")).toBe("1e999");
    expect(shape(parsed(reprint("1e400")))).toEqual({ kind: "FormulaNumber", value: Infinity });
  });

  it("prints very long formulas without a stack overflow", () => {
    for (const op of ["+", "-", "*", "/"]) {
      const text = `a${` ${op} b`.repeat(50_000)}`;
      expect(reprint(text)).toBe(text);
    }
  });
});
