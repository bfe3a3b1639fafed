import type { FormulaExpr } from "./ast.js";

const PRECEDENCE = { "+": 1, "-": 1, "*": 2, "/": 2, unary: 3, "^": 4 } as const;

/** Prints a formula with the parentheses its structure needs and no more. */
export function printFormula(expr: FormulaExpr): string {
  const print = (e: FormulaExpr, parent: number, rightOfPower = false): string => {
    switch (e.kind) {
      case "FormulaNumber":
        return String(e.value);
      case "FormulaName":
        return e.name;
      case "FormulaCall":
        return `${e.callee.name}(${e.args.map((a) => print(a, 0)).join(", ")})`;
      case "FormulaUnary": {
        const text = `-${print(e.operand, PRECEDENCE.unary)}`;
        return parent > PRECEDENCE.unary && !rightOfPower ? `(${text})` : text;
      }
      case "FormulaBinary": {
        const p = PRECEDENCE[e.operator];
        const left = print(e.left, e.operator === "^" ? p + 1 : p);
        const right = e.operator === "^" ? print(e.right, p, true) : print(e.right, p + 1);
        const text = `${left} ${e.operator} ${right}`;
        return p < parent ? `(${text})` : text;
      }
    }
  };
  return print(expr, 0);
}
