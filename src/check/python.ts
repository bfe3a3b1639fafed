/*
 * Just enough Python reading to find `def grade(...)` at the top level and count its
 * parameters; the source is not otherwise interpreted.
 */

export interface GradeFunctionProblem {
  readonly message: string;
  readonly suggestion: string;
}

/** Splits a parameter list at top-level commas (brackets and strings may hold commas). */
function splitParameters(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      current += ch;
      if (ch === "\\") current += text[++i] ?? "";
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth--;
    else if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts.filter((p) => p !== "" && p !== "/");
}

/** The text between the `(` at `open` and its matching `)`, or undefined when unbalanced. */
function parenthesised(source: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i];
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return source.slice(open + 1, i);
  }
  return undefined;
}

/** Why the source has no valid top-level `grade(sample, item)`, or undefined when it has one. */
export function gradeFunctionProblem(source: string): GradeFunctionProblem | undefined {
  const fix = "define `def grade(sample, item) -> float:` at the top level";
  const defs = [...source.matchAll(/^(?:async\s+)?def\s+grade\s*\(/gm)];
  if (defs.length === 0) {
    const nested = /^[ \t]+def\s+grade\s*\(/m.test(source);
    return {
      message: nested ? "`def grade` must be at the top level, not inside a class or function" : "the python source has no `def grade(sample, item)`",
      suggestion: fix,
    };
  }
  const last = defs[defs.length - 1]!;
  if (last[0].startsWith("async")) return { message: "`grade` must be a plain function, not `async def`", suggestion: fix };
  const params = parenthesised(source, last.index + last[0].length - 1);
  if (params === undefined) return { message: "the parameter list of `def grade(` is not closed", suggestion: fix };
  const list = splitParameters(params);
  if (list.some((p) => p.startsWith("*"))) {
    return { message: "`grade` must take exactly two positional parameters, `(sample, item)`", suggestion: fix };
  }
  if (list.length !== 2) {
    return { message: `\`grade\` takes ${list.length} parameter${list.length === 1 ? "" : "s"}; the service calls it with exactly two, \`(sample, item)\``, suggestion: fix };
  }
  return undefined;
}
