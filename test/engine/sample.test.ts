import { describe, expect, it } from "vitest";
import { mightBeJson, sampleFromObject, sampleFromText } from "../../src/engine/sample.js";

describe("sampleFromText", () => {
  it("fills output_json when the text is valid JSON, else null; one assistant choice", () => {
    expect(sampleFromText('{"a": 1}')).toEqual({
      output_text: '{"a": 1}',
      output_json: { a: 1 },
      output_tools: [],
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"a": 1}' } }],
      output_audio: null,
    });
    expect(sampleFromText("not json").output_json).toBeNull();
    expect(sampleFromText("42").output_json).toBe(42);
  });
});

describe("mightBeJson", () => {
  it("is false only for texts JSON.parse rejects (prose skips the parse attempt)", () => {
    const texts = ["Off to Paris", "", "  \n", '{"a": 1}', " [1, 2]", '"quoted"', "-3", "42", "42 is the answer", "true", "truex", "null", "nil", "false ", "{broken", '\t{"x": null}\n', "é", "📦 {}"];
    for (const text of texts) if (!mightBeJson(text)) expect(() => JSON.parse(text), text).toThrow();
    expect(mightBeJson("Paris")).toBe(false);
    expect(mightBeJson(" {")).toBe(true);
    expect(sampleFromText(" [1, 2]").output_json).toEqual([1, 2]);
    expect(sampleFromText("truex").output_json).toBeNull();
  });
});

describe("sampleFromObject", () => {
  it("keeps given fields and derives the others", () => {
    const result = sampleFromObject({ output_json: { reply: "hi" } });
    expect(result).toEqual({
      ok: true,
      sample: {
        output_text: '{"reply":"hi"}',
        output_json: { reply: "hi" },
        output_tools: [],
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: '{"reply":"hi"}' } }],
        output_audio: null,
      },
    });
  });

  it("output_text and output_tools from choices[0].message", () => {
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    const result = sampleFromObject({ choices: [{ message: { role: "assistant", content: "ok", tool_calls: [call] } }] });
    expect(result.ok && result.sample.output_text).toBe("ok");
    expect(result.ok && result.sample.output_tools).toEqual([call]);
  });

  it("tools given without choices make a tool_calls choice", () => {
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    const result = sampleFromObject({ output_tools: [call] });
    expect(result.ok && result.sample.choices).toEqual([
      { index: 0, finish_reason: "tool_calls", message: { role: "assistant", content: "", tool_calls: [call] } },
    ]);
  });

  it("other fields are kept", () => {
    const result = sampleFromObject({ output_text: "x", extra: 1 });
    expect(result.ok && result.sample["extra"]).toBe(1);
  });

  it("wrong types are reported, not guessed", () => {
    expect(sampleFromObject("text")).toEqual({ ok: false, message: "a sample object must be a JSON object, not a string" });
    expect(sampleFromObject([])).toEqual({ ok: false, message: "a sample object must be a JSON object, not a list" });
    expect(sampleFromObject({ output_text: 3 })).toEqual({ ok: false, message: "`output_text` in the sample must be a string, not a number" });
    expect(sampleFromObject({ output_tools: {} })).toEqual({ ok: false, message: "`output_tools` in the sample must be a list, not an object" });
    expect(sampleFromObject({ choices: "x" })).toEqual({ ok: false, message: "`choices` in the sample must be a list, not a string" });
    expect(sampleFromObject({ output_audio: 1 })).toEqual({ ok: false, message: "`output_audio` in the sample must be an object or null, not a number" });
  });
});
