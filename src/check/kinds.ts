import type { Expected } from "../schema/descriptor.js";
import type { Target } from "../schema/graders.js";
import { schemaTable } from "../schema/table.js";

/*
 * What the checker knows about each grader kind, read from the zod schemas so the wire format
 * has one definition: through src/schema/table.ts, which the build derives from them (the
 * checker does not load zod).
 */

export const graderKinds = ["string_check", "text_similarity", "python", "score_model", "label_model", "multi"] as const;
export type GraderKind = (typeof graderKinds)[number];

const kindSet: ReadonlySet<string> = new Set(graderKinds);

export function isGraderKind(name: string): name is GraderKind {
  return kindSet.has(name);
}

/** Kinds whose `input` is a list of messages written as `<role> <content>` lines. */
export const modelKinds: ReadonlySet<string> = new Set(["score_model", "label_model"]);

export interface FieldInfo {
  readonly name: string;
  readonly required: boolean;
  /** The plain JSON type the schema asks for (string, number, list of strings), if it is one. */
  readonly expected: Expected | null;
}

/** The targets, in the schemas' order. */
export const targets: readonly Target[] = schemaTable.targets;

const fieldCache: Partial<Record<Target, Partial<Record<GraderKind, ReadonlyMap<string, FieldInfo>>>>> = {};

/** The fields of a kind for a target (`type` excluded: the kind is written in the header). */
export function fieldsOfKind(kind: GraderKind, target: Target): ReadonlyMap<string, FieldInfo> {
  const byKind = (fieldCache[target] ??= {});
  let fields = byKind[kind];
  if (!fields) {
    const map = new Map<string, FieldInfo>();
    for (const [name, required, expected] of schemaTable.fields[target][kind]) map.set(name, { name, required, expected });
    byKind[kind] = fields = map;
  }
  return fields;
}

const requiredCache: Partial<Record<Target, Partial<Record<GraderKind, readonly FieldInfo[]>>>> = {};

/** The required fields of a kind for a target, in the schema's order. */
export function requiredFieldsOfKind(kind: GraderKind, target: Target): readonly FieldInfo[] {
  const byKind = (requiredCache[target] ??= {});
  return (byKind[kind] ??= [...fieldsOfKind(kind, target).values()].filter((f) => f.required));
}

const none: readonly Target[] = [];
const withField = new Map<GraderKind, Map<string, readonly Target[]>>();

/** The targets that know a field of a kind. */
export function targetsWithField(kind: GraderKind, field: string): readonly Target[] {
  let byField = withField.get(kind);
  if (!byField) {
    // Every field some target knows; any other name is known by none.
    byField = new Map();
    for (const t of targets) for (const name of fieldsOfKind(kind, t).keys()) byField.set(name, targets.filter((u) => fieldsOfKind(kind, u).has(name)));
    withField.set(kind, byField);
  }
  return byField.get(field) ?? none;
}
