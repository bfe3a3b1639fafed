/*
 * What each part of the grader JSON means, in a sentence: the descriptions `grade schema` puts in
 * the JSON Schema (so a JSON editor shows them) and the language server shows on hover. Plain
 * data, no zod: the schemas (src/schema/graders.ts) stay the truth about shape, these only explain.
 * Facts from the API reference and guides (shared/reference/openai-graders.md).
 */

export type GraderKind = "string_check" | "text_similarity" | "python" | "score_model" | "label_model" | "multi";

export const kindDescriptions: { readonly [K in GraderKind]: string } = {
  string_check: "Compares `input` with `reference` by `operation` (eq, ne, like, ilike); the reward is 1 or 0.",
  text_similarity: "Scores how similar `input` is to `reference` with `evaluation_metric` (BLEU, ROUGE, fuzzy match...); a reward from 0 to 1.",
  python: "Runs `source`, a Python program defining `grade(sample, item)` that returns a float: the reward.",
  score_model: "Asks a model (`model`) to score the sample with the `input` messages; the reward is its number, clamped to `range` (default [0, 1]).",
  label_model: "Asks a model to pick one of `labels` for the sample; the reward is 1 when it picks one of `passing_labels`, else 0. Evals, or inside a multi grader.",
  multi: "Runs the sub-graders of `graders` and combines their rewards with the `calculate_output` formula. Reinforcement fine-tuning only; cannot be nested.",
};

/** Field descriptions that hold for every kind that has the field. */
const common: { readonly [field: string]: string } = {
  grader: "The grader to run or validate.",
  type: "The grader kind: string_check, text_similarity, python, score_model, label_model or multi.",
  name: "The grader's name, shown in results and metrics.",
  input: "The text to grade; may use templates such as `{{ sample.output_text }}` and `{{ item.answer }}`.",
  reference: "The text to compare with; may use templates such as `{{ item.reference_answer }}`.",
  operation: "How `input` is compared with `reference`: eq (equal), ne (not equal), like (contains, case-sensitive), ilike (contains, ignoring case).",
  evaluation_metric: "The similarity metric: fuzzy_match, bleu, gleu, meteor, rouge_1..rouge_5, rouge_l; cosine (embeddings) in Evals only.",
  pass_threshold: "Evals: the reward at or above which a sample passes.",
  source: "The Python source: must define `grade(sample, item)` taking exactly two arguments and returning a float. Under 256 kB.",
  image_tag: "The image the Python grader runs in (such as `2025-05-08`), which fixes the installed packages.",
  model: "The model that grades, such as `gpt-4o-2024-08-06`.",
  range: "The range the score is clamped to: two increasing numbers (default [0, 1]).",
  sampling_params: "Sampling parameters for the grading model: temperature, top_p, seed, max_completions_tokens, reasoning_effort.",
  labels: "The labels the model chooses from.",
  passing_labels: "The labels that pass (reward 1); each must be one of `labels`.",
  graders: "The sub-graders, by key; `calculate_output` refers to their rewards by these keys.",
  calculate_output: "The formula combining the sub-graders' rewards, by their keys in `graders`: + - * / ^, numbers, min, max, abs, floor, ceil, exp, sqrt, log.",
  // Messages and content parts.
  role: "Who speaks: user, assistant, system or developer.",
  content: "The message: a string, a content part (input_text, output_text, input_image, input_audio) or a list of them; templates allowed.",
  text: "The text of the part; templates allowed.",
  image_url: "The image's URL (or a template giving one).",
  detail: "How closely the model looks at the image: high, low or auto (another string is sent as written, with a warning).",
  prompt_cache_breakpoint: "Marks the end of a prompt prefix to cache: `{ mode: \"explicit\" }`.",
  mode: "How the cache breakpoint is set: `explicit`.",
  file_id: "An uploaded file holding the image, instead of a URL.",
  input_audio: "The audio: `data` (base64, or a template) and its `format`.",
  data: "The audio, base64 encoded (or a template giving it).",
  format: "The audio format: mp3 or wav.",
  // sampling_params
  temperature: "Sampling temperature, 0 to 2 (not supported by reasoning models).",
  top_p: "Nucleus sampling probability mass, 0 to 1.",
  seed: "A seed, for more repeatable sampling.",
  max_completions_tokens: "The most tokens the grading model may write (at least 1).",
  reasoning_effort: "Reasoning effort for reasoning models: none, minimal, low, medium, high, xhigh or max.",
};

/** Where a kind gives a shared field name its own meaning. */
const byKind: { readonly [K in GraderKind]?: { readonly [field: string]: string } } = {
  score_model: { input: "The messages sent to the grading model (role and content); templates allowed in the content." },
  label_model: { input: "The messages sent to the labelling model (role and content); templates allowed in the content." },
};

/** The description of a grader field, for a kind when known. */
export function fieldDescription(field: string, kind?: string): string | undefined {
  return (kind ? byKind[kind as GraderKind]?.[field] : undefined) ?? common[field];
}

/** What each enum value means, by the field that takes it. */
export const enumValueDescriptions: { readonly [field: string]: { readonly [value: string]: string } } = {
  operation: {
    eq: "1 when input equals reference (case-sensitive).",
    ne: "1 when input differs from reference (case-sensitive).",
    like: "1 when input contains reference (case-sensitive).",
    ilike: "1 when input contains reference, ignoring case.",
  },
  evaluation_metric: {
    cosine: "Cosine similarity of the embedded texts (text-embedding-3-large). Evals only.",
    fuzzy_match: "Fuzzy string match (rapidfuzz).",
    bleu: "BLEU score.",
    gleu: "Google BLEU score.",
    meteor: "METEOR score.",
    rouge_1: "ROUGE-1 (unigrams).",
    rouge_2: "ROUGE-2 (bigrams).",
    rouge_3: "ROUGE-3.",
    rouge_4: "ROUGE-4.",
    rouge_5: "ROUGE-5.",
    rouge_l: "ROUGE-L (longest common subsequence).",
  },
};
