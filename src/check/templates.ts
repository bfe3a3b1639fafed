/*
 * Template variables inside grader strings: `{{ item.answer }}`, `{{sample.output_tools[0].id}}`.
 * Whitespace inside the braces is allowed, as in the service's own examples.
 */

export type PathSegment = { readonly kind: "field"; readonly name: string } | { readonly kind: "index"; readonly index: number };

export interface TemplateRef {
  /** The path as written inside the braces, trimmed. */
  readonly path: string;
  readonly namespace: string;
  readonly segments: readonly PathSegment[];
  /** Indices in the string of the path (inside the braces). */
  readonly start: number;
  readonly end: number;
}

export interface TemplateProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
  readonly suggestion?: string;
  /** Text that may replace the problem's characters to apply the suggestion. */
  readonly replacement?: string;
  /** A likely slip rather than a broken template (single braces): reported as a warning. */
  readonly severity?: "warning";
}

/** The fields of `sample` the service fills (see `builtinSample` in namespaces.ts). */
const SAMPLE_FIELDS: readonly string[] = ["output_text", "output_json", "output_tools", "choices", "output_audio"];

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Parses a template path (`item.a[0].b`) into namespace and segments: a name, then `.name` or
 * `[digits]` segments, nothing else (`^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[\d+\])*$`, scanned by hand).
 */
export function parseTemplatePath(path: string): { namespace: string; segments: PathSegment[] } | undefined {
  // The same paths come back in file after file (`sample.output_text`): parsed once, shared
  // (the results are never changed by their users). A bounded cache.
  const known = parsedPaths.get(path);
  if (known !== undefined || parsedPaths.has(path)) return known;
  const parsed = scanPath(path);
  if (parsedPaths.size >= 4096) parsedPaths.clear();
  parsedPaths.set(path, parsed);
  return parsed;
}

const parsedPaths = new Map<string, { namespace: string; segments: PathSegment[] } | undefined>();

function scanPath(path: string): { namespace: string; segments: PathSegment[] } | undefined {
  const n = path.length;
  if (n === 0 || !isNameStart(path.charCodeAt(0))) return undefined;
  let i = 1;
  while (i < n && isNameChar(path.charCodeAt(i))) i++;
  const namespace = path.slice(0, i);
  const segments: PathSegment[] = [];
  while (i < n) {
    const c = path.charCodeAt(i);
    if (c === 46) {
      // `.name`
      const start = i + 1;
      if (start >= n || !isNameStart(path.charCodeAt(start))) return undefined;
      let end = start + 1;
      while (end < n && isNameChar(path.charCodeAt(end))) end++;
      segments.push({ kind: "field", name: path.slice(start, end) });
      i = end;
    } else if (c === 91) {
      // `[digits]`
      const start = i + 1;
      let end = start;
      while (end < n && isDigit(path.charCodeAt(end))) end++;
      if (end === start || path.charCodeAt(end) !== 93) return undefined;
      segments.push({ kind: "index", index: Number(path.slice(start, end)) });
      i = end + 1;
    } else return undefined;
  }
  return { namespace, segments };
}

export function printTemplatePath(namespace: string, segments: readonly PathSegment[]): string {
  return namespace + segments.map((s) => (s.kind === "field" ? `.${s.name}` : `[${s.index}]`)).join("");
}

/** How many `}` start at `from`. */
function closersAt(text: string, from: number): number {
  let end = from;
  while (text.charCodeAt(end) === 125) end++;
  return end - from;
}

/** The first `brace` at or after `from`; the text's length when there is none. */
function braceAt(text: string, brace: string, from: number): number {
  const at = text.indexOf(brace, from);
  return at < 0 ? text.length : at;
}

const NOTHING: { refs: TemplateRef[]; problems: TemplateProblem[] } = Object.freeze({ refs: Object.freeze([]) as unknown as TemplateRef[], problems: Object.freeze([]) as unknown as TemplateProblem[] });

/** Finds every `{{ ... }}` in a string, with the problems of the malformed ones. */
export function scanTemplates(text: string): { refs: TemplateRef[]; problems: TemplateProblem[] } {
  // No brace, nothing to find (most strings): one answer for all.
  if (!text.includes("{") && !text.includes("}")) return NOTHING;
  // Made on first need (most strings have a ref or two, and no problem).
  let refs: TemplateRef[] | undefined;
  let problems: TemplateProblem[] | undefined;
  // Single braces are literal text (JSON in a prompt: `{"a": {"b": {{item.x}}}}`); `depth` counts
  // the open ones, so the `}` that close them are not taken for extra template braces.
  let depth = 0;
  let i = 0;
  const n = text.length;
  // The next `{` and `}` at or after `i` (n when none): the text between braces is skipped whole.
  let nextOpen = -1;
  let nextClose = -1;
  while (i < n) {
    if (nextOpen < i) nextOpen = braceAt(text, "{", i);
    if (nextClose < i) nextClose = braceAt(text, "}", i);
    i = nextOpen < nextClose ? nextOpen : nextClose;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === 125) {
      const run = closersAt(text, i);
      const excess = run - Math.min(run, depth);
      depth -= run - excess;
      if (excess >= 2) {
        (problems ??= []).push({ message: "`}}` closes no template", start: i + run - excess, end: i + run, suggestion: "remove it, or open the template with `{{`" });
      }
      i += run;
      continue;
    }
    if (c !== 123) {
      i++;
      continue;
    }
    let j = i;
    while (text.charCodeAt(j) === 123) j++; // `{`
    if (j - i === 1) {
      // `{sample.output_text}`: a template with one brace each side is literal text to the
      // service, almost always a slip for `{{sample.output_text}}`.
      const single = /^\{\s*((?:item|sample)(?:\.[A-Za-z_]\w*|\[\d+\])+)\s*\}(?!\})/.exec(text.slice(i, i + 256));
      // Not inside other single braces: there it is literal JSON-like text (`{ {item.a} }`).
      if (single && depth === 0) {
        (problems ??= []).push({
          message: `\`${single[0]}\` looks like a template, but templates take two braces: this is literal text`,
          start: i,
          end: i + single[0].length,
          suggestion: `write \`{{${single[1]}}}\``,
          replacement: `{{${single[1]}}}`,
          severity: "warning",
        });
      }
      depth++;
      i = j;
      continue;
    }
    const close = text.indexOf("}}", j);
    if (close < 0) {
      (problems ??= []).push({
        message: "`{{` is never closed with `}}`",
        start: j - 2,
        end: j,
        suggestion: "close the template, as in `{{item.answer}}`",
      });
      break;
    }
    let after = close + 2;
    const trailing = Math.min(closersAt(text, after), j - i - 2);
    if (trailing > 0) {
      // `{{{item.a}}}`: Mustache's unescaped form; the service substitutes only `{{ }}`.
      after += trailing;
      const inner = text.slice(j, close).trim();
      (problems ??= []).push({
        message: `\`${text.slice(i, after)}\` has ${j - i} opening braces; a template has two`,
        start: i,
        end: after,
        ...(parseTemplatePath(inner) ? { suggestion: `write \`{{${inner}}}\``, replacement: `{{${inner}}}` } : {}),
      });
      i = after;
      continue;
    }
    // `{ {{item.a}} }` written without spaces: the braces before the last two are literal text.
    depth += j - i - 2;
    const inner = text.slice(j, close);
    const lead = inner.length - inner.trimStart().length;
    const path = inner.trim();
    const pathStart = j + lead;
    const pathEnd = pathStart + path.length;
    if (path === "") {
      (problems ??= []).push({ message: "empty template `{{ }}`", start: j - 2, end: close + 2, suggestion: "name a variable, as in `{{item.answer}}`" });
    } else if (inner.includes("{{")) {
      (problems ??= []).push({
        message: "`{{` opens a template inside another one",
        start: j - 2,
        end: close + 2,
        suggestion: "close the first template with `}}` before opening the next",
      });
    } else {
      const parsed = parseTemplatePath(path);
      if (!parsed) {
        const compact = path.replace(/\s*([.[\]])\s*/g, "$1");
        (problems ??= []).push({
          message: `\`{{${inner}}}\` is not a template path; write \`namespace.field\`, with \`[n]\` for list items`,
          start: j - 2,
          end: close + 2,
          ...(compact !== path && parseTemplatePath(compact) ? { suggestion: `did you mean \`{{${compact}}}\`? (no spaces inside a path)`, replacement: `{{${compact}}}` } : {}),
        });
      } else if (parsed.segments.length === 0 && (path === "item" || path === "sample")) {
        (problems ??= []).push({
          message: `\`{{${inner}}}\` names a namespace but no variable`,
          start: pathStart,
          end: pathEnd,
          suggestion: `name a variable inside it, as in \`{{${path}.${path === "item" ? "answer" : "output_text"}}}\``,
        });
      } else if (parsed.segments.length === 0) {
        // `{{output_text}}`: a bare name, with no namespace before it.
        const sampleField = SAMPLE_FIELDS.includes(path);
        (problems ??= []).push({
          message: `\`{{${inner}}}\` has no namespace; templates read \`item.<field>\` (the dataset row) or \`sample.<field>\` (the model's output)`,
          start: pathStart,
          end: pathEnd,
          suggestion: sampleField ? `did you mean \`sample.${path}\`?` : `did you mean \`item.${path}\`?`,
          replacement: `${sampleField ? "sample" : "item"}.${path}`,
        });
      } else {
        (refs ??= []).push({ path, namespace: parsed.namespace, segments: parsed.segments, start: pathStart, end: pathEnd });
      }
    }
    const run = closersAt(text, after);
    const excess = run - Math.min(run, depth);
    depth -= run - excess;
    if (excess > 0) {
      const extra = "}".repeat(excess);
      (problems ??= []).push({ message: `extra \`${extra}\` after the template`, start: after, end: after + excess, suggestion: excess === 1 ? "remove it" : "remove them" });
    }
    i = after + run;
  }
  return refs === undefined && problems === undefined ? NOTHING : { refs: refs ?? NOTHING.refs, problems: problems ?? NOTHING.problems };
}
