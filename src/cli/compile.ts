import * as fs from "node:fs";
import * as path from "node:path";
import { isTestFinding } from "../check/registry.js";
import { compile } from "../compile.js";
import type { JsonObject } from "../emit/emit.js";
import type { Target } from "../schema/graders.js";
import { analyseInputs, checkItems, datasetFile } from "./check.js";
import { describeIoError, expandInputs, type Input, UsageError, useColor } from "./io.js";

export interface CompileCommandOptions {
  readonly output?: string | undefined;
  readonly target?: Target | undefined;
  readonly minify?: boolean | undefined;
  /** A JSONL dataset to check the graders against (`--items`); an error there writes nothing. */
  readonly items?: string | undefined;
  /** What to print: each grader (default), an Evals `testing_criteria` array, or a fine-tuning `method`. */
  readonly emit?: "grader" | "testing-criteria" | "method" | undefined;
}

/** The JSON text of a grader: 2-space indent (or one line), newline-terminated. */
export function formatJson(json: JsonObject, minify: boolean): string {
  return `${minify ? JSON.stringify(json) : JSON.stringify(json, null, 2)}\n`;
}

/** Where `-o dir` puts an input's JSON: the input's path under its directory argument, as .json. */
function outputPath(dir: string, input: Input): string {
  const rel = input.path === undefined ? "stdin.grade" : input.base ? path.relative(input.base, input.path) : path.basename(input.path);
  return path.join(dir, rel.replace(/\.grade$/, "") + ".json");
}

/** `grade compile`: all inputs compile, or nothing is written (exit 1). */
export async function compileCommand(paths: readonly string[], options: CompileCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths);
  if (options.output?.trim() === "") throw new UsageError("-o needs a file or a directory, not an empty path");
  const emit = options.emit ?? "grader";
  if (emit !== "grader") return compileWrapped(inputs, { ...options, emit });
  const toFile = options.output !== undefined && options.output.endsWith(".json");
  if (inputs.length > 1 && options.output === undefined) {
    throw new UsageError(`compiling ${inputs.length} files needs \`-o <dir>\` (one .json per input)`);
  }
  if (inputs.length > 1 && toFile) {
    throw new UsageError(`\`-o ${options.output}\` is one file, but there are ${inputs.length} inputs; give a directory`);
  }
  const dataset = options.items === undefined ? undefined : datasetFile(options.items);
  const analysed = await analyseInputs(inputs, options.target, compile);
  const { sources, byFile, graders } = analysed;
  const outputs: { input: Input; json: JsonObject }[] = analysed.results.flatMap(({ input, result, encodingOk }) =>
    result.grader && encodingOk ? [{ input, json: result.grader }] : [],
  );
  // Findings about the tests are for grade test and grade check: they never stop a compile.
  const diagnostics = (dataset ? await checkItems(dataset, graders, byFile) : analysed.diagnostics).filter((d) => !isTestFinding(d));
  if (diagnostics.length) {
    const sourceOf = (file: string | undefined) => (file === undefined ? undefined : sources.get(file));
    // The code frames (@babel/code-frame) are loaded only when there is something to show.
    const { renderPretty } = await import("../diagnostics/render-pretty.js");
    process.stderr.write(renderPretty(diagnostics, sourceOf, { color: useColor(process.stderr) }) + "\n");
  }
  if (diagnostics.some((d) => d.severity === "error")) {
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    process.stderr.write(`grade: ${errors} error${errors === 1 ? "" : "s"}; nothing was written\n`);
    return 1;
  }
  const minify = options.minify ?? false;
  if (options.output === undefined) {
    process.stdout.write(formatJson(outputs[0]!.json, minify));
    return 0;
  }
  const targets = outputs.map(({ input, json }) => ({
    file: toFile ? path.resolve(options.output!) : outputPath(path.resolve(options.output!), input),
    text: formatJson(json, minify),
  }));
  try {
    for (const t of targets) {
      fs.mkdirSync(path.dirname(t.file), { recursive: true });
      fs.writeFileSync(t.file, t.text);
    }
  } catch (error) {
    throw new UsageError(`cannot write \`${options.output}\`: ${describeIoError(error)}`);
  }
  process.stderr.write(`grade: wrote ${targets.length} file${targets.length === 1 ? "" : "s"} to ${options.output}\n`);
  return 0;
}

/**
 * `--emit testing-criteria` (every input, for the evals target, as one array: the
 * `testing_criteria` of an Evals body) or `--emit method` (one input, for rft: the `method` of a
 * fine-tuning job). Printed, or written to `-o file.json`.
 */
async function compileWrapped(inputs: readonly Input[], options: CompileCommandOptions & { emit: "testing-criteria" | "method" }): Promise<number> {
  const criteria = options.emit === "testing-criteria";
  const wanted: Target = criteria ? "evals" : "rft";
  if (options.target !== undefined && options.target !== wanted) {
    throw new UsageError(`\`--emit ${options.emit}\` is for the ${wanted} target; leave --target out or give --target ${wanted}`);
  }
  if (!criteria && inputs.length !== 1) {
    throw new UsageError(`\`--emit method\` makes the method of one fine-tuning job: give one grader, not ${inputs.length}`);
  }
  if (options.output !== undefined && !options.output.endsWith(".json")) {
    throw new UsageError(`\`--emit ${options.emit}\` writes one JSON document: give -o a file ending in .json, not \`${options.output}\``);
  }
  const dataset = options.items === undefined ? undefined : datasetFile(options.items);
  const analysed = await analyseInputs(inputs, wanted, compile);
  const diagnostics = (dataset ? await checkItems(dataset, analysed.graders, analysed.byFile) : analysed.diagnostics).filter((d) => !isTestFinding(d));
  if (diagnostics.length) {
    const { renderPretty } = await import("../diagnostics/render-pretty.js");
    const sourceOf = (file: string | undefined) => (file === undefined ? undefined : analysed.sources.get(file));
    process.stderr.write(renderPretty(diagnostics, sourceOf, { color: useColor(process.stderr) }) + "\n");
  }
  const graders = analysed.results.flatMap(({ result, encodingOk }) => (result.grader && encodingOk ? [result.grader] : []));
  if (diagnostics.some((d) => d.severity === "error") || graders.length !== inputs.length) {
    process.stderr.write("grade: errors; nothing was written\n");
    return 1;
  }
  const json: JsonObject | JsonObject[] = criteria ? graders : { type: "reinforcement", reinforcement: { grader: graders[0]! } };
  const text = `${options.minify ? JSON.stringify(json) : JSON.stringify(json, null, 2)}\n`;
  if (options.output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    fs.mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
    fs.writeFileSync(path.resolve(options.output), text);
  } catch (error) {
    throw new UsageError(`cannot write \`${options.output}\`: ${describeIoError(error)}`);
  }
  process.stderr.write(`grade: wrote ${options.output}\n`);
  return 0;
}
