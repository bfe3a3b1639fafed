import * as fs from "node:fs";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compile.js";
import { targetPragma } from "../src/check/context.js";
import { graderSchema } from "../src/schema/graders.js";

const root = path.resolve(import.meta.dirname, "..");
const examples = globSync("examples/**/*.grade", { cwd: root }).sort();
const seeds = globSync("test/fixtures/graders/seed-*.json", { cwd: root });

describe("examples compile to the JSON beside them (golden files)", () => {
  it("has examples", () => expect(examples.length).toBeGreaterThanOrEqual(10));

  for (const file of examples) {
    it(file, () => {
      const abs = path.join(root, file);
      const result = compile(fs.readFileSync(abs, "utf8"), { filename: abs, root });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const expected = JSON.parse(fs.readFileSync(abs.replace(/\.grade$/, ".json"), "utf8"));
      expect(result.grader).toEqual(expected);
      const target = targetPragma(result.document) ?? "rft";
      expect(graderSchema(target).safeParse(result.grader).success).toBe(true);
    });
  }
});

describe("every seed example has a twin in examples/", () => {
  it("finds the seeds", () => expect(seeds.length).toBeGreaterThanOrEqual(5));
  for (const seed of seeds) {
    const name = path.basename(seed).replace(/^seed-/, "").replace(/\.json$/, "");
    it(name, () => {
      const twin = path.join(root, "examples/seeds", `${name}.grade`);
      expect(fs.existsSync(twin)).toBe(true);
      const result = compile(fs.readFileSync(twin, "utf8"), { filename: twin, root });
      expect(result.grader).toEqual(JSON.parse(fs.readFileSync(path.join(root, seed), "utf8")));
    });
  }
});

describe("the examples cover the language", () => {
  const all = examples.map((f) => fs.readFileSync(path.join(root, f), "utf8")).join("\n");
  it.each(["string_check", "text_similarity", "python", "score_model", "label_model", "multi"])("has a %s grader", (kind) => {
    expect(all).toMatch(new RegExp(`\\b${kind}\\b`));
  });
  it("has a python grader that reads its source with file()", () => expect(all).toMatch(/source:\s*file\(/));
  it("has an evals-target grader", () => expect(all).toMatch(/@target evals/));
});
