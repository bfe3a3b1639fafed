import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as gradelang from "../src/index.js";

const root = path.resolve(import.meta.dirname, "..");

describe("the library API", () => {
  it("compiles source text and returns JSON and findings", () => {
    const result = gradelang.compile('string_check "s": sample.output_text eq item.label\n');
    expect(result.grader).toEqual({ type: "string_check", name: "s", input: "{{sample.output_text}}", reference: "{{item.label}}", operation: "eq" });
    expect(result.errors).toBe(0);
  });

  it("returns no JSON when there are errors, and diagnostics as plain data", () => {
    const result = gradelang.compile('string_check "s": sample.output_text equals item.label\n', { filename: "x.grade" });
    expect(result.grader).toBeUndefined();
    expect(result.diagnostics).toEqual([
      {
        rule: "invalid-enum",
        severity: "error",
        message: "`equals` is not a valid operation; it is one of `eq`, `ne`, `like` or `ilike`",
        file: "x.grade",
        span: { start: 37, end: 43 },
        suggestion: "did you mean `eq`?",
        replacement: "eq",
      },
    ]);
  });

  it("never throws on bad input", () => {
    for (const source of ["", "\u0000\u0001", "{{{{", '"""', "multi { graders { a: multi { } } }", "test"]) {
      expect(() => gradelang.check(source)).not.toThrow();
      expect(() => gradelang.compile(source)).not.toThrow();
    }
  });

  it("exports the schemas, the rule catalog, the parser and the renderers", () => {
    expect(gradelang.graderSchema("rft").safeParse({ type: "python", source: "" }).success).toBe(true);
    expect(gradelang.ruleCatalog.map((r) => r.id)).toContain("unknown-variable");
    expect(gradelang.parse("python { source: \"\" }").document.grader?.type.name).toBe("python");
    const d = gradelang.check("multi { }", { filename: "m.grade" });
    expect(gradelang.renderJson(d.diagnostics, () => "multi { }")).toContain('"rule": "missing-field"');
  });

  it("has one rule per file in src/check/rules, each in the registry", () => {
    const files = fs.readdirSync(path.join(root, "src/check/rules")).map((f) => f.replace(/\.ts$/, ""));
    expect(files.sort()).toEqual(gradelang.ruleCatalog.map((r) => r.id).sort());
  });
});

describe("the README", () => {
  const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
  const rulesPage = fs.readFileSync(path.join(root, "docs/rules.md"), "utf8");

  it("embeds the rule catalog exactly as `grade rules --format markdown` prints it", async () => {
    const { rulesMarkdown } = await import("../src/cli/rules.js");
    const section = /<!-- rules:start -->\n([\s\S]*)\n<!-- rules:end -->/.exec(rulesPage)?.[1];
    expect(section, "regenerate docs/rules.md's rule catalog from `npx grade rules --format markdown`").toBe(rulesMarkdown());
  });

  it("shows the two set-up commands and every command", () => {
    expect(readme).toContain("npm ci && npx grade compile examples");
    expect(readme).toContain("npm test");
    for (const command of ["grade compile", "grade check", "grade rules"]) expect(readme).toContain(command);
  });

  it("compiles the language tour", () => {
    const tour = /## The language in one minute[\s\S]*?```grade\n([\s\S]*?)```/.exec(readme)![1]!;
    const result = gradelang.compile(tour);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.grader?.type).toBe("multi");
  });
});
