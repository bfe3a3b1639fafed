import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { grade, hasStackTrace } from "../helpers/cli.js";

const BROKEN = `item {
  response: string
  name: string
}

multi "review" {
  graders {
    tone: label_model "tone" {
      model: "gpt-4o-2024-08-06"
      labels: [positive, neutral, negative]
      passing_labels: [positive, upbeat]
      system "Classify the tone of the reply."
      user "Reply: {{item.respons}}"
    }
    name: string_check "name" {
      input: sample.output_json.name
      referense: item.name
      operation: eq
    }
  }
  calculate_output: (tone + nmae) / 2
}
`;

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-check-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("grade check", () => {
  it("reports what the schema rejects, as compile does, and says so in --help", () => {
    const dir = project({ "image.json": '{"type":"score_model","name":"s","model":"gpt-4o","input":[{"role":"user","content":[{"type":"input_image"}]}]}\n' });
    const run = grade(["check", "image.json"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("image.json:1:86: error[missing-field]: the `input_image` part `input[0].content[0]` needs `image_url`");
    const compiled = grade(["compile", "image.json"], { cwd: dir });
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toContain("image.json:1:86: error[missing-field]: the `input_image` part `input[0].content[0]` needs `image_url`");
    expect(grade(["check", "--help"]).stdout).toContain("a file checks clean exactly when it compiles");
  });

  it("finds the four classic mistakes, each with rule, location and a suggestion (exit 1)", () => {
    const dir = project({ "broken.grade": BROKEN });
    const run = grade(["check", "broken.grade"], { cwd: dir });
    expect(run.code).toBe(1);
    const headers = run.stdout.split("\n").filter((l) => /^broken\.grade:\d+:\d+: /.test(l));
    expect(headers).toEqual([
      "broken.grade:11:34: error[label-not-in-labels]: the passing label `upbeat` is not one of `labels`",
      "broken.grade:13:22: error[unknown-variable]: `item` has no field `respons` (it has `response`, `name`)",
      "broken.grade:17:7: error[unknown-field]: `string_check` has no field `referense`, and the `reference` it needs is missing",
      "broken.grade:21:29: error[unknown-grader]: `nmae` is not a key of `graders`; the keys are `tone` and `name`",
    ]);
    expect(run.stdout.match(/ {2}help: /g)).toHaveLength(4);
    expect(run.stdout).toContain("help: did you mean `item.response`?");
    expect(run.stdout).toContain("help: did you mean `reference`?");
    expect(run.stdout).toContain("help: did you mean `name`?");
    expect(run.stdout).toContain("✖ 4 errors, 0 warnings in 1 file");
  });

  it("underlines the span in a code frame", () => {
    const dir = project({ "broken.grade": BROKEN });
    const run = grade(["check", "broken.grade"], { cwd: dir });
    expect(run.stdout).toContain(
      ["  > 21 |   calculate_output: (tone + nmae) / 2", "       |                             ^^^^"].join("\n"),
    );
  });

  it("--format json gives rule, severity, message, file, start and end", () => {
    const dir = project({ "broken.grade": BROKEN });
    const run = grade(["check", "broken.grade", "--format", "json"], { cwd: dir });
    expect(run.code).toBe(1);
    const rows = JSON.parse(run.stdout);
    expect(rows).toHaveLength(4);
    expect(rows[3]).toEqual({
      rule: "unknown-grader",
      severity: "error",
      message: "`nmae` is not a key of `graders`; the keys are `tone` and `name`",
      file: "broken.grade",
      start: { line: 21, column: 29 },
      end: { line: 21, column: 33 },
      suggestion: "did you mean `name`?",
      replacement: "name",
    });
  });

  it("--format github prints workflow annotations", () => {
    const dir = project({ "broken.grade": BROKEN });
    const run = grade(["check", "broken.grade", "--format", "github"], { cwd: dir });
    expect(run.stdout.split("\n")[0]).toBe(
      "::error file=broken.grade,line=11,col=34,endLine=11,endColumn=40,title=gradelang label-not-in-labels::the passing label `upbeat` is not one of `labels`%0Ahelp: add `upbeat` to `labels`",
    );
  });

  it("exits 0 on a clean directory, warnings allowed", () => {
    const run = grade(["check", "examples"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/0 errors, \d+ warnings in \d+ files/);
  });

  it("--max-warnings turns too many warnings into exit 1", () => {
    const dir = project({ "p.grade": 'python { source: "def grade(s, i): return 1" }\n' });
    expect(grade(["check", "p.grade"], { cwd: dir }).code).toBe(0);
    expect(grade(["check", "p.grade", "--max-warnings", "1"], { cwd: dir }).code).toBe(0);
    const strict = grade(["check", "p.grade", "--max-warnings", "0"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("1 warnings exceed --max-warnings 0");
    const bad = grade(["check", "p.grade", "--max-warnings", "-1"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected a whole number");
  });

  it("uses colour only when forced or on a terminal, never with NO_COLOR", () => {
    const dir = project({ "broken.grade": BROKEN });
    expect(grade(["check", "broken.grade"], { cwd: dir }).stdout).not.toContain("\u001b[");
    const forced = grade(["check", "broken.grade"], { cwd: dir, env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain("\u001b[");
    const both = grade(["check", "broken.grade"], { cwd: dir, env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(both.stdout).not.toContain("\u001b[");
  });

  it("reports a missing file as an I/O error (exit 2) and an empty directory as usage", () => {
    const dir = project({ "readme.txt": "" });
    const missing = grade(["check", "missing.grade"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("grade: cannot read `missing.grade`: no such file or directory\n");
    const empty = grade(["check", "."], { cwd: dir });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no .grade files under `.`");
    expect(hasStackTrace(missing.stderr + empty.stderr)).toBe(false);
  });

  it("checks for the evals target", () => {
    const dir = project({ "t.grade": 'text_similarity "t": bleu(sample.output_text, item.ref)\n' });
    expect(grade(["check", "t.grade"], { cwd: dir }).code).toBe(0);
    const evals = grade(["check", "t.grade", "--target", "evals"], { cwd: dir });
    expect(evals.code).toBe(1);
    expect(evals.stdout).toContain("error[target]: a `text_similarity` grader needs `pass_threshold` for the evals target");
  });
});

describe("grade rules", () => {
  it("lists every rule with severity and example", () => {
    const run = grade(["rules"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("unknown-variable (error)");
    expect(run.stdout).toContain("unused-grader (warning)");
    const json = JSON.parse(grade(["rules", "--format", "json"]).stdout);
    expect(json.map((r: { id: string }) => r.id)).toContain("label-not-in-labels");
    for (const r of json) expect(Object.keys(r)).toEqual(["id", "severity", "summary", "example"]);
  });
});
