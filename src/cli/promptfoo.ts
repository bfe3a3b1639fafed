import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { loadGraderFile } from "../api/input.js";
import type { JsonObject } from "../emit/emit.js";
import { outputVarName, replayHazards, rowTest, starterConfig, updateConfig, type ConfigGrader, type ConfigInput, type ConfigTest } from "../promptfoo/config.js";
import { describeIoError, expandInputs, UsageError, useColor } from "./io.js";

/*
 * `grade promptfoo <graders...> [-o promptfooconfig.yaml] [--data rows.jsonl]`: the promptfoo
 * config that scores with these graders (src/promptfoo/). Every grader applies to every test, so
 * the assertions go in `defaultTest`; a dataset's rows become `tests` (item fields → vars, the
 * recorded sample → the var the echo provider replays). docs/promptfoo.md has the migration.
 */

export interface PromptfooCommandOptions {
  readonly output?: string | undefined;
  readonly data?: string | undefined;
  readonly threshold?: number | undefined;
  readonly skipBadRows?: boolean | undefined;
}

/**
 * The assertion module of this install: promptfoo.js at the package's root (two levels above
 * dist/bundle and dist/cli), named through the config's `node_modules/gradelang` when that is
 * this install (also as a symlink: `npm install ../gradelang`, `npm link`), so the config reads
 * `file://node_modules/gradelang/promptfoo.js:grader` and works on another machine.
 */
function moduleFile(configDir: string): string {
  const own = fileURLToPath(new URL("../../promptfoo.js", import.meta.url));
  const real = (file: string): string | undefined => {
    try {
      return fs.realpathSync(file);
    } catch {
      return undefined;
    }
  };
  const ownReal = real(own) ?? own;
  for (let dir = configDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", "gradelang", "promptfoo.js");
    if (real(candidate) === ownReal) return candidate;
    if (path.dirname(dir) === dir) return own;
  }
}

/** A path as a config in `dir` names it: relative, `/` separated. */
function relativeTo(dir: string, file: string): string {
  const rel = path.relative(dir, file).split(path.sep).join("/");
  return rel === "" ? "." : rel;
}

interface Dataset {
  readonly tests: ConfigTest[];
  readonly outputVar: string | undefined;
}

function readDataset(file: string, skipBad: boolean): Dataset {
  let text: string;
  try {
    text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read --data \`${file}\`: ${describeIoError(error)}`);
  }
  const rows: { description: string; item: JsonObject; output: string | undefined }[] = [];
  const bad: string[] = [];
  const dropped = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const row = rowTest(line, i + 1);
    if (!row.ok) {
      bad.push(`${file === "-" ? "<stdin>" : file}:${i + 1}: ${row.message}`);
      return;
    }
    for (const field of row.dropped) dropped.set(field, (dropped.get(field) ?? 0) + 1);
    rows.push(row);
  });
  if (bad.length) {
    process.stderr.write(`${bad.map((b) => `${b}\n`).join("")}`);
    if (!skipBad) {
      throw new BadRows(`${bad.length} row${bad.length === 1 ? " is" : "s are"} malformed; nothing was written (--skip-bad-rows writes the other ${rows.length})`);
    }
    process.stderr.write(`grade promptfoo: skipped ${bad.length} malformed row${bad.length === 1 ? "" : "s"}\n`);
  }
  for (const [field, n] of dropped) {
    process.stderr.write(
      `grade promptfoo: warning: ${n} row${n === 1 ? " gives" : "s give"} \`sample.${field}\`; the echo provider replays the output text only, so a grader reading it sees it derived from the text\n`,
    );
  }
  if (rows.length === 0) process.stderr.write(`grade promptfoo: warning: \`${file}\` has no rows\n`);
  const withOutput = rows.some((r) => r.output !== undefined);
  const outputVar = withOutput ? outputVarName(rows.map((r) => r.item)) : undefined;
  const tests = rows.map((r) => ({
    description: r.description,
    vars: { ...r.item, ...(outputVar !== undefined && r.output !== undefined ? { [outputVar]: r.output } : {}) },
  }));
  for (const test of tests) {
    const hazards = replayHazards(test.vars);
    if (hazards.length) {
      process.stderr.write(`grade promptfoo: warning: ${test.description}: ${hazards.join("; ")}; its score in promptfoo may differ from grade eval's\n`);
    }
  }
  return { tests, outputVar };
}

class BadRows extends Error {}

/** `grade promptfoo`: 0 written, 1 a grader has errors or rows are malformed (nothing written), 2 usage or I/O. */
export async function promptfooCommand(paths: readonly string[], options: PromptfooCommandOptions): Promise<number> {
  if (options.output?.trim() === "") throw new UsageError("-o needs a file, e.g. promptfooconfig.yaml");
  if (options.output !== undefined && !/\.ya?ml$/i.test(options.output)) {
    throw new UsageError(`-o \`${options.output}\`: promptfoo reads a YAML config here; give a .yaml or .yml file`);
  }
  const inputs = await expandInputs(paths);
  if (inputs.some((i) => i.path === undefined)) throw new UsageError("`grade promptfoo` needs grader files (promptfoo reads them at run time), not standard input");
  const configFile = options.output === undefined ? undefined : path.resolve(options.output);
  const dir = configFile ? path.dirname(configFile) : process.cwd();

  const graders: ConfigGrader[] = [];
  const metrics = new Set<string>();
  let failed = false;
  for (const input of inputs) {
    const source = await loadGraderFile(input.path!, "file");
    if (source.kind === "grade") {
      const errors = source.diagnostics.filter((d) => d.severity === "error");
      if (source.diagnostics.length) {
        const { renderPretty } = await import("../diagnostics/render-pretty.js");
        process.stderr.write(`${renderPretty(source.diagnostics, () => source.text, { color: useColor(process.stderr) })}\n`);
      }
      if (errors.length || !source.grader) {
        failed = true;
        continue;
      }
    }
    const grader = source.grader!;
    const base = typeof grader["name"] === "string" && grader["name"] !== "" ? grader["name"] : path.basename(input.path!).replace(/\.(grade|json)$/i, "");
    let metric = base;
    for (let n = 2; metrics.has(metric); n++) metric = `${base} (${n})`;
    metrics.add(metric);
    graders.push({ path: relativeTo(dir, input.path!), metric });
  }
  if (failed) {
    process.stderr.write("grade promptfoo: a grader has errors; nothing was written\n");
    return 1;
  }

  let dataset: Dataset | undefined;
  if (options.data !== undefined) {
    try {
      dataset = readDataset(options.data, options.skipBadRows === true);
    } catch (error) {
      if (error instanceof BadRows) {
        process.stderr.write(`grade promptfoo: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  }
  const input: ConfigInput = {
    graders,
    module: `file://${relativeTo(dir, moduleFile(dir))}:grader`,
    threshold: options.threshold,
    tests: dataset?.tests,
    outputVar: dataset?.outputVar,
  };

  let existing: string | undefined;
  if (configFile !== undefined) {
    try {
      existing = fs.readFileSync(configFile, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new UsageError(`cannot read \`${options.output}\`: ${describeIoError(error)}`);
    }
  }
  let text: string;
  if (existing !== undefined) {
    let updated;
    try {
      updated = updateConfig(existing, input);
    } catch (error) {
      throw new UsageError(`cannot update \`${options.output}\`: ${(error as Error).message}`);
    }
    text = updated.text;
    const notes = [`${graders.length} gradelang assertion${graders.length === 1 ? "" : "s"} in defaultTest`];
    if (updated.removed) notes.push(`${updated.removed} earlier one${updated.removed === 1 ? "" : "s"} replaced`);
    if (updated.replacedTests !== undefined) notes.push(`tests replaced by the ${dataset!.tests.length} rows (there were ${updated.replacedTests})`);
    process.stderr.write(`grade promptfoo: updated \`${options.output}\`: ${notes.join(", ")}\n`);
  } else {
    text = starterConfig(input);
    if (configFile !== undefined) {
      process.stderr.write(
        `grade promptfoo: wrote \`${options.output}\`: ${graders.length} assertion${graders.length === 1 ? "" : "s"}, ${dataset?.tests.length ?? 0} tests; run \`npx promptfoo eval\` ${dir === process.cwd() ? "here" : `in \`${relativeTo(process.cwd(), dir)}\``}\n`,
      );
    }
  }
  if (configFile === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(configFile, text);
  } catch (error) {
    throw new UsageError(`cannot write \`${options.output}\`: ${describeIoError(error)}`);
  }
  return 0;
}
