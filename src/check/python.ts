/*
 * Just enough Python reading to find `def grade(...)` at the top level and check that the
 * service can call it as `grade(sample, item)`; the source is not otherwise interpreted.
 */

export interface GradeFunctionProblem {
  readonly message: string;
  readonly suggestion: string;
  /** The `def grade(...)` signature the problem is about (offsets into the source), if any. */
  readonly at?: { readonly start: number; readonly end: number };
}

/** Skips a string literal starting at `i` (a quote); returns the index after it. */
function skipString(text: string, i: number): number {
  const quote = text[i]!;
  const triple = text.startsWith(quote.repeat(3), i);
  const close = triple ? quote.repeat(3) : quote;
  let j = i + close.length;
  while (j < text.length) {
    const ch = text[j]!;
    if (ch === "\\") j += 2;
    else if (text.startsWith(close, j)) return j + close.length;
    else if (ch === "\n" && !triple) return j; // an unterminated one-line string ends at the line
    else j++;
  }
  return text.length;
}

/**
 * Calls `visit` for each character of `text` outside strings and comments, with the bracket
 * depth before it; stops when `visit` returns true and returns that index.
 */
function scanCode(text: string, from: number, visit: (ch: string, i: number, depth: number) => boolean): number | undefined {
  let depth = 0;
  for (let i = from; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      i = skipString(text, i);
      continue;
    }
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (")]}".includes(ch)) depth--;
    if (visit(ch, i, depth)) return i;
    if ("([{".includes(ch)) depth++;
    i++;
  }
  return undefined;
}

/** The text with its comments blanked out (strings, which may hold `#`, are kept). */
function withoutComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (ch === "#") {
      while (i < text.length && text[i] !== "\n") {
        out += " ";
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Splits a parameter list at top-level commas (brackets, strings and comments may hold commas). */
function splitParameters(text: string): string[] {
  const code = withoutComments(text);
  const parts: string[] = [];
  let from = 0;
  scanCode(code, 0, (ch, i, depth) => {
    if (ch === "," && depth === 0) {
      parts.push(code.slice(from, i));
      from = i + 1;
    }
    return false;
  });
  parts.push(code.slice(from));
  return parts.map((p) => p.trim()).filter((p) => p !== "" && p !== "/");
}

/** The index of the `)` that closes the `(` at `open`, skipping strings and comments. */
function closingParen(source: string, open: number): number | undefined {
  return scanCode(source, open, (ch, _i, depth) => ch === ")" && depth === 0);
}

/** Whether a parameter has a default value: an `=` outside brackets and strings. */
function hasDefault(parameter: string): boolean {
  return scanCode(parameter, 0, (ch, _i, depth) => ch === "=" && depth === 0) !== undefined;
}

export interface GradeDef {
  /** Offset of `def` (or `async`). */
  readonly start: number;
  /** Offset of the `(` that opens the parameters. */
  readonly open: number;
  readonly async: boolean;
  /** At module level: unindented, or only inside `if`/`try`/`with`/... blocks, not a class or function. */
  readonly moduleLevel: boolean;
}

const indentOf = (line: string): number => /^[ \t]*/.exec(line)![0].length;

/** Whether the indented line at `lineIndex` sits inside a `class` or `def` (not only `if`/`try`/...). */
function insideClassOrFunction(lines: readonly string[], lineIndex: number): boolean {
  let indent = indentOf(lines[lineIndex]!);
  for (let i = lineIndex - 1; i >= 0 && indent > 0; i--) {
    const line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    const own = indentOf(line);
    if (own >= indent) continue;
    if (/^\s*(?:async\s+def|def|class)\b/.test(line)) return true;
    indent = own;
  }
  return false;
}

const DEF_GRADE = /([ \t]*)(async[ \t]+)?def[ \t]+grade[ \t]*\(/y;
const isBlank = (c: number): boolean => c === 32 || c === 9;
const isLineBreak = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * The next match of `^([ \t]*)(async[ \t]+)?def[ \t]+grade[ \t]*\(` (multi-line) from `from`:
 * found from the `def`s of the text (indexOf), each tried from its line's start, instead of the
 * pattern tried at every line of a long source.
 */
function nextGradeDef(source: string, from: number): RegExpExecArray | null {
  for (let at = source.indexOf("def", from); at >= 0; at = source.indexOf("def", at + 1)) {
    // Back over blanks, and an `async` with blanks after it, to the start of the line.
    let start = at;
    while (start > 0 && isBlank(source.charCodeAt(start - 1))) start--;
    if (start < at && start >= 5 && source.startsWith("async", start - 5)) {
      start -= 5;
      while (start > 0 && isBlank(source.charCodeAt(start - 1))) start--;
    }
    if (start < from || (start > 0 && !isLineBreak(source.charCodeAt(start - 1)))) continue;
    DEF_GRADE.lastIndex = start;
    const m = DEF_GRADE.exec(source);
    if (m) return m;
  }
  return null;
}

export function gradeDefs(source: string): GradeDef[] {
  let lines: string[] | undefined; // split only when needed: an indented def
  const defs: GradeDef[] = [];
  let line = 0;
  let lineStart = 0;
  for (let m = nextGradeDef(source, 0); m; m = nextGradeDef(source, m.index + m[0].length)) {
    if (m[1] !== "") {
      lines ??= source.split("\n");
      while (lineStart + lines[line]!.length < m.index) lineStart += lines[line++]!.length + 1;
    }
    defs.push({
      start: m.index + m[1]!.length,
      open: m.index + m[0].length - 1,
      async: m[2] !== undefined,
      moduleLevel: m[1] === "" || !insideClassOrFunction(lines!, line),
    });
  }
  return defs;
}

/** Why the source has no valid top-level `grade(sample, item)`, or undefined when it has one. */
export function gradeFunctionProblem(source: string): GradeFunctionProblem | undefined {
  const fix = "define `def grade(sample, item) -> float:` at the top level";
  const defs = gradeDefs(source);
  const topLevel = defs.filter((d) => d.moduleLevel);
  if (topLevel.length === 0) {
    const nested = defs[0];
    if (nested) {
      return {
        message: "`def grade` must be at the top level, not inside a class or function",
        suggestion: fix,
        at: { start: nested.start, end: nested.open + 1 },
      };
    }
    return { message: "the python source has no `def grade(sample, item)`", suggestion: fix };
  }
  // As in Python, the last definition is the one the service calls.
  const def = topLevel[topLevel.length - 1]!;
  const close = closingParen(source, def.open);
  const at = { start: def.start, end: close === undefined ? def.open + 1 : close + 1 };
  if (def.async) return { message: "`grade` must be a plain function, not `async def`", suggestion: fix, at };
  if (close === undefined) return { message: "the parameter list of `def grade(` is not closed", suggestion: fix, at };

  const list = splitParameters(source.slice(def.open + 1, close));
  const starAt = list.findIndex((p) => p.startsWith("*"));
  const positional = starAt === -1 ? list : list.slice(0, starAt);
  const rest = starAt === -1 ? [] : list.slice(starAt);
  const plural = (n: number): string => `${n} parameter${n === 1 ? "" : "s"}`;
  if (positional.length < 2) {
    if (rest.length > 0) {
      return { message: "`grade` must take `sample` and `item` as two positional parameters, as in `(sample, item)`", suggestion: fix, at };
    }
    return { message: `\`grade\` takes ${plural(list.length)}; the service calls it with exactly two, \`(sample, item)\``, suggestion: fix, at };
  }
  // The service passes two arguments: any further parameter needs a default (or is `*args`/`**kwargs`).
  const required = [...positional.slice(2), ...rest].filter((p) => !p.startsWith("*") && !hasDefault(p));
  if (required.length > 0) {
    const count = 2 + required.length;
    const all = list.filter((p) => p !== "*").length === count;
    return {
      message: `\`grade\` takes ${plural(count)}${all ? "" : " without a default"}; the service calls it with exactly two, \`(sample, item)\``,
      suggestion: `${fix}; further parameters need a default value`,
      at,
    };
  }
  return undefined;
}
