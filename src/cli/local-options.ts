import { type Command, InvalidArgumentError } from "commander";
import type { LocalEngineOptions } from "../engine/local.js";

/*
 * The options of the commands that run graders on the local engine (`run`, `test`, and any
 * later command that grades): one place that adds them to a command and one that turns them
 * into the engine's options, so every such command takes the same flags.
 */

export interface LocalCommandOptions {
  readonly python?: string | undefined;
  readonly pythonTimeout?: number | undefined;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError("expected a number of seconds above 0");
  return n;
}

/** Adds the local engine's options to `command`. */
export function addLocalEngineOptions(command: Command): Command {
  return command
    .option("--python <path>", "the python interpreter for python graders (default: python3), e.g. a venv with the service's packages")
    .option("--python-timeout <seconds>", "the limit of one python grader call (default: 120, the service's 2 minutes)", seconds);
}

/** The engine's options from the parsed flags. */
export function localEngineOptions(options: LocalCommandOptions): LocalEngineOptions {
  return {
    ...(options.python !== undefined ? { python: options.python } : {}),
    ...(options.pythonTimeout !== undefined ? { timeoutMs: options.pythonTimeout * 1000 } : {}),
  };
}
