import { check } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderGithub } from "../diagnostics/render-github.js";
import { renderJson } from "../diagnostics/render-json.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import type { Target } from "../schema/graders.js";
import { colors, expandInputs, readInput, useColor } from "./io.js";

export interface CheckCommandOptions {
  readonly target?: Target | undefined;
  readonly format: "pretty" | "json" | "github";
  readonly maxWarnings?: number | undefined;
}

/** `grade check`: every finding of every input; exit 0, 1 (errors or too many warnings) or 2. */
export async function checkCommand(paths: readonly string[], options: CheckCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths);
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    const source = await readInput(input);
    sources.set(input.label, source.text);
    if (source.encoding) diagnostics.push(source.encoding);
    const result = check(source.text, { ...(options.target ? { target: options.target } : {}), filename: input.path, root: process.cwd() });
    diagnostics.push(...result.diagnostics.map((d) => ({ ...d, file: input.label })));
  }
  const sourceOf = (file: string | undefined) => (file === undefined ? undefined : sources.get(file));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;

  if (options.format === "json") process.stdout.write(`${renderJson(diagnostics, sourceOf)}\n`);
  else if (options.format === "github") {
    if (diagnostics.length) process.stdout.write(`${renderGithub(diagnostics, sourceOf)}\n`);
  } else {
    const c = colors(process.stdout);
    if (diagnostics.length) process.stdout.write(renderPretty(diagnostics, sourceOf, { color: useColor(process.stdout) }) + "\n");
    const files = `${inputs.length} file${inputs.length === 1 ? "" : "s"}`;
    const summary =
      errors + warnings === 0
        ? c.green(`✔ ${files} checked, no findings`)
        : `${errors ? c.red(`✖ ${errors} error${errors === 1 ? "" : "s"}`) : c.yellow("⚠ 0 errors")}, ${warnings} warning${warnings === 1 ? "" : "s"} in ${files}`;
    process.stdout.write(`${summary}\n`);
    if (tooManyWarnings) process.stdout.write(`${c.red(`✖ ${warnings} warnings exceed --max-warnings ${options.maxWarnings}`)}\n`);
  }
  return errors > 0 || tooManyWarnings ? 1 : 0;
}
