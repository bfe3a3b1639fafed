import { createRequire } from "node:module";

/*
 * The zod schemas, loaded only when needed: compile() validates with the zod-free table
 * (src/schema/validate.ts) and asks zod only for the issues of a grader the table rejects. zod
 * takes longer to load than the rest of a `grade compile`, so it is not imported up front.
 */

/** What compile() needs of src/schema/graders.ts. */
export type ZodGraders = Pick<typeof import("./graders.js"), "graderSchema">;

// Kept on globalThis: in the bundle, graders.js is a file of its own with its own copy of this
// module, and registers into the same place as the command that required it.
const KEY = Symbol.for("gradelang.graderSchemas");
const registry = globalThis as { [KEY]?: ZodGraders };

/** Called by graders.ts as it loads (the library entry, the engine and the tests import it). */
export function provideGraderSchemas(module: ZodGraders): void {
  registry[KEY] ??= module;
}

/**
 * The zod schemas module, loaded synchronously when nothing has loaded it yet (require of an ES
 * module: Node 22.12 and later). graders.js sits next to this file both in dist/schema/ and in
 * the bundle (dist/bundle/graders.js, an entry point of its own), and registers itself.
 */
export function graderSchemasModule(): ZodGraders {
  if (!registry[KEY]) createRequire(import.meta.url)("./graders.js");
  const loaded = registry[KEY];
  if (!loaded) throw new Error("the zod grader schemas did not load");
  return loaded;
}

/** Tests compare the table's verdicts with zod's on every compile (vitest.config.ts sets it). */
const crossCheck = process.env["GRADE_CHECK_SCHEMAS"] === "1";
export const crossCheckSchemas = (): boolean => crossCheck;
