import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { createRequire } from "node:module";
import { UsageError } from "./io.js";

/*
 * The `grade` command line. Each command lives in its own module, loaded only when it runs, so
 * `--help` and `--version` load neither chevrotain nor zod.
 */

const EXIT_USAGE = 2;

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected a whole number, 0 or more");
  return n;
}

const targetOption = () =>
  new Option(
    "--target <target>",
    "rft: fine-tuning graders and /graders/run; evals: Evals testing criteria (default: a file's `// @target evals` comment, else rft)",
  ).choices(["rft", "evals"]);

export function program(): Command {
  const require = createRequire(import.meta.url);
  const { version } = require("../../package.json") as { version: string };
  const cli = new Command("grade")
    .description("Check, compile and lint graders written in the .grade language.")
    .version(version, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 clean (warnings allowed unless --max-warnings), 1 findings at error level,
2 usage or I/O error.

Examples:
  grade check examples                       check every .grade file under examples/
  grade compile exact.grade                  print the grader JSON
  grade compile graders -o build/            write one .json per .grade file
  grade rules                                list the checker's rules`,
    );

  cli
    .command("compile")
    .description("compile .grade files to the grader JSON the API accepts")
    .argument("<paths...>", ".grade files or directories; - reads standard input")
    .option("-o, --output <file|dir>", "write to a file (ending in .json) or a directory (one .json per input)")
    .addOption(targetOption())
    .option("--minify", "print compact JSON on one line")
    .addHelpText(
      "after",
      `
Prints the JSON (2-space indent, "type" and "name" first) for one input; several inputs need
-o <dir>. Findings go to stderr. With any error nothing is written and the exit code is 1.

Examples:
  grade compile exact.grade
  grade compile exact.grade -o exact.json
  grade compile graders/ -o build/ --target rft
  cat exact.grade | grade compile -`,
    )
    .action(async (paths: string[], options: { output?: string; target?: "rft" | "evals"; minify?: boolean }) => {
      const { compileCommand } = await import("./compile.js");
      process.exitCode = await compileCommand(paths, options);
    });

  cli
    .command("check")
    .description("check .grade files and report findings")
    .argument("<paths...>", ".grade files or directories; - reads standard input")
    .addOption(targetOption())
    .addOption(new Option("--format <format>", "how to print findings").choices(["pretty", "json", "github"]).default("pretty"))
    .option("--max-warnings <n>", "fail (exit 1) when there are more than n warnings", positiveInteger)
    .addHelpText(
      "after",
      `
Formats: pretty (file:line:col, the code with the span underlined, help), json (an array of
{rule, severity, message, file, start, end, suggestion?}), github (workflow annotations).
Colour only on a terminal; NO_COLOR turns it off.

Examples:
  grade check examples
  grade check grader.grade --format json
  grade check graders --format github --max-warnings 0`,
    )
    .action(async (paths: string[], options: { target?: "rft" | "evals"; format: "pretty" | "json" | "github"; maxWarnings?: number }) => {
      const { checkCommand } = await import("./check.js");
      process.exitCode = await checkCommand(paths, options);
    });

  cli
    .command("rules")
    .description("list the checker's rules: id, severity, what each catches, an example")
    .addOption(new Option("--format <format>", "text or markdown or json").choices(["text", "markdown", "json"]).default("text"))
    .action(async (options: { format: "text" | "markdown" | "json" }) => {
      const { rulesCommand } = await import("./rules.js");
      process.exitCode = rulesCommand(options);
    });

  return cli;
}

/** Runs the CLI; returns the exit code. Usage errors exit 2; no stack trace reaches the user. */
export async function main(argv: readonly string[]): Promise<number> {
  const cli = program();
  cli.exitOverride();
  for (const sub of cli.commands) sub.exitOverride();
  try {
    await cli.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return 0;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`grade: ${error.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(
      `grade: internal error: ${(error as Error)?.message ?? String(error)}\n` +
        "This is a bug in gradelang; please report it with the input that caused it.\n",
    );
    if (process.env["GRADE_DEBUG"]) process.stderr.write(`${(error as Error)?.stack ?? ""}\n`);
    return 70;
  }
}
