import * as fs from "node:fs";
import * as path from "node:path";
import type { DatasetGrader } from "../check/dataset.js";
import { check } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderGithub } from "../diagnostics/render-github.js";
import { renderJson } from "../diagnostics/render-json.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import type { Target } from "../schema/graders.js";
import { createRequire } from "node:module";
import { colors, describeIoError, expandInputs, readInput, UsageError, useColor } from "./io.js";

export interface CheckCommandOptions {
  readonly target?: Target | undefined;
  readonly format: "pretty" | "json" | "github" | "sarif";
  readonly maxWarnings?: number | undefined;
  /** A JSONL dataset to check the graders against (`--items`). */
  readonly items?: string | undefined;
}

/** The `--items` file, checked readable before any work: a missing one is a usage error (exit 2). */
export function datasetFile(items: string): { path: string; label: string } {
  const abs = path.resolve(items);
  try {
    if (fs.statSync(abs).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    fs.accessSync(abs, fs.constants.R_OK);
  } catch (error) {
    throw new UsageError(`cannot read the dataset \`${items}\` (--items): ${describeIoError(error)}`);
  }
  return { path: abs, label: path.relative(process.cwd(), abs) || abs };
}

/**
 * Checks the dataset against every grader in one streaming pass. Findings in a `.grade` file come
 * after that file's own findings (`byFile`, in input order), then those about the dataset's lines.
 */
export async function checkItems(
  dataset: { path: string; label: string },
  graders: readonly DatasetGrader[],
  byFile: ReadonlyMap<string, Diagnostic[]>,
): Promise<Diagnostic[]> {
  const { checkDataset } = await import("../check/dataset.js");
  let found: Diagnostic[];
  try {
    found = await checkDataset(graders, dataset.path, { label: dataset.label });
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === undefined) throw error;
    throw new UsageError(`cannot read the dataset \`${dataset.label}\` (--items): ${describeIoError(error)}`);
  }
  const out: Diagnostic[] = [];
  for (const [file, diagnostics] of byFile) out.push(...diagnostics, ...found.filter((d) => d.file === file && !d.location));
  out.push(...found.filter((d) => d.file === undefined || !byFile.has(d.file) || d.location));
  return out;
}

/** `grade check`: every finding of every input; exit 0, 1 (errors or too many warnings) or 2. */
export async function checkCommand(paths: readonly string[], options: CheckCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths);
  const dataset = options.items === undefined ? undefined : datasetFile(options.items);
  const sources = new Map<string, string>();
  let diagnostics: Diagnostic[] = [];
  const byFile = new Map<string, Diagnostic[]>();
  const graders: DatasetGrader[] = [];
  for (const input of inputs) {
    const source = await readInput(input);
    sources.set(input.label, source.text);
    const found: Diagnostic[] = [];
    if (source.encoding) found.push(source.encoding);
    const checkOptions = { ...(options.target ? { target: options.target } : {}), filename: input.path, root: process.cwd() };
    const result = check(source.text, checkOptions);
    found.push(...result.diagnostics.map((d) => ({ ...d, file: input.label })));
    diagnostics.push(...found);
    byFile.set(input.label, found);
    graders.push({ source: source.text, options: checkOptions, file: input.label });
  }
  if (dataset) diagnostics = await checkItems(dataset, graders, byFile);
  const sourceOf = (file: string | undefined) => (file === undefined ? undefined : sources.get(file));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;

  if (options.format === "json") process.stdout.write(`${renderJson(diagnostics, sourceOf)}\n`);
  else if (options.format === "sarif") {
    const [{ ruleCatalog }, { renderSarif }] = await Promise.all([import("../check/registry.js"), import("../diagnostics/render-sarif.js")]);
    process.stdout.write(`${renderSarif(diagnostics, sourceOf, { version: packageVersion(), rules: ruleCatalog })}\n`);
  }
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

function packageVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}
