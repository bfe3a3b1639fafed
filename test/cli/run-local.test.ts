import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { grade, hasStackTrace, type Run } from "../helpers/cli.js";

/* `grade run` on the local engine (the default): offline, the API's answer shape, exit codes. */

let dir: string;
const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const json = (run: Run) => JSON.parse(run.stdout) as { reward: number; metadata: { errors: Record<string, unknown>; type: string }; sub_rewards: Record<string, number> };
const clean = (run: Run) => expect(hasStackTrace(run.stdout + run.stderr)).toBe(false);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-run-local-"));
});

describe("grade run (local engine)", () => {
  it("string_check: the reward with --json, exit 0, no network needed", () => {
    const run = grade(["run", "examples/graders/contains-city.grade", "--sample", "Off to PARIS", "--item", '{"city": "Paris"}', "--json"], {
      env: { OPENAI_API_KEY: undefined, OPENAI_BASE_URL: "http://127.0.0.1:1" },
    });
    clean(run);
    expect(run.code).toBe(0);
    const answer = json(run);
    expect(answer.reward).toBe(1);
    expect(answer.metadata.type).toBe("string_check");
    expect(Object.keys(answer.metadata.errors)).toHaveLength(14);
  });

  it("a missing item field: invalid_variable_error, reward 0, exit 1; the summary names the variable", () => {
    const run = grade(["run", "examples/graders/contains-city.grade", "--sample", "Paris", "--item", '{"town": "Paris"}']);
    clean(run);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("reward 0");
    expect(run.stdout).toContain("✖ invalid_variable_error");
    expect(run.stdout).toContain("details:  variable `item.city` in `reference` not found");
    const asJson = json(grade(["run", "examples/graders/contains-city.grade", "--sample", "Paris", "--item", '{"town": "Paris"}', "--json"]));
    expect(asJson.reward).toBe(0);
    expect(asJson.metadata.errors["invalid_variable_error"]).toBe(true);
  });

  it("text_similarity: rouge_l between the sample and the item", () => {
    const run = grade(["run", "examples/graders/summary-rouge.grade", "--sample", "On Tuesday the council passed the budget.", "--item", '{"reference_summary": "The council approved the new budget on Tuesday."}', "--json"]);
    expect(run.code).toBe(0);
    expect(json(run).reward).toBeCloseTo(0.5333333333, 8);
  });

  it("python: runs in python3, offline", () => {
    const run = grade(["run", "examples/graders/json-valid.grade", "--sample", '{"a": 1}', "--json"]);
    expect(run.code).toBe(0);
    expect(json(run).reward).toBe(1);
  });

  it("multi: the formula over the sub-rewards, printed by key", () => {
    const run = grade(["run", "examples/reference/guide-name-email-multi.grade", "--sample", '{"name": "Ada", "email": "a@b.c"}', "--item", '{"name": "Ada", "email": "x@y.z"}']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("reward 0.5  (multi)\nsub-rewards\n  name   1\n  email  0\n");
  });

  it("--sample-json gives a whole sample object", () => {
    const sample = write("sample.json", JSON.stringify({ output_json: { name: "Ada", email: "a@b.c" } }));
    const run = grade(["run", "examples/reference/guide-name-email-multi.grade", "--sample-json", `@${sample}`, "--item", '{"name": "Ada", "email": "a@b.c"}', "--json"]);
    expect(run.code).toBe(0);
    expect(json(run).reward).toBe(1);
  });

  it("--sample-json that is not a sample object: exit 2 with the reason", () => {
    const run = grade(["run", "examples/graders/contains-city.grade", "--sample-json", '{"output_text": 3}']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("grade: --sample-json: `output_text` in the sample must be a string, not a number\n");
  });

  it("option conflicts are usage errors (exit 2)", () => {
    const both = grade(["run", "examples/graders/contains-city.grade", "--sample", "x", "--sample-json", "{}"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give the sample once");
    const remote = grade(["run", "examples/graders/contains-city.grade", "--sample-json", "{}", "--remote"]);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain("--sample-json runs on the local engine only");
    const dry = grade(["run", "examples/graders/contains-city.grade", "--sample", "x", "--dry-run"]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).toContain("--dry-run shows the request sent to the API: add --remote");
    const python = grade(["run", "examples/graders/contains-city.grade", "--sample", "x", "--remote", "--python", "python3"]);
    expect(python.code).toBe(2);
    expect(python.stderr).toContain("--python is for the local engine");
  });

  it("a grader JSON file the checker rejects: its findings (as grade check gives them), exit 2, nothing run", () => {
    const file = write("bad.json", JSON.stringify({ type: "string_check", name: "s", input: "a", reference: "b", operation: "equals" }));
    const run = grade(["run", file, "--sample", "x"]);
    clean(run);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bad.json:1:75: error[invalid-enum]: `equals` is not a valid operation; it is one of `eq`, `ne`, `like` or `ilike`");
    expect(run.stderr).toContain("help: did you mean `eq`?");
    expect(run.stderr).toMatch(/grade: 1 error in `.*bad\.json`; nothing was run\n$/);
  });

  it("a request body JSON supplies model_sample and item", () => {
    const file = write("body.json", JSON.stringify({ grader: { type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{item.a}}", operation: "eq" }, model_sample: "x", item: { a: "x" } }));
    const run = grade(["run", file, "--json"]);
    expect(run.code).toBe(0);
    expect(json(run).reward).toBe(1);
  });

  it("an Evals file (// @target evals) runs with its own target: a top-level label_model is allowed", () => {
    const run = grade(["run", "examples/reference/openapi-label-model.grade", "--sample", "x", "--item", '{"response": "great"}']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✖ model_grader_server_error");
    expect(run.stdout).toContain("the local engine does not call models yet");
  });

  it("--python-timeout bounds a python grader", () => {
    const file = write("slow.grade", 'python "slow" {\n  source: """\n    import time\n\n    def grade(sample, item):\n        time.sleep(30)\n        return 1\n    """\n}\n');
    const run = grade(["run", file, "--sample", "x", "--python-timeout", "0.5", "--json"]);
    expect(run.code).toBe(1);
    expect(json(run).metadata.errors["python_grader_runtime_error_details"]).toContain("longer than");
  });

  it("--help says the local engine is the default", () => {
    const run = grade(["run", "--help"]);
    expect(run.stdout).toContain("Runs on the local engine unless --remote is given");
    expect(run.stdout).toContain("--sample-json <json|@file>");
    expect(run.stdout).toContain("--python <path>");
  });
});
