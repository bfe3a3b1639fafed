import { FORMULA_FUNCTIONS, type FormulaBinary, type FormulaCall, type FormulaExpr } from "./ast.js";
import { printFormula } from "./print.js";

/*
 * Evaluates a `calculate_output` formula (the AST of parse.ts) with the sub-graders' rewards.
 * Choices the service leaves undocumented (see src/engine/README.md): division by zero, `log`
 * of a number <= 0, `sqrt` of a negative number and any NaN or infinite intermediate result are
 * errors with a message, not an `Infinity`/`NaN` reward; `log` is the natural logarithm; a `-0`
 * result is returned as `0`.
 */

export type FormulaEvaluation =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly error: string };

class EvaluationError extends Error {}

const fail = (message: string): never => {
  throw new EvaluationError(message);
};

/** A number for messages: `-1`, `0.5`, `1e+308`; `-0` prints as `0`. */
const show = (n: number): string => String(n);

/** Text of the node for messages, `a / b`; short enough for one line. */
function quote(expr: FormulaExpr): string {
  const text = printFormula(expr);
  return `\`${text.length > 60 ? `${text.slice(0, 57)}...` : text}\``;
}

function finite(value: number, expr: FormulaExpr): number {
  if (Number.isNaN(value)) fail(`${quote(expr)} is not a real number`);
  if (!Number.isFinite(value)) fail(`${quote(expr)} is too large (the result is not a finite number)`);
  return value;
}

function binary(node: FormulaBinary, left: number, right: number): number {
  switch (node.operator) {
    case "+":
      return finite(left + right, node);
    case "-":
      return finite(left - right, node);
    case "*":
      return finite(left * right, node);
    case "/":
      if (right === 0) fail(`division by zero in ${quote(node)}`);
      return finite(left / right, node);
    case "^":
      if (left === 0 && right < 0) fail(`0 raised to a negative power in ${quote(node)}`);
      if (left < 0 && !Number.isInteger(right))
        fail(`negative number ${show(left)} raised to the non-integer power ${show(right)} in ${quote(node)}`);
      return finite(left ** right, node);
  }
}

function call(node: FormulaCall, args: readonly number[]): number {
  const name = node.callee.name;
  const arity = FORMULA_FUNCTIONS[name];
  if (!arity) return fail(`unknown function \`${name}\``);
  const [least, most] = arity;
  if (args.length < least || args.length > most) {
    const wanted = least === most ? `${least} argument${least === 1 ? "" : "s"}` : `at least ${least} arguments`;
    fail(`\`${name}\` takes ${wanted}, got ${args.length}`);
  }
  const x = args[0]!;
  switch (name) {
    case "min":
      return Math.min(...args);
    case "max":
      return Math.max(...args);
    case "abs":
      return Math.abs(x);
    case "floor":
      return Math.floor(x);
    case "ceil":
      return Math.ceil(x);
    case "exp":
      return finite(Math.exp(x), node);
    case "sqrt":
      if (x < 0) fail(`\`sqrt\` of a negative number (${show(x)}) in ${quote(node)}`);
      return Math.sqrt(x);
    case "log":
      if (x <= 0) fail(`\`log\` of ${x === 0 ? "zero" : `a negative number (${show(x)})`} in ${quote(node)}`);
      return finite(Math.log(x), node);
    default:
      return fail(`unknown function \`${name}\``);
  }
}

/**
 * Computes the formula's value; `values` maps the `graders` keys to their rewards. Never throws:
 * every failure is `{ ok: false, error }` with a message naming the cause.
 */
export function evaluateFormula(expr: FormulaExpr, values: Readonly<Record<string, number>>): FormulaEvaluation {
  const evaluate = (e: FormulaExpr): number => {
    switch (e.kind) {
      case "FormulaNumber":
        if (!Number.isFinite(e.value)) fail(`the number ${printFormula(e)} is too large`);
        return e.value;
      case "FormulaName": {
        if (!Object.hasOwn(values, e.name)) fail(`unknown name \`${e.name}\`: it is not one of the graders' keys`);
        const value = values[e.name];
        if (typeof value !== "number" || !Number.isFinite(value))
          fail(`the value of \`${e.name}\` is not a finite number (${String(value)})`);
        return value!;
      }
      case "FormulaUnary":
        return -evaluate(e.operand);
      case "FormulaCall": {
        // The function is checked before its arguments: `foo(1/0)` reports `foo`.
        if (!FORMULA_FUNCTIONS[e.callee.name]) fail(`unknown function \`${e.callee.name}\``);
        return call(e, e.args.map(evaluate));
      }
      case "FormulaBinary": {
        if (e.operator === "^") return binary(e, evaluate(e.left), evaluate(e.right));
        // The left spine of `a + b + c + ...` is walked in a loop, so long formulas need no deep recursion.
        const chain: FormulaBinary[] = [];
        let left: FormulaExpr = e;
        while (left.kind === "FormulaBinary" && left.operator !== "^") {
          chain.push(left);
          left = left.left;
        }
        let value = evaluate(left);
        for (let i = chain.length - 1; i >= 0; i--) value = binary(chain[i]!, value, evaluate(chain[i]!.right));
        return value;
      }
    }
  };
  try {
    const value = evaluate(expr);
    return { ok: true, value: value === 0 ? 0 : value };
  } catch (error) {
    if (error instanceof EvaluationError) return { ok: false, error: error.message };
    if (error instanceof RangeError) return { ok: false, error: "the formula is nested too deeply to evaluate" };
    return { ok: false, error: `the formula could not be evaluated: ${String(error)}` };
  }
}
