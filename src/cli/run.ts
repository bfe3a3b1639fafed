import { knownSecrets, resolveRemoteConfig, type RemoteOptions } from "../api/config.js";
import type { GraderEngine } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { buildRunRequest, loadGraderFile, readRunItem, readSampleJsonOption, type GraderFile } from "../api/input.js";
import { createRedactor } from "../api/redact.js";
import { RemoteEngine, RUN_PATH } from "../api/remote.js";
import { EXIT, Reporter } from "../api/report.js";
import { formatDryRun, formatRunSummary, setFlags } from "../api/summary.js";
import type { RunResponse } from "../api/engine.js";
import { UsageError, useColor } from "./io.js";
import { localEngineOptions, unsandboxedNotice, MODEL_FLAGS, modelSecrets, type LocalCommandOptions } from "./local-options.js";

export interface RunCommandOptions extends RemoteOptions, LocalCommandOptions {
  readonly sample?: string | undefined;
  readonly sampleJson?: string | undefined;
  readonly item?: string | undefined;
  readonly remote?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

function checkOptions(file: string, options: RunCommandOptions): void {
  const stdin = [file === "-", options.sample === "@-", options.sampleJson === "@-", options.item === "@-"];
  if (stdin.filter(Boolean).length > 1) {
    throw new UsageError("only one of the grader, --sample, --sample-json and --item can read standard input");
  }
  if (options.sample !== undefined && options.sampleJson !== undefined) {
    throw new UsageError("give the sample once: --sample (the output text) or --sample-json (a sample object)");
  }
  if (options.remote) {
    if (options.sampleJson !== undefined) {
      throw new UsageError(
        "--sample-json runs on the local engine only: the API takes the sample as text (model_sample); use --sample",
      );
    }
    for (const [flag, value] of [["--python", options.python], ["--python-timeout", options.pythonTimeout]] as const) {
      if (value !== undefined) throw new UsageError(`${flag} is for the local engine; python graders run on the service with --remote`);
    }
    for (const [flag, key] of MODEL_FLAGS) {
      if (options[key] !== undefined) throw new UsageError(`${flag} is for the local engine; model graders run on the service with --remote`);
    }
  } else if (options.dryRun) {
    throw new UsageError("--dry-run shows the request sent to the API: add --remote");
  }
}

function print(report: Reporter, response: RunResponse, options: RunCommandOptions): number {
  report.out(
    options.json ? `${JSON.stringify(response, null, 2)}\n` : formatRunSummary(response, { color: useColor(process.stdout) }),
  );
  return setFlags(response).length ? EXIT.flagged : EXIT.ok;
}

function graderOf(source: GraderFile) {
  return source.kind === "grade" ? source.grader! : source.grader;
}

/** The local engine: the file's own target, a text or object sample, python in a subprocess. */
async function runLocal(file: string, options: RunCommandOptions, report: Reporter): Promise<number> {
  const source = await loadGraderFile(file, "file");
  if (report.findings(source, "nothing was run")) return EXIT.usage;
  const grader = graderOf(source);
  const body = source.kind === "json" ? source.body : undefined;
  let sample;
  let item;
  if (options.sampleJson !== undefined) {
    sample = await readSampleJsonOption(options.sampleJson);
    item = await readRunItem(body, options.item);
  } else {
    const request = await buildRunRequest(grader, body, options);
    const { sampleFromText } = await import("../engine/sample.js");
    sample = sampleFromText(request.model_sample);
    item = request.item;
  }
  const { LocalEngine } = await import("../engine/local.js");
  const engine = new LocalEngine({ ...localEngineOptions(options), onUnsandboxed: unsandboxedNotice });
  try {
    return print(report, await engine.grade({ grader, sample, item }), options);
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    report.fail(`\`${source.label}\`: ${error.message}`);
    return EXIT.usage;
  } finally {
    await engine.close();
  }
}

/** The API: compiled for rft, the sample as text; --dry-run shows the request. */
async function runRemote(file: string, options: RunCommandOptions, report: Reporter): Promise<number> {
  const source = await loadGraderFile(file);
  if (source.kind === "grade" && report.findings(source)) return EXIT.usage;
  const request = await buildRunRequest(graderOf(source), source.kind === "json" ? source.body : undefined, options);
  try {
    const config = resolveRemoteConfig(options, process.env, { requireKey: !options.dryRun });
    if (options.dryRun) {
      const described = await RemoteEngine.describe(config, RUN_PATH, request);
      report.out(options.json ? `${JSON.stringify(described, null, 2)}\n` : formatDryRun(described));
      report.err("grade: dry run: nothing was sent (authentication headers are not shown)\n");
      return EXIT.ok;
    }
    const engine: GraderEngine = await RemoteEngine.create(config);
    return print(report, await engine.run(request), options);
  } catch (error) {
    if (error instanceof EngineError) return report.failure(error, source, "run");
    throw error;
  }
}

/**
 * `grade run`: compile (or read) the grader and run it on one sample, on the local engine or
 * (--remote) through the API, then print the summary. Exit 0 success, 1 an error flag is set,
 * 2 bad input, 3 HTTP or network (--remote).
 */
export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  checkOptions(file, options);
  const secrets = [...knownSecrets(options), ...modelSecrets(options)];
  const report = new Reporter({ redact: createRedactor(secrets), color: useColor(process.stderr) });
  return options.remote ? runRemote(file, options, report) : runLocal(file, options, report);
}
