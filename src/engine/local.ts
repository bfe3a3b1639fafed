import type { GraderEngine, RunRequest, RunResponse, ValidateRequest, ValidateResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { check } from "../compile.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import * as jsoncModule from "jsonc-parser";
import type { JsonObject } from "../emit/emit.js";
import { graderSchemas } from "../schema/graders.js";
import { gradeAny, type GraderJson, type Stub } from "./grade.js";
import { ModelServer, runUsage, type ModelCall, type ModelServerOptions } from "./models.js";
import { errorsObject } from "./outcome.js";
import type { PythonOptions, PythonResult } from "./python.js";
import { createPythonWorker, type PythonWorker } from "./python-worker.js";
import { sandboxStatus } from "./sandbox.js";
import { sampleFromText, type Sample } from "./sample.js";

/*
 * The local engine: what `POST /fine_tuning/alpha/graders/run` computes, computed here, answered
 * in the API's response shape. Deterministic graders run in-process; python graders in a python3
 * subprocess; model graders (and `cosine`) call the configured model server, or take the
 * model's answer from a test's `given`.
 */

export interface LocalEngineOptions extends PythonOptions {
  /** The OpenAI-compatible server model graders call; without it they are not called. */
  models?: ModelServerOptions | undefined;
  /** Called once, before the first python grader, when python graders run without a sandbox (engine/sandbox.ts). */
  onUnsandboxed?: ((notice: string) => void) | undefined;
  /**
   * `rft`: graders are held to the fine-tuning target only, as the API's /graders/run and
   * /validate do (`grade serve`). Default: either target (a lone label_model runs locally too).
   */
  target?: "rft" | undefined;
}

/** Warm python workers kept at once (one per grader source); the least recently used is closed. */
export const MAX_PYTHON_WORKERS = 8;

/** A run with a whole sample object (the API takes only a text) and, for tests, stubbed answers. */
export interface LocalRun {
  readonly grader: JsonObject;
  readonly sample: Sample;
  readonly item?: JsonObject | undefined;
  /** A model grader's answer (or a grader's reward) instead of running it. */
  readonly given?: Stub | undefined;
  /** A multi's sub-graders' answers or rewards, by key, instead of running them. */
  readonly givenByKey?: Readonly<Record<string, Stub>> | undefined;
  /**
   * Told the model graders' explanations (label, reasoning steps), by sub-grader key ("" for a lone
   * model grader), when there are any: they are not part of the API's answer.
   */
  readonly onExplanations?: ((explanations: Readonly<Record<string, string>>) => void) | undefined;
}

/** A shallow copy of the grader where every `cosine` metric reads as a local one, for the schema check. */
function withoutCosine(grader: JsonObject): JsonObject {
  const swap = (g: unknown): unknown =>
    typeof g === "object" && g !== null && (g as JsonObject)["evaluation_metric"] === "cosine"
      ? { ...(g as JsonObject), evaluation_metric: "fuzzy_match" }
      : g;
  const graders = grader["graders"];
  if (grader["type"] === "multi" && typeof graders === "object" && graders !== null && !Array.isArray(graders)) {
    return { ...grader, graders: Object.fromEntries(Object.entries(graders).map(([k, g]) => [k, swap(g)])) } as JsonObject;
  }
  return swap(grader) as JsonObject;
}

/**
 * Graders already read, by identity: many rows graded with one grader object are checked once.
 * A caller that changes a grader object after a run must pass a new one (a copy).
 */
const checked = new WeakMap<JsonObject, GraderJson>();
const checkedRft = new WeakMap<JsonObject, GraderJson>();

/**
 * The grader as the engine reads it, or an EngineError ("rejected", like the API's 400) naming the
 * field. The rft schemas decide, but a `label_model` may stand alone (Evals graders run locally
 * too) and `cosine` passes (an Evals metric: it runs on the model server's embeddings).
 */
export function readGrader(grader: JsonObject, target?: "rft"): GraderJson {
  const cache = target === "rft" ? checkedRft : checked;
  const known = cache.get(grader);
  if (known) return known;
  const schemas = graderSchemas("rft");
  const probe = withoutCosine(grader);
  const result = grader["type"] === "label_model" ? schemas.LabelModel.safeParse(probe) : schemas.Grader.safeParse(probe);
  if (result.success) {
    // The schema is not all: the checker's rules (a passing label not in `labels`, a formula
    // naming a key `graders` lacks...) decide too, as they do for `grade check grader.json`.
    const finding = checkerError(grader, target);
    if (finding) throw finding;
    cache.set(grader, grader as unknown as GraderJson);
    return grader as unknown as GraderJson;
  }
  const issue = result.error.issues[0]!;
  const path = issue.path.join(".");
  throw new EngineError("rejected", `invalid grader${path ? ` at \`${path}\`` : ""}: ${issue.message}`, {
    status: 400,
    apiMessage: `Invalid value for 'grader${path ? `.${path}` : ""}': ${issue.message}`,
    param: `grader${path ? `.${path}` : ""}`,
  });
}

// Node loads jsonc-parser's CommonJS build (its API on `default`); the bundler its ESM build.
const jsonc: typeof jsoncModule =
  "default" in jsoncModule ? (jsoncModule as unknown as { default: typeof jsoncModule }).default : jsoncModule;

/**
 * The first error of `grade check` on the grader JSON, as the API's 400 (`param` naming the
 * field), or undefined. Checked for rft, then for evals (the local engine runs Evals graders too:
 * an error only the rft target has is no error here) unless `only` is rft. Findings about tests
 * cannot occur in JSON.
 */
function checkerError(grader: JsonObject, only?: "rft"): EngineError | undefined {
  const text = JSON.stringify(grader, null, 1);
  let first: Diagnostic | undefined;
  for (const target of only ? [only] : (["rft", "evals"] as const)) {
    const error = check(text, { target, filename: "grader.json" }).diagnostics.find((d) => d.severity === "error");
    if (error === undefined) return undefined;
    first ??= error;
  }
  const at = jsonc.getLocation(text, first!.span.start).path;
  // The location of a key is its parent's path plus the key: the field the finding is about.
  const path = at.filter((p) => p !== "").join(".");
  return new EngineError("rejected", `invalid grader${path ? ` at \`${path}\`` : ""}: ${first!.message}`, {
    status: 400,
    apiMessage: `Invalid value for 'grader${path ? `.${path}` : ""}': ${first!.message}`,
    param: `grader${path ? `.${path}` : ""}`,
  });
}

export class LocalEngine implements GraderEngine {
  readonly name = "local";
  /** Warm workers by grader source, least recently used first. */
  private readonly workers = new Map<string, PythonWorker>();
  private readonly models: ModelServer | undefined;
  private noticed = false;

  constructor(private readonly options: LocalEngineOptions = {}) {
    this.models = options.models ? new ModelServer(options.models) : undefined;
  }

  /** A python grader runs in its source's warm worker (a python3 process that loaded it once). */
  private python(source: string, sample: Sample, item: JsonObject): Promise<PythonResult> {
    if (!this.noticed) {
      this.noticed = true;
      const status = sandboxStatus(this.options.python, this.options.sandbox);
      if (!status.sandboxed && status.runnable) this.options.onUnsandboxed?.(status.notice);
    }
    let worker = this.workers.get(source);
    if (worker) this.workers.delete(source);
    else {
      worker = createPythonWorker(source, this.options);
      if (this.workers.size >= MAX_PYTHON_WORKERS) {
        const [oldest, evicted] = this.workers.entries().next().value!;
        this.workers.delete(oldest);
        void evicted.close();
      }
    }
    this.workers.set(source, worker);
    return worker.grade(sample, item);
  }

  /** The API's run: `model_sample` is the output text (`output_json` when it is JSON). */
  run(request: RunRequest): Promise<RunResponse> {
    return this.grade({ grader: request.grader, sample: sampleFromText(request.model_sample), item: request.item });
  }

  /** A run with a whole sample, and stubs for tests. Rejects only for an invalid grader. */
  async grade(run: LocalRun): Promise<RunResponse> {
    const grader = readGrader(run.grader, this.options.target);
    const started = performance.now();
    const calls: ModelCall[] = [];
    const outcome = await gradeAny(
      grader,
      {
        sample: run.sample,
        item: run.item,
        python: (source, sample, item) => this.python(source, sample, item),
        models: this.models ? { server: this.models, calls } : undefined,
      },
      { self: run.given, byKey: run.givenByKey },
    );
    const seconds = (performance.now() - started) / 1000;
    if (outcome.explanations && run.onExplanations) run.onExplanations(outcome.explanations);
    const usage = runUsage(calls);
    return {
      reward: outcome.reward,
      metadata: {
        name: grader.name ?? "",
        type: grader.type,
        errors: errorsObject(outcome.errors),
        execution_time: seconds,
        scores: {},
        token_usage: usage.tokenUsage,
        sampled_model_name: usage.sampledModel,
      },
      sub_rewards: outcome.subRewards ?? {},
      model_grader_token_usage_per_model: usage.perModel,
    };
  }

  /** The API's validate: the grader back when it is valid, else a rejection naming the field. */
  validate(request: ValidateRequest): Promise<ValidateResponse> {
    return Promise.resolve().then(() => {
      readGrader(request.grader, this.options.target);
      return { grader: request.grader };
    });
  }

  /** Ends the python processes the engine keeps. */
  async close(): Promise<void> {
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.close()));
  }
}
