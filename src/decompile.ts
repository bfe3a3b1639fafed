import { isDeepStrictEqual } from "node:util";
import { check } from "./compile.js";
import type { Diagnostic } from "./diagnostics/diagnostic.js";
import { parseGraderJson } from "./emit/decompile.js";
import { emitGrader } from "./emit/emit.js";
import { parse } from "./syntax/parse.js";

export interface DecompileResult {
  /** The `.grade` text; absent when the JSON holds no grader (see `diagnostics`). */
  readonly text: string | undefined;
  /** Findings about the JSON itself (positions in the JSON text). */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Grader JSON (or a request body with a `grader` key) → formatted `.grade` text that compiles
 * back to the same JSON. The result is verified: a grader that would not come back deep-equal
 * is reported rather than printed.
 */
export async function decompile(json: string, options: { filename?: string } = {}): Promise<DecompileResult> {
  const parsed = parseGraderJson(json);
  if (!parsed.document?.grader) return { text: undefined, diagnostics: notJson(json) ?? parsed.diagnostics };
  // The text is checked as JSON whatever the file is named (`grader.grade` holding JSON, say).
  const filename = options.filename?.toLowerCase().endsWith(".json") ? options.filename : `${options.filename ?? "grader"}.json`;
  // A grader only the evals target accepts (a top-level label_model, say) is checked and marked as one.
  const targetFindings = (target: "rft" | "evals"): Diagnostic[] =>
    check(json, { filename, target }).diagnostics.map(({ file: _checked, ...d }) => (options.filename === undefined ? d : { ...d, file: options.filename }));
  const rft = targetFindings("rft");
  const evalsOnly = rft.some((d) => d.rule === "target") && !targetFindings("evals").some((d) => d.rule === "target");
  const findings = evalsOnly ? targetFindings("evals") : rft;
  if (parsed.diagnostics.some((d) => d.severity === "error")) return { text: undefined, diagnostics: findings };
  const [{ default: prettier }, plugin] = await Promise.all([import("prettier"), import("./format/plugin.js")]);
  const printed = await prettier.format(json, { parser: "grade-json", plugins: [plugin] });
  const text = evalsOnly ? `// @target evals\n${printed}` : printed;

  const original = JSON.parse(json) as Record<string, unknown>;
  const expected = "grader" in original && !("type" in original) ? original["grader"] : original;
  const back = parse(text).document.grader;
  const json2 = back ? emitGrader(back, { readFile: () => ({ ok: false, message: "" }) }).json : undefined;
  if (!isDeepStrictEqual(json2, expected)) {
    const span = { start: 0, end: 0 };
    const bug: Diagnostic = {
      rule: "syntax",
      severity: "error",
      message: "this grader cannot be written in .grade exactly yet (a gradelang bug: please report it with the JSON)",
      span,
    };
    return { text: undefined, diagnostics: [...findings, bug] };
  }
  return { text, diagnostics: findings };
}

/** The finding for `.grade` text given to decompile (a grader parses from it), else undefined. */
function notJson(text: string): Diagnostic[] | undefined {
  if (/^\uFEFF?\s*[{[]/.test(text)) return undefined;
  const grade = parse(text);
  if (!grade.document.grader || grade.diagnostics.some((d) => d.severity === "error")) return undefined;
  return [
    {
      rule: "syntax",
      severity: "error",
      message: "this is .grade text, not grader JSON: `grade decompile` turns JSON into .grade; `grade compile` goes the other way",
      // The grader's header: `string_check "name"`.
      span: { start: grade.document.grader.span.start, end: (grade.document.grader.name ?? grade.document.grader.type).span.end },
    },
  ];
}
