import type { CheckContext, CheckOptions } from "../check/context.js";
import { projectRoot } from "../check/files.js";
import { checkWithContext, type CheckResult, isJsonSource } from "../compile.js";
import type { Target } from "../schema/graders.js";

/*
 * One open document's analysis: the compiler's own check (parser, checker and its context), made
 * once per version of the text and read by every feature of the language server.
 */

export interface Analysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** A grader JSON (a `.json` file) rather than `.grade` text. */
  readonly json: boolean;
  readonly result: CheckResult;
  readonly context: CheckContext;
  readonly target: Target;
}

export interface AnalyseOptions {
  /** The file's path, when the document is a file (`file()` reads relative to it). */
  readonly path?: string | undefined;
  /** The editor's language id: `json`/`jsonc` documents are read as grader JSON. */
  readonly languageId?: string | undefined;
  /** Overrides the file's `// @target` comment (the client's `grade.target` setting). */
  readonly target?: Target | undefined;
}

export function analyse(uri: string, version: number, text: string, options: AnalyseOptions = {}): Analysis {
  const filename = options.path ?? (options.languageId === "json" || options.languageId === "jsonc" ? "untitled.json" : undefined);
  const checkOptions: CheckOptions = {
    ...(filename ? { filename } : {}),
    ...(options.target ? { target: options.target } : {}),
    root: projectRoot(options.path),
  };
  const { context, ...result } = checkWithContext(text, checkOptions);
  return { uri, version, text, json: isJsonSource(text, filename), result, context, target: context.target };
}
