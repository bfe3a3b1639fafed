import type { Span } from "../syntax/ast.js";

/** The `calculate_output` expression: numbers, grader keys, operators and function calls. */
export type FormulaExpr = FormulaNumber | FormulaName | FormulaUnary | FormulaBinary | FormulaCall;

export interface FormulaNumber {
  readonly kind: "FormulaNumber";
  readonly value: number;
  readonly span: Span;
}

/** A sub-grader key of the multi grader's `graders` map. */
export interface FormulaName {
  readonly kind: "FormulaName";
  readonly name: string;
  readonly span: Span;
}

export interface FormulaUnary {
  readonly kind: "FormulaUnary";
  readonly operator: "-";
  readonly operand: FormulaExpr;
  readonly span: Span;
}

export type BinaryOperator = "+" | "-" | "*" | "/" | "^";

export interface FormulaBinary {
  readonly kind: "FormulaBinary";
  readonly operator: BinaryOperator;
  readonly left: FormulaExpr;
  readonly right: FormulaExpr;
  readonly span: Span;
}

export interface FormulaCall {
  readonly kind: "FormulaCall";
  readonly callee: FormulaName;
  readonly args: readonly FormulaExpr[];
  readonly span: Span;
}

/**
 * The functions the service documents, with their arity: [min, max] arguments. The object has
 * no prototype, so `FORMULA_FUNCTIONS["constructor"]` is undefined like any other unknown name.
 */
export const FORMULA_FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = Object.assign(Object.create(null) as object, {
  min: [2, Infinity],
  max: [2, Infinity],
  abs: [1, 1],
  floor: [1, 1],
  ceil: [1, 1],
  exp: [1, 1],
  sqrt: [1, 1],
  log: [1, 1],
} as const);

/** Every node of a formula, depth-first. */
export function formulaNodes(expr: FormulaExpr): FormulaExpr[] {
  const out: FormulaExpr[] = [];
  const stack: FormulaExpr[] = [expr];
  while (stack.length) {
    const node = stack.pop()!;
    out.push(node);
    switch (node.kind) {
      case "FormulaUnary":
        stack.push(node.operand);
        break;
      case "FormulaBinary":
        stack.push(node.right, node.left);
        break;
      case "FormulaCall":
        stack.push(...[...node.args].reverse());
        break;
      default:
        break;
    }
  }
  return out;
}
