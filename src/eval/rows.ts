import type { JsonObject } from "../emit/emit.js";
import { sampleFromObject, sampleFromText, type Sample } from "../engine/sample.js";

/*
 * One row of the dataset `grade eval` reads: a JSON object on one line,
 *
 *   {"item": {...}, "sample": "the output text"}
 *   {"item": {...}, "sample": {"output_text": "...", "output_json": {...}, ...}}
 *
 * `sample` is required: a string (the output text, as `--sample`) or an object of sample fields
 * (as `--sample-json`). `item` is optional (an object; null counts as absent). `id` (a string or
 * a number), when there, is copied to the row's result. Any other key is ignored (and named once
 * in a notice). A line that is none of this is a malformed row: its result carries the reason.
 */

export type Engine = "local" | "remote";

export type ParsedRow =
  | {
      readonly ok: true;
      readonly item: JsonObject | undefined;
      /** The local engine's sample (every field). */
      readonly sample: Sample | undefined;
      /** The remote engine's `model_sample`. */
      readonly text: string | undefined;
      readonly id: string | number | undefined;
      /** Keys of the row that are not `item`, `sample` or `id`. */
      readonly unknownKeys: readonly string[] | undefined;
      /** Sample fields dropped because the API takes the output text only (remote). */
      readonly dropped: readonly string[] | undefined;
    }
  | { readonly ok: false; readonly message: string };

const KNOWN = new Set(["item", "sample", "id"]);

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** JSON.parse's message, without the echo of the input that newer engines add. */
function jsonProblem(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  message = message.replace(/, "(?:[^"\\]|\\.)*"(?:\.\.\.)? is not valid JSON$/, "").replace(/^Unexpected token '(.)'$/, "unexpected `$1`");
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}

/** Reads one line of the dataset for the engine that will grade it. */
export function parseRow(text: string, engine: Engine): ParsedRow {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON (${jsonProblem(error)})` };
  }
  if (!isObject(value)) return { ok: false, message: `a row must be a JSON object {"item": ..., "sample": ...}, not ${describe(value)}` };

  const rawItem = value["item"];
  if (rawItem !== undefined && rawItem !== null && !isObject(rawItem)) {
    return { ok: false, message: `\`item\` must be a JSON object (the dataset row), not ${describe(rawItem)}` };
  }
  const item = isObject(rawItem) ? rawItem : undefined;

  const rawId = value["id"];
  const id = typeof rawId === "string" || typeof rawId === "number" ? rawId : undefined;

  let unknownKeys: string[] | undefined;
  for (const key in value) {
    if (!KNOWN.has(key)) (unknownKeys ??= []).push(key);
  }

  const rawSample = value["sample"];
  if (rawSample === undefined) {
    return { ok: false, message: '`sample` is missing: give the output text ("sample": "...") or sample fields ("sample": {"output_text": ...})' };
  }
  if (typeof rawSample === "string") {
    return engine === "local"
      ? { ok: true, item, sample: sampleFromText(rawSample), text: undefined, id, unknownKeys, dropped: undefined }
      : { ok: true, item, sample: undefined, text: rawSample, id, unknownKeys, dropped: undefined };
  }
  if (!isObject(rawSample)) {
    return { ok: false, message: `\`sample\` must be the output text (a string) or an object of sample fields, not ${describe(rawSample)}` };
  }
  if (engine === "remote") {
    const outputText = rawSample["output_text"];
    if (typeof outputText !== "string") {
      return {
        ok: false,
        message: "with --remote the sample is sent as text (model_sample): give a string, or an object with `output_text`",
      };
    }
    const dropped = Object.keys(rawSample).filter((k) => k !== "output_text");
    return { ok: true, item, sample: undefined, text: outputText, id, unknownKeys, dropped: dropped.length ? dropped : undefined };
  }
  const sample = sampleFromObject(rawSample);
  if (!sample.ok) return { ok: false, message: sample.message };
  return { ok: true, item, sample: sample.sample, text: undefined, id, unknownKeys, dropped: undefined };
}

/** A line of nothing but whitespace: not a row (skipped, as the count of rows skips it). */
export function isBlank(text: string): boolean {
  return /^[ \t\r]*$/.test(text);
}
