import type { FormulaBinary, FormulaExpr } from "./ast.js";

const PRECEDENCE = { "+": 1, "-": 1, "*": 2, "/": 2, unary: 3, "^": 4 } as const;

/** A number as the formula parser reads it back (`Infinity` is no number literal). */
function printNumber(value: number): string {
  if (value === Infinity) return "1e999";
  return String(value);
}

/**
 * Prints a formula with the parentheses its structure needs and no more. A long chain of
 * left-associative operators (`a + b + c + ...`) is printed in a loop, so formulas of any
 * length print without deep recursion.
 */
export function printFormula(expr: FormulaExpr): string {
  const print = (e: FormulaExpr, parent: number, rightOfPower = false): string => {
    switch (e.kind) {
      case "FormulaNumber":
        return printNumber(e.value);
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
        let text: string;
        if (e.operator === "^") {
          // Right-associative: the left operand needs parentheses at the same level, the right does not.
          text = `${print(e.left, p + 1)} ^ ${print(e.right, p, true)}`;
        } else {
          // The left spine of operators of the same level prints without parentheses.
          const chain: FormulaBinary[] = [];
          let left: FormulaExpr = e;
          while (left.kind === "FormulaBinary" && left.operator !== "^" && PRECEDENCE[left.operator] === p) {
            chain.push(left);
            left = left.left;
          }
          const parts = [print(left, p)];
          for (let i = chain.length - 1; i >= 0; i--)
            parts.push(` ${chain[i]!.operator} ${print(chain[i]!.right, p + 1)}`);
          text = parts.join("");
        }
        return p < parent ? `(${text})` : text;
      }
    }
  };
  return print(expr, 0);
}
