import { expect } from "vitest";
import { check, compile } from "../../src/compile.js";
import type { CheckOptions } from "../../src/check/context.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { LineIndex } from "../../src/syntax/lines.js";

/*
 * One harness for rule tests: findings as plain rows with their span written `line:col-line:col`
 * (end exclusive), so a test reads like the spec:
 *
 *   expectFindings("unknown-grader", source).toEqual([
 *     { rule: "unknown-grader", severity: "error", message: "...", at: "4:21-4:25", suggestion: "did you mean `name`?" },
 *   ]);
 */

export interface Finding {
  rule: string;
  severity: "error" | "warning";
  message: string;
  at: string;
  suggestion?: string;
}

export function toFinding(d: Diagnostic, lines: LineIndex): Finding {
  const at = `${lines.label(d.span.start)}-${lines.label(d.span.end)}`;
  return { rule: d.rule, severity: d.severity, message: d.message, at, ...(d.suggestion ? { suggestion: d.suggestion } : {}) };
}

/** Every finding of `source` (all rules). */
export function findings(source: string, options: CheckOptions = {}): Finding[] {
  const lines = new LineIndex(source);
  return check(source, options).diagnostics.map((d) => toFinding(d, lines));
}

/** The findings of one rule. */
export function ruleFindings(rule: string, source: string, options: CheckOptions = {}): Finding[] {
  return findings(source, options).filter((f) => f.rule === rule);
}

export function expectFindings(rule: string, source: string, options: CheckOptions = {}) {
  return expect(ruleFindings(rule, source, options));
}

/** Asserts the rule finds nothing in `source`. */
export function expectValid(rule: string, source: string, options: CheckOptions = {}): void {
  expect(ruleFindings(rule, source, options)).toEqual([]);
}

/** The text under a finding's span, to assert exactly what is underlined. */
export function underlined(source: string, rule: string, options: CheckOptions = {}): string[] {
  return check(source, options)
    .diagnostics.filter((d) => d.rule === rule)
    .map((d) => source.slice(d.span.start, d.span.end));
}

/** Compiles and returns the JSON, failing the test with the findings when there is none. */
export function compiled(source: string, options: CheckOptions = {}): unknown {
  const result = compile(source, options);
  if (!result.grader) {
    const lines = new LineIndex(source);
    throw new Error(`no JSON: ${JSON.stringify(result.diagnostics.map((d) => toFinding(d, lines)), null, 2)}`);
  }
  return result.grader;
}
