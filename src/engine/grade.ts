import type { JsonObject } from "../emit/emit.js";
import { parseFormula } from "../formula/parse.js";
import { evaluateFormula } from "../formula/evaluate.js";
import type { GraderSchemas } from "../schema/graders.js";
import type { z } from "zod";
import { textSimilarity, type LocalTextSimilarityMetric } from "./metrics/index.js";
import { judgeAnswer, renderModelInput, type RenderedMessage } from "./model-request.js";
import { cosineSimilarity, type ModelCall, type ModelServer } from "./models.js";
import { failure, success, type GradeError, type Outcome } from "./outcome.js";
import type { PythonResult } from "./python.js";
import { renderTemplate } from "./render.js";
import type { Sample } from "./sample.js";
import { stringCheck } from "./string-check.js";

/*
 * Grades one grader JSON on one sample: the semantics of each kind, as the reference documents
 * them, with the undocumented points decided in src/engine/README.md. Errors are outcomes with a
 * flag and reward 0, never exceptions.
 */

export type SubGraderJson = z.infer<GraderSchemas["SubGrader"]>;
export type MultiJson = z.infer<GraderSchemas["Multi"]>;
export type GraderJson = SubGraderJson | MultiJson;
type ModelGraderJson = Extract<SubGraderJson, { type: "score_model" | "label_model" }>;

/**
 * What a test gives instead of running a grader: for a model grader, the model's answer (a
 * number is a `score_model`'s score, a string a `label_model`'s label); for any other grader,
 * its reward.
 */
export type Stub = number | string;

export interface GradeContext {
  readonly sample: Sample;
  /** The dataset row; absent when the run has none (every `item.*` variable is then missing). */
  readonly item: JsonObject | undefined;
  /** Runs a python grader's source on the sample and item (in a subprocess). */
  readonly python: (source: string, sample: Sample, item: JsonObject) => Promise<PythonResult>;
  /**
   * The model server (score_model, label_model, cosine) and the run's record of its calls (for
   * the usage fields); absent when none is configured: model graders are then not called.
   */
  readonly models?: { readonly server: ModelServer; readonly calls: ModelCall[] } | undefined;
}

const DEFAULT_RANGE: readonly [number, number] = [0, 1];

/** Renders the templates of `text`; the missing variables become one error. */
function render(text: string, field: string, ctx: GradeContext): { text: string } | { error: GradeError } {
  const result = renderTemplate(text, { item: ctx.item, sample: ctx.sample });
  if (result.ok) return { text: result.text };
  return { error: missingError(result.missing, field, ctx) };
}

/**
 * The error of unresolved variables: `sample_parse_error` when they are all inside
 * `sample.output_json` and the sample was not JSON (the model did not produce valid JSON),
 * `invalid_variable_error` otherwise.
 */
function missingError(missing: readonly string[], field: string, ctx: GradeContext): GradeError {
  const list = missing.map((path) => `\`${path}\``).join(", ");
  const notJson = ctx.sample.output_json === null && missing.every((path) => /^sample\.output_json\b/.test(path));
  if (notJson) {
    return { flag: "sample_parse_error", details: `the sample is not valid JSON, so ${list} (in \`${field}\`) has no value` };
  }
  const where = missing.some((path) => path.startsWith("item.")) && ctx.item === undefined ? " (the run has no item)" : "";
  return {
    flag: "invalid_variable_error",
    details: `${missing.length === 1 ? "variable" : "variables"} ${list} in \`${field}\` not found${where}`,
  };
}

function renderPair(
  grader: { input: string; reference: string },
  ctx: GradeContext,
): { input: string; reference: string } | { errors: GradeError[] } {
  const input = render(grader.input, "input", ctx);
  const reference = render(grader.reference, "reference", ctx);
  const errors = [input, reference].flatMap((r) => ("error" in r ? [r.error] : []));
  if (errors.length || !("text" in input) || !("text" in reference)) return { errors };
  return { input: input.text, reference: reference.text };
}

function gradeStringCheck(grader: Extract<SubGraderJson, { type: "string_check" }>, ctx: GradeContext): Outcome {
  const pair = renderPair(grader, ctx);
  if ("errors" in pair) return { reward: 0, errors: pair.errors };
  return success(stringCheck(pair.input, pair.reference, grader.operation));
}

/**
 * `cosine`: the cosine similarity of the embeddings of input and reference (one embeddings call
 * with both texts), clamped to 0..1. Two empty texts score 1, one empty text 0, without a call.
 */
async function gradeCosine(input: string, reference: string, ctx: GradeContext): Promise<Outcome> {
  if (input === "" || reference === "") return success(input === reference ? 1 : 0);
  if (!ctx.models) {
    return failure(
      "other_error",
      "`cosine` compares embeddings (text-embedding-3-large): the local engine computes it only with a model server " +
        "(--model-base-url, or GRADE_MODEL_BASE_URL / GRADE_MODEL_API_KEY); or run it with --remote",
    );
  }
  const answer = await ctx.models.server.embed([input, reference], ctx.models.calls);
  if (!answer.ok) return { reward: 0, errors: [answer.error] };
  return success(cosineSimilarity(answer.vectors[0]!, answer.vectors[1]!));
}

function gradeTextSimilarity(
  grader: Extract<SubGraderJson, { type: "text_similarity" }>,
  ctx: GradeContext,
): Outcome | Promise<Outcome> {
  const pair = renderPair(grader, ctx);
  if ("errors" in pair) return { reward: 0, errors: pair.errors };
  const metric: string = grader.evaluation_metric;
  if (metric === "cosine") return gradeCosine(pair.input, pair.reference, ctx);
  const score = textSimilarity(metric as LocalTextSimilarityMetric, pair.input, pair.reference) as number | undefined;
  if (typeof score !== "number" || !Number.isFinite(score)) {
    return failure("other_error", `the local engine does not compute \`${metric}\``);
  }
  return success(score);
}

async function gradePython(grader: Extract<SubGraderJson, { type: "python" }>, ctx: GradeContext): Promise<Outcome> {
  const result = await ctx.python(grader.source, ctx.sample, ctx.item ?? {});
  if (result.ok) return success(result.reward);
  return result.kind === "runtime"
    ? failure("python_grader_runtime_error", result.details)
    : failure("python_grader_server_error", result.details, result.type ?? "server_error");
}

/**
 * A model grader's messages with their templates substituted (text, image URLs, audio data), or
 * the missing variables as one error.
 */
function renderMessages(grader: ModelGraderJson, ctx: GradeContext): { messages: RenderedMessage[] } | { errors: GradeError[] } {
  const missing = new Set<string>();
  const messages = renderModelInput(grader.input, (text) => {
    const result = renderTemplate(text, { item: ctx.item, sample: ctx.sample });
    if (result.ok) return result.text;
    for (const path of result.missing) missing.add(path);
    return undefined;
  });
  return missing.size ? { errors: [missingError([...missing], "input", ctx)] } : { messages };
}

/** The reward from a stub: a score_model's score, a label_model's label. */
function fromStub(grader: ModelGraderJson, stub: Stub): Outcome {
  if (grader.type === "score_model") {
    // "The output of the grader will be truncated to the given range, and default to 0 for all non-numeric outputs."
    if (typeof stub !== "number") return failure("model_grader_parse_error", `the score \`${stub}\` is not a number`);
    const [low, high] = grader.range ?? DEFAULT_RANGE;
    return success(Math.min(high, Math.max(low, stub)));
  }
  // label_model: 1 when the label is one of the passing labels; the answer is limited to `labels`.
  if (typeof stub !== "string" || !grader.labels.includes(stub)) {
    return failure("model_grader_parse_error", `the answer \`${stub}\` is not one of the labels ${JSON.stringify(grader.labels)}`);
  }
  return success(grader.passing_labels.includes(stub) ? 1 : 0);
}

/**
 * A model grader: its messages are rendered, then the model's answer comes from a stub (tests)
 * or from the model server; without either, `model_grader_server_error` says how to configure one.
 */
async function gradeModel(grader: ModelGraderJson, ctx: GradeContext, stub: Stub | undefined): Promise<Outcome> {
  const rendered = renderMessages(grader, ctx);
  if ("errors" in rendered) return { reward: 0, errors: rendered.errors };
  if (stub !== undefined) return fromStub(grader, stub);
  if (!ctx.models) {
    return failure(
      "model_grader_server_error",
      `no model server is configured, so the local engine does not call models yet: \`${grader.model}\` was not asked. ` +
        "Pass --model-base-url <url> (or set GRADE_MODEL_BASE_URL; a key goes in GRADE_MODEL_API_KEY), " +
        "give the model's answer with `given` in a test, or run the grader with --remote",
    );
  }
  const answer = await ctx.models.server.complete(grader, rendered.messages, ctx.models.calls);
  if (!answer.ok) return { reward: 0, errors: [answer.error] };
  const judged = judgeAnswer(grader, answer.text, answer.truncated);
  if (!judged.ok) return failure("model_grader_parse_error", judged.details);
  return judged.explanation === undefined ? success(judged.reward) : { ...success(judged.reward), explanations: { "": judged.explanation } };
}

/** One grader that is not a multi. `stub` replaces running it (tests). */
export async function gradeSubGrader(grader: SubGraderJson, ctx: GradeContext, stub?: Stub): Promise<Outcome> {
  if (grader.type === "score_model" || grader.type === "label_model") return gradeModel(grader, ctx, stub);
  if (stub !== undefined) {
    if (typeof stub !== "number") return failure("other_error", `the reward given for a ${grader.type} grader must be a number, not \`${stub}\``);
    return success(stub);
  }
  switch (grader.type) {
    case "string_check":
      return gradeStringCheck(grader, ctx);
    case "text_similarity":
      return gradeTextSimilarity(grader, ctx);
    case "python":
      return gradePython(grader, ctx);
  }
}

/**
 * A multi grader: every sub-grader runs (concurrently), then the formula combines their rewards
 * by key. A sub-grader that fails counts as 0 in the formula and its error is reported; a formula
 * that does not parse or cannot be computed (division by zero, `log(0)`) is a
 * `formula_parse_error` with reward 0.
 */
export async function gradeMulti(grader: MultiJson, ctx: GradeContext, given: Readonly<Record<string, Stub>> = {}): Promise<Outcome> {
  const keys = Object.keys(grader.graders);
  const outcomes = await Promise.all(
    keys.map((key) => gradeSubGrader(grader.graders[key]!, ctx, Object.hasOwn(given, key) ? given[key] : undefined)),
  );
  const subRewards: Record<string, number> = {};
  const errors: GradeError[] = [];
  const explained: Record<string, string> = {};
  keys.forEach((key, i) => {
    const outcome = outcomes[i]!;
    subRewards[key] = outcome.reward;
    const explanation = outcome.explanations?.[""];
    if (explanation !== undefined) explained[key] = explanation;
    for (const error of outcome.errors) errors.push({ ...error, details: `graders.${key}: ${error.details}` });
  });
  const formula = grader.calculate_output;
  const parsed = parseFormula(formula);
  if (!parsed.expr || parsed.problems.length) {
    const problem = parsed.problems[0]?.message ?? "the formula is empty";
    errors.push({ flag: "formula_parse_error", details: `\`${formula}\`: ${problem}` });
    return { reward: 0, errors, subRewards, ...explanations(explained) };
  }
  const value = evaluateFormula(parsed.expr, subRewards);
  if (!value.ok) {
    errors.push({ flag: "formula_parse_error", details: value.error });
    return { reward: 0, errors, subRewards, ...explanations(explained) };
  }
  return { reward: value.value, errors, subRewards, ...explanations(explained) };
}

function explanations(byKey: Record<string, string>): { explanations?: Record<string, string> } {
  return Object.keys(byKey).length ? { explanations: byKey } : {};
}

/** Any grader; `stub` is a model grader's answer (or a reward), `given` a multi's stubs by key. */
export function gradeAny(
  grader: GraderJson,
  ctx: GradeContext,
  stubs: { readonly self?: Stub | undefined; readonly byKey?: Readonly<Record<string, Stub>> | undefined } = {},
): Promise<Outcome> {
  return grader.type === "multi" ? gradeMulti(grader, ctx, stubs.byKey) : gradeSubGrader(grader, ctx, stubs.self);
}
