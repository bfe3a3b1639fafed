import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace, root } from "../helpers/cli.js";

/* `grade test`: runs the test blocks of .grade files on the local engine, through the real binary. */

let dir: string;
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};
const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

const city = `string_check "city": sample.output_text ilike item.city
`;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-test-"));
});

describe("grade test", () => {
  it("runs every example's tests and passes (what CI runs)", () => {
    const run = grade(["test", "examples"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("examples/graders/support-reply.grade\n  ✓ warm reply with the right ticket  reward 0.9, expected 0.9");
    expect(run.stdout).toContain("✓ a misspelled phrase scores high but below 1  reward 0.9455, expected 0.9..0.99");
    expect(lastLine(run.stdout)).toMatch(/^\d+ passed, 0 failed$/);
    expect(Number(/^(\d+) passed/m.exec(lastLine(run.stdout)!)![1])).toBeGreaterThanOrEqual(20);
  });

  it("a wrong expectation fails: reward vs expected, exit 1, `N passed, N failed` last", () => {
    const file = write("fail/city.grade", `${city}
test "right city" { sample: "Paris!", item { city: "paris" }, expect: 1 }
test "wrong expectation" { sample: "Lyon", item { city: "paris" }, expect: 0.5..1 }
`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("  ✓ right city  reward 1, expected 1\n");
    expect(run.stdout).toContain("  ✗ wrong expectation  reward 0, expected 0.5..1\n");
    expect(lastLine(run.stdout)).toBe("1 passed, 1 failed");
  });

  it("an error flag fails the test even when the reward is the one expected, and shows its details", () => {
    // A python grader reads the item as it likes: a key it lacks is found only at run time.
    const file = write("flag/py.grade", `python "p" {
  source: """
    def grade(sample, item):
        return 1.0 if item["city"] in sample["output_text"] else 0.0
    """
}

test "no city in the item" { sample: "Paris", item { town: "Paris" }, expect: 0 }
`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ {2}✗ no city in the item {2}reward 0, expected 0( \([\d.]+ s\))?\n {6}python_grader_runtime_error: Traceback/);
    expect(run.stdout).toContain("KeyError: 'city'");
    expect(lastLine(run.stdout)).toBe("0 passed, 1 failed");
  });

  it("a test whose item lacks a path the grader reads is a test-data error: the file's tests do not run", () => {
    const file = write("data/city.grade", `${city}\ntest "no city in the item" { sample: "Paris", item { town: "Paris" }, expect: 0 }\ntest "fine" { sample: "Paris", item { city: "Paris" }, expect: 1 }\n`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${path.relative(root, file)}:3:52: error[test-data]: test "no city in the item": \`item.city\` is missing from its item; the grader reads it at 1:47\n`,
    );
    expect(run.stderr).toContain("help: add `city: ...` to the test's item");
    expect(run.stdout).toContain(": 1 error; its 2 tests did not run");
    expect(lastLine(run.stdout)).toBe("0 passed, 2 failed");
  });

  it("a multi's failing test lists its sub-rewards", () => {
    const file = write("multi/m.grade", `multi "m" {
  graders {
    a: string_check "a": sample.output_text eq item.a
    b: string_check "b": sample.output_text eq item.b
  }
  calculate_output: (a + b) / 2
}

test "both" { sample: "x", item { a: "x", b: "y" }, expect: 1 }
`);
    const run = grade(["test", file]);
    expect(run.stdout).toContain("  ✗ both  reward 0.5, expected 1\n      sub-rewards a 1, b 0\n");
  });

  it("a python test shows the traceback of an exception", () => {
    const file = write("py/p.grade", `python "p" {
  source: """
    def grade(sample, item):
        return 1 / 0
    """
}

test "divides" { sample: "x", expect: 1 }
`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("python_grader_runtime_error: Traceback");
    expect(run.stdout).toContain("ZeroDivisionError: division by zero");
    expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);
  });

  it("a file with an error: its findings, its tests counted as failed", () => {
    const file = write("broken/b.grade", `string_check "b": sample.output_text equals item.a\n\ntest "t" { sample: "x", item { a: "x" }, expect: 1 }\n`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error[invalid-enum]");
    expect(run.stdout).toContain(": 1 error; its 1 test did not run");
    expect(lastLine(run.stdout)).toBe("0 passed, 1 failed");
  });

  it("a test block that cannot run is a test-block finding", () => {
    const file = write("badtest/t.grade", `${city}\ntest "t" { sample: "x", expcet: 1 }\n`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error[test-block]: `expcet` is not a field of a test");
    expect(run.stderr).toContain("help: did you mean `expect`?");
  });

  it("--filter runs the tests whose name contains the text; none matching is a usage error", () => {
    const file = write("filter/city.grade", `${city}
test "paris" { sample: "Paris", item { city: "paris" }, expect: 1 }
test "lyon" { sample: "Lyon", item { city: "lyon" }, expect: 1 }
`);
    const run = grade(["test", file, "--filter", "lyon"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("✓ lyon");
    expect(run.stdout).not.toContain("paris");
    expect(run.stdout).toContain("1 test left out by --filter");
    expect(lastLine(run.stdout)).toBe("1 passed, 0 failed");
    const none = grade(["test", file, "--filter", "rome"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no test name contains `rome`");
  });

  it("files without tests are counted, not failed", () => {
    write("none/a.grade", city);
    const run = grade(["test", path.join(dir, "none")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("1 file without tests\n0 passed, 0 failed\n");
  });

  it("a path that does not exist: exit 2", () => {
    const run = grade(["test", path.join(dir, "nope")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no such file or directory");
  });

  it("--python with a missing interpreter: the server error flag, with its type", () => {
    const file = write("nopython/p.grade", `python "p" { source: "def grade(s, i):\\n    return 1" }\n\ntest "t" { sample: "x", expect: 1 }\n`);
    const run = grade(["test", file, "--python", path.join(dir, "no-python")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("python_grader_server_error:");
  });

  it("--help explains the test block", () => {
    const run = grade(["test", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('test "exact answer scores 1" {');
    expect(run.stdout).toContain("--filter <text>");
    expect(run.stdout).toContain("N passed, N failed");
    expect(run.stdout).toContain("(rule test-data, as grade check reports it)");
  });
});

describe("grade check on test blocks", () => {
  it("prints a test-data finding at file:line:col, with the close key, and exits 1", () => {
    const file = write("check/city.grade", `${city}\ntest "paris" {\n  sample: "Paris"\n  item { cty: "Paris" }\n  expect: 1\n}\n`);
    const label = path.relative(root, file);
    const run = grade(["check", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `${label}:5:10: error[test-data]: test "paris": \`item.city\` is missing from its item; the grader reads it at 1:47\n`,
    );
    expect(run.stdout).toContain(`note: \`item.city\` is read here at ${label}:1:47`);
    expect(run.stdout).toContain("help: the test's item has `cty`: if the grader means `item.cty`, fix its template at 1:47; else rename `cty` to `city` here");
    expect(run.stdout).toContain("✖ 1 error, 0 warnings in 1 file");
  });

  it("a declared-`sample` mismatch is a warning: exit 0, unless --max-warnings 0", () => {
    const file = write("check/sample.grade", `sample { output_json: { city: string } }\n${city}\ntest "t" { sample { output_json { city: 3 } }, item { city: "3" }, expect: 1 }\n`);
    const json = grade(["check", file, "--format", "json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ rule: "test-data", severity: "warning", message: 'test "t": `sample.output_json.city` is declared `string` but is a number' }),
    ]);
    expect(grade(["check", file, "--max-warnings", "0"]).code).toBe(1);
  });
});

describe("the README's test examples", () => {
  it("the language tour's test passes", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const tour = /## The language in one minute[\s\S]*?```grade\n([\s\S]*?)```/.exec(readme)![1]!;
    const run = grade(["test", write("readme/tour.grade", tour)]);
    expect(lastLine(run.stdout)).toBe("1 passed, 0 failed");
  });

  it("the tests section's example (docs/engine.md) passes as written", () => {
    const page = fs.readFileSync(path.join(import.meta.dirname, "../../docs/engine.md"), "utf8");
    const block = /## Tests in `\.grade` files[\s\S]*?```grade\n([\s\S]*?)```/.exec(page)![1]!;
    const file = write("readme/tests.grade", block);
    const run = grade(["test", file]);
    expect(run.stderr).toBe("");
    expect(lastLine(run.stdout)).toBe("2 passed, 0 failed");
    expect(run.code).toBe(0);
  });
});
