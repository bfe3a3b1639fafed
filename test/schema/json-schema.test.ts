// `grade schema`: the JSON Schema made from the zod schemas accepts every example's compiled JSON
// and rejects broken graders, checked by a validator of its own (ajv, draft 2020-12).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { targetPragma } from "../../src/check/context.js";
import { compile } from "../../src/compile.js";
import { graderJsonSchema } from "../../src/schema/json-schema.js";
import { grade, root } from "../helpers/cli.js";

const ajv = new Ajv2020({ strict: true, allErrors: true });
// VS Code's own keyword (the text beside each enum value it offers); not a validation keyword.
ajv.addKeyword("markdownEnumDescriptions");
const validator = {
  rft: ajv.compile(graderJsonSchema({ target: "rft" })),
  evals: ajv.compile(graderJsonSchema({ target: "evals" })),
  run: ajv.compile(graderJsonSchema({ target: "rft", request: "run" })),
  validate: ajv.compile(graderJsonSchema({ target: "rft", request: "validate" })),
};

const examples = globSync("examples/**/*.grade", { cwd: root }).sort();

describe("the JSON Schema accepts every example's compiled JSON", () => {
  it("has examples of both targets", () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
  });
  for (const file of examples) {
    it(file, () => {
      const abs = path.join(root, file);
      const result = compile(fs.readFileSync(abs, "utf8"), { filename: abs, root });
      expect(result.grader).toBeDefined();
      const target = targetPragma(result.document) ?? "rft";
      const validate = validator[target];
      expect(validate(result.grader), JSON.stringify(validate.errors)).toBe(true);
      if (target === "rft") {
        expect(validator.validate({ grader: result.grader })).toBe(true);
        expect(validator.run({ grader: result.grader, model_sample: "Paris", item: { answer: "Paris" } })).toBe(true);
      }
    });
  }
  it("accepts the reference fixtures that are well formed", () => {
    for (const file of globSync("test/fixtures/graders/*.json", { cwd: root, ignore: ["**/*MALFORMED*"] })) {
      const json = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as { type: string };
      expect(validator.evals(json) || validator.rft(json), file).toBe(true);
    }
  });
});

const stringCheck = { type: "string_check", name: "x", input: "{{sample.output_text}}", reference: "{{item.answer}}", operation: "eq" };

describe("the JSON Schema rejects broken graders", () => {
  it("the spec's malformed multi example (graders as a list)", () => {
    const json = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/graders/18-openapi-multi-example-MALFORMED.json"), "utf8"));
    expect(validator.rft(json)).toBe(false);
  });
  it.each([
    ["an unknown operation", { ...stringCheck, operation: "equals" }],
    ["a missing reference", { type: "string_check", input: "a", operation: "eq" }],
    ["an unknown kind", { ...stringCheck, type: "string_match" }],
    ["a top-level label_model in rft", { type: "label_model", model: "m", input: [], labels: ["a"], passing_labels: ["a"] }],
    ["a nested multi", { type: "multi", graders: { inner: { type: "multi", graders: {}, calculate_output: "1" } }, calculate_output: "inner" }],
    ["a bad role", { type: "score_model", model: "m", input: [{ role: "robot", content: "hi" }] }],
    ["a temperature above 2", { type: "score_model", model: "m", input: [], sampling_params: { temperature: 3 } }],
    ["a number for input", { ...stringCheck, input: 1 }],
  ])("rft: %s", (_, json) => {
    expect(validator.rft(json)).toBe(false);
  });
  it("evals: text_similarity without its pass_threshold", () => {
    const json = { type: "text_similarity", input: "a", reference: "b", evaluation_metric: "cosine" };
    expect(validator.evals(json)).toBe(false);
    expect(validator.evals({ ...json, pass_threshold: 0.8 })).toBe(true);
  });
  it("a run request needs model_sample; item must be an object", () => {
    expect(validator.run({ grader: stringCheck })).toBe(false);
    expect(validator.run({ grader: stringCheck, model_sample: "a", item: [1] })).toBe(false);
    expect(validator.run({ grader: stringCheck, model_sample: "a" })).toBe(true);
  });
});

describe("descriptions", () => {
  const text = JSON.stringify(graderJsonSchema({ target: "rft" }));
  it("describes the kinds, the fields and the enum values", () => {
    expect(text).toContain("Compares `input` with `reference` by `operation`");
    expect(text).toContain("The formula combining the sub-graders' rewards");
    expect(text).toContain("1 when input contains reference, ignoring case.");
  });
  it("every property of every grader kind has a description", () => {
    const missing: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}/${i}`));
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string, unknown>;
      if (record["properties"] && typeof record["properties"] === "object") {
        for (const [key, value] of Object.entries(record["properties"] as Record<string, Record<string, unknown>>)) {
          if (typeof value["description"] !== "string") missing.push(`${where}/${key}`);
        }
      }
      for (const [key, value] of Object.entries(record)) visit(value, `${where}/${key}`);
    };
    visit(graderJsonSchema({ target: "evals" }), "");
    visit(graderJsonSchema({ target: "rft", request: "run" }), "");
    expect(missing).toEqual([]);
  });
});

describe("grade schema", () => {
  it("prints the schema of a target", () => {
    const run = grade(["schema", "--target", "evals"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { title: string; $schema: string };
    expect(schema.title).toBe("gradelang: an Evals grader");
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
  });
  it("writes it with -o, and reports a file it cannot write", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-schema-"));
    const out = path.join(dir, "run.schema.json");
    expect(grade(["schema", "--request", "run", "-o", out]).code).toBe(0);
    expect((JSON.parse(fs.readFileSync(out, "utf8")) as { required: string[] }).required).toEqual(["grader", "model_sample"]);
    const bad = grade(["schema", "-o", path.join(dir, "missing", "x.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^grade: cannot write `.*x\.json`: /);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it("refuses an unknown target", () => {
    const run = grade(["schema", "--target", "azure"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("argument 'azure' is invalid");
  });
});
