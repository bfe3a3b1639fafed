import { createColors } from "picocolors";
import type { RunResponse, ValidateResponse } from "./engine.js";
import type { DescribedRequest } from "./remote.js";
import { isObject } from "./response.js";

/*
 * What `grade run` and `grade validate` print: a readable summary of the answer. `--json` prints
 * the answer itself instead (src/cli/run.ts).
 */

export interface SummaryOptions {
  /** Colour the output (the CLI decides: a TTY, and no NO_COLOR). */
  readonly color?: boolean;
}

/** An error flag that is set, with its companions (`<flag>_details`, `<flag>_type`) when given. */
export interface SetFlag {
  readonly flag: string;
  readonly details: readonly { readonly key: string; readonly value: string }[];
}

const COMPANION = /_(details|type)$/;

/** Every error flag of a run that is true, in the service's order, with its details. */
export function setFlags(response: RunResponse): SetFlag[] {
  const errors = response.metadata?.errors ?? {};
  const flags: SetFlag[] = [];
  for (const [flag, value] of Object.entries(errors)) {
    if (COMPANION.test(flag) || value !== true) continue;
    const details: { key: string; value: string }[] = [];
    for (const suffix of ["details", "type"]) {
      const companion = errors[`${flag}_${suffix}`];
      if (companion !== undefined && companion !== null && companion !== "") {
        details.push({ key: suffix, value: typeof companion === "string" ? companion : JSON.stringify(companion) });
      }
    }
    flags.push({ flag, details });
  }
  return flags;
}

/** A number as JavaScript prints it; anything else as compact JSON. */
function show(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? String(value);
}

/** `{prompt_tokens: 190, ...}` → `190 prompt, 134 completion, 324 total, 0 cached`. */
function usage(value: unknown): string {
  if (!isObject(value)) return show(value);
  const parts = Object.entries(value)
    .filter(([, n]) => n !== null && n !== undefined)
    .map(([key, n]) => `${show(n)} ${key.replace(/_tokens$/, "")}`);
  return parts.length ? parts.join(", ") : "none";
}

function indent(text: string, by: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line, i) => (i === 0 ? line : `${by}${line}`))
    .join("\n");
}

function table(rows: readonly (readonly [string, string])[], by: string): string[] {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${by}${key.padEnd(width)}  ${indent(value, `${by}${" ".repeat(width + 2)}`)}`);
}

/**
 * The summary of a run: reward, sub-rewards by key, every error flag that is set with its
 * details, scores, token usage per model, execution time, sampled model.
 */
export function formatRunSummary(response: RunResponse, options: SummaryOptions = {}): string {
  const c = createColors(options.color ?? false);
  const metadata = response.metadata ?? {};
  const flags = setFlags(response);
  const lines: string[] = [];

  const who = [metadata.name ? `"${metadata.name}"` : undefined, metadata.type].filter(Boolean).join(" ");
  const reward = c.bold(flags.length ? c.yellow(show(response.reward)) : c.green(show(response.reward)));
  lines.push(`reward ${reward}${who ? c.dim(`  (${who})`) : ""}`);

  const subRewards = Object.entries(response.sub_rewards ?? {});
  if (subRewards.length) {
    lines.push("sub-rewards");
    lines.push(
      ...table(
        subRewards.map(([key, value]) => [key, show(value)]),
        "  ",
      ),
    );
  }

  if (flags.length) {
    lines.push(c.red(`errors (${flags.length} set)`));
    for (const { flag, details } of flags) {
      lines.push(`  ${c.red("✖")} ${c.bold(flag)}`);
      if (details.length)
        lines.push(
          ...table(
            details.map(({ key, value }) => [`${key}:`, value]),
            "      ",
          ),
        );
    }
  } else {
    lines.push(`errors ${c.green("none")}`);
  }

  const scores = Object.entries(metadata.scores ?? {});
  if (scores.length) {
    lines.push("scores");
    lines.push(
      ...table(
        scores.map(([key, value]) => [key, show(value)]),
        "  ",
      ),
    );
  }

  const perModel = Object.entries(response.model_grader_token_usage_per_model ?? {});
  if (perModel.length) {
    lines.push("token usage");
    lines.push(
      ...table(
        perModel.map(([model, value]) => [model, usage(value)]),
        "  ",
      ),
    );
  } else if (metadata.token_usage !== undefined && metadata.token_usage !== null && metadata.token_usage !== 0) {
    lines.push(`token usage ${usage(metadata.token_usage)}`);
  }

  if (typeof metadata.execution_time === "number") lines.push(`execution time ${metadata.execution_time.toFixed(2)} s`);
  if (metadata.sampled_model_name) lines.push(`sampled model ${metadata.sampled_model_name}`);
  return `${lines.join("\n")}\n`;
}

/** `valid`, then the grader as the service normalised it (when it returned one). */
export function formatValidateSummary(response: ValidateResponse, options: SummaryOptions = {}): string {
  const c = createColors(options.color ?? false);
  const grader = response.grader ?? undefined;
  return `${c.green("valid")}\n${grader ? `${JSON.stringify(grader, null, 2)}\n` : ""}`;
}

/** A dry run: the method and URL, the headers without any key, a blank line, the body. */
export function formatDryRun(request: DescribedRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`);
  return `${request.method} ${request.url}\n${headers.join("\n")}\n\n${JSON.stringify(request.body, null, 2)}\n`;
}
