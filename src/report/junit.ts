/*
 * JUnit XML (the format CI systems read natively: GitHub Actions reporters, GitLab, Jenkins,
 * Azure): <testsuites> of <testsuite> of <testcase>, a <failure> for a test that ran and failed,
 * an <error> for one that could not run. Used by `grade test --format junit` (one testcase a
 * test) and `grade eval --format junit` (one testcase a row).
 */

export interface JunitCase {
  readonly classname: string;
  readonly name: string;
  readonly seconds?: number | undefined;
  readonly failure?: { readonly message: string; readonly type: string; readonly text?: string | undefined } | undefined;
  readonly error?: { readonly message: string; readonly type: string; readonly text?: string | undefined } | undefined;
  readonly properties?: Readonly<Record<string, string>> | undefined;
  readonly systemOut?: string | undefined;
}

export interface JunitSuite {
  readonly name: string;
  readonly cases: readonly JunitCase[];
}

/** Text safe in XML: the five entities escaped, the characters XML 1.0 forbids dropped. */
export function xmlText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

const seconds = (s: number | undefined): string => (s === undefined || !Number.isFinite(s) ? "0" : String(Number(s.toFixed(6))));

function caseXml(c: JunitCase): string {
  const open = `    <testcase classname="${xmlText(c.classname)}" name="${xmlText(c.name)}" time="${seconds(c.seconds)}"`;
  const inner: string[] = [];
  if (c.properties && Object.keys(c.properties).length) {
    inner.push("      <properties>");
    for (const [k, v] of Object.entries(c.properties)) inner.push(`        <property name="${xmlText(k)}" value="${xmlText(v)}"/>`);
    inner.push("      </properties>");
  }
  for (const [tag, problem] of [["failure", c.failure], ["error", c.error]] as const) {
    if (!problem) continue;
    inner.push(`      <${tag} message="${xmlText(problem.message)}" type="${xmlText(problem.type)}">${xmlText(problem.text ?? problem.message)}</${tag}>`);
  }
  if (c.systemOut) inner.push(`      <system-out>${xmlText(c.systemOut)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join("\n")}\n    </testcase>` : `${open}/>`;
}

export function junitXml(suites: readonly JunitSuite[], name: string): string {
  const count = (s: JunitSuite, what: "failure" | "error") => s.cases.filter((c) => c[what]).length;
  const time = (s: JunitSuite) => s.cases.reduce((t, c) => t + (c.seconds ?? 0), 0);
  const total = { tests: 0, failures: 0, errors: 0, time: 0 };
  const parts: string[] = [];
  for (const s of suites) {
    const failures = count(s, "failure");
    const errors = count(s, "error");
    total.tests += s.cases.length;
    total.failures += failures;
    total.errors += errors;
    total.time += time(s);
    parts.push(`  <testsuite name="${xmlText(s.name)}" tests="${s.cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(time(s))}">`);
    for (const c of s.cases) parts.push(caseXml(c));
    parts.push("  </testsuite>");
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(name)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" time="${seconds(total.time)}">`,
    ...parts,
    "</testsuites>",
    "",
  ].join("\n");
}
