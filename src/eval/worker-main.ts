/**
 * A grading thread of `grade eval --workers N` (./workers.ts): grades batches of rows of one
 * local grader (string_check, text_similarity, multi of those: nothing that needs python, a model
 * server or a key — such graders never reach a thread) and answers each batch with its results,
 * in the order given.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { RunResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import type { JsonObject } from "../emit/emit.js";
import { LocalEngine } from "../engine/local.js";
import type { Sample } from "../engine/sample.js";
import type { WorkerAnswer, WorkerBatch } from "./workers.js";

const { grader } = workerData as { grader: JsonObject };
const engine = new LocalEngine({});

parentPort?.on("message", (batch: WorkerBatch) => {
  void grade(batch).then((answer) => parentPort?.postMessage(answer));
});

const COMPANION = /_(details|type)$/;

/**
 * What a result line takes from a response (evaluate.ts `resultOf`): the reward, the error flags
 * that are set and their companions, sub-rewards, execution time, scores. Copying the rest back
 * to the main thread (every flag that is false, the grader's name and type) would cost more than
 * grading a string_check.
 */
function compact(response: RunResponse): RunResponse {
  const metadata = response.metadata;
  const errors: Record<string, unknown> = {};
  const given = (metadata?.errors ?? {}) as Record<string, unknown>;
  for (const key in given) {
    const value = given[key];
    if (value === true) errors[key] = true;
    else if (COMPANION.test(key) && value !== null && value !== undefined && value !== "" && value !== false) errors[key] = value;
  }
  const out: Record<string, unknown> = { errors };
  if (metadata?.execution_time !== undefined) out["execution_time"] = metadata.execution_time;
  if (metadata?.scores !== undefined) out["scores"] = metadata.scores;
  return { reward: response.reward, metadata: out, sub_rewards: response.sub_rewards } as unknown as RunResponse;
}

async function grade(batch: WorkerBatch): Promise<WorkerAnswer> {
  const results: WorkerAnswer["results"][number][] = [];
  for (const row of batch.rows) {
    try {
      results.push({ response: compact(await engine.grade({ grader, sample: row.sample as Sample, item: row.item as JsonObject | undefined })) });
    } catch (error) {
      results.push(
        error instanceof EngineError
          ? { engineError: { kind: error.kind, message: error.message, details: error.details } }
          : { internal: error instanceof Error ? error.message : String(error) },
      );
    }
  }
  return { id: batch.id, results };
}
