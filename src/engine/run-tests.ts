import type { RunResponse } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import type { JsonObject } from "../emit/emit.js";
import { meets, type TestCase } from "../emit/tests.js";
import type { LocalEngine } from "./local.js";
import { sampleFromObject, sampleFromText } from "./sample.js";

/*
 * Runs a `.grade` file's test cases on the local engine. A test passes when the reward meets
 * its expectation and no error flag is set: an error flag is a failure even when the reward is
 * the one expected (reward 0 from a missing variable is a bug, not a pass).
 */

export interface TestFlag {
  readonly flag: string;
  readonly details: string | undefined;
}

export interface TestResult {
  readonly test: TestCase;
  readonly passed: boolean;
  /** The reward, when the engine ran the grader. */
  readonly reward: number | undefined;
  readonly subRewards: Readonly<Record<string, unknown>>;
  /** Error flags that are set, with their details. */
  readonly flags: readonly TestFlag[];
  /** Why the engine could not run the grader at all (an invalid grader or sample). */
  readonly error: string | undefined;
  readonly seconds: number;
}

function flagsOf(response: RunResponse): TestFlag[] {
  const errors = response.metadata?.errors ?? {};
  return Object.entries(errors)
    .filter(([, value]) => value === true)
    .map(([flag]) => {
      const details = [errors[`${flag}_details`], errors[`${flag}_type`]].find((d) => typeof d === "string" && d !== "");
      return { flag, details: details as string | undefined };
    });
}

export async function runTestCase(engine: LocalEngine, grader: JsonObject, test: TestCase): Promise<TestResult> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const sample = "text" in test.sample ? { ok: true as const, sample: sampleFromText(test.sample.text) } : sampleFromObject(test.sample.object);
  if (!sample.ok) {
    return { test, passed: false, reward: undefined, subRewards: {}, flags: [], error: `sample: ${sample.message}`, seconds: seconds() };
  }
  try {
    const response = await engine.grade({
      grader,
      sample: sample.sample,
      item: test.item,
      given: test.given,
      givenByKey: test.givenByKey,
    });
    const flags = flagsOf(response);
    // A test of an error passes when exactly that flag is set (and the reward meets `expect`).
    const flagsOk = test.expectError === undefined ? flags.length === 0 : flags.some((f) => f.flag === test.expectError);
    return {
      test,
      passed: flagsOk && meets(test.expect, response.reward),
      reward: response.reward,
      subRewards: response.sub_rewards ?? {},
      flags,
      error: undefined,
      seconds: seconds(),
    };
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    return { test, passed: false, reward: undefined, subRewards: {}, flags: [], error: error.message, seconds: seconds() };
  }
}
