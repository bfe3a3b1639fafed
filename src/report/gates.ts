import type { ResultRecord } from "../eval/summary.js";
import type { JunitCase, JunitSuite } from "./junit.js";
import { flagsOf } from "./results.js";

/*
 * CI gates of `grade eval`: --fail-under <mean> (the mean reward of the graded rows must reach
 * it) and --max-error-rate <fraction> (rows malformed, failed or with an error flag, over the rows
 * done, must not pass it). Each broken gate is one line for the log; the command exits 1.
 */

export interface Gates {
  readonly failUnder?: number | undefined;
  readonly maxErrorRate?: number | undefined;
}

export interface GateCounts {
  readonly mean: number | undefined;
  readonly rows: number;
  /** Rows malformed, failed, or graded with an error flag. */
  readonly errors: number;
}

const show = (x: number): string => String(Number(x.toPrecision(4)));

/** The broken gates, one line each (empty when every gate holds). */
export function brokenGates(gates: Gates, counts: GateCounts): string[] {
  const lines: string[] = [];
  if (gates.failUnder !== undefined) {
    if (counts.mean === undefined) lines.push(`no row was graded, so the mean reward cannot reach --fail-under ${show(gates.failUnder)}`);
    else if (counts.mean < gates.failUnder) lines.push(`the mean reward ${show(counts.mean)} is below --fail-under ${show(gates.failUnder)}`);
  }
  if (gates.maxErrorRate !== undefined && counts.rows > 0) {
    const rate = counts.errors / counts.rows;
    if (rate > gates.maxErrorRate) {
      lines.push(`${show(rate * 100)}% of the rows had an error (${counts.errors} of ${counts.rows}: malformed, failed or an error flag), above --max-error-rate ${show(gates.maxErrorRate)}`);
    }
  }
  return lines;
}

/** `grade eval --format junit`: one testcase a row — an error for a malformed or failed row, a failure for an error flag. */
export function evalSuite(rows: readonly ResultRecord[], grader: string): JunitSuite {
  const cases: JunitCase[] = rows.map((r) => {
    const name = r.id !== undefined ? `row ${r.row} (${String(r.id)})` : `row ${r.row}`;
    const base = { classname: grader, name, seconds: typeof r.execution_time === "number" ? r.execution_time : undefined };
    if (typeof r.reward !== "number" || r.error_kind !== undefined) {
      return { ...base, error: { message: r.error ?? "no reward", type: r.error_kind ?? "failed" } };
    }
    const properties = { reward: String(r.reward) };
    const flags = flagsOf(r);
    if (flags.length) {
      const details = flags.map((f) => `${f}${typeof r.errors?.[`${f}_details`] === "string" ? `: ${r.errors[`${f}_details`] as string}` : ""}`).join("\n");
      return { ...base, properties, failure: { message: `error flag ${flags.join(", ")}`, type: flags[0]!, text: details } };
    }
    return { ...base, properties, systemOut: `reward ${r.reward}` };
  });
  return { name: grader, cases };
}
