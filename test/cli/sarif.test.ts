import { describe, expect, it } from "vitest";
import { ruleCatalog } from "../../src/check/registry.js";
import { grade } from "../helpers/cli.js";

describe("grade check --format sarif", () => {
  const run = grade(["check", "test/fixtures/graders/18-openapi-multi-example-MALFORMED.json", "examples/reference/guide-python-minimal.grade", "--format", "sarif"]);
  const log = JSON.parse(run.stdout);
  const results = log.runs[0].results as { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];

  it("is a SARIF 2.1.0 log with the exit code of the findings", () => {
    expect(run.code).toBe(1);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
  });

  it("describes every rule of the catalog, with its default level", () => {
    const rules = log.runs[0].tool.driver.rules as { id: string; defaultConfiguration: { level: string } }[];
    expect(log.runs[0].tool.driver.name).toBe("gradelang");
    expect(rules.map((r) => r.id)).toEqual(ruleCatalog.map((r) => r.id));
    expect(rules.find((r) => r.id === "missing-name")!.defaultConfiguration.level).toBe("warning");
  });

  it("gives each finding its rule, level, message and region", () => {
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([
      ["invalid-value", "error"],
      ["formula-syntax", "error"],
      ["missing-name", "warning"],
    ]);
    const formula = results[1]!;
    expect(formula.message.text).toBe("unexpected `)`: there is no `(` for it to close");
    expect(formula.locations[0]!.physicalLocation.artifactLocation.uri).toBe("test/fixtures/graders/18-openapi-multi-example-MALFORMED.json");
    expect(formula.locations[0]!.physicalLocation.region).toEqual({ startLine: 20, startColumn: 79, endLine: 20, endColumn: 80 });
    for (const r of results) expect(log.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
  });
});
