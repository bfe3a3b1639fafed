import * as fs from "node:fs";
import { agree, AgreeError, agreementJson, formatAgreement } from "../report/agree.js";
import { readLabelField, readLabelsFile, type Labels } from "../report/labels.js";
import { ReadError, readResults, type Results } from "../report/results.js";
import { UsageError } from "./io.js";

/*
 * `grade agree <results.jsonl> --labels human.jsonl` (or --label-field item.human_score): how far
 * a model grader agrees with people. The figures are src/report/agree.ts's; docs/report.md has
 * the formats and a worked example (examples/agreement/).
 */

export interface AgreeCommandOptions {
  readonly labels?: string | undefined;
  readonly labelField?: string | undefined;
  readonly labelKey?: string | undefined;
  readonly data?: string | undefined;
  readonly threshold?: number | undefined;
  readonly labelThreshold?: number | undefined;
  readonly order?: string | undefined;
  readonly passing?: string | undefined;
  readonly resamples?: number | undefined;
  readonly seed?: number | undefined;
  readonly top?: number | undefined;
  readonly minKappa?: number | undefined;
  readonly json?: boolean | undefined;
}

const list = (text: string): string[] => text.split(",").map((s) => s.trim()).filter((s) => s !== "");

/** The labels the options name: a labels file, or a field of the dataset the results were graded on. */
export async function loadLabels(results: Results, options: AgreeCommandOptions): Promise<Labels> {
  if (options.labels !== undefined && options.labelField !== undefined) throw new UsageError("give --labels <file> or --label-field <path>, not both");
  if (options.labels !== undefined) return readLabelsFile(options.labels, options.labelKey);
  if (options.labelField === undefined) throw new UsageError("give the human labels: --labels human.jsonl, or --label-field item.<field> of the dataset");
  const data = options.data ?? results.header.data.file;
  if (data === "-") throw new UsageError("the results were graded on standard input: give the dataset with --data <rows.jsonl>");
  if (options.data === undefined && !fs.existsSync(data)) {
    throw new UsageError(`the dataset \`${data}\` named by \`${results.file}\` is not there (run from the directory grade eval ran in, or give --data <rows.jsonl>)`);
  }
  return readLabelField(data, options.labelField);
}

export async function agreeCommand(file: string, options: AgreeCommandOptions): Promise<number> {
  try {
    const results = await readResults(file);
    const labels = await loadLabels(results, options);
    const agreement = agree(results.rows, labels, {
      threshold: options.threshold,
      labelThreshold: options.labelThreshold,
      order: options.order !== undefined ? list(options.order) : undefined,
      passing: options.passing !== undefined ? list(options.passing) : undefined,
      resamples: options.resamples,
      seed: options.seed,
      top: options.top,
    });
    process.stdout.write(options.json ? `${JSON.stringify(agreementJson(agreement, file), null, 2)}\n` : formatAgreement(agreement, file));
    const kappa = agreement.kappa.kappa.estimate;
    if (options.minKappa !== undefined && !(kappa >= options.minKappa)) {
      process.stderr.write(`grade agree: Cohen's κ ${Number.isFinite(kappa) ? kappa.toFixed(3) : "is undefined"}${Number.isFinite(kappa) ? " is below" : ", not at least"} --min-kappa ${options.minKappa}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    if (error instanceof ReadError || error instanceof AgreeError) throw new UsageError(error.message);
    throw error;
  }
}
