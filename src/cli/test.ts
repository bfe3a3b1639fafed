import { compile } from "../compile.js";
import { nodeFiles, projectRoot, readFileCall } from "../check/files.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import { readTests, showExpectation } from "../emit/tests.js";
import type { TestResult } from "../engine/run-tests.js";
import type { CallValue } from "../syntax/ast.js";
import { analyseInputs } from "./check.js";
import { colors, expandInputs, UsageError, useColor } from "./io.js";
import { junitXml, type JunitCase, type JunitSuite } from "../report/junit.js";
import { createRedactor } from "../api/redact.js";
import { localEngineOptions, modelSecrets, unsandboxedNotice, type LocalCommandOptions } from "./local-options.js";

export interface TestCommandOptions extends LocalCommandOptions {
  readonly filter?: string | undefined;
  /** junit: JUnit XML on standard output (one testcase a test), the usual lines on standard error. */
  readonly format?: "text" | "junit" | undefined;
}

/** A reward as it is printed: up to 6 decimals, no trailing zeros. */
function showReward(reward: number): string {
  return String(Number(reward.toFixed(6)));
}

function indent(text: string, by: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => `${by}${line}`)
    .join("\n");
}

/**
 * `grade test`: compiles each file (with its own target), runs its `test` blocks on the local
 * engine, prints each with its reward against the expectation, ends with `N passed, N failed`.
 * Exit 0 all passed, 1 a test failed or a file has an error, 2 usage.
 */
export async function testCommand(paths: readonly string[], options: TestCommandOptions): Promise<number> {
  const inputs = await expandInputs(paths.length ? paths : ["."]);
  const junit = options.format === "junit";
  const stream = junit ? process.stderr : process.stdout;
  const c = colors(stream);
  const suites: JunitSuite[] = [];
  // What a model server answered is printed (its details): no configured secret in it.
  const redact = createRedactor(modelSecrets(options));
  const out = { write: (text: string) => stream.write(redact(text)) };
  const analysed = await analyseInputs(inputs, undefined, compile);
  const { LocalEngine } = await import("../engine/local.js");
  const { runTestCase } = await import("../engine/run-tests.js");
  const engine = new LocalEngine({ ...localEngineOptions(options), onUnsandboxed: unsandboxedNotice });
  let passed = 0;
  let failed = 0;
  let withoutTests = 0;
  let filteredOut = 0;
  try {
    for (const { input, result, encodingOk } of analysed.results) {
      const findings = analysed.byFile.get(input.label) ?? [];
      const errors = findings.filter((d) => d.severity === "error");
      const tests = result.document.tests;
      if (errors.length || !encodingOk || !result.grader) {
        process.stderr.write(renderPretty(errors, () => analysed.sources.get(input.label), { color: useColor(process.stderr) }) + "\n");
        const count = Math.max(tests.length, 1);
        out.write(`${c.red("✗")} ${input.label}: ${errors.length || "an"} error${errors.length === 1 ? "" : "s"}; ${tests.length ? `its ${tests.length} test${tests.length === 1 ? "" : "s"} did not run` : "nothing to run"}\n`);
        failed += count;
        suites.push({ name: input.label, cases: [{ classname: input.label, name: input.label, error: { message: `${errors.length || "an"} error${errors.length === 1 ? "" : "s"} in the file; its tests did not run`, type: "check", text: errors.map((d) => `${d.rule}: ${d.message}`).join("\n") } }] });
        continue;
      }
      if (tests.length === 0) {
        withoutTests++;
        continue;
      }
      // `file()` in a test (a sample in its own file): read as the checker read it, inside the project.
      const readFile = (call: CallValue) => readFileCall(call, input.path, projectRoot(input.path), nodeFiles);
      const cases = readTests(result.document, readFile).cases.filter((t) => {
        const keep = options.filter === undefined || t.name.includes(options.filter);
        if (!keep) filteredOut++;
        return keep;
      });
      if (cases.length === 0) continue;
      out.write(`${c.bold(input.label)}\n`);
      const suite: JunitSuite & { cases: JunitCase[] } = { name: input.label, cases: [] };
      suites.push(suite);
      for (const test of cases) {
        const outcome: TestResult = await runTestCase(engine, result.grader, test);
        if (outcome.passed) passed++;
        else failed++;
        out.write(`${formatResult(outcome, c)}\n`);
        suite.cases.push(junitCase(input.label, outcome));
      }
    }
  } finally {
    await engine.close();
  }
  if (withoutTests) out.write(c.dim(`${withoutTests} file${withoutTests === 1 ? "" : "s"} without tests\n`));
  if (filteredOut) out.write(c.dim(`${filteredOut} test${filteredOut === 1 ? "" : "s"} left out by --filter\n`));
  if (passed + failed === 0 && options.filter !== undefined) {
    throw new UsageError(`no test name contains \`${options.filter}\``);
  }
  const summary = `${passed} passed, ${failed} failed`;
  out.write(`${failed ? c.red(summary) : c.green(summary)}\n`);
  if (junit) process.stdout.write(redact(junitXml(suites, "grade test")));
  return failed ? 1 : 0;
}

function formatResult(result: TestResult, c: ReturnType<typeof colors>): string {
  const { test } = result;
  const expected = test.expectError ? `${test.expectError}${test.expect.kind === "exact" && test.expect.value === 0 ? "" : ` and ${showExpectation(test.expect)}`}` : showExpectation(test.expect);
  const time = result.seconds >= 0.5 ? c.dim(` (${result.seconds.toFixed(1)} s)`) : "";
  const lines: string[] = [];
  if (result.reward === undefined) {
    lines.push(`  ${c.red("✗")} ${test.name}  ${c.red("did not run")}${time}`);
    lines.push(indent(result.error ?? "", "      "));
    return lines.join("\n");
  }
  const reward = showReward(result.reward);
  if (result.passed) {
    lines.push(`  ${c.green("✓")} ${test.name}  ${c.dim(`reward ${reward}, expected ${expected}`)}${time}`);
  } else {
    lines.push(`  ${c.red("✗")} ${test.name}  reward ${c.bold(reward)}, expected ${c.bold(expected)}${time}`);
    const subs = Object.entries(result.subRewards);
    if (subs.length) lines.push(`      ${c.dim("sub-rewards")} ${subs.map(([k, v]) => `${k} ${typeof v === "number" ? showReward(v) : String(v)}`).join(", ")}`);
    for (const { flag, details } of result.flags) {
      lines.push(`      ${c.red(flag)}${details ? `: ${indent(details, "        ").trimStart()}` : ""}`);
    }
  }
  return lines.join("\n");
}

/** One test as a JUnit testcase: a failure when the reward misses the expectation, an error when it did not run. */
function junitCase(file: string, result: TestResult): JunitCase {
  const base = { classname: file, name: result.test.name, seconds: result.seconds };
  if (result.reward === undefined) return { ...base, error: { message: "did not run", type: "error", text: result.error ?? "" } };
  const reward = showReward(result.reward);
  const expected = showExpectation(result.test.expect);
  if (result.passed) return { ...base, properties: { reward, expected } };
  const flags = result.flags.map(({ flag, details }) => `${flag}${details ? `: ${details}` : ""}`);
  return { ...base, properties: { reward, expected }, failure: { message: `reward ${reward}, expected ${expected}`, type: "expectation", text: [`reward ${reward}, expected ${expected}`, ...flags].join("\n") } };
}
