import type { GraderRunParams } from "openai/resources/fine-tuning/alpha/graders";
import type { LabelModelGrader, MultiGrader, PythonGrader, ScoreModelGrader, StringCheckGrader, TextSimilarityGrader } from "openai/resources/graders/grader-models";

/*
 * The one place where what gradelang emits is cast to the `openai` package's types: the
 * deviations the spec/SDK mismatch forces, or that the project keeps on purpose
 * (test/fixtures/spec/allow-list.json says why each is right). test/sdk/examples.generated.ts
 * goes through these and nothing else; everything else in a grader is checked as the SDK types it.
 */

type RftGrader = GraderRunParams["grader"];
type SubGrader = StringCheckGrader | TextSimilarityGrader | PythonGrader | ScoreModelGrader | LabelModelGrader;

/**
 * `multi.graders` is a map of named graders, which the service takes; the spec and the SDK type
 * it as one grader (openai/openai-java#647; openai/openai-python#3918 makes the Python SDK a
 * map). A sub-grader may carry `pass_threshold`, as the graders guide's multi example does
 * (the checker warns: `unknown-field`).
 */
export type ProjectMultiGrader = Omit<MultiGrader, "graders"> & { graders: Record<string, SubGrader & { pass_threshold?: number }> };
/** A grader without `name`, as the guide's examples write them (the SDK requires one; the checker warns: `missing-name`). */
export type Unnamed<T> = T extends unknown ? Omit<T, "name"> & { name?: string } : never;

/** A multi grader, named or not (the guide's multi example has no name). */
export const multiGrader = (grader: Unnamed<ProjectMultiGrader>): MultiGrader => grader as unknown as MultiGrader;
export const unnamed = (grader: Unnamed<RftGrader>): RftGrader => grader as RftGrader;

/** An `input_image` part with `file_id` (the project's image seed; the Responses input image of the same spec has it). */
type WithFileId<T> = T extends { type: "input_image" }
  ? T & { file_id?: string | null }
  : T extends readonly (infer U)[]
    ? WithFileId<U>[]
    : T extends object
      ? { [K in keyof T]: WithFileId<T[K]> }
      : T;
export const imageFileId = (grader: WithFileId<ScoreModelGrader>): ScoreModelGrader => grader as ScoreModelGrader;
