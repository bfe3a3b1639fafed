import type { Json, JsonObject } from "../emit/emit.js";

/*
 * The `sample` namespace: what the model produced. The API's `/graders/run` takes only a text
 * (`model_sample`); the local engine also takes a whole sample object (`--sample-json`, a test's
 * `sample: { ... }`). Both end as the same five fields the guide documents (`output_text`,
 * `output_json`, `output_tools`, `choices`, `output_audio`), so templates and python graders see
 * one shape. The choices the guide leaves open are listed in src/engine/README.md ("Samples").
 */

export interface Sample extends JsonObject {
  output_text: string;
  /** The output parsed as JSON, or `null` when the text is not JSON. */
  output_json: Json;
  output_tools: Json[];
  choices: Json[];
  output_audio: Json;
}

export type SampleResult = { readonly ok: true; readonly sample: Sample } | { readonly ok: false; readonly message: string };

/**
 * False when `text` cannot be JSON: its first character after whitespace starts no JSON value.
 * Most model outputs are prose, and a failed JSON.parse (an exception) costs more than grading a
 * string_check; so those texts skip the attempt.
 */
export function mightBeJson(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  const c = text.charCodeAt(i);
  if (c === 0x7b || c === 0x5b || c === 0x22 || c === 0x2d || (c >= 0x30 && c <= 0x39)) return true; // { [ " - 0-9
  return text.startsWith("true", i) || text.startsWith("false", i) || text.startsWith("null", i);
}

function parseJson(text: string): Json | undefined {
  if (!mightBeJson(text)) return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The one choice a plain text stands for: an assistant message with that content. */
function choiceOf(text: string, tools: readonly Json[]): Json {
  const message: JsonObject = { role: "assistant", content: text };
  if (tools.length) message["tool_calls"] = [...tools];
  return { index: 0, finish_reason: tools.length ? "tool_calls" : "stop", message };
}

/** The sample of a model output text: `output_json` is the text parsed when it is valid JSON, else null. */
export function sampleFromText(text: string): Sample {
  return {
    output_text: text,
    output_json: parseJson(text) ?? null,
    output_tools: [],
    choices: [choiceOf(text, [])],
    output_audio: null,
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/**
 * A sample given as an object. Fields it leaves out are derived: `output_text` from
 * `choices[0].message.content`, else `output_json` as JSON text; `output_json` from `output_text`, `output_tools` from
 * `choices[0].message.tool_calls`, `choices` from the text and tools. Other fields are kept.
 */
export function sampleFromObject(value: unknown): SampleResult {
  if (!isObject(value)) return { ok: false, message: `a sample object must be a JSON object, not ${describe(value)}` };
  const wrong = (field: string, expected: string): SampleResult => ({
    ok: false,
    message: `\`${field}\` in the sample must be ${expected}, not ${describe(value[field])}`,
  });
  const has = (field: string): boolean => Object.hasOwn(value, field) && value[field] !== undefined;

  if (has("output_text") && typeof value["output_text"] !== "string") return wrong("output_text", "a string");
  if (has("output_tools") && !Array.isArray(value["output_tools"])) return wrong("output_tools", "a list");
  if (has("choices") && !Array.isArray(value["choices"])) return wrong("choices", "a list");
  if (has("output_audio") && value["output_audio"] !== null && !isObject(value["output_audio"]))
    return wrong("output_audio", "an object or null");

  const firstChoice = Array.isArray(value["choices"]) ? value["choices"][0] : undefined;
  const message = isObject(firstChoice) && isObject(firstChoice["message"]) ? firstChoice["message"] : undefined;
  const text =
    typeof value["output_text"] === "string"
      ? value["output_text"]
      : typeof message?.["content"] === "string"
        ? message["content"]
        : has("output_json")
          ? JSON.stringify(value["output_json"])
          : "";
  const tools = Array.isArray(value["output_tools"])
    ? value["output_tools"]
    : Array.isArray(message?.["tool_calls"])
      ? message["tool_calls"]
      : [];
  return {
    ok: true,
    sample: {
      ...value,
      output_text: text,
      output_json: has("output_json") ? value["output_json"]! : (parseJson(text) ?? null),
      output_tools: tools,
      choices: Array.isArray(value["choices"]) ? value["choices"] : [choiceOf(text, tools)],
      output_audio: has("output_audio") ? value["output_audio"]! : null,
    },
  };
}
