import * as fs from "node:fs";
import { projectRoot } from "../check/files.js";
import { isTestFinding } from "../check/registry.js";
import { compile } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Json, JsonObject } from "../emit/emit.js";
import type { Target } from "../schema/graders.js";
import type { Span } from "../syntax/ast.js";
import { describeIoError, expandInputs, readInput, UsageError } from "../cli/io.js";
import type { RunRequest } from "./engine.js";
import { isObject } from "./response.js";
import { sampleFromObject, type Sample } from "../engine/sample.js";

/*
 * The inputs of `grade run` and `grade validate`: the grader (a `.grade` file compiled for rft,
 * or a `.json` file holding a grader or a whole request body), the sample text and the item.
 * Bad input is a UsageError (exit 2) with a message that says what is wrong.
 */

/** A `.grade` file, compiled. `grader` is undefined when there is an error-level finding. */
export interface GradeFile {
  readonly kind: "grade";
  readonly label: string;
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly grader: JsonObject | undefined;
  /** JSON pointer inside the grader → span in `text`. */
  readonly sourceMap: ReadonlyMap<string, Span>;
}

/** A `.json` file: a grader, or a request body `{grader, model_sample?, item?, ...}`. */
export interface JsonFile {
  readonly kind: "json";
  readonly label: string;
  readonly text: string;
  /** The checker's findings, as for a `.grade` file (positions in the JSON text). */
  readonly diagnostics: readonly Diagnostic[];
  readonly grader: JsonObject;
  /** The whole body when the file was one; its other fields are sent as they are. */
  readonly body: JsonObject | undefined;
}

export type GraderFile = GradeFile | JsonFile;

function isJsonObject(value: Json | undefined): value is JsonObject {
  return isObject(value);
}

function checkGrader(value: Json | undefined, where: string): JsonObject {
  if (!isJsonObject(value) || typeof value["type"] !== "string") {
    throw new UsageError(
      `${where} is not a grader: expected a JSON object with a "type" string (or a request body with a "grader" object)`,
    );
  }
  return value;
}

function parseJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new UsageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads and, for `.grade`, compiles the grader file (`-` reads `.grade` text from standard input).
 * `target` is rft for the API's endpoints; `"file"` follows the file's `// @target` comment.
 */
export async function loadGraderFile(file: string, target: Target | "file" = "rft"): Promise<GraderFile> {
  const inputs = await expandInputs([file]);
  if (inputs.length !== 1) throw new UsageError(`\`${file}\` is a directory; give one .grade or .json file`);
  const input = inputs[0]!;
  const source = await readInput(input);
  if (input.path !== undefined && /\.json$/i.test(input.path)) {
    if (source.encoding) throw new UsageError(`\`${input.label}\` is not valid UTF-8`);
    const json = parseJson(source.text, `\`${input.label}\``);
    const wrapped = isJsonObject(json) && "grader" in json;
    const grader = wrapped ? checkGrader(json["grader"], `"grader" in \`${input.label}\``) : checkGrader(json, `\`${input.label}\``);
    // The same checker as `grade check file.json` (a request body's grader inside it), for the
    // file's own target: what check rejects, run and eval refuse too.
    // A JSON file says no target: for the local engine ("file") one the evals target accepts (a lone
    // label_model, say) is checked as an evals grader, as `grade decompile` marks it.
    const findings = (t: Target) => compile(source.text, { target: t, filename: input.path }).diagnostics.filter((d) => !isTestFinding(d));
    let checked = findings(target === "file" ? "rft" : target);
    if (target === "file" && checked.some((d) => d.rule === "target")) {
      const evals = findings("evals");
      if (!evals.some((d) => d.rule === "target")) checked = evals;
    }
    const diagnostics = checked.map((d) => ({ ...d, file: input.label }));
    return { kind: "json", label: input.label, text: source.text, diagnostics, grader, body: wrapped ? json : undefined };
  }
  // The API's run and validate are the fine-tuning endpoints: checked for rft, whatever its @target.
  const result = compile(source.text, { ...(target !== "file" ? { target } : {}), filename: input.path, root: projectRoot(input.path) });
  // Findings about the file's tests are for grade test and grade check, never a reason not to run.
  const diagnostics = [
    ...(source.encoding ? [source.encoding] : []),
    ...result.diagnostics.filter((d) => !isTestFinding(d)).map((d) => ({ ...d, file: input.label })),
  ];
  return {
    kind: "grade",
    label: input.label,
    text: source.text,
    diagnostics,
    grader: source.encoding ? undefined : result.grader,
    sourceMap: result.sourceMap,
  };
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The text of a `<text|@file>` option: `@file` reads the file (exactly, newlines included), `@-`
 * reads standard input, `@@text` is the literal `@text`, anything else is the text itself.
 */
export async function readTextOption(value: string, flag: string): Promise<string> {
  if (!value.startsWith("@")) return value;
  if (value.startsWith("@@")) return value.slice(1);
  const file = value.slice(1);
  if (file === "-") return readStdinText();
  if (file === "") throw new UsageError(`${flag} @ needs a file name after the @ (or @- for standard input)`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${flag} file \`${file}\`: ${describeIoError(error)}`);
  }
}

/** The `--sample-json` object: JSON text or `@file`; it must be an object. */
export async function readSampleJsonOption(value: string): Promise<Sample> {
  const result = sampleFromObject(parseJson(await readTextOption(value, "--sample-json"), "--sample-json"));
  if (!result.ok) throw new UsageError(`--sample-json: ${result.message}`);
  return result.sample;
}

/** The `--item` object: JSON text or `@file`; it must be an object. */
export async function readItemOption(value: string): Promise<JsonObject> {
  const json = parseJson(await readTextOption(value, "--item"), "--item");
  if (!isJsonObject(json)) {
    const kind = json === null ? "null" : Array.isArray(json) ? "an array" : `a ${typeof json}`;
    throw new UsageError(`--item must be a JSON object (the dataset row), not ${kind}`);
  }
  return json;
}

/** The item of a run: `--item` when given, else the request body's `item`, else none. */
export async function readRunItem(body: JsonObject | undefined, option: string | undefined): Promise<JsonObject | undefined> {
  const bodyItem = body?.["item"];
  if (bodyItem !== undefined && bodyItem !== null && !isJsonObject(bodyItem)) {
    throw new UsageError(`"item" in the request body must be a JSON object`);
  }
  return option !== undefined ? readItemOption(option) : isJsonObject(bodyItem) ? bodyItem : undefined;
}

export interface RunInputs {
  readonly sample?: string | undefined;
  readonly item?: string | undefined;
}

/**
 * The run request: the grader, the sample and the item. A request body file supplies
 * `model_sample` and `item` when the flags do not, and its other fields are sent as they are.
 */
export async function buildRunRequest(
  grader: JsonObject,
  body: JsonObject | undefined,
  options: RunInputs,
): Promise<RunRequest> {
  if (options.sample !== undefined && options.item !== undefined && options.sample === "@-" && options.item === "@-") {
    throw new UsageError("--sample and --item cannot both read standard input");
  }
  const bodySample = body?.["model_sample"];
  if (bodySample !== undefined && typeof bodySample !== "string") {
    throw new UsageError(`"model_sample" in the request body must be a string`);
  }
  const sample = options.sample !== undefined ? await readTextOption(options.sample, "--sample") : bodySample;
  if (sample === undefined) {
    throw new UsageError("`grade run` needs --sample <text|@file>: the model output to grade");
  }
  const item = await readRunItem(body, options.item);
  const { grader: _grader, model_sample: _sample, item: _item, ...rest } = body ?? {};
  return { grader, model_sample: sample, ...(item !== undefined ? { item } : {}), ...rest };
}
