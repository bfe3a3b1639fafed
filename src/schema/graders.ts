import { z } from "zod";
import { provideGraderSchemas } from "./lazy.js";
import { refinements } from "./refinements.js";

/*
 * The grader JSON, as the service accepts it: the one truth about the wire format. The checker
 * reads field names, required fields and enum values from these schemas; every compiled grader
 * is validated against them in the tests.
 *
 * Objects are loose: the service tolerates fields it does not document (`pass_threshold` on an
 * RFT sub-grader, Azure's `invalid_grade`), and a round trip keeps them. The checker reports them.
 *
 * The checker and compile() do not load zod (it costs more start-up time than the rest of a
 * `grade check`): they read src/schema/table.ts, which the build derives from these schemas
 * (src/schema/derive.ts) and a test keeps equal to them. Change these, then run `npm run build`.
 */

export const targets = ["rft", "evals"] as const;
export type Target = (typeof targets)[number];

export const StringCheckOperation = z.enum(["eq", "ne", "like", "ilike"]);
export const EvaluationMetric = z.enum([
  "cosine",
  "fuzzy_match",
  "bleu",
  "gleu",
  "meteor",
  "rouge_1",
  "rouge_2",
  "rouge_3",
  "rouge_4",
  "rouge_5",
  "rouge_l",
]);
export const Role = z.enum(["user", "assistant", "system", "developer"]);
export const ReasoningEffort = z.enum(["none", "minimal", "low", "medium", "high", "xhigh", "max"]);
export const ImageDetail = z.enum(["high", "low", "auto"]);
export const AudioFormat = z.enum(["mp3", "wav"]);

/** `{mode: "explicit"}`: marks the end of a reusable prompt prefix (the spec's `PromptCacheBreakpointConfig`). */
export const PromptCacheBreakpoint = z.looseObject({ mode: z.literal("explicit") });

export const InputText = z.looseObject({
  type: z.literal("input_text"),
  text: z.string(),
  prompt_cache_breakpoint: PromptCacheBreakpoint.optional(),
});
export const OutputText = z.looseObject({ type: z.literal("output_text"), text: z.string() });
export const InputImage = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string(),
  // A string in the spec (its text names high, low and auto): `grade check` warns on another value.
  detail: z.string().optional(),
  file_id: z.string().nullable().optional(),
});
export const InputAudio = z.looseObject({
  type: z.literal("input_audio"),
  input_audio: z.looseObject({ data: z.string(), format: AudioFormat }),
});
export const ContentPart = z.discriminatedUnion("type", [InputText, OutputText, InputImage, InputAudio]);
export const MessageContent = z.union([z.string(), ContentPart, z.array(z.union([z.string(), ContentPart]))]);

export const Message = z.looseObject({
  role: Role,
  content: MessageContent,
  type: z.literal("message").optional(),
});

export const SamplingParams = z.looseObject({
  max_completions_tokens: z.int().min(1).nullable().optional(),
  reasoning_effort: ReasoningEffort.nullable().optional(),
  seed: z.int().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
});

const Range = z
  .tuple([z.number(), z.number()])
  .refine(refinements.increasing, { message: "range must be two increasing numbers" });

const name = z.string().optional();

function definitions(target: Target) {
  const evals = target === "evals";
  const StringCheck = z.looseObject({
    type: z.literal("string_check"),
    name,
    input: z.string(),
    reference: z.string(),
    operation: StringCheckOperation,
  });
  const TextSimilarity = z.looseObject({
    type: z.literal("text_similarity"),
    name,
    input: z.string(),
    reference: z.string(),
    // `cosine` too for rft: the spec lists it for /fine_tuning/alpha/graders/run and fine-tuning.
    evaluation_metric: EvaluationMetric,
    ...(evals ? { pass_threshold: z.number() } : {}),
  });
  const Python = z.looseObject({
    type: z.literal("python"),
    name,
    source: z.string(),
    image_tag: z.string().optional(),
    ...(evals ? { pass_threshold: z.number().optional() } : {}),
  });
  const ScoreModel = z.looseObject({
    type: z.literal("score_model"),
    name,
    model: z.string(),
    input: z.array(Message),
    range: Range.optional(),
    sampling_params: SamplingParams.optional(),
    ...(evals ? { pass_threshold: z.number().optional() } : {}),
  });
  const LabelModel = z.looseObject({
    type: z.literal("label_model"),
    name,
    model: z.string(),
    input: z.array(Message),
    labels: z.array(z.string()),
    passing_labels: z.array(z.string()),
  });
  const SubGrader = z.discriminatedUnion("type", [StringCheck, TextSimilarity, Python, ScoreModel, LabelModel]);
  const Multi = z.looseObject({
    type: z.literal("multi"),
    name,
    graders: z.record(z.string(), SubGrader),
    calculate_output: z.string(),
  });
  const Grader = evals
    ? z.discriminatedUnion("type", [StringCheck, TextSimilarity, Python, ScoreModel, LabelModel])
    : z.discriminatedUnion("type", [StringCheck, TextSimilarity, Python, ScoreModel, Multi]);
  return { StringCheck, TextSimilarity, Python, ScoreModel, LabelModel, Multi, SubGrader, Grader };
}

export type GraderSchemas = ReturnType<typeof definitions>;

const built = new Map<Target, GraderSchemas>();

/** The zod schemas of one target (built on first use). */
export function graderSchemas(target: Target): GraderSchemas {
  let schemas = built.get(target);
  if (!schemas) {
    schemas = definitions(target);
    built.set(target, schemas);
  }
  return schemas;
}

/** The schema of a top-level grader for a target: RFT (`/graders/run`, fine-tuning) or Evals. */
export function graderSchema(target: Target = "rft") {
  return graderSchemas(target).Grader;
}

export type RftGrader = z.infer<GraderSchemas["Grader"]>;
export type SubGrader = z.infer<GraderSchemas["SubGrader"]>;
export type MessageJson = z.infer<typeof Message>;
export type ContentPartJson = z.infer<typeof ContentPart>;

provideGraderSchemas({ graderSchema });
