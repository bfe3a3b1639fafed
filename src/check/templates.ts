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
}

const PATH = /^([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)$/;
const SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;

/** Parses a template path (`item.a[0].b`) into namespace and segments. */
export function parseTemplatePath(path: string): { namespace: string; segments: PathSegment[] } | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const segments: PathSegment[] = [];
  for (const s of m[2]!.matchAll(SEGMENT)) {
    segments.push(s[1] !== undefined ? { kind: "field", name: s[1] } : { kind: "index", index: Number(s[2]) });
  }
  return { namespace: m[1]!, segments };
}

export function printTemplatePath(namespace: string, segments: readonly PathSegment[]): string {
  return namespace + segments.map((s) => (s.kind === "field" ? `.${s.name}` : `[${s.index}]`)).join("");
}

/** Finds every `{{ ... }}` in a string, with the problems of the malformed ones. */
export function scanTemplates(text: string): { refs: TemplateRef[]; problems: TemplateProblem[] } {
  const refs: TemplateRef[] = [];
  const problems: TemplateProblem[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf("{{", from);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) {
      problems.push({
        message: "`{{` is never closed with `}}`",
        start: open,
        end: open + 2,
        suggestion: "close the template, as in `{{item.answer}}`",
      });
      break;
    }
    const inner = text.slice(open + 2, close);
    const lead = inner.length - inner.trimStart().length;
    const path = inner.trim();
    const pathStart = open + 2 + lead;
    const pathEnd = pathStart + path.length;
    if (path === "") {
      problems.push({ message: "empty template `{{ }}`", start: open, end: close + 2, suggestion: "name a variable, as in `{{item.answer}}`" });
    } else if (inner.includes("{{")) {
      problems.push({ message: "`{{` opens a template inside another one", start: open, end: close + 2 });
    } else {
      const parsed = parseTemplatePath(path);
      if (!parsed) {
        problems.push({
          message: `\`{{${inner}}}\` is not a template path; write \`namespace.field\`, with \`[n]\` for list items`,
          start: open,
          end: close + 2,
        });
      } else if (parsed.segments.length === 0) {
        problems.push({
          message: `\`{{${inner}}}\` names a namespace but no variable`,
          start: pathStart,
          end: pathEnd,
          suggestion: `name a variable inside it, as in \`{{${path}.answer}}\``,
        });
      } else {
        refs.push({ path, namespace: parsed.namespace, segments: parsed.segments, start: pathStart, end: pathEnd });
      }
    }
    from = close + 2;
    if (text.startsWith("}}", from)) {
      let end = from;
      while (text[end] === "}") end++;
      problems.push({ message: "extra `}` after the template", start: from, end, suggestion: "remove them" });
      from = end;
    }
  }
  return { refs, problems };
}
