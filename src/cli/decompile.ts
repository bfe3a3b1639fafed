import * as fs from "node:fs";
import * as path from "node:path";
import { decompile, findGraders, type FoundGrader } from "../decompile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import { describeIoError, expandInputs, type Input, readInput, UsageError, useColor } from "./io.js";

export interface DecompileCommandOptions {
  /** A directory (one .grade per grader) or, for one grader, a file ending in .grade. */
  readonly output?: string | undefined;
}

/** One .grade text to print or write. */
interface Made {
  readonly input: Input;
  readonly found: FoundGrader | undefined;
  readonly text: string;
  readonly count: number;
}

/**
 * `grade decompile`: grader JSON → `.grade` text, on stdout (one grader) or into `-o dir/`. A JSON
 * file may be a grader, a request body, a fine-tuning job body or `method`, or an Evals body
 * (one .grade per criterion); what was found is said on stderr. Findings go to stderr; nothing
 * is written when any file holds no grader.
 */
export async function decompileCommand(paths: readonly string[], options: DecompileCommandOptions = {}): Promise<number> {
  const inputs = await expandInputs(paths, ".json");
  if (options.output?.trim() === "") throw new UsageError("-o needs a directory (or a .grade file), not an empty path");
  const made: Made[] = [];
  const notes: string[] = [];
  let failed = false; // a finding at error level: the command fails, the text is still faithful
  let missing = false; // an input that gave no .grade text: nothing is written
  for (const input of inputs) {
    const source = await readInput(input);
    const report = (diagnostics: readonly Diagnostic[], text: string, label = input.label): void => {
      const labelled = diagnostics.map((d) => ({ ...d, file: label }));
      if (labelled.length) process.stderr.write(`${renderPretty(labelled, () => text, { color: useColor(process.stderr) })}\n`);
      if (labelled.some((d) => d.severity === "error")) failed = true;
    };
    let found;
    try {
      found = findGraders(JSON.parse(source.text));
    } catch {
      found = undefined; // not JSON: decompile() says where it breaks
    }
    if (found === undefined || found.direct) {
      // A grader or a request body: decompiled from the text itself, so findings point into the file.
      const result = await decompile(source.text, { filename: input.label });
      report(result.diagnostics, source.text);
      if (result.text === undefined) missing = true;
      else made.push({ input, found: found?.graders[0], text: result.text, count: 1 });
      continue;
    }
    if (found.graders.length === 0) {
      process.stderr.write(`grade: ${input.label}: ${found.container} that holds no grader\n`);
      missing = true;
      continue;
    }
    const which = found.graders.length === 1 ? `the grader at ${found.graders[0]!.pointer}` : `${found.graders.length} graders`;
    notes.push(`${input.label}: ${found.container}: ${which}`);
    for (const grader of found.graders) {
      const text = `${JSON.stringify(grader.grader, null, 2)}\n`;
      const label = `${input.label}#${grader.pointer}`;
      const result = await decompile(text, { filename: label, ...(grader.target ? { target: grader.target } : {}) });
      report(result.diagnostics, text, label);
      if (result.text === undefined) missing = true;
      else made.push({ input, found: grader, text: result.text, count: found.graders.length });
    }
  }
  for (const note of notes) process.stderr.write(`grade: found ${note}\n`);
  if (missing) {
    if (inputs.length > 1 || made.length > 0) process.stderr.write("grade: nothing was written\n");
    return 1;
  }
  const errors = failed;
  if (options.output === undefined || options.output.endsWith(".grade")) {
    if (made.length !== 1) {
      throw new UsageError(`${inputs.length === 1 ? `\`${inputs[0]!.label}\` holds` : "the inputs hold"} ${made.length} graders: give \`-o <dir>\` to write one .grade file per grader`);
    }
    if (options.output === undefined) process.stdout.write(made[0]!.text);
    else write([{ file: path.resolve(options.output), text: made[0]!.text }], options.output);
    return errors ? 1 : 0;
  }
  const dir = path.resolve(options.output);
  const files: { file: string; text: string }[] = [];
  const taken = new Set<string>();
  for (const m of made) {
    // Two criteria of one name get -2, -3...; two inputs of one name (a.json in two folders given
    // side by side) would overwrite each other, which is refused.
    const base = outputPath(dir, m);
    let file = base;
    for (let n = 2; taken.has(file) && m.count > 1; n++) file = base.replace(/\.grade$/, `-${n}.grade`);
    if (taken.has(file)) throw new UsageError(`two graders would be written to \`${path.relative(process.cwd(), file)}\`; decompile them into separate directories`);
    taken.add(file);
    files.push({ file, text: m.text });
  }
  write(files, options.output);
  return errors ? 1 : 0;
}

/** Where `-o dir` puts a grader: the input's path under its directory argument, as .grade; criteria get their name. */
function outputPath(dir: string, made: Made): string {
  const { input, found } = made;
  const rel = input.path === undefined ? "stdin.json" : input.base ? path.relative(input.base, input.path) : path.basename(input.path);
  const stem = rel.replace(/\.json$/i, "");
  if (made.count === 1 || found?.name === undefined) return path.join(dir, `${stem}.grade`);
  const slug = found.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "criterion";
  return path.join(dir, stem, `${slug}.grade`);
}

function write(files: readonly { file: string; text: string }[], output: string): void {
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.file), { recursive: true });
      fs.writeFileSync(f.file, f.text);
    }
  } catch (error) {
    throw new UsageError(`cannot write \`${output}\`: ${describeIoError(error)}`);
  }
  process.stderr.write(`grade: wrote ${files.length} file${files.length === 1 ? "" : "s"} to ${output}\n`);
}
