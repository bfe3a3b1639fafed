/*
 * What the local engine sends a model server for a `score_model` or `label_model`, and how it
 * reads the answer: the grader's rendered messages mapped to Chat Completions or the Responses
 * API, the instructions and the JSON schema the engine adds (the service asks for a structured
 * `{result, steps}`, §5), the sampling parameters, and the answer checked against the grader.
 * Pure functions: no I/O. The choices are listed in src/engine/README.md ("Model graders").
 */

export type ModelApi = "chat" | "responses";
export type Role = "user" | "assistant" | "system" | "developer";

/** One content part of a message, its templates substituted. */
export type RenderedPart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "image"; readonly url: string; readonly detail: string | undefined }
  | { readonly kind: "audio"; readonly data: string; readonly format: string };

/** A message of a model grader's `input`, rendered: a text, or a list of parts. */
export interface RenderedMessage {
  readonly role: Role;
  readonly content: string | readonly RenderedPart[];
}

/** The fields of a model grader the request needs. */
export interface ModelGraderShape {
  readonly type: "score_model" | "label_model";
  readonly model: string;
  readonly range?: readonly number[] | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly sampling_params?: SamplingParams | null | undefined;
}

export interface SamplingParams {
  readonly max_completions_tokens?: number | null | undefined;
  readonly reasoning_effort?: string | null | undefined;
  readonly seed?: number | null | undefined;
  readonly temperature?: number | null | undefined;
  readonly top_p?: number | null | undefined;
  readonly [key: string]: unknown;
}

export const DEFAULT_RANGE: readonly [number, number] = [0, 1];

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Renders a grader's `input` with `render` (which substitutes the templates of one text and
 * answers undefined when a variable is missing; the caller collects those). A content that is a
 * string, or one text part, stays a text; a list (or one image or audio part) becomes parts;
 * strings inside a list are text parts.
 */
export function renderModelInput(
  input: readonly { readonly role: string; readonly content: unknown }[],
  render: (text: string) => string | undefined,
): RenderedMessage[] {
  const text = (value: unknown): string => (typeof value === "string" ? (render(value) ?? "") : "");
  const part = (value: unknown): RenderedPart | undefined => {
    if (typeof value === "string") return { kind: "text", text: text(value) };
    if (!isObject(value)) return undefined;
    switch (value["type"]) {
      case "input_text":
      case "output_text":
        return { kind: "text", text: text(value["text"]) };
      case "input_image":
        return { kind: "image", url: text(value["image_url"]), detail: typeof value["detail"] === "string" ? value["detail"] : undefined };
      case "input_audio": {
        const audio = isObject(value["input_audio"]) ? value["input_audio"] : {};
        return { kind: "audio", data: text(audio["data"]), format: typeof audio["format"] === "string" ? audio["format"] : "wav" };
      }
      default:
        return undefined;
    }
  };
  return input.map((message) => {
    const role = message.role as Role;
    const { content } = message;
    if (typeof content === "string") return { role, content: text(content) };
    if (Array.isArray(content)) return { role, content: content.flatMap((p) => part(p) ?? []) };
    const single = part(content);
    if (single?.kind === "text") return { role, content: single.text };
    return { role, content: single ? [single] : [] };
  });
}

/** `{description, conclusion}`: one step of the grader model's reasoning (§5). */
const STEPS_SCHEMA = {
  type: "array",
  items: {
    type: "object",
    properties: { description: { type: "string" }, conclusion: { type: "string" } },
    required: ["description", "conclusion"],
    additionalProperties: false,
  },
} as const;

/**
 * The structured answer asked for: `{steps, result}` with `result` a number (score_model) or one
 * of `labels` (label_model). `steps` comes first so the model reasons before it answers.
 */
export function answerSchema(grader: ModelGraderShape): Json {
  const result = grader.type === "score_model" ? { type: "number" } : { type: "string", enum: [...(grader.labels ?? [])] };
  return {
    type: "object",
    properties: { steps: STEPS_SCHEMA, result },
    required: ["steps", "result"],
    additionalProperties: false,
  };
}

/** The schema's name in `response_format` / `text.format`. */
export const schemaName = (grader: ModelGraderShape): string => (grader.type === "score_model" ? "score_model_result" : "label_model_result");

/** The system text the engine puts before the grader's own messages. */
export function graderInstructions(grader: ModelGraderShape): string {
  const head =
    "You are a grader. Follow the instructions in the messages below and grade as they ask. " +
    'Answer with a JSON object: "steps", your reasoning as a list of {"description", "conclusion"} objects, then "result", ';
  if (grader.type === "score_model") {
    const [low, high] = grader.range ?? DEFAULT_RANGE;
    return `${head}the score: a number from ${low} to ${high}.`;
  }
  return `${head}exactly one of these labels: ${(grader.labels ?? []).map((l) => JSON.stringify(l)).join(", ")}.`;
}

/** `sampling_params` for Chat Completions: nulls and unknown keys left out. */
export function chatSampling(params: SamplingParams | null | undefined): Json {
  const p = params ?? {};
  const out: Json = {};
  if (p.max_completions_tokens != null) out["max_completion_tokens"] = p.max_completions_tokens;
  if (p.reasoning_effort != null) out["reasoning_effort"] = p.reasoning_effort;
  if (p.seed != null) out["seed"] = p.seed;
  if (p.temperature != null) out["temperature"] = p.temperature;
  if (p.top_p != null) out["top_p"] = p.top_p;
  return out;
}

/** `sampling_params` for the Responses API (which has no `seed`): nulls left out. */
export function responsesSampling(params: SamplingParams | null | undefined): Json {
  const p = params ?? {};
  const out: Json = {};
  if (p.max_completions_tokens != null) out["max_output_tokens"] = p.max_completions_tokens;
  if (p.reasoning_effort != null) out["reasoning"] = { effort: p.reasoning_effort };
  if (p.temperature != null) out["temperature"] = p.temperature;
  if (p.top_p != null) out["top_p"] = p.top_p;
  return out;
}

function chatPart(part: RenderedPart): Json {
  switch (part.kind) {
    case "text":
      return { type: "text", text: part.text };
    case "image":
      return { type: "image_url", image_url: { url: part.url, ...(part.detail !== undefined ? { detail: part.detail } : {}) } };
    case "audio":
      return { type: "input_audio", input_audio: { data: part.data, format: part.format } };
  }
}

function responsesPart(part: RenderedPart, role: Role): Json {
  switch (part.kind) {
    case "text":
      // The Responses API takes `output_text` in assistant messages and `input_text` elsewhere.
      return { type: role === "assistant" ? "output_text" : "input_text", text: part.text };
    case "image":
      return { type: "input_image", image_url: part.url, detail: part.detail ?? "auto" };
    case "audio":
      return { type: "input_audio", input_audio: { data: part.data, format: part.format } };
  }
}

/** The body of `POST /chat/completions`: the engine's system message, then the grader's messages. */
export function chatBody(model: string, grader: ModelGraderShape, messages: readonly RenderedMessage[]): Json {
  return {
    model,
    messages: [
      { role: "system", content: graderInstructions(grader) },
      ...messages.map((m) => ({ role: m.role, content: typeof m.content === "string" ? m.content : m.content.map(chatPart) })),
    ],
    response_format: { type: "json_schema", json_schema: { name: schemaName(grader), schema: answerSchema(grader), strict: true } },
    ...chatSampling(grader.sampling_params),
  };
}

/** The body of `POST /responses`: `instructions`, the grader's messages as `input`, nothing stored. */
export function responsesBody(model: string, grader: ModelGraderShape, messages: readonly RenderedMessage[]): Json {
  return {
    model,
    instructions: graderInstructions(grader),
    input: messages.map((m) => ({
      role: m.role,
      content: typeof m.content === "string" ? m.content : m.content.map((p) => responsesPart(p, m.role)),
    })),
    text: { format: { type: "json_schema", name: schemaName(grader), schema: answerSchema(grader), strict: true } },
    store: false,
    ...responsesSampling(grader.sampling_params),
  };
}

/** A text shortened for a message, JSON-quoted. */
export function quote(text: string, max = 200): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(shown);
}

/**
 * The answer text as JSON. Lenient about what local models wrap around it: a `<think>…</think>`
 * block before it and a Markdown code fence around it are dropped.
 */
export function parseAnswerJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const attempts = [text.trim()];
  const stripped = text
    .replace(/^\s*<think>[\s\S]*?<\/think>/, "")
    .trim()
    .replace(/^```(?:json)?\s*\n?([\s\S]*?)\n?```$/, "$1")
    .trim();
  if (stripped !== attempts[0]) attempts.push(stripped);
  for (const candidate of attempts) {
    try {
      return { ok: true, value: JSON.parse(candidate) as unknown };
    } catch {
      // try the next form
    }
  }
  return { ok: false };
}

/** `explanation`: the model's `steps`, "description: conclusion" one a line, when it gave any. */
export type Judgement = { ok: true; reward: number; explanation?: string } | { ok: false; details: string };

/** The model's reasoning steps as text, or undefined when there are none in a readable shape. */
function explain(steps: unknown): string | undefined {
  if (!Array.isArray(steps)) return undefined;
  const lines = steps.flatMap((step) => {
    if (!isObject(step)) return [];
    const text = [step["description"], step["conclusion"]].filter((v) => typeof v === "string" && v.trim() !== "").join(": ");
    return text ? [text] : [];
  });
  return lines.length ? lines.join("\n") : undefined;
}

/**
 * The reward from the model's answer text: score_model's `result` clamped to `range` (§5:
 * "truncated to the given range, and default to 0 for all non-numeric outputs"); label_model 1
 * when `result` is one of `passing_labels`. Anything else is a parse error with the reason.
 */
export function judgeAnswer(
  grader: ModelGraderShape & { readonly passing_labels?: readonly string[] | undefined },
  text: string,
  truncated: boolean,
): Judgement {
  const cut = truncated ? " (the answer was cut at the token limit, max_completions_tokens)" : "";
  const parsed = parseAnswerJson(text);
  if (!parsed.ok) return { ok: false, details: `the model's answer is not JSON${cut}: ${quote(text)}` };
  const value = parsed.value;
  if (!isObject(value) || !Object.hasOwn(value, "result")) {
    return { ok: false, details: `the model's answer has no \`result\`${cut}: ${quote(text)}` };
  }
  const result = value["result"];
  if (grader.type === "score_model") {
    if (typeof result !== "number" || !Number.isFinite(result)) {
      return { ok: false, details: `the model's \`result\` ${JSON.stringify(result)} is not a number` };
    }
    const [low, high] = grader.range ?? DEFAULT_RANGE;
    return withExplanation(Math.min(high!, Math.max(low!, result)), value["steps"]);
  }
  const labels = grader.labels ?? [];
  if (typeof result !== "string" || !labels.includes(result)) {
    return { ok: false, details: `the model's answer ${JSON.stringify(result)} is not one of the labels ${JSON.stringify(labels)}` };
  }
  return withExplanation((grader.passing_labels ?? []).includes(result) ? 1 : 0, value["steps"], `label ${JSON.stringify(result)}`);
}

function withExplanation(reward: number, steps: unknown, answer?: string): Judgement {
  const explanation = [answer, explain(steps)].filter((v) => v !== undefined).join("; ");
  return explanation ? { ok: true, reward, explanation } : { ok: true, reward };
}
