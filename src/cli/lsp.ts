import { startServer } from "../lsp/server.js";

/** `grade lsp`: the language server on standard input and output, until the client exits. */
export async function lspCommand(): Promise<number> {
  const connection = startServer();
  // The connection ends the process on the client's `exit` notification (0 after `shutdown`, else
  // 1); standard input closing without one is the client gone: stop too.
  await new Promise<void>((resolve) => {
    connection.onExit(() => resolve());
    process.stdin.on("end", () => resolve());
    process.stdin.on("close", () => resolve());
  });
  return 0;
}
