import { afterAll, describe, expect, it } from "vitest";
import { EngineError } from "../../src/api/errors.js";
import type { JsonObject } from "../../src/emit/emit.js";
import { LocalEngine, MAX_PYTHON_WORKERS } from "../../src/engine/local.js";
import { ERROR_KEYS } from "../../src/engine/outcome.js";
import { sampleFromText } from "../../src/engine/sample.js";

/*
 * The local engine answers like POST /fine_tuning/alpha/graders/run: the reward of each kind, the
 * response shape with all 14 error keys, and the error flags with their details.
 */

const engine = new LocalEngine();
afterAll(() => engine.close());
const run = (grader: JsonObject, sample: string, item?: JsonObject) => engine.run({ grader, model_sample: sample, ...(item ? { item } : {}) });
const errorsOf = (response: Awaited<ReturnType<typeof run>>) => response.metadata!.errors as Record<string, unknown>;
const setFlags = (response: Awaited<ReturnType<typeof run>>) =>
  Object.entries(errorsOf(response))
    .filter(([, v]) => v === true)
    .map(([k]) => k);

const exact = { type: "string_check", name: "exact", input: "{{sample.output_text}}", reference: "{{item.answer}}", operation: "eq" } satisfies JsonObject;

describe("the response shape", () => {
  it("has reward, metadata (name, type, the 14 error keys, execution_time, scores, token_usage, sampled_model_name), sub_rewards and usage per model", async () => {
    const response = await run(exact, "Paris", { answer: "Paris" });
    expect(response.reward).toBe(1);
    expect(Object.keys(response)).toEqual(["reward", "metadata", "sub_rewards", "model_grader_token_usage_per_model"]);
    const metadata = response.metadata!;
    expect(Object.keys(metadata)).toEqual(["name", "type", "errors", "execution_time", "scores", "token_usage", "sampled_model_name"]);
    expect(metadata.name).toBe("exact");
    expect(metadata.type).toBe("string_check");
    expect(Object.keys(metadata.errors!)).toEqual([...ERROR_KEYS]);
    for (const key of ERROR_KEYS) expect(metadata.errors![key]).toBe(key.endsWith("_type") || key.endsWith("_details") ? null : false);
    expect(typeof metadata.execution_time).toBe("number");
    expect(metadata.execution_time).toBeGreaterThanOrEqual(0);
    expect(metadata.scores).toEqual({});
    expect(metadata.token_usage).toBeNull();
    expect(metadata.sampled_model_name).toBeNull();
    expect(response.sub_rewards).toEqual({});
    expect(response.model_grader_token_usage_per_model).toEqual({});
  });

  it("a grader without a name answers name \"\"", async () => {
    const { name: _name, ...unnamed } = exact;
    expect((await run(unnamed, "x", { answer: "x" })).metadata!.name).toBe("");
  });
});

describe("string_check", () => {
  const check = (operation: string, input: string, reference: string) =>
    run({ type: "string_check", name: "s", input, reference, operation }, "").then((r) => r.reward);

  it("eq, ne: exact, case-sensitive", async () => {
    expect(await check("eq", "Paris", "Paris")).toBe(1);
    expect(await check("eq", "Paris", "paris")).toBe(0);
    expect(await check("ne", "Paris", "paris")).toBe(1);
    expect(await check("ne", "Paris", "Paris")).toBe(0);
  });

  it("like: input contains reference (case-sensitive, no wildcards); ilike ignores case", async () => {
    expect(await check("like", "I live in Paris.", "Paris")).toBe(1);
    expect(await check("like", "I live in Paris.", "paris")).toBe(0);
    expect(await check("like", "100%", "%")).toBe(1);
    expect(await check("like", "abc", "a%")).toBe(0);
    expect(await check("ilike", "I live in PARIS.", "paris")).toBe(1);
  });

  it("no trimming: a trailing newline makes eq fail", async () => {
    expect(await check("eq", "yes\n", "yes")).toBe(0);
  });
});

describe("templates", () => {
  it("strings go in as they are, other values as compact JSON", async () => {
    const grader = { type: "string_check", name: "s", input: "{{item.n}} {{item.list}} {{item.obj}} {{item.flag}} {{item.nothing}}", reference: '42 [1,2] {"a":"é"} true null', operation: "eq" };
    expect((await run(grader, "", { n: 42, list: [1, 2], obj: { a: "é" }, flag: true, nothing: null })).reward).toBe(1);
  });

  it("nested fields and list indexes, in item and sample", async () => {
    const grader = { type: "string_check", name: "s", input: "{{ sample.output_json.user.tags[1] }}", reference: "{{item.rows[0].want}}", operation: "eq" };
    const response = await run(grader, '{"user": {"tags": ["a", "b"]}}', { rows: [{ want: "b" }] });
    expect(response.reward).toBe(1);
  });

  it("a missing item field: invalid_variable_error, reward 0, the variable named in the details", async () => {
    const response = await run(exact, "Paris", { answr: "Paris" });
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["invalid_variable_error"]);
    expect(errorsOf(response)["invalid_variable_error_details"]).toBe("variable `item.answer` in `reference` not found");
  });

  it("no item at all: the details say the run has none", async () => {
    const response = await run(exact, "Paris");
    expect(errorsOf(response)["invalid_variable_error_details"]).toBe("variable `item.answer` in `reference` not found (the run has no item)");
  });

  it("sample.output_json of a sample that is not JSON: sample_parse_error", async () => {
    const grader = { type: "string_check", name: "s", input: "{{sample.output_json.email}}", reference: "a@b.c", operation: "eq" };
    const response = await run(grader, "not json");
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["sample_parse_error"]);
    expect(errorsOf(response)["sample_parse_error_details"]).toContain("the sample is not valid JSON, so `sample.output_json.email`");
  });

  it("a JSON sample without the field: invalid_variable_error", async () => {
    const grader = { type: "string_check", name: "s", input: "{{sample.output_json.email}}", reference: "a@b.c", operation: "eq" };
    const response = await run(grader, '{"name": "x"}');
    expect(setFlags(response)).toEqual(["invalid_variable_error"]);
  });
});

describe("text_similarity", () => {
  const similarity = (metric: string, input: string, reference: string) =>
    run({ type: "text_similarity", name: "t", input, reference, evaluation_metric: metric }, "");

  it("computes each local metric in 0..1 (identical texts score 1)", async () => {
    for (const metric of ["fuzzy_match", "bleu", "gleu", "rouge_1", "rouge_2", "rouge_3", "rouge_4", "rouge_5", "rouge_l"]) {
      const same = await similarity(metric, "the cat sat on the mat today", "the cat sat on the mat today");
      expect([metric, same.reward]).toEqual([metric, 1]);
      const other = await similarity(metric, "a dog ran in the park", "the cat sat on the mat today");
      expect(other.reward).toBeGreaterThanOrEqual(0);
      expect(other.reward).toBeLessThan(1);
      expect(setFlags(other)).toEqual([]);
    }
  });

  it("meteor: NLTK's meteor_score (a perfect match scores just below 1; synonyms count)", async () => {
    expect((await similarity("meteor", "the cat sat on the mat", "the cat sat on the mat")).reward).toBeCloseTo(0.9976851851851852, 9);
    const synonym = await similarity("meteor", "a quick fox", "a fast fox");
    expect(synonym.reward).toBeGreaterThan((await similarity("meteor", "a slow fox", "a fast fox")).reward);
  });

  it("fuzzy_match is rapidfuzz WRatio with default processing, / 100", async () => {
    expect((await similarity("fuzzy_match", "Ada Lovelase", "ada lovelace")).reward).toBeCloseTo(0.9166666666666666, 9);
  });

  it("cosine is not computed locally: other_error with a clear reason", async () => {
    const response = await similarity("cosine", "a", "b");
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["other_error"]);
    expect(errorsOf(response)["other_error_details"]).toContain("`cosine` compares embeddings");
  });
});

describe("multi", () => {
  const multi = (formula: string, graders: JsonObject = { a: exact, b: { ...exact, operation: "ne" } }) => ({ type: "multi", name: "m", graders, calculate_output: formula });

  it("combines the sub-graders' rewards by key; sub_rewards by key", async () => {
    const response = await run(multi("0.25 * a + 0.75 * b"), "Paris", { answer: "Paris" });
    expect(response.reward).toBe(0.25);
    expect(response.sub_rewards).toEqual({ a: 1, b: 0 });
    expect(response.metadata!.type).toBe("multi");
  });

  it("precedence: ^ binds tightest and is right-associative, unary minus below it", async () => {
    expect((await run(multi("2 ^ 3 ^ 2 * a"), "x", { answer: "x" })).reward).toBe(512);
    expect((await run(multi("-2 ^ 2 + a"), "x", { answer: "x" })).reward).toBe(-3);
    expect((await run(multi("max(a, b) + min(a, b) + abs(-2) + floor(1.5) + ceil(1.5) + sqrt(4) + log(exp(1))"), "x", { answer: "x" })).reward).toBe(9);
  });

  it("division by zero: formula_parse_error, reward 0, sub_rewards still given", async () => {
    const response = await run(multi("a / b"), "x", { answer: "x" });
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["formula_parse_error"]);
    expect(errorsOf(response)["formula_parse_error_details"]).toBe("division by zero in `a / b`");
    expect(response.sub_rewards).toEqual({ a: 1, b: 0 });
  });

  it("log(0): formula_parse_error", async () => {
    const response = await run(multi("log(b)"), "x", { answer: "x" });
    expect(setFlags(response)).toEqual(["formula_parse_error"]);
    expect(errorsOf(response)["formula_parse_error_details"]).toContain("`log` of zero");
  });

  it("a formula that does not parse, or names no key: the grader is refused, as grade check and the API's 400 would (not run row by row as formula_parse_error)", async () => {
    await expect(run(multi("(a + b"), "x", { answer: "x" })).rejects.toMatchObject({
      kind: "rejected",
      message: "invalid grader at `calculate_output`: expected `)` to close `(`, found the end of the formula",
      details: { status: 400, param: "grader.calculate_output" },
    });
    await expect(run(multi("a + c"), "x", { answer: "x" })).rejects.toMatchObject({ kind: "rejected", details: { param: "grader.calculate_output" } });
  });

  it("a failing sub-grader counts 0 in the formula and its flag is set, with the key in the details", async () => {
    const response = await run(multi("a + b", { a: exact, b: { ...exact, reference: "{{item.missing}}" } }), "x", { answer: "x" });
    expect(response.reward).toBe(1);
    expect(response.sub_rewards).toEqual({ a: 1, b: 0 });
    expect(setFlags(response)).toEqual(["invalid_variable_error"]);
    expect(errorsOf(response)["invalid_variable_error_details"]).toBe("graders.b: variable `item.missing` in `reference` not found");
  });

  it("stubs (tests): a reward by key, a score_model's score clamped to its range, a label_model's label", async () => {
    const score = { type: "score_model", name: "s", model: "gpt-4o", input: [{ role: "user", content: "{{sample.output_text}}" }], range: [0, 10] };
    const label = { type: "label_model", name: "l", model: "gpt-4o", input: [{ role: "user", content: "x" }], labels: ["good", "bad"], passing_labels: ["good"] };
    const grader = multi("a + s / 10 + l", { a: exact, s: score, l: label });
    const response = await engine.grade({ grader, sample: sampleFromText("x"), item: { answer: "y" }, givenByKey: { a: 0.5, s: 14, l: "good" } });
    expect(response.sub_rewards).toEqual({ a: 0.5, s: 10, l: 1 });
    expect(response.reward).toBe(2.5);
  });
});

describe("model graders", () => {
  const score = { type: "score_model", name: "s", model: "gpt-4o", input: [{ role: "user", content: [{ type: "input_text", text: "Rate {{sample.output_text}} against {{item.ref}}" }] }] };

  it("without an answer given: model_grader_server_error saying models are not called locally", async () => {
    const response = await run(score, "x", { ref: "y" });
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["model_grader_server_error"]);
    expect(errorsOf(response)["model_grader_server_error_details"]).toContain("the local engine does not call models yet");
  });

  it("the messages are rendered first: a missing variable is invalid_variable_error", async () => {
    const response = await engine.grade({ grader: score, sample: sampleFromText("x"), item: {}, given: 0.5 });
    expect(setFlags(response)).toEqual(["invalid_variable_error"]);
  });

  it("a given score is clamped to range (default 0..1); a non-number is model_grader_parse_error", async () => {
    const grade = (given: number | string) => engine.grade({ grader: score, sample: sampleFromText("x"), item: { ref: "y" }, given });
    expect((await grade(0.25)).reward).toBe(0.25);
    expect((await grade(3)).reward).toBe(1);
    expect((await grade(-3)).reward).toBe(0);
    expect(setFlags(await grade("high"))).toEqual(["model_grader_parse_error"]);
  });

  it("label_model: 1 when the label passes, 0 when not, model_grader_parse_error when it is no label", async () => {
    const label = { type: "label_model", name: "l", model: "gpt-4o", input: [{ role: "user", content: "x" }], labels: ["good", "bad"], passing_labels: ["good"] };
    const grade = (given: string) => engine.grade({ grader: label, sample: sampleFromText("x"), given });
    expect((await grade("good")).reward).toBe(1);
    expect((await grade("bad")).reward).toBe(0);
    const other = await grade("meh");
    expect(setFlags(other)).toEqual(["model_grader_parse_error"]);
    expect(errorsOf(other)["model_grader_parse_error_details"]).toBe('the answer `meh` is not one of the labels ["good","bad"]');
  });
});

describe("python", () => {
  const python = (source: string) => ({ type: "python", name: "p", source });

  it("runs grade(sample, item) in python3 and returns its float", async () => {
    const response = await run(python("def grade(sample, item):\n    return len(sample['output_text']) / item['n']\n"), "abcd", { n: 8 });
    expect(response.reward).toBe(0.5);
    expect(setFlags(response)).toEqual([]);
  });

  it("the sample holds output_text, output_json (parsed), output_tools, choices and output_audio", async () => {
    const source = "def grade(sample, item):\n    assert sample['output_json'] == {'a': 1}\n    assert sample['output_tools'] == [] and sample['output_audio'] is None\n    assert sample['choices'][0]['message']['content'] == sample['output_text']\n    assert item == {}\n    return 1\n";
    const response = await run(python(source), '{"a": 1}');
    expect(setFlags(response)).toEqual([]);
    expect(response.reward).toBe(1);
  });

  it("runs of one source share a warm python process; at most MAX_PYTHON_WORKERS are kept", async () => {
    const pid = python("import os\nID = int.from_bytes(os.urandom(6), \"big\")  # this process's identity (pids are per sandbox)\ndef grade(sample, item):\n    return ID\n");
    const first = await run(pid, "x");
    const second = await run(pid, "y");
    expect(first.reward).toBe(second.reward);
    const many = new LocalEngine();
    const pids = [];
    for (let i = 0; i <= MAX_PYTHON_WORKERS; i++) pids.push((await many.run({ grader: python(`import os\n# ${i}\nID = int.from_bytes(os.urandom(6), "big")\ndef grade(sample, item):\n    return ID\n`), model_sample: "x" })).reward);
    // The first source's worker was closed to make room: its next run is a new process.
    const again = await many.run({ grader: python("import os\n# 0\nID = int.from_bytes(os.urandom(6), \"big\")\ndef grade(sample, item):\n    return ID\n"), model_sample: "x" });
    expect(again.reward).not.toBe(pids[0]);
    await many.close();
  });

  it("an exception: python_grader_runtime_error with the traceback, reward 0", async () => {
    const response = await run(python("def grade(sample, item):\n    return item['missing']\n"), "x");
    expect(response.reward).toBe(0);
    expect(setFlags(response)).toEqual(["python_grader_runtime_error"]);
    expect(errorsOf(response)["python_grader_runtime_error_details"]).toContain("KeyError: 'missing'");
  });

  it("a non-numeric result: python_grader_runtime_error", async () => {
    const response = await run(python("def grade(sample, item):\n    return 'high'\n"), "x");
    expect(setFlags(response)).toEqual(["python_grader_runtime_error"]);
    expect(errorsOf(response)["python_grader_runtime_error_details"]).toContain("grade() returned str, not a number");
  });

  it("a timeout: python_grader_runtime_error", async () => {
    const quick = new LocalEngine({ timeoutMs: 500 });
    const response = await quick.run({ grader: python("import time\ndef grade(sample, item):\n    time.sleep(30)\n"), model_sample: "x" });
    expect(setFlags(response)).toEqual(["python_grader_runtime_error"]);
    expect(errorsOf(response)["python_grader_runtime_error_details"]).toContain("longer than");
    await quick.close();
  });

  it("no interpreter: python_grader_server_error with its type", async () => {
    const missing = new LocalEngine({ python: "/nonexistent/python3" });
    const response = await missing.run({ grader: python("def grade(s, i):\n    return 1\n"), model_sample: "x" });
    expect(setFlags(response)).toEqual(["python_grader_server_error"]);
    expect(errorsOf(response)["python_grader_server_error_type"]).toBe("python_not_found");
    expect(errorsOf(response)["python_grader_server_error_details"]).toContain("--python");
    await missing.close();
  });
});

describe("invalid graders", () => {
  it("are rejected like the API's 400, naming the field", async () => {
    const bad = { type: "string_check", name: "s", input: "a", reference: "b", operation: "equals" };
    const error = await run(bad, "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).kind).toBe("rejected");
    expect((error as EngineError).message).toContain("invalid grader at `operation`");
    expect((error as EngineError).details.param).toBe("grader.operation");
  });

  it("validate answers the grader back, or rejects", async () => {
    await expect(engine.validate({ grader: exact })).resolves.toEqual({ grader: exact });
    await expect(engine.validate({ grader: { type: "nope" } })).rejects.toBeInstanceOf(EngineError);
  });
});
