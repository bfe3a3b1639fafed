/*
 * A plain-data description of a grader schema (derived from the zod schemas at build time,
 * src/schema/derive.ts), and the shared types of the derived table (src/schema/table.ts).
 * Nothing here loads zod.
 */

import type { RefinementName } from "./refinements.js";

export type Descriptor =
  | { readonly t: "string" }
  | {
      readonly t: "number";
      /** A safe integer. */
      readonly int?: boolean;
      /** Lower bound: [value, inclusive]. */
      readonly min?: readonly [number, boolean];
      /** Upper bound: [value, inclusive]. */
      readonly max?: readonly [number, boolean];
    }
  | { readonly t: "literal"; readonly values: readonly (string | number | boolean | null)[] }
  | { readonly t: "enum"; readonly values: readonly string[] }
  | { readonly t: "optional"; readonly of: Descriptor }
  | { readonly t: "nullable"; readonly of: Descriptor }
  | { readonly t: "array"; readonly of: Descriptor }
  | { readonly t: "tuple"; readonly items: readonly Descriptor[]; readonly refine?: RefinementName }
  /** A loose object: keys not in `shape` are kept, whatever their value. */
  | { readonly t: "object"; readonly shape: { readonly [key: string]: Descriptor } }
  /** Any string keys; every value matches `of`. */
  | { readonly t: "record"; readonly of: Descriptor }
  | { readonly t: "union"; readonly options: readonly Descriptor[] }
  /** Objects told apart by the literal at `key`. */
  | { readonly t: "discriminated"; readonly key: string; readonly options: readonly Descriptor[] }
  /** `defs[id]` of the table: each object and union is written once. */
  | { readonly t: "ref"; readonly id: number };

/** The JSON type of a plain field, as the `invalid-value` rule checks it. */
export interface Expected {
  readonly type: "string" | "number" | "strings";
  readonly nullable: boolean;
}

/** One field of a grader kind: name, required, and its plain JSON type (null: not a plain one). */
export type FieldRow = readonly [name: string, required: boolean, expected: Expected | null];

export const tableTargets = ["rft", "evals"] as const;
export const tableKinds = ["string_check", "text_similarity", "python", "score_model", "label_model", "multi"] as const;

export interface SchemaTable {
  readonly targets: readonly (typeof tableTargets)[number][];
  readonly enums: {
    readonly StringCheckOperation: readonly string[];
    readonly EvaluationMetric: readonly string[];
    readonly Role: readonly string[];
    readonly ReasoningEffort: readonly string[];
    readonly ImageDetail: readonly string[];
    readonly AudioFormat: readonly string[];
  };
  /** The keys of `sampling_params`. */
  readonly samplingParams: readonly string[];
  /** The fields of each grader kind for each target (`type` excluded), in schema order. */
  readonly fields: { readonly [T in (typeof tableTargets)[number]]: { readonly [K in (typeof tableKinds)[number]]: readonly FieldRow[] } };
  /** The top-level grader schema of each target. */
  readonly graders: { readonly [T in (typeof tableTargets)[number]]: Descriptor };
  /** The objects and unions the descriptors refer to (`{ t: "ref", id }`). */
  readonly defs: readonly Descriptor[];
}
