// Bringing many JSON graders in (`grade decompile` of files, directories, fine-tuning job bodies
// and Evals bodies) and sending them back out (`grade compile --emit testing-criteria|method`).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findGraders } from "../../src/decompile.js";
import { grade, hasStackTrace } from "../helpers/cli.js";

const bodies = "test/fixtures/bodies";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-migrate-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const read = (file: string) => fs.readFileSync(file, "utf8");
const json = (file: string): unknown => JSON.parse(read(file));

describe("findGraders", () => {
  it("finds the grader of each kind of body, and says what the body is", () => {
    expect(findGraders(json(`${bodies}/fine-tuning-job.json`))).toMatchObject({
      container: "a fine-tuning job body (`method.reinforcement.grader`)",
      graders: [{ pointer: "/method/reinforcement/grader", target: undefined }],
    });
    expect(findGraders(json(`${bodies}/method.json`))?.graders.map((g) => g.pointer)).toEqual(["/reinforcement/grader"]);
    const evals = findGraders(json(`${bodies}/evals-body.json`))!;
    expect(evals.container).toBe("an Evals body (`testing_criteria`)");
    expect(evals.graders.map((g) => [g.pointer, g.name, g.target])).toEqual([
      ["/testing_criteria/0", "Exact match", "evals"],
      ["/testing_criteria/1", "Close enough", "evals"],
      ["/testing_criteria/2", "Exact match", "evals"],
    ]);
    expect(findGraders({ type: "string_check" })?.direct).toBe(true);
    expect(findGraders({ grader: { type: "python" } })?.container).toBe("a request body (`grader`)");
    expect(findGraders([{ type: "string_check" }, { type: "python", name: "" }])?.graders.map((g) => g.name)).toEqual(["criterion-1", "criterion-2"]);
    for (const none of [null, 3, "x", [], [1], { name: "x" }, { method: { type: "supervised" } }]) expect(findGraders(none)).toBeUndefined();
  });
});

describe("grade decompile of bodies and directories", () => {
  it("a fine-tuning job body: prints its grader and says where it was found", () => {
    const run = grade(["decompile", `${bodies}/fine-tuning-job.json`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('string_check "exact": sample.output_text eq item.answer\n');
    expect(run.stderr).toBe(
      `grade: found ${bodies}/fine-tuning-job.json: a fine-tuning job body (\`method.reinforcement.grader\`): the grader at /method/reinforcement/grader\n`,
    );
  });

  it("an Evals body holds several graders: -o is needed, and each criterion gets a file marked for evals", () => {
    const alone = grade(["decompile", `${bodies}/evals-body.json`]);
    expect(alone.code).toBe(2);
    expect(alone.stdout).toBe("");
    expect(alone.stderr).toContain(`grade: \`${bodies}/evals-body.json\` holds 3 graders: give \`-o <dir>\` to write one .grade file per grader`);

    const out = path.join(tmp, "evals");
    const run = grade(["decompile", `${bodies}/evals-body.json`, "-o", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("grade: found test/fixtures/bodies/evals-body.json: an Evals body (`testing_criteria`): 3 graders");
    expect(fs.readdirSync(path.join(out, "evals-body")).sort()).toEqual(["close-enough.grade", "exact-match-2.grade", "exact-match.grade"]);
    const close = read(path.join(out, "evals-body", "close-enough.grade"));
    expect(close.startsWith("// @target evals\ntext_similarity \"Close enough\" {")).toBe(true);
    // Back again: the criteria compile to the Evals body's testing_criteria, in order.
    const back = grade(["compile", path.join(out, "evals-body/exact-match.grade"), path.join(out, "evals-body/close-enough.grade"), path.join(out, "evals-body/exact-match-2.grade"), "--emit", "testing-criteria"]);
    expect(back.stderr).toBe("");
    expect(JSON.parse(back.stdout)).toEqual((json(`${bodies}/evals-body.json`) as { testing_criteria: unknown }).testing_criteria);
  });

  it("a directory of JSON: one .grade per grader, mirrored; a file that holds no grader stops it, nothing written", () => {
    const dir = path.join(tmp, "in");
    fs.mkdirSync(path.join(dir, "sub"), { recursive: true });
    fs.copyFileSync(`${bodies}/method.json`, path.join(dir, "sub", "method.json"));
    fs.copyFileSync("examples/graders/contains-city.json", path.join(dir, "contains-city.json"));
    const out = path.join(tmp, "out");
    const run = grade(["decompile", dir, "-o", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`grade: wrote 2 files to ${out}`);
    expect(read(path.join(out, "sub", "method.grade"))).toBe('text_similarity "overlap": rouge_l(sample.output_text, item.answer)\n');
    expect(fs.existsSync(path.join(out, "contains-city.grade"))).toBe(true);

    fs.copyFileSync(`${bodies}/not-a-grader.json`, path.join(dir, "not-a-grader.json"));
    const out2 = path.join(tmp, "out2");
    const bad = grade(["decompile", dir, "-o", out2]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("not-a-grader.json:1:1: error[syntax]: this JSON is not a grader: it has no `type`");
    expect(bad.stderr).toContain("grade: nothing was written");
    expect(fs.existsSync(out2)).toBe(false);
    expect(hasStackTrace(bad.stderr)).toBe(false);
  });

  it("a directory without JSON says so; grade check of a JSON-only directory says what to do", () => {
    const empty = path.join(tmp, "empty");
    fs.mkdirSync(empty);
    expect(grade(["decompile", empty]).stderr).toBe(`grade: no .json files under \`${empty}\`\n`);
    const jsonOnly = path.join(tmp, "json-only");
    fs.mkdirSync(jsonOnly);
    fs.copyFileSync("examples/graders/contains-city.json", path.join(jsonOnly, "a.json"));
    const check = grade(["check", jsonOnly]);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(
      `grade: no .grade files under \`${jsonOnly}\`, but 1 .json file: name JSON graders one by one (\`${jsonOnly}/*.json\`), or turn them into .grade files with \`grade decompile ${jsonOnly} -o <dir>\`\n`,
    );
  });
});

describe("grade compile --emit", () => {
  it("method: the method object of a fine-tuning job, for one grader", () => {
    const run = grade(["compile", "examples/graders/contains-city.grade", "--emit", "method"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ type: "reinforcement", reinforcement: { grader: json("examples/graders/contains-city.json") } });
    const file = path.join(tmp, "method.json");
    expect(grade(["compile", "examples/graders/contains-city.grade", "--emit", "method", "-o", file]).code).toBe(0);
    expect(json(file)).toEqual(JSON.parse(run.stdout));
  });

  it("refuses what does not make one document, with the reason", () => {
    const two = grade(["compile", "examples/graders/contains-city.grade", "examples/graders/json-valid.grade", "--emit", "method"]);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe("grade: `--emit method` makes the method of one fine-tuning job: give one grader, not 2\n");
    const target = grade(["compile", "examples/graders/contains-city.grade", "--emit", "testing-criteria", "--target", "rft"]);
    expect(target.stderr).toBe("grade: `--emit testing-criteria` is for the evals target; leave --target out or give --target evals\n");
    const dir = grade(["compile", "examples/graders/contains-city.grade", "--emit", "method", "-o", path.join(tmp, "dir")]);
    expect(dir.stderr).toContain("writes one JSON document: give -o a file ending in .json");
    const bogus = grade(["compile", "examples/graders/contains-city.grade", "--emit", "job"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain("Allowed choices are grader, testing-criteria, method");
  });

  it("a grader with errors writes nothing", () => {
    const bad = path.join(tmp, "bad.grade");
    fs.writeFileSync(bad, 'string_check "x" { input: sample.output_text reference: "a" operation: nope }\n');
    const run = grade(["compile", bad, "--emit", "testing-criteria"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("error[invalid-enum]: `nope` is not a valid operation");
    expect(run.stderr).toContain("grade: errors; nothing was written");
  });
});
