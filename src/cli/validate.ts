import { knownSecrets, resolveRemoteConfig, type RemoteOptions } from "../api/config.js";
import type { GraderEngine } from "../api/engine.js";
import { EngineError } from "../api/errors.js";
import { loadGraderFile } from "../api/input.js";
import { createRedactor } from "../api/redact.js";
import { RemoteEngine, VALIDATE_PATH } from "../api/remote.js";
import { EXIT, Reporter } from "../api/report.js";
import { formatDryRun, formatValidateSummary } from "../api/summary.js";
import { UsageError, useColor } from "./io.js";

export interface ValidateCommandOptions extends RemoteOptions {
  readonly remote?: boolean | undefined;
  readonly json?: boolean | undefined;
  readonly dryRun?: boolean | undefined;
}

export const REMOTE_REQUIRED =
  "validation by the API needs --remote (POST /fine_tuning/alpha/graders/validate, with OPENAI_API_KEY); " +
  "`grade check` validates locally";

/**
 * `grade validate`: send the grader to the validate endpoint and print `valid` and the grader as
 * the service normalised it. Exit 0 valid, 1 invalid (the API rejected it), 2 bad input, 3 HTTP
 * or network.
 */
export async function validateCommand(file: string, options: ValidateCommandOptions): Promise<number> {
  if (!options.remote) throw new UsageError(REMOTE_REQUIRED);
  const report = new Reporter({ redact: createRedactor(knownSecrets(options)), color: useColor(process.stderr) });
  const source = await loadGraderFile(file);
  if (source.kind === "grade" && report.findings(source)) return EXIT.usage;
  const request = { grader: source.kind === "grade" ? source.grader! : source.grader };
  try {
    const config = resolveRemoteConfig(options, process.env, { requireKey: !options.dryRun });
    if (options.dryRun) {
      const described = await RemoteEngine.describe(config, VALIDATE_PATH, request);
      report.out(options.json ? `${JSON.stringify(described, null, 2)}\n` : formatDryRun(described));
      report.err("grade: dry run: nothing was sent (authentication headers are not shown)\n");
      return EXIT.ok;
    }
    const engine: GraderEngine = await RemoteEngine.create(config);
    if (!engine.validate) throw new UsageError(`the ${engine.name} engine cannot validate graders`);
    const response = await engine.validate(request);
    report.out(
      options.json
        ? `${JSON.stringify(response, null, 2)}\n`
        : formatValidateSummary(response, { color: useColor(process.stdout) }),
    );
    return EXIT.ok;
  } catch (error) {
    if (error instanceof EngineError) return report.failure(error, source, "validate");
    throw error;
  }
}
