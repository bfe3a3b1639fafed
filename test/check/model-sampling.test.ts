import { describe, expect, it } from "vitest";
import { expectFindings, expectValid, findings } from "../helpers/harness.js";

const grader = (model: string, sampling: string) => `score_model "s" {\n  model: "${model}"\n  sampling_params { ${sampling} }\n  user "x"\n}\n`;

describe("model-sampling", () => {
  it("warns about temperature on a reasoning model, quoting the graders guide", () => {
    for (const model of ["o3-mini-2025-01-31", "o4-mini-2025-04-16", "o1-2024-12-17", "gpt-5-mini"]) {
      expectFindings("model-sampling", grader(model, "temperature: 0.2 seed: 1")).toEqual([
        {
          rule: "model-sampling",
          severity: "warning",
          message: `\`${model}\` is a reasoning model: the graders guide says "temperature changes not supported for reasoning models"`,
          at: "3:21-3:32",
          suggestion: "remove `temperature` (or use `reasoning_effort` to trade quality for speed)",
        },
      ]);
    }
  });

  it("warns about reasoning_effort on a non-reasoning model", () => {
    expectFindings("model-sampling", grader("gpt-4o-2024-08-06", "reasoning_effort: low")).toEqual([
      {
        rule: "model-sampling",
        severity: "warning",
        message: '`gpt-4o-2024-08-06` is not a reasoning model: the graders guide says "reasoning_effort is not supported for non-reasoning models"',
        at: "3:21-3:37",
        suggestion: "remove `reasoning_effort`, or use a reasoning model such as `o4-mini-2025-04-16`",
      },
    ]);
  });

  it("says nothing where the pairing is right, the value is null, or the model is unknown", () => {
    expectValid("model-sampling", grader("o4-mini-2025-04-16", "reasoning_effort: high seed: 3"));
    expectValid("model-sampling", grader("gpt-4.1-2025-04-14", "temperature: 0.5 top_p: 1"));
    expectValid("model-sampling", grader("o3-2025-04-16", "temperature: null"));
    expectValid("model-sampling", grader("gpt-5-mini", "temperature: 1, top_p: 1, seed: 42")); // OpenAI's own API reference example
    expectValid("model-sampling", grader("qwen2.5:7b", "temperature: 0.5 reasoning_effort: low"));
    expectValid("model-sampling", grader("o10-preview", "temperature: 0.5").replace("o10", "omni")); // not o<digit>
  });

  it("is a warning: the grader still compiles", () => {
    expect(findings(grader("o3-mini-2025-01-31", "temperature: 0.2")).filter((f) => f.severity === "error")).toEqual([]);
  });
});
