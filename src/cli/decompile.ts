import { decompile } from "../decompile.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import { expandInputs, readInput, UsageError, useColor } from "./io.js";

/** `grade decompile`: grader JSON → `.grade` text on stdout; findings on stderr. */
export async function decompileCommand(file: string): Promise<number> {
  const [input] = await expandInputs([file]);
  if (!input || input.base !== undefined) throw new UsageError(`\`grade decompile\` takes one JSON file (or - for standard input), not \`${file}\``);
  const source = await readInput(input);
  const result = await decompile(source.text, { filename: input.label });
  const diagnostics = result.diagnostics.map((d) => ({ ...d, file: input.label }));
  if (diagnostics.length) {
    process.stderr.write(`${renderPretty(diagnostics, () => source.text, { color: useColor(process.stderr) })}\n`);
  }
  if (result.text === undefined) return 1;
  process.stdout.write(result.text);
  // The text is faithful either way; errors in the grader itself still fail the command.
  return diagnostics.some((d) => d.severity === "error") ? 1 : 0;
}
