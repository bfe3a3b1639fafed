import { z } from "zod";
import { enumValueDescriptions, fieldDescription, type GraderKind, kindDescriptions } from "./descriptions.js";
import { graderSchema, type Target } from "./graders.js";

/*
 * A JSON Schema (draft 2020-12) of the grader JSON, made by zod's own `z.toJSONSchema` from the
 * schemas in graders.ts, with the descriptions of descriptions.ts added: what `grade schema`
 * prints, for JSON editors (VS Code's `json.schemas`, a `$schema` key) and other validators.
 */

export type RequestKind = "run" | "validate";

export interface JsonSchemaOptions {
  readonly target?: Target;
  /** The request body of `/graders/run` or `/graders/validate` instead of a bare grader. */
  readonly request?: RequestKind | undefined;
}

type Json = { [key: string]: unknown };

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Adds descriptions to every object's properties, the grader kinds and the enums, in place. */
function describe(node: unknown, kind: string | undefined): void {
  if (Array.isArray(node)) {
    for (const item of node) describe(item, kind);
    return;
  }
  if (!isObject(node)) return;
  const properties = isObject(node["properties"]) ? node["properties"] : undefined;
  const typeConst = properties && isObject(properties["type"]) ? properties["type"]["const"] : undefined;
  const ownKind = typeof typeConst === "string" && typeConst in kindDescriptions ? typeConst : undefined;
  if (ownKind && node["description"] === undefined) node["description"] = kindDescriptions[ownKind as GraderKind];
  for (const [key, value] of Object.entries(node)) {
    if (key === "properties" && isObject(value)) {
      for (const [field, schema] of Object.entries(value)) {
        if (!isObject(schema)) continue;
        const text = fieldDescription(field, ownKind ?? kind);
        if (text && schema["description"] === undefined) schema["description"] = text;
        const values = enumValueDescriptions[field];
        const options = Array.isArray(schema["enum"]) ? (schema["enum"] as unknown[]) : undefined;
        // VS Code shows `markdownEnumDescriptions` beside each value it offers; other validators ignore it.
        if (values && options) schema["markdownEnumDescriptions"] = options.map((v) => values[String(v)] ?? "");
        describe(schema, ownKind ?? kind);
      }
    } else describe(value, ownKind ?? kind);
  }
}

/** The JSON Schema of a target's grader JSON, or of a request body carrying one. */
export function graderJsonSchema(options: JsonSchemaOptions = {}): Json {
  const target = options.target ?? "rft";
  const grader = graderSchema(target);
  const schema =
    options.request === "run"
      ? z.object({
          grader,
          model_sample: z.string().describe("The model output to grade: it fills the `sample` namespace (`output_json` too, when it is valid JSON)."),
          item: z.record(z.string(), z.unknown()).optional().describe("The dataset row: it fills the `item` namespace."),
        })
      : options.request === "validate"
        ? z.object({ grader })
        : grader;
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as Json;
  describe(json, undefined);
  const what = options.request ? `a /graders/${options.request} request body (${target} grader)` : target === "rft" ? "a fine-tuning (rft) grader" : "an Evals grader";
  return {
    $schema: json["$schema"],
    title: `gradelang: ${what}`,
    ...Object.fromEntries(Object.entries(json).filter(([key]) => key !== "$schema")),
  };
}
