import type { ZodType } from "zod";
import { graderSchemas, type GraderSchemas, type Target, targets } from "../schema/graders.js";

/*
 * What the checker knows about each grader kind, read from the zod schemas so the wire format
 * has one definition.
 */

export const graderKinds = ["string_check", "text_similarity", "python", "score_model", "label_model", "multi"] as const;
export type GraderKind = (typeof graderKinds)[number];

export function isGraderKind(name: string): name is GraderKind {
  return (graderKinds as readonly string[]).includes(name);
}

/** Kinds whose `input` is a list of messages written as `<role> <content>` lines. */
export const modelKinds: ReadonlySet<string> = new Set(["score_model", "label_model"]);

export interface FieldInfo {
  readonly name: string;
  readonly required: boolean;
  readonly schema: ZodType;
}

const schemaKey: Record<GraderKind, keyof GraderSchemas> = {
  string_check: "StringCheck",
  text_similarity: "TextSimilarity",
  python: "Python",
  score_model: "ScoreModel",
  label_model: "LabelModel",
  multi: "Multi",
};

const cache = new Map<string, ReadonlyMap<string, FieldInfo>>();

/** The fields of a kind for a target (`type` excluded: the kind is written in the header). */
export function fieldsOfKind(kind: GraderKind, target: Target): ReadonlyMap<string, FieldInfo> {
  const key = `${kind}/${target}`;
  let fields = cache.get(key);
  if (!fields) {
    const schema = graderSchemas(target)[schemaKey[kind]] as unknown as { shape: Record<string, ZodType> };
    const map = new Map<string, FieldInfo>();
    for (const [name, field] of Object.entries(schema.shape)) {
      if (name === "type") continue;
      map.set(name, { name, required: !field.safeParse(undefined).success, schema: field });
    }
    fields = map;
    cache.set(key, fields);
  }
  return fields;
}

/** The targets that know a field of a kind. */
export function targetsWithField(kind: GraderKind, field: string): Target[] {
  return targets.filter((t) => fieldsOfKind(kind, t).has(field));
}
