import * as fs from "node:fs";
import * as path from "node:path";
import type { DatasetGrader } from "../check/dataset.js";
import { check } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderGithub } from "../diagnostics/render-github.js";
import { renderJson } from "../diagnostics/render-json.js";
import type { Target } from "../schema/graders.js";
import { packageVersion } from "./version.js";
import type { CheckOptions } from "../check/context.js";
import { projectRoot } from "../check/files.js";
import { colors, describeIoError, expandInputs, type Input, readInput, UsageError, useColor } from "./io.js";

export interface CheckCommandOptions {
  readonly target?: Target | undefined;
  readonly format: "pretty" | "json" | "github" | "sarif";
  readonly maxWarnings?: number | undefined;
  /** A JSONL dataset to check the graders against (`--items`). */
  readonly items?: string | undefined;
  /** Apply the safe fixes to the files (`--fix`); with `dryRun`, print the diff and write nothing. */
  readonly fix?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

/** The `--items` file, checked readable before any work: a missing one is a usage error (exit 2). */
export function datasetFile(items: string): { path: string; label: string } {
  if (items.trim() === "") throw new UsageError("--items needs a JSONL file, not an empty path");
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

/** What reading and analysing the inputs gave, per file and in all. */
export interface Analysed<R> {
  readonly sources: Map<string, string>;
  readonly diagnostics: Diagnostic[];
  readonly byFile: Map<string, Diagnostic[]>;
  readonly graders: DatasetGrader[];
  readonly results: { input: Input; result: R; encodingOk: boolean }[];
}

/**
 * Reads every input and runs `analyse` (check or compile) on it; findings carry the input's label.
 * Shared by `grade check` and `grade compile`, which differ only in what they do with the results.
 */
export async function analyseInputs<R extends { diagnostics: readonly Diagnostic[] }>(
  inputs: readonly Input[],
  target: Target | undefined,
  analyse: (text: string, options: CheckOptions) => R,
  /** Texts to analyse instead of reading the inputs, by label (`--fix --dry-run`: the fixed texts). */
  texts?: ReadonlyMap<string, string>,
): Promise<Analysed<R>> {
  const out: Analysed<R> = { sources: new Map(), diagnostics: [], byFile: new Map(), graders: [], results: [] };
  for (const input of inputs) {
    const given = texts?.get(input.label);
    const source = given !== undefined ? { text: given, encoding: undefined } : await readInput(input);
    out.sources.set(input.label, source.text);
    const found: Diagnostic[] = [];
    if (source.encoding) found.push(source.encoding);
    const options: CheckOptions = { ...(target ? { target } : {}), filename: input.path, root: projectRoot(input.path) };
    const result = analyse(source.text, options);
    for (const d of result.diagnostics) found.push({ ...d, file: input.label });
    for (const d of found) out.diagnostics.push(d);
    out.byFile.set(input.label, found);
    out.graders.push({ source: source.text, options, file: input.label });
    out.results.push({ input, result, encodingOk: !source.encoding });
  }
  return out;
}

/** `grade check`: every finding of every input; exit 0, 1 (errors or too many warnings) or 2. */
export async function checkCommand(paths: readonly string[], options: CheckCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths);
  const dataset = options.items === undefined ? undefined : datasetFile(options.items);
  if (options.dryRun && !options.fix) throw new UsageError("--dry-run goes with --fix (it shows the diff --fix would apply)");
  let analysed = await analyseInputs(inputs, options.target, check);
  if (options.fix) {
    const { fixFiles } = await import("./fix.js");
    const outcome = fixFiles(analysed.results, analysed.sources, { dryRun: options.dryRun === true });
    // Fix lines and the diff go to stdout with the pretty report, else to stderr (stdout stays JSON/SARIF).
    const stream = options.format === "pretty" ? process.stdout : process.stderr;
    if (outcome.diff) stream.write(outcome.diff);
    for (const line of outcome.lines) stream.write(`${line}\n`);
    const files = outcome.fixed.size;
    stream.write(
      outcome.count === 0
        ? "no safe fixes to apply\n"
        : `${options.dryRun ? "would apply" : "applied"} ${outcome.count} fix${outcome.count === 1 ? "" : "es"} in ${files} file${files === 1 ? "" : "s"}${options.dryRun ? " (dry run: nothing written)" : ""}\n`,
    );
    // The findings that remain: of the fixed texts.
    if (outcome.count) {
      const texts = new Map<string, string>();
      for (const r of analysed.results) if (r.encodingOk) texts.set(r.input.label, outcome.fixed.get(r.input.label) ?? analysed.sources.get(r.input.label)!);
      analysed = await analyseInputs(inputs, options.target, check, texts);
    }
  }
  const { sources, diagnostics: found, byFile, graders } = analysed;
  const diagnostics = dataset ? await checkItems(dataset, graders, byFile) : found;
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
    if (diagnostics.length) {
      // The code frames (@babel/code-frame) are loaded only when there is something to show.
      const { renderPretty } = await import("../diagnostics/render-pretty.js");
      process.stdout.write(renderPretty(diagnostics, sourceOf, { color: useColor(process.stdout) }) + "\n");
    }
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
