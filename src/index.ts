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
