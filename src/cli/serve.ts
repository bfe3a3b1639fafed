import { UsageError } from "./io.js";
import { knownSecrets } from "../api/config.js";
import { localEngineOptions, modelSecrets, type LocalCommandOptions } from "./local-options.js";
import { DEFAULTS, startServer, type RunningServer } from "../server/server.js";
import { bindWarnings } from "../server/security.js";

/*
 * `grade serve`: the local engine as an HTTP server with the API's grader routes (see
 * src/server/server.ts). Runs until SIGTERM or SIGINT, then stops accepting, lets the requests in
 * flight finish within --grace, closes the python workers and exits 0 (1 when requests had to be
 * cut off). A second signal cuts them at once.
 */

export interface ServeCommandOptions extends LocalCommandOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly token?: string | undefined;
  readonly concurrency?: number | undefined;
  readonly maxQueue?: number | undefined;
  readonly maxBody?: string | undefined;
  readonly requestTimeout?: number | undefined;
  readonly grace?: number | undefined;
  readonly disablePython?: boolean | undefined;
  readonly unsandboxedPython?: boolean | undefined;
  readonly allowHost?: readonly string[] | undefined;
  readonly quiet?: boolean | undefined;
}

/** Exit codes. */
const EXIT_OK = 0;
const EXIT_CUT = 1;
const EXIT_USAGE = 2;

/** `1048576`, `512kb`, `1mb`, `2MiB` → bytes (k = 1024). */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib)?$/i.exec(text.trim());
  const unit = match?.[2]?.toLowerCase()[0];
  const bytes = match ? Math.floor(Number(match[1]) * (unit === "k" ? 1024 : unit === "m" ? 1024 ** 2 : 1)) : NaN;
  if (!(bytes >= 1) || !Number.isSafeInteger(bytes)) throw new UsageError(`--max-body: expected a size such as 1048576, 512kb or 1mb, not \`${text}\``);
  return bytes;
}

function size(bytes: number): string {
  if (bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} kB`;
  return `${bytes} bytes`;
}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the port is in use (pick another with --port, or --port 0 for any free one)`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges)`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: this machine has no such address (--host)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot listen on ${where}: unknown host name (--host)`;
    default:
      return `cannot listen on ${where}: ${error.message}`;
  }
}

/** Serves until a signal; resolves with the exit code. */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const port = options.port ?? DEFAULTS.port;
  if (port > 65535) throw new UsageError(`--port: expected 0..65535, not ${port}`);
  const host = options.host ?? DEFAULTS.host;
  if (!host.trim()) throw new UsageError("--host: expected an address such as 127.0.0.1, ::1 or 0.0.0.0");
  const concurrency = options.concurrency ?? DEFAULTS.concurrency;
  if (concurrency < 1) throw new UsageError("--concurrency: expected 1 or more");
  const maxQueue = options.maxQueue ?? DEFAULTS.maxQueue;
  const maxBodyBytes = options.maxBody !== undefined ? parseSize(options.maxBody) : DEFAULTS.maxBodyBytes;
  const requestTimeoutMs = options.requestTimeout !== undefined ? options.requestTimeout * 1000 : DEFAULTS.requestTimeoutMs;
  const graceMs = options.grace !== undefined ? options.grace * 1000 : DEFAULTS.graceMs;
  if (options.token === "") throw new UsageError("--token: expected a non-empty token");
  const envToken = process.env["GRADE_SERVE_TOKEN"];
  const token = options.token ?? (envToken ? envToken : undefined);
  const allowPython = !options.disablePython;
  const say = (line: string) => process.stderr.write(`grade serve: ${line}\n`);
  // The access log is written once per turn of the event loop, not once per line (under load a
  // write per request costs a fifth of the throughput).
  let pending: string[] = [];
  const flush = () => {
    process.stderr.write(pending.join(""));
    pending = [];
  };
  const log = options.quiet
    ? undefined
    : (line: string) => {
        if (pending.push(`${line}\n`) === 1) setImmediate(flush);
      };
  const engineOptions = localEngineOptions(options);
  // Model graders call a model server (the model flags, GRADE_MODEL_BASE_URL) only when one is set.
  const models = (engineOptions as { models?: unknown }).models !== undefined;

  let server: RunningServer;
  try {
    server = await startServer({
      port,
      host,
      token,
      concurrency,
      maxQueue,
      maxBodyBytes,
      requestTimeoutMs,
      allowPython,
      unsandboxedPython: options.unsandboxedPython === true,
      allowHosts: options.allowHost ?? [],
      engineOptions,
      log,
      secrets: [...modelSecrets(options), ...knownSecrets({})],
    });
  } catch (error) {
    say(listenFailure(error as NodeJS.ErrnoException, host, port));
    return EXIT_USAGE;
  }

  // The handlers are in place before the first line is printed: whoever reads "listening" may signal at once.
  const stopped = new Promise<number>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        say(`${signal} again: cutting the requests in flight`);
        void server.close(0);
        return;
      }
      const { inFlight } = server.stats();
      say(`${signal}: shutting down${inFlight > 0 ? `, finishing ${inFlight} request${inFlight === 1 ? "" : "s"} (up to ${graceMs / 1000} s)` : ""}`);
      void server.close(graceMs).then(({ cut }) => {
        process.off("SIGTERM", onSignal).off("SIGINT", onSignal);
        if (cut > 0) say(`stopped; ${cut} request${cut === 1 ? " was" : "s were"} cut off`);
        else say("stopped");
        resolve(cut > 0 ? EXIT_CUT : EXIT_OK);
      });
    };
    process.on("SIGTERM", onSignal).on("SIGINT", onSignal);
  });
  for (const warning of bindWarnings(host, { token: token !== undefined, python: allowPython, models })) say(warning);
  if (server.pythonSandboxed === false) {
    if (options.unsandboxedPython) say(`warning: --unsandboxed-python: ${server.pythonNotice ?? "python graders run without a sandbox"}`);
    else say(`python graders are refused (400), there is no sandbox here: ${(server.pythonNotice ?? "").replace(/^python graders run WITHOUT a sandbox /, "")}. --unsandboxed-python runs them anyway`);
  }
  say(`listening on ${server.url} (OpenAI base URL ${server.baseUrl})`);
  say(
    `POST /v1/fine_tuning/alpha/graders/run and /validate, GET /health; local engine, ` +
      `${concurrency} at once, ${maxQueue} queued, bodies up to ${size(maxBodyBytes)}, ` +
      `${token !== undefined ? "token required" : "no token"}${!allowPython ? ", python disabled" : server.pythonSandboxed === true ? ", python sandboxed (bubblewrap)" : server.pythonSandboxed === false && !options.unsandboxedPython ? ", python refused (no sandbox)" : server.pythonSandboxed === false ? ", python UNSANDBOXED" : ""}. Ctrl-C stops.`,
  );

  const code = await stopped;
  // Everything is closed; should anything still hold the event loop, do not hang on it.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
