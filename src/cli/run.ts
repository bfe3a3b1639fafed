import { knownSecrets, resolveRemoteConfig, type RemoteOptions } from "../api/config.js";
import type { GraderEngine } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { buildRunRequest, loadGraderFile } from "../api/input.js";
import { createRedactor } from "../api/redact.js";
import { RemoteEngine, RUN_PATH } from "../api/remote.js";
import { EXIT, Reporter } from "../api/report.js";
import { formatDryRun, formatRunSummary, setFlags } from "../api/summary.js";
import { UsageError, useColor } from "./io.js";

export interface RunCommandOptions extends RemoteOptions {
  readonly sample?: string | undefined;
  readonly item?: string | undefined;
  readonly remote?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

export const LOCAL_ENGINE_MISSING =
  "the local engine is not available yet; add --remote to run the grader through the API " +
  "(POST /fine_tuning/alpha/graders/run, with OPENAI_API_KEY)";

/**
 * `grade run`: compile (or read) the grader, send it with the sample and the item to the engine,
 * print the summary. Exit 0 success, 1 an error flag is set, 2 bad input, 3 HTTP or network.
 */
export async function runCommand(file: string, options: RunCommandOptions): Promise<number> {
  // The engine is chosen first. Today the only one is the API; a local engine will be the default.
  if (!options.remote) throw new UsageError(LOCAL_ENGINE_MISSING);
  if (file === "-" && (options.sample === "@-" || options.item === "@-")) {
    throw new UsageError("the grader and --sample/--item cannot both read standard input");
  }
  const report = new Reporter({ redact: createRedactor(knownSecrets(options)), color: useColor(process.stderr) });
  const source = await loadGraderFile(file);
  if (source.kind === "grade" && report.findings(source)) return EXIT.usage;
  const grader = source.kind === "grade" ? source.grader! : source.grader;
  const request = await buildRunRequest(grader, source.kind === "json" ? source.body : undefined, options);
  try {
    const config = resolveRemoteConfig(options, process.env, { requireKey: !options.dryRun });
    if (options.dryRun) {
      const described = await RemoteEngine.describe(config, RUN_PATH, request);
      report.out(options.json ? `${JSON.stringify(described, null, 2)}\n` : formatDryRun(described));
      report.err("grade: dry run: nothing was sent (authentication headers are not shown)\n");
      return EXIT.ok;
    }
    const engine: GraderEngine = await RemoteEngine.create(config);
    const response = await engine.run(request);
    report.out(
      options.json
        ? `${JSON.stringify(response, null, 2)}\n`
        : formatRunSummary(response, { color: useColor(process.stdout) }),
    );
    return setFlags(response).length ? EXIT.flagged : EXIT.ok;
  } catch (error) {
    if (error instanceof EngineError) return report.failure(error, source, "run");
    throw error;
  }
}
