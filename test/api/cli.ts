import { spawn } from "node:child_process";
import * as path from "node:path";
import { root, type Run } from "../helpers/cli.js";

/*
 * Runs the real `grade` binary (bin/grade.js on dist/) like test/helpers/cli.ts does, but without
 * blocking: the fake API server lives in the test process and must answer while the CLI waits.
 */

const bin = path.join(root, "bin/grade.js");

/** Variables that would send a request elsewhere or change its configuration: never inherited. */
const API_VARIABLES = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "OPENAI_ORG_ID",
  "OPENAI_PROJECT_ID",
  "OPENAI_ADMIN_KEY",
  "OPENAI_API_VERSION",
  "OPENAI_LOG",
  "OPENAI_CUSTOM_HEADERS",
  "OPENAI_WEBHOOK_SECRET",
  "AZURE_OPENAI_ENDPOINT",
  "AZURE_OPENAI_API_KEY",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "http_proxy",
  "https_proxy",
  "NODE_USE_ENV_PROXY",
];

export function gradeAsync(
  args: readonly string[],
  options: { input?: string; cwd?: string; env?: Record<string, string | undefined>; timeout?: number } = {},
): Promise<Run> {
  const started = performance.now();
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined };
  for (const name of API_VARIABLES) delete env[name];
  Object.assign(env, options.env);
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? root, env: env as NodeJS.ProcessEnv });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    child.stdin.end(options.input ?? "");
  });
}
