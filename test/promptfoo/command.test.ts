// `grade promptfoo`: the config it writes (a starter, or an existing config updated with its
// comments kept), the dataset's rows as tests, and its bad input. The built CLI, in a child process.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { grade, hasStackTrace, root } from "../helpers/cli.js";

let dir: string;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const cli = (...args: string[]) => grade(["promptfoo", ...args], { cwd: dir });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-promptfoo-cli-"));
  fs.cpSync(path.join(root, "examples/graders"), path.join(dir, "graders"), { recursive: true });
  fs.cpSync(path.join(root, "examples/data"), path.join(dir, "data"), { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("grade promptfoo", () => {
  it("prints a starter config: the echo provider, one assertion per grader in defaultTest", () => {
    const run = cli("graders/contains-city.grade", "graders/summary-rouge.grade", "--threshold", "0.5");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const config = parse(run.stdout);
    const module = `file://${path.relative(dir, path.join(root, "promptfoo.js"))}:grader`;
    expect(config).toEqual({
      description: "gradelang graders",
      prompts: ["{{output}}"],
      providers: ["echo"],
      defaultTest: {
        assert: [
          { type: "javascript", metric: "mentions the city", value: module, config: { grader: "graders/contains-city.grade", threshold: 0.5 } },
          { type: "javascript", metric: "summary overlap", value: module, config: { grader: "graders/summary-rouge.grade", threshold: 0.5 } },
        ],
      },
      tests: [],
    });
    expect(run.stdout).toMatch(/^# Written by `grade promptfoo`/);
  });

  it("--data: one test per row, the item's fields as vars, the sample as `output` (omitted from the item)", () => {
    const run = cli("graders/contains-city.grade", "--data", "data/cities.jsonl", "--skip-bad-rows", "-o", "out/promptfooconfig.yaml");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      "data/cities.jsonl:10: not valid JSON (Expected double-quoted property name in JSON at position 100 (line 1 column 101))\n" +
        "grade promptfoo: skipped 1 malformed row\n" +
        "grade promptfoo: warning: 1 row gives `sample.output_json`; the echo provider replays the output text only, so a grader reading it sees it derived from the text\n" +
        "grade promptfoo: wrote `out/promptfooconfig.yaml`: 1 assertion, 11 tests; run `npx promptfoo eval` in `out`\n",
    );
    const config = parse(read("out/promptfooconfig.yaml"));
    expect(config.defaultTest.assert[0].config).toEqual({ grader: "../graders/contains-city.grade", omitVars: ["output"] });
    expect(config.tests).toHaveLength(11);
    expect(config.tests[0]).toEqual({ description: "trip-01", vars: { city: "Paris", output: "We land in PARIS at noon." } });
    expect(config.tests[4]).toEqual({ description: "trip-05", vars: { city: "Lille", output: "Lille, then Brussels." } });
    expect(config.tests[6]).toEqual({ description: "trip-07", vars: { town: "Toulouse", output: "Toulouse by plane." } });
  });

  it("--data - reads the rows from standard input", () => {
    const run = grade(["promptfoo", "graders/contains-city.grade", "--data", "-"], { cwd: dir, input: '{"item": {"city": "Oslo"}, "sample": "Oslo!"}\n' });
    expect(run.code, run.stderr).toBe(0);
    expect(parse(run.stdout).tests).toEqual([{ description: "row 1", vars: { city: "Oslo", output: "Oslo!" } }]);
  });

  it("malformed rows: listed with their line, nothing written, exit 1", () => {
    const run = cli("graders/contains-city.grade", "--data", "data/cities.jsonl", "-o", "bad-rows.yaml");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "data/cities.jsonl:10: not valid JSON (Expected double-quoted property name in JSON at position 100 (line 1 column 101))\n" +
        "grade promptfoo: 1 row is malformed; nothing was written (--skip-bad-rows writes the other 11)\n",
    );
    expect(fs.existsSync(path.join(dir, "bad-rows.yaml"))).toBe(false);
  });

  it("rows: items alone, an item with an `output` field, ids, and what promptfoo would change", () => {
    write(
      "rows.jsonl",
      [
        '{"item": {"city": "Paris", "output": "kept"}, "sample": "In Paris"}',
        '{"city": "Lyon"}',
        '{"id": 7, "item": {"city": "Nice"}}',
        '{"item": {"city": "Rome\\n", "tags": ["a"]}, "sample": "{{ city }} and {% raw %}"}',
        "",
      ].join("\n"),
    );
    const run = cli("graders/contains-city.grade", "--data", "rows.jsonl", "-o", "rows.yaml");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      "grade promptfoo: warning: row 4: `city` ends in a newline (promptfoo strips it); `tags` is a list (promptfoo makes one test per element); `sample_output` holds template syntax (promptfoo renders it); its score in promptfoo may differ from grade eval's\n",
    );
    const config = parse(read("rows.yaml"));
    expect(config.prompts).toEqual(["{{sample_output}}"]);
    expect(config.defaultTest.assert[0].config.omitVars).toEqual(["sample_output"]);
    expect(config.tests.map((t: { description: string; vars: object }) => [t.description, t.vars])).toEqual([
      ["row 1", { city: "Paris", output: "kept", sample_output: "In Paris" }],
      ["row 2", { city: "Lyon" }],
      ["7", { city: "Nice" }],
      ["row 4", { city: "Rome\n", tags: ["a"], sample_output: "{{ city }} and {% raw %}" }],
    ]);
  });

  it("an existing config keeps its comments, other assertions and tests; its gradelang assertions are replaced", () => {
    write(
      "existing.yaml",
      [
        "# our eval",
        "prompts: [file://prompt.txt]",
        "providers: [openai:gpt-5-mini] # the model under test",
        "defaultTest:",
        "  assert:",
        "    - type: contains",
        "      value: Paris",
        "    - type: javascript",
        "      value: file://node_modules/gradelang/promptfoo.js:grader",
        "      config: { grader: old.grade }",
        "tests:",
        "  - vars: { city: Paris }",
        "",
      ].join("\n"),
    );
    const run = cli("graders", "-o", "existing.yaml");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("grade promptfoo: updated `existing.yaml`: 7 gradelang assertions in defaultTest, 1 earlier one replaced\n");
    const text = read("existing.yaml");
    expect(text).toMatch(/^# our eval\n/);
    expect(text).toContain("providers: [ openai:gpt-5-mini ] # the model under test");
    const config = parse(text);
    expect(config.defaultTest.assert[0]).toEqual({ type: "contains", value: "Paris" });
    expect(config.defaultTest.assert.slice(1).map((a: { config: { grader: string } }) => a.config.grader)).toEqual([
      "graders/answer-similarity-evals.grade",
      "graders/clinical-phrase.grade",
      "graders/contains-city.grade",
      "graders/json-valid.grade",
      "graders/politeness.grade",
      "graders/summary-rouge.grade",
      "graders/support-reply.grade",
    ]);
    expect(config.tests).toEqual([{ vars: { city: "Paris" } }]);

    // Again, with a dataset: the same assertions (not twice), the tests replaced by the rows.
    const again = cli("graders/contains-city.grade", "-o", "existing.yaml", "--data", "data/summaries.jsonl");
    expect(again.stderr).toBe("grade promptfoo: updated `existing.yaml`: 1 gradelang assertion in defaultTest, 7 earlier ones replaced, tests replaced by the 6 rows (there were 1)\n");
    const updated = parse(read("existing.yaml"));
    expect(updated.defaultTest.assert).toHaveLength(2);
    expect(updated.tests).toHaveLength(6);
  });

  it("a grader with errors: its findings, nothing written, exit 1", () => {
    write("broken.grade", 'string_check "exact" {\n  input: sample.output_text\n  reference: item.answer\n  operation: equals\n}\n');
    const run = cli("broken.grade", "-o", "broken.yaml");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("broken.grade:4:14: error[invalid-enum]: `equals` is not a valid operation");
    expect(run.stderr).toMatch(/grade promptfoo: a grader has errors; nothing was written\n$/);
    expect(fs.existsSync(path.join(dir, "broken.yaml"))).toBe(false);
  });

  it("usage and I/O errors: exit 2 with the reason, no stack trace", () => {
    const cases: [string[], string][] = [
      [["graders/nowhere.grade"], "grade: cannot read `graders/nowhere.grade`: no such file or directory\n"],
      [["graders/contains-city.grade", "-o", "config.json"], "grade: -o `config.json`: promptfoo reads a YAML config here; give a .yaml or .yml file\n"],
      [["graders/contains-city.grade", "--data", "nope.jsonl"], "grade: cannot read --data `nope.jsonl`: no such file or directory\n"],
      [["-"], "grade: `grade promptfoo` needs grader files (promptfoo reads them at run time), not standard input\n"],
    ];
    for (const [args, message] of cases) {
      const run = cli(...args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 2, stderr: message });
      expect(hasStackTrace(run.stderr)).toBe(false);
    }
    write("notyaml.yaml", "prompts: [\n");
    const run = cli("graders/contains-city.grade", "-o", "notyaml.yaml");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^grade: cannot update `notyaml.yaml`: /);
    expect(read("notyaml.yaml")).toBe("prompts: [\n");
  });

  it("--help says what it writes", () => {
    const run = grade(["promptfoo", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("file://node_modules/gradelang/promptfoo.js:grader");
    expect(run.stdout).toContain("--data <rows.jsonl>");
  });
});
