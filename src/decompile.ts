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
export async function decompile(json: string, options: { filename?: string; target?: "rft" | "evals" } = {}): Promise<DecompileResult> {
  const parsed = parseGraderJson(json);
  if (!parsed.document?.grader) return { text: undefined, diagnostics: notJson(json) ?? parsed.diagnostics };
  // The text is checked as JSON whatever the file is named (`grader.grade` holding JSON, say).
  const filename = options.filename?.toLowerCase().endsWith(".json") ? options.filename : `${options.filename ?? "grader"}.json`;
  // A grader only the evals target accepts (a top-level label_model, say) is checked and marked as one.
  const targetFindings = (target: "rft" | "evals"): Diagnostic[] =>
    check(json, { filename, target }).diagnostics.map(({ file: _checked, ...d }) => (options.filename === undefined ? d : { ...d, file: options.filename }));
  const rft = targetFindings("rft");
  const evalsOnly =
    options.target === "evals" || (rft.some((d) => d.rule === "target") && !targetFindings("evals").some((d) => d.rule === "target"));
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

/** A grader found in a JSON document, and where. */
export interface FoundGrader {
  /** JSON pointer of the grader in the document (`` for the document itself). */
  readonly pointer: string;
  /** The grader object. */
  readonly grader: unknown;
  /** The name to give its .grade file: the grader's `name`, else its place (`criterion-2`). */
  readonly name: string | undefined;
  /** The target the place implies: Evals criteria are evals graders. */
  readonly target: "rft" | "evals" | undefined;
}

/** What a JSON document holding graders is, and the graders it holds. */
export interface FoundGraders {
  /** What the document is, in words: "a fine-tuning job body (`method.reinforcement.grader`)". */
  readonly container: string;
  readonly graders: readonly FoundGrader[];
  /** True when the document is a grader or a request body, which `decompile()` reads as it is. */
  readonly direct: boolean;
}

const KINDS = new Set(["string_check", "text_similarity", "python", "score_model", "label_model", "multi"]);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Finds the graders in a JSON value: a grader, a `/graders/run` or `/validate` request body
 * (`grader`), a fine-tuning job body (`method.reinforcement.grader`), a fine-tuning `method`
 * object (`reinforcement.grader`), an Evals body (`testing_criteria[]`) or a `testing_criteria`
 * array. Undefined when it is none of them.
 */
export function findGraders(value: unknown): FoundGraders | undefined {
  const criteria = (list: readonly unknown[], base: string, container: string): FoundGraders => ({
    container,
    direct: false,
    graders: list.map((grader, i) => ({
      pointer: `${base}/${i}`,
      grader,
      name: isObject(grader) && typeof grader["name"] === "string" && grader["name"].trim() !== "" ? grader["name"] : `criterion-${i + 1}`,
      target: "evals",
    })),
  });
  if (Array.isArray(value)) {
    return value.length > 0 && value.every((g) => isObject(g) && typeof g["type"] === "string") ? criteria(value, "", "a `testing_criteria` array") : undefined;
  }
  if (!isObject(value)) return undefined;
  const one = (pointer: string, grader: unknown, container: string, direct = false): FoundGraders => ({
    container,
    direct,
    graders: [{ pointer, grader, name: undefined, target: undefined }],
  });
  if (typeof value["type"] === "string" && KINDS.has(value["type"])) return one("", value, "a grader", true);
  if ("grader" in value && !("type" in value)) return one("/grader", value["grader"], "a request body (`grader`)", true);
  const method = value["method"];
  if (isObject(method) && isObject(method["reinforcement"]) && "grader" in method["reinforcement"]) {
    return one("/method/reinforcement/grader", method["reinforcement"]["grader"], "a fine-tuning job body (`method.reinforcement.grader`)");
  }
  if (value["type"] === "reinforcement" && isObject(value["reinforcement"]) && "grader" in value["reinforcement"]) {
    return one("/reinforcement/grader", value["reinforcement"]["grader"], "a fine-tuning `method` object (`reinforcement.grader`)");
  }
  if (Array.isArray(value["testing_criteria"])) {
    return criteria(value["testing_criteria"], "/testing_criteria", "an Evals body (`testing_criteria`)");
  }
  return undefined;
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
