// The promptfoo assertion called as promptfoo calls it — (output, context) — in-process: the
// mapping of output and vars, the pass rules, a multi's components, and every bad input as a
// failed result with its reason. test/promptfoo/real-promptfoo.test.ts runs it inside promptfoo.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertion, grader, itemOf, sampleOf } from "../../src/promptfoo/assertion.js";
import { root } from "../helpers/cli.js";
import { FakeModelServer } from "../helpers/model-server.js";

let dir: string;
const city = path.join(root, "examples/graders/contains-city.grade");

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-assertion-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the sample and the item", () => {
  it("a text is output_text, and output_json when it parses", () => {
    expect(sampleOf("Paris")).toMatchObject({ output_text: "Paris", output_json: null, output_tools: [] });
    expect(sampleOf(' {"a": 1} ')).toMatchObject({ output_text: ' {"a": 1} ', output_json: { a: 1 } });
    expect(sampleOf(undefined)).toMatchObject({ output_text: "", output_json: null });
  });

  it("tool calls (a list, or a message with tool_calls) are output_tools", () => {
    const call = { id: "call_1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } };
    expect(sampleOf([call])).toMatchObject({ output_text: "", output_tools: [call] });
    expect(sampleOf({ role: "assistant", content: "Checking.", tool_calls: [call] })).toMatchObject({ output_text: "Checking.", output_tools: [call] });
  });

  it("any other value is output_json, with its JSON text as output_text", () => {
    expect(sampleOf({ answer: 42 })).toMatchObject({ output_text: '{"answer":42}', output_json: { answer: 42 } });
    expect(sampleOf(7)).toMatchObject({ output_text: "7", output_json: 7 });
  });

  it("the vars are the item, but omitVars; values that are no JSON are left out", () => {
    expect(itemOf({ city: "Paris", output: "x", n: 2, f: () => 1, nested: { a: [1] } }, ["output"])).toEqual({ city: "Paris", n: 2, nested: { a: [1] } });
  });
});

describe("the result", () => {
  it("score is the reward; pass the grader's rule; reason says both", async () => {
    expect(await grader("We land in PARIS at noon.", { vars: { city: "Paris" }, config: { grader: city } })).toEqual({
      pass: true,
      score: 1,
      reason: `"mentions the city" string_check (${city}): reward 1, passed: a match`,
    });
    const miss = await grader("We stay in Nice.", { vars: { city: "Marseille" }, config: { grader: city } });
    expect(miss).toEqual({ pass: false, score: 0, reason: `"mentions the city" string_check (${city}): reward 0, failed: no match (a string_check passes at 1)` });
  });

  it("pass_threshold, the assertion's threshold and config.threshold", async () => {
    const file = write("overlap.grade", '// @target evals\ntext_similarity "overlap" {\n  input: sample.output_text\n  reference: item.ref\n  evaluation_metric: rouge_l\n  pass_threshold: 0.5\n}\n');
    const vars = { ref: "The council approved the new budget on Tuesday." };
    const output = "On Tuesday the council passed the budget.";
    const own = await grader(output, { vars, config: { grader: file } });
    expect(own.score).toBeCloseTo(0.5333, 3);
    expect(own.pass).toBe(true);
    expect(own.reason).toMatch(/reward 0\.533333, passed: at or above the grader's pass_threshold 0\.5$/);
    const config = { grader: file, threshold: 0.6 };
    expect((await grader(output, { vars, config })).reason).toMatch(/failed: below the assertion's threshold 0\.6$/);
    // promptfoo's own `threshold` on the assertion: found by its config among the test's assertions.
    const test = { assert: [{ type: "contains", value: "x", threshold: 0.1 }, { type: "javascript", value: "file://x.js:grader", config: { grader: file }, threshold: 0.9 }] };
    const strict = await grader(output, { vars, config: { grader: file }, test });
    expect(strict.pass).toBe(false);
    expect(strict.reason).toMatch(/below the assertion's threshold 0\.9$/);
  });

  it("a multi: one component per sub-grader, and namedScores by key", async () => {
    const file = write(
      "multi.grade",
      'multi "answer" {\n  graders {\n    exact: string_check "exact": sample.output_text eq item.answer\n    close: text_similarity "close": fuzzy_match(sample.output_text, item.answer)\n  }\n  calculate_output: 0.5 * exact + 0.5 * close\n}\n',
    );
    const result = await grader("Pariss", { vars: { answer: "Paris" }, config: { grader: file } });
    expect(result.componentResults!.map((c) => [c.pass, c.reason.replace(/[\d.]+,/, "N,")])).toEqual([
      [false, 'exact: "exact" string_check, reward N, failed: no match (a string_check passes at 1)'],
      [true, 'close: "close" text_similarity, reward N, passed: above 0 (no pass_threshold: set the assertion\'s threshold for another rule)'],
    ]);
    expect(result.namedScores!["exact"]).toBe(0);
    expect(result.score).toBeCloseTo(0.5 * result.namedScores!["close"]!, 12);
  });

  it("a grader JSON file, and assertion() bound to a URL", async () => {
    const json = write("exact.json", JSON.stringify({ type: "string_check", name: "exact", input: "{{sample.output_text}}", reference: "{{item.answer}}", operation: "eq" }));
    expect((await grader("42", { vars: { answer: "42" }, config: { grader: json } })).pass).toBe(true);
    const bound = assertion(pathToFileURL(json), { threshold: 1 });
    expect(await bound("41", { vars: { answer: "42" } })).toMatchObject({ pass: false, score: 0 });
  });

  it("an edited grader file is read again", async () => {
    const file = write("edited.grade", 'string_check "e": sample.output_text eq "a"\n');
    expect((await grader("a", { config: { grader: file } })).score).toBe(1);
    fs.writeFileSync(file, 'string_check "e": sample.output_text eq "bb"\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await grader("a", { config: { grader: file } })).score).toBe(0);
  });
});

describe("bad input: a failed assertion with the reason, never a silent 0", () => {
  it("no grader in the config", async () => {
    expect(await grader("x", { vars: {} })).toEqual({
      pass: false,
      score: 0,
      reason: "gradelang: the assertion's config needs `grader: path/to/grader.grade` (or a grader .json), e.g. `config: { grader: graders/exact.grade }`",
    });
  });

  it("a missing file", async () => {
    expect((await grader("x", { config: { grader: "graders/nowhere.grade" } })).reason).toBe(
      `gradelang: cannot read grader \`graders/nowhere.grade\`: no such file (relative paths are read from the directory promptfoo runs in, ${process.cwd()})`,
    );
  });

  it("a grader with checker errors: each at its line and column", async () => {
    const file = write("broken.grade", 'string_check "exact" {\n  input: sample.output_text\n  reference: item.answer\n  operation: equals\n}\n');
    const result = await grader("x", { config: { grader: file } });
    expect(result).toMatchObject({ pass: false, score: 0 });
    expect(result.reason).toBe(
      `gradelang: \`${file}\` has 1 error; nothing was graded (\`grade check ${file}\` shows them):\n` +
        `${file}:4:14: error[invalid-enum]: \`equals\` is not a valid operation; it is one of \`eq\`, \`ne\`, \`like\` or \`ilike\``,
    );
  });

  it("a grader JSON the engine rejects", async () => {
    const file = write("bad.json", JSON.stringify({ type: "string_check", name: "x", input: "a", reference: "b", operation: "equals" }));
    expect((await grader("x", { config: { grader: file } })).reason).toMatch(/^gradelang: `.*bad\.json`: invalid grader at `operation`: .*; nothing was graded$/);
  });

  it("vars without an item field the grader reads", async () => {
    expect((await grader("Toulouse by plane.", { vars: { town: "Toulouse" }, config: { grader: city } })).reason).toBe(
      `"mentions the city" string_check (${city}): reward 0, failed: invalid_variable_error: variable \`item.city\` in \`reference\` not found`,
    );
  });

  it("unknown config keys and wrong types", async () => {
    expect((await grader("x", { config: { grader: city, treshold: 1 } })).reason).toMatch(/^gradelang: unknown key `treshold` in the assertion's config \(known: grader, threshold,/);
    expect((await grader("x", { config: { grader: city, threshold: "high" } })).reason).toBe("gradelang: `config.threshold` must be a number, not a string");
    expect((await grader("x", { config: "graders/x.grade" as never })).reason).toBe("gradelang: the assertion's `config` must be an object, not a string");
    expect((await grader("x", { config: { grader: city, model: ["gpt-4o"] } })).reason).toBe(
      'gradelang: `config.model` must be a map {grader model: served model} or a list of "from=to", not a list',
    );
  });

  it("model options without a model server name the config key", async () => {
    const saved = { url: process.env["GRADE_MODEL_BASE_URL"], key: process.env["GRADE_MODEL_API_KEY"] };
    delete process.env["GRADE_MODEL_BASE_URL"];
    delete process.env["GRADE_MODEL_API_KEY"];
    try {
      expect((await grader("x", { vars: { city: "x" }, config: { grader: city, model: { "*": "llama3" } } })).reason).toBe(
        "gradelang: config.model configures the model server, and none is set: pass config.modelBaseUrl <url> or set GRADE_MODEL_BASE_URL (or GRADE_MODEL_API_KEY for the OpenAI API)",
      );
    } finally {
      if (saved.url !== undefined) process.env["GRADE_MODEL_BASE_URL"] = saved.url;
      if (saved.key !== undefined) process.env["GRADE_MODEL_API_KEY"] = saved.key;
    }
  });

  it("a model grader: the server of the config is called; without one, the error flag says why", async () => {
    const file = write("tone.grade", 'score_model "tone" {\n  model: "gpt-4o-2024-08-06"\n  user "Rate {{sample.output_text}}"\n}\n');
    const server = await FakeModelServer.start();
    try {
      const called = await grader("Thanks!", { config: { grader: file, modelBaseUrl: server.baseUrl, model: { "*": "served" } } });
      expect(called).toMatchObject({ pass: true, score: 0.5 });
      expect(called.reason).toBe(
        `"tone" score_model (${file}): reward 0.5, passed: above 0 (no pass_threshold: set the assertion's threshold for another rule)\nthe model: compared: close`,
      );
      expect(server.requests[0]!.body.model).toBe("served");
    } finally {
      await server.close();
    }
    const saved = process.env["GRADE_MODEL_BASE_URL"];
    delete process.env["GRADE_MODEL_BASE_URL"];
    try {
      const none = await grader("Thanks!", { config: { grader: file } });
      expect(none).toMatchObject({ pass: false, score: 0 });
      expect(none.reason).toMatch(/failed: model_grader_server_error: /);
    } finally {
      if (saved !== undefined) process.env["GRADE_MODEL_BASE_URL"] = saved;
    }
  });
});
