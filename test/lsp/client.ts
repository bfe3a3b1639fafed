// A real LSP client for the protocol tests: spawns the built `grade lsp` and talks JSON-RPC to it
// over its standard input and output with vscode-languageserver-protocol (the client side of the
// library the server uses).
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  type Diagnostic,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializeRequest,
  InitializedNotification,
  type InitializeResult,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";
import { root } from "../helpers/cli.js";

export interface Client {
  readonly connection: ProtocolConnection;
  readonly process: ChildProcess;
  readonly capabilities: InitializeResult["capabilities"];
  /** Opens a document (a path under the repository, or any name) with the given text. */
  open(name: string, text: string, languageId?: string): string;
  /** Replaces the whole text of an open document (a new version). */
  change(uri: string, text: string): void;
  /** The next diagnostics published for a document (for its latest version when `version` is given). */
  diagnostics(uri: string, version?: number): Promise<Diagnostic[]>;
  version(uri: string): number;
  stop(): Promise<number | null>;
  stderr(): string;
}

export function uriOf(name: string): string {
  return pathToFileURL(path.isAbsolute(name) ? name : path.join(root, name)).href;
}

export async function startClient(initializationOptions: Record<string, unknown> = { debounceMs: 20 }, workspace: string = root): Promise<Client> {
  const child = spawn(process.execPath, [path.join(root, "bin/grade.js"), "lsp"], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, PublishDiagnosticsParams[]>();
  const waiting: { uri: string; version: number | undefined; resolve: (d: Diagnostic[]) => void }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const list = published.get(params.uri) ?? [];
    list.push(params);
    published.set(params.uri, list);
    for (const w of [...waiting]) {
      if (w.uri === params.uri && (w.version === undefined || params.version === w.version)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(params.diagnostics);
      }
    }
  });
  connection.listen();
  const init = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(workspace).href,
    capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } }, hover: { contentFormat: ["markdown"] } } },
    initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const versions = new Map<string, number>();
  return {
    connection,
    process: child,
    capabilities: init.capabilities,
    open(name, text, languageId) {
      const uri = name.includes("://") ? name : uriOf(name);
      versions.set(uri, 1);
      published.delete(uri);
      void connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: languageId ?? (name.endsWith(".json") ? "json" : "grade"), version: 1, text },
      });
      return uri;
    },
    change(uri, text) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    version: (uri) => versions.get(uri) ?? 0,
    diagnostics(uri, version) {
      return new Promise((resolve) => waiting.push({ uri, version, resolve }));
    },
    async stop() {
      await connection.sendRequest(ShutdownRequest.type);
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      await connection.sendNotification(ExitNotification.type);
      const code = await exited;
      connection.dispose();
      return code;
    },
    stderr: () => stderr,
  };
}

/** The offset of the first `marker` in `text`, and the text without it. */
export function cursor(textWithMarker: string, marker = "|"): { text: string; offset: number } {
  const offset = textWithMarker.indexOf(marker);
  if (offset < 0) throw new Error(`no ${marker} in the text`);
  return { text: textWithMarker.slice(0, offset) + textWithMarker.slice(offset + marker.length), offset };
}

/** Line and character of an offset (the test texts have `\n` line ends). */
export function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
