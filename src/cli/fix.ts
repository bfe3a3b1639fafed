import * as fs from "node:fs";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { unifiedDiff } from "../fix/diff.js";
import { applyFixes, type Fix, fixOf } from "../fix/fixes.js";
import { LineIndex } from "../syntax/lines.js";
import { describeIoError, type Input, UsageError } from "./io.js";

/*
 * `grade check --fix`: the safe fixes of each file's findings (src/fix/fixes.ts) applied to it,
 * each printed; `--dry-run` prints the diff instead and writes nothing.
 */

export interface FixOutcome {
  /** The fixed text of each file that changed, by label. */
  readonly fixed: Map<string, string>;
  /** What was (or would be) applied, one line each. */
  readonly lines: string[];
  readonly diff: string;
  readonly count: number;
}

const show = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}...` : text).replace(/\n/g, "\\n");

export function fixFiles(
  results: readonly { input: Input; encodingOk: boolean; result: { diagnostics: readonly Diagnostic[] } }[],
  sources: ReadonlyMap<string, string>,
  options: { dryRun: boolean },
): FixOutcome {
  const out: FixOutcome = { fixed: new Map(), lines: [], diff: "", count: 0 };
  let diff = "";
  let count = 0;
  for (const { input, encodingOk, result } of results) {
    const source = sources.get(input.label);
    if (source === undefined || !encodingOk) continue;
    const fixes = result.diagnostics.map((d) => fixOf(d, source)).filter((f): f is Fix => f?.safe === true);
    if (!fixes.length) continue;
    if (input.path === undefined && !options.dryRun) throw new UsageError("--fix rewrites files: standard input cannot be fixed in place (use --fix --dry-run to see the diff)");
    const { text, applied } = applyFixes(source, fixes);
    if (text === source) continue;
    const lines = new LineIndex(source);
    for (const fix of applied) {
      out.lines.push(`${input.label}:${lines.label(fix.span.start)}: ${options.dryRun ? "would fix" : "fixed"} [${fix.rule}] \`${show(source.slice(fix.span.start, fix.span.end))}\` → \`${show(fix.text)}\``);
    }
    count += applied.length;
    out.fixed.set(input.label, text);
    if (options.dryRun) diff += unifiedDiff(source, text, input.label);
    else {
      try {
        fs.writeFileSync(input.path!, text);
      } catch (error) {
        throw new UsageError(`cannot write \`${input.label}\`: ${describeIoError(error)}`);
      }
    }
  }
  return { ...out, diff, count };
}
