import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { RunResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { loadGraderFile } from "../api/input.js";
import { setFlags } from "../api/summary.js";
import { UsageError } from "../cli/io.js";
import { localEngineOptions, type LocalCommandOptions } from "../cli/local-options.js";
import type { Json, JsonObject } from "../emit/emit.js";
import type { LocalEngine, LocalEngineOptions } from "../engine/local.js";
import { sampleFromObject, sampleFromText, type Sample } from "../engine/sample.js";
import { LineIndex } from "../syntax/lines.js";
import { passRule } from "./pass.js";

/*
 * A grader as a promptfoo assertion. promptfoo's `javascript` assertion loads a function from a
 * file (`value: file://node_modules/gradelang/promptfoo.js:grader`) and calls it with the output
 * and a context (`vars`, the assertion's `config`, the test); the function answers a
 * GradingResult `{pass, score, reason, componentResults}`. Here: the output is the sample, the
 * vars are the item, the local engine grades (as `grade eval` does), and the result says the
 * reward, the grader's own pass rule, the error flags, and one component per sub-grader of a multi.
 *
 * Nothing here throws: a grader that cannot be read or has checker errors, a bad config, a crash
 * are all a failed assertion whose reason says what is wrong — never a silent 0.
 */

/** The assertion's `config` in promptfooconfig.yaml. */
export interface AssertionConfig {
  /** The `.grade` file or grader JSON; a relative path is read from the directory promptfoo runs in. */
  readonly grader?: string;
  /** Pass at this reward or above, instead of the grader's own rule. */
  readonly threshold?: number;
  /** Vars that are not item fields (e.g. the recorded output a replay config feeds the echo provider). */
  readonly omitVars?: readonly string[];
  readonly python?: string;
  readonly pythonTimeout?: number;
  readonly modelBaseUrl?: string;
  /** Discouraged: prefer GRADE_MODEL_API_KEY in the environment (a config file gets committed). */
  readonly modelApiKey?: string;
  /** `{grader model: served model}` (`"*"` for every model), or `["from=to", ...]`. */
  readonly model?: Readonly<Record<string, string>> | readonly string[];
  readonly modelApi?: "chat" | "responses";
  readonly modelTimeout?: number;
  readonly modelMaxRetries?: number;
}

/** What promptfoo passes as the second argument (the parts read here). */
export interface AssertionContext {
  readonly vars?: Readonly<Record<string, unknown>>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly test?: { readonly assert?: readonly unknown[] } & Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** promptfoo's GradingResult, as returned to it. */
export interface GradingResult {
  pass: boolean;
  score: number;
  reason: string;
  componentResults?: GradingResult[];
  namedScores?: Record<string, number>;
}

/** The config keys this assertion reads; any other is a mistake worth a clear failure. */
const CONFIG_KEYS = new Set([
  "grader",
  "threshold",
  "omitVars",
  "python",
  "pythonTimeout",
  "modelBaseUrl",
  "modelApiKey",
  "model",
  "modelApi",
  "modelTimeout",
  "modelMaxRetries",
]);

class ConfigError extends Error {}

const failed = (reason: string): GradingResult => ({ pass: false, score: 0, reason: `gradelang: ${reason}` });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The config checked: unknown keys and wrong types are errors naming the key. */
function readConfig(raw: unknown): AssertionConfig {
  if (raw === undefined) return {};
  if (!isObject(raw)) throw new ConfigError(`the assertion's \`config\` must be an object, not ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!CONFIG_KEYS.has(key)) {
      throw new ConfigError(`unknown key \`${key}\` in the assertion's config (known: ${[...CONFIG_KEYS].join(", ")})`);
    }
  }
  const expect = (key: string, ok: (v: unknown) => boolean, what: string): void => {
    if (raw[key] !== undefined && !ok(raw[key])) throw new ConfigError(`\`config.${key}\` must be ${what}, not ${describe(raw[key])}`);
  };
  const text = (v: unknown) => typeof v === "string" && v.trim() !== "";
  const positive = (v: unknown) => typeof v === "number" && Number.isFinite(v) && v > 0;
  expect("grader", text, "a path to a .grade or grader .json file");
  expect("threshold", (v) => typeof v === "number" && Number.isFinite(v), "a number");
  expect("omitVars", (v) => Array.isArray(v) && v.every((x) => typeof x === "string"), "a list of var names");
  for (const key of ["python", "modelBaseUrl", "modelApiKey"]) expect(key, text, "a non-empty string");
  for (const key of ["pythonTimeout", "modelTimeout"]) expect(key, positive, "a number of seconds above 0");
  expect("modelMaxRetries", (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0, "a whole number, 0 or more");
  expect("modelApi", (v) => v === "chat" || v === "responses", '"chat" or "responses"');
  expect(
    "model",
    (v) =>
      (isObject(v) && Object.values(v).every((x) => typeof x === "string")) ||
      (Array.isArray(v) && v.every((x) => typeof x === "string" && /^[^=]+=.+$/.test(x))),
    'a map {grader model: served model} or a list of "from=to"',
  );
  return raw as AssertionConfig;
}

/** The command line's flags, as the config's keys, in messages. */
const FLAG_KEYS: Readonly<Record<string, string>> = {
  "--model-base-url": "config.modelBaseUrl",
  "--model-api-key": "config.modelApiKey",
  "--model-api": "config.modelApi",
  "--model-timeout": "config.modelTimeout",
  "--model-max-retries": "config.modelMaxRetries",
  "--model": "config.model",
};

/** The engine's options: the config's, else the environment's (as for `grade eval`). */
function engineOptions(config: AssertionConfig): LocalEngineOptions {
  const model = config.model === undefined ? undefined : Array.isArray(config.model) ? [...config.model] : Object.entries(config.model).map(([from, to]) => `${from}=${to}`);
  const options: LocalCommandOptions = {
    python: config.python,
    pythonTimeout: config.pythonTimeout,
    modelBaseUrl: config.modelBaseUrl,
    modelApiKey: config.modelApiKey,
    model,
    modelApi: config.modelApi,
    modelTimeout: config.modelTimeout,
    modelMaxRetries: config.modelMaxRetries,
  };
  try {
    return localEngineOptions(options, process.env);
  } catch (error) {
    if (error instanceof UsageError) throw new ConfigError(error.message.replace(/--model(-[a-z-]+)?\b/g, (flag) => FLAG_KEYS[flag] ?? flag));
    throw error;
  }
}

/** One engine per set of options, kept for the whole promptfoo run (python workers stay warm). */
const engines = new Map<string, Promise<LocalEngine>>();

function engineFor(options: LocalEngineOptions): Promise<LocalEngine> {
  const key = JSON.stringify(options);
  let engine = engines.get(key);
  if (!engine) {
    engine = import("../engine/local.js").then(({ LocalEngine }) => new LocalEngine(options));
    engines.set(key, engine);
  }
  return engine;
}

/** A grader read and checked, or why it cannot run. */
type Loaded = { readonly ok: true; readonly grader: JsonObject; readonly label: string } | { readonly ok: false; readonly reason: string };

/** Graders by absolute path, reloaded when the file changes (promptfoo's watch mode). */
const graders = new Map<string, { readonly stamp: string; readonly loaded: Promise<Loaded> }>();

function errorCount(n: number): string {
  return `${n} error${n === 1 ? "" : "s"}`;
}

async function load(file: string, shown: string): Promise<Loaded> {
  try {
    const source = await loadGraderFile(file, "file");
    if (source.kind === "json") {
      const { readGrader } = await import("../engine/local.js");
      readGrader(source.grader);
      return { ok: true, grader: source.grader, label: shown };
    }
    const errors = source.diagnostics.filter((d) => d.severity === "error");
    if (errors.length || !source.grader) {
      const lines = new LineIndex(source.text);
      const findings = errors.map((d) => {
        const at = lines.position(d.span.start);
        return `${shown}:${at.line}:${at.column}: error[${d.rule}]: ${d.message}`;
      });
      return { ok: false, reason: `\`${shown}\` has ${errorCount(errors.length)}; nothing was graded (\`grade check ${shown}\` shows them):\n${findings.join("\n")}` };
    }
    const { readGrader } = await import("../engine/local.js");
    readGrader(source.grader);
    return { ok: true, grader: source.grader, label: shown };
  } catch (error) {
    if (error instanceof UsageError) return { ok: false, reason: error.message };
    if (error instanceof EngineError) return { ok: false, reason: `\`${shown}\`: ${error.message}; nothing was graded` };
    throw error;
  }
}

function loadGrader(grader: string | URL): Promise<Loaded> {
  const file = typeof grader === "string" ? path.resolve(grader) : fileURLToPath(grader);
  const shown = typeof grader === "string" ? grader : file;
  let stamp: string;
  try {
    const stat = fs.statSync(file);
    stamp = `${stat.mtimeMs}:${stat.size}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : (code ?? String(error));
    const where = path.isAbsolute(shown) ? "" : ` (relative paths are read from the directory promptfoo runs in, ${process.cwd()})`;
    return Promise.resolve({ ok: false, reason: `cannot read grader \`${shown}\`: ${why}${where}` });
  }
  const known = graders.get(file);
  if (known && known.stamp === stamp) return known.loaded;
  const loaded = load(file, shown);
  graders.set(file, { stamp, loaded });
  return loaded;
}

function looksLikeToolCall(value: unknown): boolean {
  return isObject(value) && (isObject(value["function"]) || value["type"] === "function" || value["type"] === "function_call");
}

/** JSON only: a var promptfoo loaded as something else (a function, undefined) is left out. */
function toJson(value: unknown): Json | undefined {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  } catch {
    return undefined;
  }
}

/**
 * promptfoo's output as a sample: a text fills `output_text` (and `output_json` when it is JSON);
 * tool calls (a list of them, or a message with `tool_calls`) fill `output_tools`; any other value
 * (a provider's parsed JSON) is `output_json`, with its JSON text as `output_text`.
 */
export function sampleOf(output: unknown): Sample {
  if (typeof output === "string") return sampleFromText(output);
  if (output === undefined || output === null) return sampleFromText("");
  const fromObject = (value: JsonObject): Sample => {
    const result = sampleFromObject(value);
    return result.ok ? result.sample : sampleFromText(JSON.stringify(value));
  };
  if (Array.isArray(output) && output.length > 0 && output.every(looksLikeToolCall)) {
    return fromObject({ output_text: "", output_tools: toJson(output) as Json[] });
  }
  if (isObject(output) && (Array.isArray(output["tool_calls"]) || isObject(output["function_call"]))) {
    const tools = Array.isArray(output["tool_calls"]) ? output["tool_calls"] : [output["function_call"]];
    const content = typeof output["content"] === "string" ? output["content"] : "";
    return fromObject({ output_text: content, output_tools: toJson(tools) as Json[] });
  }
  const json = toJson(output);
  if (json === undefined) return sampleFromText(String(output));
  return fromObject({ output_text: JSON.stringify(json), output_json: json });
}

/** The vars as the item: every var but `omitVars`, as JSON. */
export function itemOf(vars: Readonly<Record<string, unknown>> | undefined, omit: readonly string[] = []): JsonObject {
  const item: JsonObject = {};
  for (const [key, value] of Object.entries(vars ?? {})) {
    if (omit.includes(key)) continue;
    const json = toJson(value);
    if (json !== undefined) item[key] = json;
  }
  return item;
}

/**
 * The assertion-level `threshold` (promptfoo's own field): found in the test's assertions as the
 * javascript assertion that carries this very config. promptfoo applies it only to numbers, not
 * to a GradingResult, so it is applied here.
 */
function assertionThreshold(context: AssertionContext): number | undefined {
  const mine = JSON.stringify(context.config ?? null);
  const found: number[] = [];
  const visit = (list: readonly unknown[] | undefined): void => {
    for (const a of list ?? []) {
      if (!isObject(a)) continue;
      if (a["type"] === "assert-set" && Array.isArray(a["assert"])) visit(a["assert"]);
      if (typeof a["threshold"] === "number" && JSON.stringify(a["config"] ?? null) === mine && String(a["type"]).endsWith("javascript")) {
        found.push(a["threshold"]);
      }
    }
  };
  visit(context.test?.assert);
  return found.length > 0 && found.every((t) => t === found[0]) ? found[0] : undefined;
}

function format(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(6)));
}

function flagsText(response: RunResponse): string[] {
  return setFlags(response).map(({ flag, details }) => {
    const text = details.map((d) => d.value).join("; ");
    return text ? `${flag}: ${text}` : flag;
  });
}

/** The GradingResult of one graded output. */
export function gradingResult(
  grader: JsonObject,
  label: string,
  response: RunResponse,
  threshold: number | undefined,
  explanations: Readonly<Record<string, string>> = {},
): GradingResult {
  const reward = response.reward;
  const flags = flagsText(response);
  const rule = passRule(grader, threshold);
  const name = typeof grader["name"] === "string" && grader["name"] !== "" ? `"${grader["name"]}" ` : "";
  const head = `${name}${String(grader["type"])} (${label}): reward ${format(reward)}`;
  const pass = flags.length === 0 && rule.passes(reward);
  const reason = flags.length
    ? `${head}, failed: ${flags.join("; ")}`
    : `${head}, ${pass ? "passed" : "failed"}: ${rule.explain(pass)}`;
  const own = explanations[""];
  const result: GradingResult = { pass, score: reward, reason: own === undefined ? reason : `${reason}\nthe model: ${own}` };
  const subGraders = grader["graders"];
  if (grader["type"] === "multi" && isObject(subGraders)) {
    const subRewards = response.sub_rewards ?? {};
    result.componentResults = Object.entries(subGraders).map(([key, sub]) => {
      const subGrader = sub as JsonObject;
      const value = subRewards[key];
      const score = typeof value === "number" ? value : 0;
      const subRule = passRule(subGrader, undefined);
      const subName = typeof subGrader["name"] === "string" && subGrader["name"] !== "" ? ` "${subGrader["name"]}"` : "";
      const subPass = flags.length === 0 && subRule.passes(score);
      return {
        pass: subPass,
        score,
        reason:
          `${key}:${subName} ${String(subGrader["type"])}, reward ${format(score)}${typeof value === "number" ? "" : " (no sub-reward)"}, ${subPass ? "passed" : "failed"}: ${subRule.explain(subPass)}` +
          (explanations[key] === undefined ? "" : `\nthe model: ${explanations[key]}`),
      };
    });
    result.namedScores = Object.fromEntries(result.componentResults.map((c, i) => [Object.keys(subGraders)[i]!, c.score]));
  }
  return result;
}

async function gradeWith(graderPath: string | URL | undefined, output: unknown, context: AssertionContext, rawConfig: unknown): Promise<GradingResult> {
  try {
    const config = readConfig(rawConfig);
    const where = graderPath ?? config.grader;
    if (where === undefined) {
      return failed("the assertion's config needs `grader: path/to/grader.grade` (or a grader .json), e.g. `config: { grader: graders/exact.grade }`");
    }
    const loaded = await loadGrader(where);
    if (!loaded.ok) return failed(loaded.reason);
    const engine = await engineFor(engineOptions(config));
    let explanations: Readonly<Record<string, string>> = {};
    const response = await engine.grade({
      grader: loaded.grader,
      sample: sampleOf(output),
      item: itemOf(context?.vars, config.omitVars),
      onExplanations: (e) => (explanations = e),
    });
    return gradingResult(loaded.grader, loaded.label, response, config.threshold ?? assertionThreshold(context ?? {}), explanations);
  } catch (error) {
    if (error instanceof ConfigError) return failed(error.message);
    if (error instanceof EngineError) return failed(error.message);
    return failed(`internal error: ${error instanceof Error ? error.message : String(error)} (a bug in gradelang: please report it)`);
  }
}

/**
 * The assertion: `value: file://node_modules/gradelang/promptfoo.js:grader` with
 * `config: { grader: graders/exact.grade }`.
 */
export function grader(output: unknown, context: AssertionContext): Promise<GradingResult> {
  return gradeWith(undefined, output, context, context?.config);
}

/**
 * An assertion bound to one grader, for a JavaScript config or a module of your own:
 * `export const exact = assertion(new URL("./exact.grade", import.meta.url))`. A relative string
 * path is read from the working directory; the assertion's `config` may add the other options.
 */
export function assertion(graderPath: string | URL, options: Omit<AssertionConfig, "grader"> = {}) {
  return (output: unknown, context: AssertionContext): Promise<GradingResult> =>
    gradeWith(graderPath, output, context, { ...options, ...(isObject(context?.config) ? context.config : {}) });
}
