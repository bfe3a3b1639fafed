import { describe, expect, it } from "vitest";
import type { RunResponse } from "../../src/api/engine.js";
import { createRedactor, redactKeyShaped } from "../../src/api/redact.js";
import { formatDryRun, formatRunSummary, formatValidateSummary, setFlags } from "../../src/api/summary.js";
import { FLAGGED_RUN_RESPONSE, MULTI_RUN_RESPONSE, RUN_RESPONSE } from "./fixtures.js";

describe("formatRunSummary", () => {
  it("the documented run: reward, no errors, token usage per model, time, sampled model", () => {
    expect(formatRunSummary(RUN_RESPONSE)).toBe(
      [
        'reward 1  ("Example score model grader" score_model)',
        "errors none",
        "token usage",
        "  gpt-4o-2024-08-06  190 prompt, 324 total, 134 completion, 0 cached",
        "execution time 4.37 s",
        "sampled model gpt-4o-2024-08-06",
        "",
      ].join("\n"),
    );
  });

  it("every flag that is set, with its details (multi-line details indented)", () => {
    expect(formatRunSummary(FLAGGED_RUN_RESPONSE)).toBe(
      [
        'reward 0  ("python grader" python)',
        "errors (2 set)",
        "  ✖ invalid_variable_error",
        "  ✖ python_grader_runtime_error",
        "      details:  Traceback (most recent call last):",
        '                  File "grader.py", line 3, in grade',
        "                KeyError: 'answer'",
        "execution time 4.37 s",
        "",
      ].join("\n"),
    );
  });

  it("sub-rewards by key, scores, a `_type` companion, and a response with little in it", () => {
    const response: RunResponse = {
      reward: 0.5,
      metadata: {
        errors: { python_grader_server_error: true, python_grader_server_error_type: "timeout", other_error: false },
        scores: { a: 1 },
        token_usage: { prompt_tokens: 3, total_tokens: 3 },
      },
      sub_rewards: { a: 1, b: { nested: true } },
    };
    expect(formatRunSummary(response)).toBe(
      [
        "reward 0.5",
        "sub-rewards",
        "  a  1",
        '  b  {"nested":true}',
        "errors (1 set)",
        "  ✖ python_grader_server_error",
        "      type:  timeout",
        "scores",
        "  a  1",
        "token usage 3 prompt, 3 total",
        "",
      ].join("\n"),
    );
    expect(formatRunSummary({ reward: 1 })).toBe("reward 1\nerrors none\n");
  });

  it("colours only when asked", () => {
    const escape = String.fromCharCode(27);
    expect(formatRunSummary(MULTI_RUN_RESPONSE, { color: false })).not.toContain(escape);
    expect(formatRunSummary(MULTI_RUN_RESPONSE, { color: true })).toContain(escape);
  });
});

describe("setFlags", () => {
  it("lists true flags only, never the companions", () => {
    expect(setFlags(RUN_RESPONSE)).toEqual([]);
    expect(setFlags(FLAGGED_RUN_RESPONSE).map((f) => f.flag)).toEqual([
      "invalid_variable_error",
      "python_grader_runtime_error",
    ]);
  });
});

describe("formatValidateSummary and formatDryRun", () => {
  it("valid, then the normalised grader", () => {
    const grader = { type: "string_check", name: "s", input: "a", reference: "b", operation: "eq" };
    expect(formatValidateSummary({ grader })).toBe(`valid\n${JSON.stringify(grader, null, 2)}\n`);
    expect(formatValidateSummary({})).toBe("valid\n");
    expect(formatValidateSummary({ grader: null })).toBe("valid\n");
  });

  it("a dry run: method, URL, headers, blank line, body", () => {
    const grader = { type: "string_check", name: "s", input: "a", reference: "b", operation: "eq" };
    expect(
      formatDryRun({
        method: "POST",
        url: "https://api.openai.com/v1/x",
        headers: { "content-type": "application/json" },
        body: { grader },
      }),
    ).toBe(
      `POST https://api.openai.com/v1/x\ncontent-type: application/json\n\n${JSON.stringify({ grader }, null, 2)}\n`,
    );
  });
});

describe("redaction", () => {
  it("removes the configured keys wherever they occur, longest first", () => {
    const redact = createRedactor(["sk-abcdef123456", undefined, "abc", "sk-abcdef123456-longer"]);
    expect(redact("a sk-abcdef123456-longer b sk-abcdef123456 c abc")).toBe("a [redacted] b [redacted] c abc");
  });

  it("hides key-shaped tokens in service messages, masked ones too", () => {
    expect(redactKeyShaped("Incorrect API key provided: sk-proj-********************abcd. You can find")).toBe(
      "Incorrect API key provided: [redacted]. You can find",
    );
  });
});
