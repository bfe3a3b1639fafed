import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace } from "../helpers/cli.js";

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
    const file = write("flag/city.grade", `${city}\ntest "no city in the item" { sample: "Paris", item { town: "Paris" }, expect: 0 }\n`);
    const run = grade(["test", file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("  ✗ no city in the item  reward 0, expected 0\n      invalid_variable_error: variable `item.city` in `reference` not found\n");
    expect(lastLine(run.stdout)).toBe("0 passed, 1 failed");
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
    const file = write("broken/b.grade", `string_check "b": sample.output_text equals item.a\n\ntest "t" { sample: "x", expect: 1 }\n`);
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
  });
});

describe("the README's test examples", () => {
  it("the language tour's test passes", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const tour = /## The language in one minute[\s\S]*?```grade\n([\s\S]*?)```/.exec(readme)![1]!;
    const run = grade(["test", write("readme/tour.grade", tour)]);
    expect(lastLine(run.stdout)).toBe("1 passed, 0 failed");
  });

  it("the tests section's example passes as written", () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const block = /## Tests in `\.grade` files[\s\S]*?```grade\n([\s\S]*?)```/.exec(readme)![1]!;
    const file = write("readme/tests.grade", block);
    const run = grade(["test", file]);
    expect(run.stderr).toBe("");
    expect(lastLine(run.stdout)).toBe("2 passed, 0 failed");
    expect(run.code).toBe(0);
  });
});
