import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Connection,
  createConnection,
  ResponseError,
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
  type TextEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { format, type FormatOptions } from "../format/format.js";
import type { Shape } from "../check/namespaces.js";
import type { Target } from "../schema/graders.js";
import { parse } from "../syntax/parse.js";
import { type Analysis, analyse } from "./analysis.js";
import { codeActions } from "./actions.js";
import { completeGrade, completeJson } from "./completion.js";
import { toLspDiagnostic } from "./diagnostics.js";
import { hover } from "./hover.js";
import { occurrences, symbolAt } from "./locate.js";
import { datasetItemShape } from "./dataset.js";
import { semanticLegend, semanticTokens } from "./semantic.js";
import { documentSymbols } from "./symbols.js";

/*
 * `grade lsp`: the language server. Every feature reads one analysis per version of a document,
 * made by the compiler's own check() (src/lsp/analysis.ts); diagnostics are published a short
 * while after the last edit (`debounceMs`), and a request that comes first analyses at once.
 */

export interface ServerSettings {
  /** How long after an edit diagnostics wait for the next one (default 150 ms). */
  readonly debounceMs?: number;
  /** The target for files without a `// @target` comment. */
  readonly target?: Target;
  /** A JSONL dataset whose items' keys completion offers (relative to the workspace root). */
  readonly dataset?: string;
}

interface Open {
  analysis: Analysis | undefined;
  timer: NodeJS.Timeout | undefined;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Connection {
  const connection = createConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const documents = new TextDocuments(TextDocument);
  const open = new Map<string, Open>();
  let settings: ServerSettings = {};
  let datasetItem: Shape | undefined;

  const filePath = (uri: string): string | undefined => {
    if (!uri.startsWith("file:")) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  };

  /** The analysis of a document's current text, made now when the last one is older. */
  const analysisOf = (document: TextDocument): Analysis => {
    let entry = open.get(document.uri);
    if (!entry) open.set(document.uri, (entry = { analysis: undefined, timer: undefined }));
    if (entry.analysis?.version !== document.version) {
      entry.analysis = analyse(document.uri, document.version, document.getText(), {
        path: filePath(document.uri),
        languageId: document.languageId,
        target: settings.target,
      });
    }
    return entry.analysis;
  };

  const publish = (document: TextDocument): void => {
    try {
      const analysis = analysisOf(document);
      void connection.sendDiagnostics({
        uri: document.uri,
        version: document.version,
        diagnostics: analysis.result.diagnostics.map((d) => toLspDiagnostic(d, document)),
      });
    } catch (error) {
      // A bug, never bad input: said in the editor's log; the server goes on with the other files.
      connection.console.error(`grade lsp: internal error while checking ${document.uri}: ${(error as Error)?.stack ?? String(error)}`);
    }
  };

  const schedule = (document: TextDocument, delay: number): void => {
    let entry = open.get(document.uri);
    if (!entry) open.set(document.uri, (entry = { analysis: undefined, timer: undefined }));
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    if (delay === 0) {
      publish(document);
      return;
    }
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      const current = documents.get(document.uri);
      if (current) publish(current);
    }, delay);
  };

  const withDocument = <T>(uri: string, fallback: T, f: (document: TextDocument, analysis: Analysis) => T): T => {
    const document = documents.get(uri);
    return document ? f(document, analysisOf(document)) : fallback;
  };

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as ServerSettings;
    settings = {
      ...(typeof options.debounceMs === "number" && options.debounceMs >= 0 ? { debounceMs: options.debounceMs } : {}),
      ...(options.target === "rft" || options.target === "evals" ? { target: options.target } : {}),
    };
    const rootPath = params.rootUri ? filePath(params.rootUri) : (params.workspaceFolders?.[0] ? filePath(params.workspaceFolders[0].uri) : undefined);
    const dataset = typeof options.dataset === "string" ? options.dataset : rootPath ? configuredDataset(rootPath) : undefined;
    if (dataset) datasetItem = datasetItemShape(path.resolve(rootPath ?? process.cwd(), dataset));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [".", "{", ":", " ", "[", '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: ["quickfix"] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
        semanticTokensProvider: { legend: semanticLegend, full: true },
      },
      serverInfo: { name: "grade lsp" },
    };
  });

  documents.onDidOpen(({ document }) => schedule(document, 0));
  documents.onDidChangeContent(({ document }) => schedule(document, settings.debounceMs ?? 150));
  documents.onDidClose(({ document }) => {
    const entry = open.get(document.uri);
    if (entry?.timer) clearTimeout(entry.timer);
    open.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCompletion(({ textDocument, position }) =>
    withDocument(textDocument.uri, [], (document, analysis) => {
      const offset = document.offsetAt(position);
      return analysis.json ? completeJson(analysis, document, offset) : completeGrade(analysis, document, offset, { datasetItem });
    }),
  );

  connection.onHover(({ textDocument, position }) => withDocument(textDocument.uri, null, (document, analysis) => hover(analysis, document, document.offsetAt(position))));

  connection.onDefinition(({ textDocument, position }) =>
    withDocument(textDocument.uri, null, (document, analysis) => {
      if (analysis.json) return null;
      const symbol = symbolAt(analysis, document.offsetAt(position));
      const declaration = symbol && occurrences(analysis, symbol).find((o) => o.declaration);
      return declaration ? { uri: document.uri, range: { start: document.positionAt(declaration.span.start), end: document.positionAt(declaration.span.end) } } : null;
    }),
  );

  connection.onReferences(({ textDocument, position, context }) =>
    withDocument(textDocument.uri, [], (document, analysis) => {
      if (analysis.json) return [];
      const symbol = symbolAt(analysis, document.offsetAt(position));
      if (!symbol) return [];
      return occurrences(analysis, symbol)
        .filter((o) => context.includeDeclaration || !o.declaration)
        .map((o) => ({ uri: document.uri, range: { start: document.positionAt(o.span.start), end: document.positionAt(o.span.end) } }));
    }),
  );

  connection.onPrepareRename(({ textDocument, position }) =>
    withDocument(textDocument.uri, null, (document, analysis) => {
      if (analysis.json) return null;
      const offset = document.offsetAt(position);
      const symbol = symbolAt(analysis, offset);
      const at = symbol && occurrences(analysis, symbol).find((o) => o.span.start <= offset && offset <= o.span.end);
      return at ? { start: document.positionAt(at.span.start), end: document.positionAt(at.span.end) } : null;
    }),
  );

  connection.onRenameRequest(({ textDocument, position, newName }) =>
    withDocument(textDocument.uri, null, (document, analysis) => {
      if (!NAME.test(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is not a name: use letters, digits and _, not starting with a digit`);
      const symbol = analysis.json ? undefined : symbolAt(analysis, document.offsetAt(position));
      if (!symbol) return null;
      const edits: TextEdit[] = occurrences(analysis, symbol).map((o) => ({
        range: { start: document.positionAt(o.span.start), end: document.positionAt(o.span.end) },
        newText: newName,
      }));
      return { changes: { [document.uri]: edits } };
    }),
  );

  connection.onCodeAction(({ textDocument, range }) => withDocument(textDocument.uri, [], (document, analysis) => codeActions(analysis, document, range)));

  connection.languages.semanticTokens.on(({ textDocument }) =>
    withDocument(textDocument.uri, { data: [] }, (document, analysis) => (analysis.json ? { data: [] } : semanticTokens(analysis, document))),
  );

  connection.onDocumentSymbol(({ textDocument }) => withDocument(textDocument.uri, [], (document, analysis) => documentSymbols(analysis.result.document, document)));

  connection.onDocumentFormatting(async ({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (!document || analysisOf(document).json) return null;
    const text = document.getText();
    // Text with a syntax error is left as it is, as `grade fmt` leaves it.
    if (parse(text).diagnostics.length) return null;
    const formatted = await format(text, await prettierOptions(filePath(document.uri)));
    if (formatted === text) return [];
    return [{ range: { start: document.positionAt(0), end: document.positionAt(text.length) }, newText: formatted }];
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** `"dataset"` of a grade.config.json at the workspace root, if any. */
function configuredDataset(rootPath: string): string | undefined {
  try {
    const config = JSON.parse(fs.readFileSync(path.join(rootPath, "grade.config.json"), "utf8")) as { dataset?: unknown };
    return typeof config.dataset === "string" ? config.dataset : undefined;
  } catch {
    return undefined;
  }
}

/** The layout options of a Prettier configuration for the file, as `grade fmt` reads them. */
async function prettierOptions(file: string | undefined): Promise<FormatOptions> {
  const { resolveConfig } = await import("prettier");
  let config: Awaited<ReturnType<typeof resolveConfig>> = null;
  try {
    config = await resolveConfig(file ?? path.resolve("untitled.grade"), { editorconfig: true });
  } catch {
    // An unreadable configuration: the canonical layout (`grade fmt` reports it).
  }
  const picked: { -readonly [K in keyof FormatOptions]: FormatOptions[K] } = {};
  if (typeof config?.printWidth === "number") picked.printWidth = config.printWidth;
  if (typeof config?.tabWidth === "number") picked.tabWidth = config.tabWidth;
  if (typeof config?.useTabs === "boolean") picked.useTabs = config.useTabs;
  const eol = config?.endOfLine;
  if (eol === "lf" || eol === "crlf" || eol === "cr" || eol === "auto") picked.endOfLine = eol;
  return picked;
}
