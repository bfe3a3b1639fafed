import * as fs from "node:fs";
import * as path from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import { format, type FormatOptions } from "../format/format.js";
import { parse } from "../syntax/parse.js";
import { colors, describeIoError, expandInputs, readInput, UsageError, useColor } from "./io.js";

export interface FmtCommandOptions {
  readonly check?: boolean | undefined;
}

/**
 * `grade fmt`: rewrites each file in the canonical layout (only files that change; `-` prints to
 * standard output). `--check` writes nothing and lists the files that would change. A file with
 * a syntax error is reported and never written. Exit 0, 1 (syntax errors, or files to format
 * with --check) or 2.
 */
export async function fmtCommand(paths: readonly string[], options: FmtCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths);
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const changed: string[] = [];
  let broken = 0;
  for (const input of inputs) {
    const source = await readInput(input);
    sources.set(input.label, source.text);
    const findings = [...(source.encoding ? [source.encoding] : []), ...parse(source.text).diagnostics];
    if (findings.length) {
      diagnostics.push(...findings.map((d) => ({ ...d, file: input.label })));
      broken++;
      continue;
    }
    const formatted = await format(source.text, await configFor(input.path));
    if (input.path === undefined) {
      if (!options.check) process.stdout.write(formatted);
      else if (formatted !== source.text) changed.push(input.label);
      continue;
    }
    if (formatted === source.text) continue;
    changed.push(input.label);
    if (options.check) continue;
    try {
      fs.writeFileSync(input.path, formatted);
    } catch (error) {
      throw new UsageError(`cannot write \`${input.label}\`: ${describeIoError(error)}`);
    }
  }

  const c = colors(process.stderr);
  if (diagnostics.length) {
    const sourceOf = (file: string | undefined) => (file === undefined ? undefined : sources.get(file));
    process.stderr.write(renderPretty(diagnostics, sourceOf, { color: useColor(process.stderr) }) + "\n");
  }
  const files = (n: number) => `${n} file${n === 1 ? "" : "s"}`;
  if (options.check) {
    for (const label of changed) process.stdout.write(`${label}\n`);
    if (changed.length) {
      const one = changed.length === 1;
      process.stderr.write(
        c.red(`✖ ${changed.length} of ${files(inputs.length)} ${one ? "is" : "are"} not formatted`) +
          `; run \`grade fmt\` to format ${one ? "it" : "them"}\n`,
      );
    } else if (!broken) process.stderr.write(c.green(`✔ ${files(inputs.length)} checked, all formatted`) + "\n");
  } else {
    for (const label of changed) process.stderr.write(`formatted ${label}\n`);
  }
  if (broken) process.stderr.write(c.red(`✖ ${files(broken)} with syntax errors, not formatted`) + "\n");
  return broken || (options.check && changed.length) ? 1 : 0;
}

/**
 * The layout options of the Prettier configuration that applies to a file (.prettierrc,
 * .editorconfig), so that `grade fmt` and `prettier --plugin gradelang/prettier` agree.
 */
async function configFor(file: string | undefined): Promise<FormatOptions> {
  const { resolveConfig } = await import("prettier");
  const target = file ?? path.resolve("stdin.grade");
  let config: Awaited<ReturnType<typeof resolveConfig>>;
  try {
    config = await resolveConfig(target, { editorconfig: true });
  } catch (error) {
    throw new UsageError(`cannot read the Prettier configuration for \`${path.relative(process.cwd(), target)}\`: ${(error as Error).message}`);
  }
  if (!config) return {};
  const picked: { -readonly [K in keyof FormatOptions]: FormatOptions[K] } = {};
  if (typeof config.printWidth === "number") picked.printWidth = config.printWidth;
  if (typeof config.tabWidth === "number") picked.tabWidth = config.tabWidth;
  if (typeof config.useTabs === "boolean") picked.useTabs = config.useTabs;
  if (config.endOfLine === "lf" || config.endOfLine === "crlf" || config.endOfLine === "cr" || config.endOfLine === "auto")
    picked.endOfLine = config.endOfLine;
  return picked;
}
