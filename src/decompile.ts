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
  const filename = options.filename ?? "grader.json";
  // A grader only the evals target accepts (a top-level label_model, say) is checked and marked as one.
  const targetFindings = (target: "rft" | "evals") => check(json, { filename, target }).diagnostics;
  const rft = targetFindings("rft");
  const evalsOnly = rft.some((d) => d.rule === "target") && !targetFindings("evals").some((d) => d.rule === "target");
  const findings = evalsOnly ? targetFindings("evals") : rft;
  if (!parsed.document?.grader || parsed.diagnostics.some((d) => d.severity === "error")) {
    return { text: undefined, diagnostics: findings };
  }
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
