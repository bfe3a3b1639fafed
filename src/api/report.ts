import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderPretty } from "../diagnostics/render-pretty.js";
import type { EngineError } from "./errors.js";
import type { GraderFile } from "./input.js";
import { apiErrorPaths, locateApiError } from "./locate.js";
import type { Redactor } from "./redact.js";

/*
 * How `grade run` and `grade validate` talk to the terminal: findings of the `.grade` file,
 * failures of the engine (an API error about a grader field printed like a finding, at its
 * `.grade` line and column), and the exit codes. Everything written goes through the redactor.
 */

/** Exit codes of `grade run` and `grade validate`. */
export const EXIT = {
  /** The run or validation succeeded. */
  ok: 0,
  /** run: it succeeded but an error flag is set; validate: the API says the grader is invalid. */
  flagged: 1,
  /** Bad input or usage: a finding in the .grade file, a bad option, missing configuration. */
  usage: 2,
  /** An HTTP or network failure: the API could not be reached or did not answer with a result. */
  remote: 3,
} as const;

export interface ReporterOptions {
  readonly redact: Redactor;
  /** Colour on stderr (findings, failures). */
  readonly color: boolean;
}

export class Reporter {
  constructor(private readonly options: ReporterOptions) {}

  out(text: string): void {
    process.stdout.write(this.options.redact(text));
  }

  err(text: string): void {
    process.stderr.write(this.options.redact(text));
  }

  /** A line `grade: message` on stderr. */
  fail(message: string): void {
    this.err(`grade: ${message}\n`);
  }

  /** Prints the findings of a `.grade` file; true when one is an error (nothing may be sent). */
  findings(file: GraderFile, consequence = "nothing was sent"): boolean {
    if (file.diagnostics.length) this.err(this.render(file, file.diagnostics));
    const errors = file.diagnostics.filter((d) => d.severity === "error").length;
    if (errors === 0 && file.grader) return false;
    this.fail(`${errors || "an"} error${errors === 1 ? "" : "s"} in \`${file.label}\`; ${consequence}`);
    return true;
  }

  /** Prints an engine failure; returns the exit code. */
  failure(error: EngineError, file: GraderFile, command: "run" | "validate"): number {
    if (error.kind === "config") {
      this.fail(error.message);
      return EXIT.usage;
    }
    const invalid = command === "validate" && error.kind === "rejected";
    const code = invalid ? EXIT.flagged : EXIT.remote;
    if (error.kind === "rejected" && file.kind === "grade") {
      const paths = apiErrorPaths(error.details.param, error.details.apiMessage);
      const at = locateApiError(paths, file.sourceMap);
      if (at) {
        const diagnostic: Diagnostic = {
          rule: "api",
          severity: "error",
          message: error.details.apiMessage ?? error.message,
          file: file.label,
          span: at.span,
          ...(at.exact ? {} : { suggestion: `the API named \`${at.path}\`; this is the closest part of the grader` }),
        };
        this.err(this.render(file, [diagnostic]));
        this.fail(`${invalid ? "invalid: " : ""}the API rejected the grader (HTTP ${error.details.status ?? "400"})`);
        return code;
      }
    }
    this.fail(`${invalid ? "invalid: " : ""}${error.message}`);
    return code;
  }

  private render(file: { readonly label: string; readonly text: string }, diagnostics: readonly Diagnostic[]): string {
    const sourceOf = (label: string | undefined) => (label === file.label ? file.text : undefined);
    return `${renderPretty(diagnostics, sourceOf, { color: this.options.color })}\n`;
  }
}
