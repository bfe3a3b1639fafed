/**
 * gradelang: a compact, typed language for OpenAI-style graders.
 *
 *     import { compile } from "gradelang";
 *     const { grader, diagnostics } = compile(source, { filename: "exact.grade" });
 */
export { check, compile, type CheckResult, type CompileOptions, type CompileResult } from "./compile.js";
export { parse, type ParseResult } from "./syntax/parse.js";
export type * from "./syntax/ast.js";
export { walk, childrenOf, childKeys } from "./syntax/ast.js";
export { LineIndex, type Position } from "./syntax/lines.js";
export type { Diagnostic, Related, Severity } from "./diagnostics/diagnostic.js";
export { ruleCatalog, rules } from "./check/registry.js";
export { checkDataset, type DatasetGrader, type DatasetOptions } from "./check/dataset.js";
export type { Rule, RuleMeta, CheckOptions } from "./check/context.js";
export type { FileAccess } from "./check/files.js";
export * as schemas from "./schema/graders.js";
export { graderSchema, graderSchemas, targets, type Target } from "./schema/graders.js";
export type { Json, JsonObject } from "./emit/emit.js";
export { parseFormula } from "./formula/parse.js";
export { printFormula } from "./formula/print.js";
export type * from "./formula/ast.js";
export { renderPretty } from "./diagnostics/render-pretty.js";
export { renderJson } from "./diagnostics/render-json.js";
export { renderGithub } from "./diagnostics/render-github.js";
export { format, type FormatOptions } from "./format/format.js";
export type { GraderEngine, RunRequest, RunResponse, RunMetadata, RunErrors, ValidateRequest, ValidateResponse } from "./api/engine.js";
export { RemoteEngine, RUN_PATH, VALIDATE_PATH, type DescribedRequest } from "./api/remote.js";
export {
  resolveRemoteConfig,
  type RemoteConfig,
  type RemoteOptions,
  type OpenAIConfig,
  type AzureConfig,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_SECONDS,
} from "./api/config.js";
export { EngineError, type EngineErrorKind, type EngineErrorDetails } from "./api/errors.js";
export { formatRunSummary, formatValidateSummary, setFlags, type SetFlag } from "./api/summary.js";
export { apiErrorPaths, locateApiError, type SourceLocation } from "./api/locate.js";
