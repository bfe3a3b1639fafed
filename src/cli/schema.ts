import * as fs from "node:fs";
import type { Target } from "../schema/graders.js";
import { graderJsonSchema, type RequestKind } from "../schema/json-schema.js";
import { describeIoError, UsageError } from "./io.js";

export interface SchemaCommandOptions {
  readonly target?: Target | undefined;
  readonly request?: RequestKind | undefined;
  readonly output?: string | undefined;
}

/** `grade schema`: prints (or writes) the JSON Schema of the grader JSON. Exit 0, or 2 on a write error. */
export function schemaCommand(options: SchemaCommandOptions): number {
  const schema = graderJsonSchema({ target: options.target ?? "rft", request: options.request });
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (options.output === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    fs.writeFileSync(options.output, text);
  } catch (error) {
    throw new UsageError(`cannot write \`${options.output}\`: ${describeIoError(error)}`);
  }
  return 0;
}
