import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { packageVersion } from "./version.js";
import { UsageError } from "./io.js";
import { addLocalEngineOptions } from "./local-options.js";

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

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError("expected a number of seconds above 0");
  return n;
}

function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number");
  return n;
}

function fraction(value: string): number {
  const n = finiteNumber(value);
  if (n < 0 || n > 1) throw new InvalidArgumentError("expected a fraction from 0 to 1, e.g. 0.05");
  return n;
}

function atLeastOne(value: string): number {
  const n = positiveInteger(value);
  if (n < 1) throw new InvalidArgumentError("expected a whole number, 1 or more");
  return n;
}

/** The options of the commands that call the API (`run`, `validate`). */
function addRemoteOptions(command: Command): Command {
  return command
    .option("--json", "print the answer (the API's response shape) as JSON")
    .option("--dry-run", "print the request (method, URL, body) and send nothing; needs no key")
    .option("--base-url <url>", "the API's base URL (default: OPENAI_BASE_URL, else https://api.openai.com/v1)")
    .option("--api-key <key>", "the API key (discouraged: others can see it in the process list; set OPENAI_API_KEY)")
    .option("--timeout <seconds>", "give up after this many seconds, retries and their waits included (default: 300)", positiveSeconds)
    .option("--max-retries <n>", "retries after 408, 409, 429, 5xx and connection errors (default: 2)", positiveInteger)
    .option("--azure", "use Azure OpenAI (the default when AZURE_OPENAI_ENDPOINT is set)")
    .option("--no-azure", "use the OpenAI API even when AZURE_OPENAI_ENDPOINT is set")
    .option("--azure-endpoint <url>", "Azure OpenAI endpoint, https://<resource>.openai.azure.com (default: AZURE_OPENAI_ENDPOINT)")
    .option("--api-version <version>", "Azure OpenAI API version (default: OPENAI_API_VERSION)");
}

const remoteHelp = `
Configuration (flags win over variables):
  OPENAI_API_KEY          the key (Azure: AZURE_OPENAI_API_KEY); never printed
  OPENAI_BASE_URL         any compatible server, e.g. http://localhost:8080/v1
  OPENAI_ORG_ID, OPENAI_PROJECT_ID   sent as OpenAI-Organization / OpenAI-Project
  AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION   Azure OpenAI (api-key header, ?api-version=)
429, 5xx and connection errors are retried (--max-retries), waiting what Retry-After asks;
--timeout bounds the whole call.`;

const targetOption = () =>
  new Option(
    "--target <target>",
    "rft: fine-tuning graders and /graders/run; evals: Evals testing criteria (default: a file's `// @target evals` comment, else rft)",
  ).choices(["rft", "evals"]);

export function program(): Command {
  const version = packageVersion();
  const cli = new Command("grade")
    .description("Check, compile and lint graders written in the .grade language.")
    .version(version, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Exit codes: 0 clean (warnings allowed unless --max-warnings), 1 findings at error level,
2 usage or I/O error. run and validate: 3 an HTTP or network failure (see their --help).

Examples:
  grade check examples                       check every .grade file under examples/
  grade compile exact.grade                  print the grader JSON
  grade compile graders -o build/            write one .json per .grade file
  grade run exact.grade --sample "Paris" --item '{"answer": "Paris"}'
                                             run the grader on the local engine
  grade test examples                        run the test blocks of every .grade file
  grade eval exact.grade --data rows.jsonl -o results.jsonl
                                             grade a dataset (resumable), print a summary
  grade report results.jsonl -o report.html  one HTML page of the results (two files: a comparison)
  grade agree results.jsonl --labels human.jsonl
                                             how far a model grader agrees with people
  grade serve --port 8787                    the local engine behind the API's grader routes
  grade promptfoo exact.grade --data rows.jsonl -o promptfooconfig.yaml
                                             score with the grader inside promptfoo
  grade validate exact.grade --remote        validate it with the API
  grade rules                                list the checker's rules`,
    );

  cli
    .command("compile")
    .description("compile .grade files (or check grader JSON) to the grader JSON the API accepts")
    .argument("<paths...>", ".grade files, grader .json files, or directories (their .grade files); - reads standard input")
    .option("-o, --output <file|dir>", "write to a file (ending in .json) or a directory (one .json per input)")
    .addOption(targetOption())
    .option("--minify", "print compact JSON on one line")
    .option("--items <data.jsonl>", "also check a JSONL dataset (one item a line): rows lacking a template path, malformed lines; errors write nothing")
    .addOption(
      new Option("--emit <shape>", "what to print: each grader, the testing_criteria array of an Evals body (all inputs, evals target), or the method of a fine-tuning job (one input, rft)")
        .choices(["grader", "testing-criteria", "method"])
        .default("grader"),
    )
    .addHelpText(
      "after",
      `
Prints the JSON (2-space indent, "type" and "name" first) for one input; several inputs need
-o <dir>. Findings go to stderr. With any error nothing is written and the exit code is 1.

Examples:
  grade compile exact.grade
  grade compile exact.grade -o exact.json
  grade compile graders/ -o build/ --target rft
  grade compile criteria/ --emit testing-criteria -o testing_criteria.json
  grade compile answer.grade --emit method      # {"type": "reinforcement", "reinforcement": {"grader": ...}}
  cat exact.grade | grade compile -`,
    )
    .action(async (paths: string[], options: { output?: string; target?: "rft" | "evals"; minify?: boolean; items?: string; emit?: "grader" | "testing-criteria" | "method" }) => {
      const { compileCommand } = await import("./compile.js");
      process.exitCode = await compileCommand(paths, options);
    });

  cli
    .command("check")
    .description("check .grade files and grader JSON, and report findings")
    .argument("<paths...>", ".grade files, grader .json files, or directories (their .grade files); - reads standard input")
    .addOption(targetOption())
    .addOption(new Option("--format <format>", "how to print findings").choices(["pretty", "json", "github", "sarif"]).default("pretty"))
    .option("--max-warnings <n>", "fail (exit 1) when there are more than n warnings", positiveInteger)
    .option("--items <data.jsonl>", "also check a JSONL dataset (one item a line): template paths some rows lack, malformed lines, the declared item shape")
    .option("--fix", "apply the safe fixes to the files (a missing `:`, template spacing, `low..high` for a range, a dashed value to quote) and print each")
    .option("--dry-run", "with --fix: print the diff of what it would change, and write nothing")
    .addHelpText(
      "after",
      `
Besides the rules (grade rules), each grader is validated against its target's schema, as
grade compile does: a file checks clean exactly when it compiles (docs/rules.md, "The schema").

--fix applies only fixes whose intent is not in doubt; a did-you-mean among near names is
left for you (your editor offers it as a quick fix, through \`grade lsp\`). The findings
printed after the fixes are those that remain; the exit code is theirs.

Formats: pretty (file:line:col, the code with the span underlined, help), json (an array of
{rule, severity, message, file, start, end, suggestion?}), github (workflow annotations),
sarif (SARIF 2.1.0 for code scanning).
Colour only on a terminal; NO_COLOR turns it off.

Examples:
  grade check examples
  grade check grader.grade --format json
  grade check graders --format github --max-warnings 0
  grade check graders --fix --dry-run         show what --fix would change
  grade check graders --fix`,
    )
    .action(async (paths: string[], options: import("./check.js").CheckCommandOptions) => {
      const { checkCommand } = await import("./check.js");
      process.exitCode = await checkCommand(paths, options);
    });

  addRemoteOptions(
    addLocalEngineOptions(cli
      .command("run"))
      .description("run a grader on one model sample, on the local engine (or --remote through the API), and print the reward")
      .argument("<file>", "a .grade file, or a .json grader or request body {grader, model_sample?, item?}")
      .option("-s, --sample <text|@file>", "the model output to grade (the `sample` namespace); @file reads a file, @- standard input")
      .option("--sample-json <json|@file>", "a whole sample object {output_text, output_json, output_tools, choices, output_audio} (local engine)")
      .option("-i, --item <json|@file>", "the dataset row, a JSON object (the `item` namespace); @file reads a file")
      .option("--remote", "send it to POST /fine_tuning/alpha/graders/run instead of running it locally"),
  )
    .addHelpText(
      "after",
      `
Runs on the local engine unless --remote is given: string_check, text_similarity (every metric
but cosine), python (in a python3 subprocess: 2 minutes, 2 GB on Linux, network blocked) and
multi graders, offline, with the API's answer shape. Model graders (score_model, label_model)
and cosine call a model server only when one is configured: --model-base-url (or
GRADE_MODEL_BASE_URL; the key in GRADE_MODEL_API_KEY, none for a local server), any
OpenAI-compatible server (Chat Completions with a JSON schema, or --model-api responses);
--model maps the grader's model to a served one. OPENAI_API_KEY alone does not turn calls on.
Without one, model graders report model_grader_server_error (cosine other_error): use \`given\`
in a test, or --remote.
The sample text fills output_text, and output_json when it is valid JSON; --sample-json gives
every sample field. docs/engine.md lists every semantic choice.

Prints the reward, the sub-rewards, every error flag that is set with its details, token usage
per model, execution time and the sampled model; --json prints the whole answer. Findings in a
.grade file are printed as by \`grade compile\`; with an error nothing runs. With --remote, an
API error about a grader field is shown at its line and column in the .grade file.
${remoteHelp}

Exit codes: 0 success, 1 the run succeeded but an error flag is set, 2 bad input or usage
(findings, a bad option, no key), 3 an HTTP or network failure (--remote, after the retries).

Examples:
  grade run grader.grade --sample "The capital is Paris." --item '{"answer": "Paris"}'
  grade run grader.grade --sample @output.txt --item @row.json --json
  grade run grader.grade --sample-json '{"output_text": "hi", "output_json": {"a": 1}}'
  grade run python.grade --sample "42" --python .venv/bin/python --python-timeout 10
  grade run score.grade --sample "Paris" --item '{"reference_answer": "Paris"}' \\
    --model-base-url http://localhost:11434/v1 --model gpt-4o-2024-08-06=qwen2.5:7b
  export OPENAI_API_KEY=sk-...
  grade run grader.grade --sample "The capital is Paris." --item '{"answer": "Paris"}' --remote
  grade run grader.json --sample "42" --remote --max-retries 5 --timeout 120
  grade run grader.grade --sample "hi" --remote --dry-run
  AZURE_OPENAI_API_KEY=... OPENAI_API_VERSION=... \\
    grade run grader.grade --sample "hi" --remote --azure-endpoint https://res.openai.azure.com`,
    )
    .action(async (file: string, options: import("./run.js").RunCommandOptions) => {
      const { runCommand } = await import("./run.js");
      process.exitCode = await runCommand(file, options);
    });

  addLocalEngineOptions(cli
    .command("test")
    .description("run the `test` blocks of .grade files on the local engine")
    .argument("[paths...]", ".grade files or directories (default: the current directory)")
    .option("--filter <text>", "run only the tests whose name contains this text")
    .addOption(new Option("--format <format>", "text, or junit: JUnit XML on standard output (one testcase a test), the usual lines on standard error").choices(["text", "junit"])))
    .addHelpText(
      "after",
      `
A test block sits after the grader in a .grade file:

  test "exact answer scores 1" {
    sample: "Paris"                      // the output text, or { output_text: ..., output_json: ... }
    item: { answer: "Paris" }            // the dataset row
    expect: 1                            // or 0.8 within 0.05, or 0.5..1
  }

In a multi grader, \`given { key: 0.5 }\` fixes sub-graders' rewards (for a score_model the model's
score, for a label_model its label), so the formula is tested offline; a lone model grader takes
\`given: 0.7\` or \`given: "positive"\`. A test passes when the reward meets \`expect\` (exact
values allow 1e-9 of floating-point noise) and no error flag is set. A model grader without
\`given\` calls the model server when one is configured (--model-base-url, as for grade run).

Each file is checked and compiled with its own target; a file with an error fails all of its
tests. That includes a test whose item or sample lacks a template path the grader reads, or
whose item does not fit the declared \`item\` shape (rule test-data, as grade check reports it).
Prints each test with its reward and the expected one, then \`N passed, N failed\`.

Exit codes: 0 every test passed, 1 a test failed or a file has an error, 2 usage or I/O error.

Examples:
  grade test examples
  grade test graders/support.grade --filter "tone"
  grade test examples --format junit > test-results.xml
  grade test --python .venv/bin/python
  grade test --model-base-url http://localhost:11434/v1 --model '*=qwen2.5:7b'`,
    )
    .action(async (paths: string[], options: import("./test.js").TestCommandOptions) => {
      const { testCommand } = await import("./test.js");
      process.exitCode = await testCommand(paths, options);
    });

  {
    // grade eval: the local engine's options, the API's options but --json (here: the summary) and --dry-run.
    const evalCli = addLocalEngineOptions(cli
      .command("eval")
      .description("grade every row of a JSONL dataset on the local engine (or --remote through the API): progress, summary, resumable results")
      .argument("<grader>", "a .grade file, or a .json grader or request body {grader}")
      .requiredOption("-d, --data <rows.jsonl>", 'the dataset, one JSON object a line: {"item": {...}, "sample": "output text" or {sample fields}}; - reads standard input')
      .option("-o, --out <results.jsonl>", "append one result line per row to this file, resuming it when it exists (default: results on standard output)")
      .option("--overwrite", "start --out afresh instead of resuming it")
      .option("-c, --concurrency <n>", "rows graded at once (default: 8); python graders get a warm worker each", (value: string) => {
        const n = positiveInteger(value);
        if (n < 1) throw new InvalidArgumentError("expected a whole number, 1 or more");
        return n;
      })
      .option("-w, --workers <n>", "threads grading string_check and text_similarity rows (default: 1, the main thread); graded rows stay in row order", (value: string) => {
        const n = positiveInteger(value);
        if (n < 1) throw new InvalidArgumentError("expected a whole number, 1 or more");
        return n;
      })
      .option("--json", "print the summary as JSON")
      .option("--no-progress", "print no progress on standard error")
      .option("--progress-every <seconds>", "seconds between progress lines when standard error is no terminal (default: 5)", positiveSeconds)
      .option("--remote", "send each row to POST /fine_tuning/alpha/graders/run instead of grading it locally")
      .option("--fail-under <mean>", "exit 1 when the mean reward is below this (a CI gate)", finiteNumber)
      .option("--max-error-rate <fraction>", "exit 1 when more than this fraction of rows (0..1) are malformed, failed or have an error flag (a CI gate)", fraction)
      .addOption(new Option("--format <format>", "the summary as text, json (as --json) or junit (one testcase a row; needs --out)").choices(["text", "json", "junit"])));
    for (const option of addRemoteOptions(new Command()).options) {
      if (option.long !== "--json" && option.long !== "--dry-run") evalCli.addOption(option);
    }
    evalCli
      .addHelpText(
        "after",
        `
Rows: one JSON object a line. "sample" is required: the output text (a string, as --sample) or
sample fields (an object, as --sample-json; with --remote only its output_text is sent).
"item" (an object) fills the item namespace; "id", when given, is copied to the result. Blank
lines are skipped. A malformed row (not JSON, no sample, ...) gets a result line with "error"
and is counted; the run goes on.

Results: one JSON line per row as it finishes (not in row order), after a header line (with
--out): {"row": <line number>, "id"?, "reward", "errors": {set flags and their details},
"sub_rewards", "execution_time", ...}; a malformed or failed row: {"row", "reward": null,
"error", "error_kind": "malformed" | "failed"}. Without --out they go to standard output and
the summary to standard error.

Resuming: run the same command again. The rows already in --out are skipped; a last line torn by
a kill is cut off and its row graded again. An --out written for another grader, other data or
the other engine is refused (--overwrite starts afresh). One run at a time per --out: a run
holds <out>.lock while it writes (a lock left by a killed run is taken over). Ctrl-C (SIGINT)
or SIGTERM stops taking rows, lets the rows in flight finish (a second Ctrl-C drops them) and
prints the summary so far.

Progress on standard error: a bar on a terminal, else a line every 5 s and at each tenth.
Summary: rows, reward mean/std/min/p50/p90/max, a histogram, each error flag's count, the
slowest rows, time and rate.

--remote: the openai client retries 429, 5xx and connection errors (--max-retries, Retry-After);
a row still failing goes back in the queue and requests pause (1 s, 2 s, ... 60 s); a 429 also
halves the requests at once (they come back one by one as rows succeed). After 6 pauses in a row
without a success, or on 401/403/404 or a grader the API rejects, the run stops (exit 3).
${remoteHelp}

CI gates: --fail-under 0.8 exits 1 when the mean reward is below 0.8; --max-error-rate 0.05
exits 1 when more than 5% of the rows are malformed, failed or have an error flag (rows with an
error flag then no longer fail the run by themselves). Each broken gate prints one line on
standard error. --format junit prints JUnit XML instead of the summary, one testcase a row (an
<error> for a malformed or failed row, a <failure> for an error flag), for CI test reports.

Exit codes: 0 every row graded, no error flag; 1 some rows have an error flag, are malformed or
failed, or a gate is broken; 2 usage or I/O error (bad grader, unreadable data, an --out of another run); 3 the API
failed in a way that stopped the run; 130 / 143 stopped by SIGINT / SIGTERM.

Examples:
  grade eval examples/graders/contains-city.grade --data examples/data/cities.jsonl
  grade eval grader.grade --data rows.jsonl --out results.jsonl          # again to resume
  grade eval grader.grade --data rows.jsonl --out results.jsonl --json > summary.json
  grade eval python.grade --data rows.jsonl -o results.jsonl -c 2 --python .venv/bin/python
  grade eval grader.grade --data rows.jsonl -o results.jsonl --fail-under 0.8 --max-error-rate 0.02
  grade eval grader.grade --data rows.jsonl -o results.jsonl --format junit > eval-junit.xml
  grade eval grader.grade --data rows.jsonl | jq -c 'select(.reward < 0.5)'
  jq -c '{item: ., sample: .answer}' qa.jsonl | grade eval grader.grade --data - -o results.jsonl
  OPENAI_API_KEY=sk-... grade eval grader.grade --data rows.jsonl -o results.jsonl --remote -c 4`,
      )
      .action(async (file: string, options: import("./eval.js").EvalCommandOptions) => {
        const { evalCommand } = await import("./eval.js");
        // The local engine's flags, refused with --remote.
        const local = addLocalEngineOptions(new Command()).options.map((o) => [o.long ?? o.flags, o.attributeName()] as const);
        process.exitCode = await evalCommand(file, options, [...local, ["--workers", "workers"]]);
      });
  }

  cli
    .command("agree")
    .description("how far a model grader agrees with people: κ, correlations, confusion matrix, bootstrap 95% CIs")
    .argument("<results.jsonl>", "a results file of grade eval --out (the judge)")
    .option("-l, --labels <human.jsonl>", 'human labels, one a line: {"id" or "row": ..., "label" or "score": ...}')
    .option("--label-field <path>", "take the human labels from a field of the dataset instead, e.g. item.human_score")
    .option("--label-key <key>", 'the key of the value in --labels lines (default: "label", else "score")')
    .option("--data <rows.jsonl>", "the dataset for --label-field (default: the one the results header names)")
    .option("--threshold <number>", "pass at reward >= this, for κ on pass/fail (default: 0.5)", finiteNumber)
    .option("--label-threshold <number>", "the human scores' pass threshold when their scale differs (default: --threshold)", finiteNumber)
    .option("--order <labels>", "ordinal labels, lowest first, comma-separated: adds weighted κ (linear, quadratic)")
    .option("--passing <labels>", "human labels that pass, comma-separated, when the results hold the judge's reward only")
    .option("--resamples <n>", "bootstrap resamples (default: 2000)", atLeastOne)
    .option("--seed <n>", "bootstrap seed (default: 1)", positiveInteger)
    .option("--top <n>", "rows of the largest disagreement to list (default: 10)", positiveInteger)
    .option("--min-kappa <k>", "exit 1 when Cohen's κ is below this (a CI gate)", finiteNumber)
    .option("--json", "print the figures as JSON")
    .addHelpText(
      "after",
      `
Pairs each result with its human label by "id" (when the results have ids) or "row" (the
dataset's line number). Human numbers are scores: Pearson, Spearman, Kendall τ-b, mean |Δ|,
Cohen's κ on pass/fail after --threshold, and weighted κ when both sides are whole numbers on a
small scale (1–5). Human strings are labels: Cohen's κ and a confusion matrix against the
judge's "label", or on pass/fail when the results hold its reward only (--passing names the
human labels that pass). Every figure has a paired bootstrap 95% interval (seeded: the same
command prints the same interval). The rows of the largest disagreement are listed.

Exit codes: 0 done, 1 κ below --min-kappa, 2 usage or I/O error (unreadable files, no label
matches a result).

Examples:
  grade agree examples/agreement/judge-results.jsonl --labels examples/agreement/human.jsonl
  grade agree results.jsonl --label-field item.human_score --json > agreement.json
  grade agree results.jsonl --labels human.jsonl --passing good,great --min-kappa 0.6`,
    )
    .action(async (file: string, options: import("./agree.js").AgreeCommandOptions) => {
      const { agreeCommand } = await import("./agree.js");
      process.exitCode = await agreeCommand(file, options);
    });

  cli
    .command("report")
    .description("one self-contained HTML page of a run's results, or of two runs compared (run versus run)")
    .argument("<results...>", "a results file of grade eval --out; two files compare the runs")
    .option("-o, --out <report.html>", "write the page here (one file, everything inline: it opens from disk, offline)")
    .option("--json", "print the figures as JSON (with -o, as well as the page)")
    .option("--by <key>", "pair two runs' rows by `row` (the default: the same dataset) or `id` (any datasets whose rows have ids)", (value: string) => {
      if (value !== "row" && value !== "id") throw new InvalidArgumentError("expected row or id");
      return value;
    })
    .option("--threshold <number>", "pass at reward >= this (default: the grader's pass_threshold, else 0.5 on 0..1, else the middle of the rewards' range)", finiteNumber)
    .option("--data <rows.jsonl>", "the dataset, for the rows' item and sample (default: the one the results header names, when unchanged)")
    .option("-l, --labels <human.jsonl>", "human labels: adds the agreement section (as grade agree)")
    .option("--label-field <path>", "human labels from a field of the dataset, e.g. item.human_score")
    .option("--label-key <key>", 'the key of the value in --labels lines (default: "label", else "score")')
    .option("--label-threshold <number>", "the human scores' pass threshold when their scale differs", finiteNumber)
    .option("--order <labels>", "ordinal labels, lowest first, comma-separated (weighted κ)")
    .option("--passing <labels>", "human labels that pass, comma-separated")
    .option("--resamples <n>", "bootstrap resamples for the intervals (default: 2000)", atLeastOne)
    .option("--seed <n>", "bootstrap seed (default: 1)", positiveInteger)
    .option("--top <n>", "rows listed as the largest changes or disagreements (--json; default: 20 and 10)", positiveInteger)
    .option("--title <text>", "the page's title")
    .addHelpText(
      "after",
      `
One run: the run (grader and its source, dataset, engine, rows done), the summary (mean, std,
percentiles, pass rate, error flags, a histogram), each sub-grader of a multi (its distribution,
its correlation with the reward), the agreement with people when --labels is given, and a table
of every row — sortable, filterable by reward, error flag and text, a row's detail on Enter or
click; it stays quick at 100,000 rows. Charts are drawn by uPlot, inlined. Light and dark follow
the system (the Theme button switches).

Two runs (the same dataset, or --by id): the mean difference B − A with a paired bootstrap 95%
interval, McNemar's test on pass/fail, Pearson, Spearman, Kendall τ-b, Cohen's κ, a scatter of
reward A against B, and the changed rows sorted by |Δ|. Runs over different datasets are refused
unless --by id pairs them by the rows' "id".

Exit codes: 0 written, 2 usage or I/O error (unreadable results, different datasets).

Examples:
  grade report results.jsonl -o report.html
  grade report results.jsonl -o report.html --labels human.jsonl
  grade report before.jsonl after.jsonl -o diff.html
  grade report a.jsonl b.jsonl --by id --json | jq .mean_difference`,
    )
    .action(async (files: string[], options: import("./report.js").ReportCommandOptions) => {
      const { reportCommand } = await import("./report.js");
      process.exitCode = await reportCommand(files, options);
    });

  addRemoteOptions(
    cli
      .command("validate")
      .description("validate a grader with the API (--remote) and print it as the service normalised it")
      .argument("<file>", "a .grade file (compiled for rft), or a .json grader or request body {grader}")
      .option("--remote", "send it to POST /fine_tuning/alpha/graders/validate (required; `grade check` validates locally)"),
  )
    .addHelpText(
      "after",
      `
Prints "valid" and the grader the API returned; --json prints the API's answer. An API error
about a grader field is shown at its line and column in the .grade file.
${remoteHelp}

Exit codes: 0 valid, 1 invalid (the API rejected the grader), 2 bad input or usage (findings,
a bad option, no key), 3 an HTTP or network failure (after the retries).

Examples:
  grade validate grader.grade --remote
  grade validate grader.json --remote --json
  grade validate grader.grade --remote --dry-run`,
    )
    .action(async (file: string, options: import("./validate.js").ValidateCommandOptions) => {
      const { validateCommand } = await import("./validate.js");
      process.exitCode = await validateCommand(file, options);
    });

  addLocalEngineOptions(cli
    .command("serve")
    .description("serve the local engine over HTTP with the API's grader routes, for OpenAI clients pointed at it")
    .option("-p, --port <port>", "the port; 0 picks a free one (default: 8787)", positiveInteger)
    .option("--host <address>", "the address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 for every interface)")
    .option("--token <token>", "require `Authorization: Bearer <token>` or `api-key: <token>` (default: GRADE_SERVE_TOKEN; discouraged on the command line: others can see it in the process list)")
    .option("--concurrency <n>", "gradings at once (default: 8); more wait in a queue", positiveInteger)
    .option("--max-queue <n>", "requests that may wait beyond --concurrency (default: 100); more get 429 with Retry-After", positiveInteger)
    .option("--max-body <size>", "the largest request body, e.g. 512kb, 4mb (default: 1mb); larger gets 413")
    .option("--request-timeout <seconds>", "from arrival to answer, waiting included (default: 300); later gets 504", positiveSeconds)
    .option("--grace <seconds>", "on SIGTERM/SIGINT, how long requests in flight may take to finish (default: 30)", positiveSeconds)
    .option("--disable-python", "refuse python graders (also inside a multi) with 400: no grader code runs on this machine")
    .option("--unsandboxed-python", "run python graders even where no sandbox is available (no bubblewrap, not Linux): they can then read files and reach the network of this machine")
    .option("--allow-host <name>", "a Host (and Origin) name to answer besides loopback names and the listen address, e.g. behind a reverse proxy (repeatable)", (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option("-q, --quiet", "no access log (one line per request on stderr)"))
    .addHelpText(
      "after",
      `
Routes, with the API's request and response shapes (also without the /v1 prefix, and at Azure
OpenAI's /openai/v1/... and /openai/...?api-version=... for Azure clients):
  POST /v1/fine_tuning/alpha/graders/run       {grader, model_sample, item?} -> {reward, metadata, sub_rewards, ...}
  POST /v1/fine_tuning/alpha/graders/validate  {grader} -> {grader}
  GET  /health                                 {"status": "ok", ...}; 503 while shutting down; no token needed
Errors are in the API's shape, {"error": {"message", "type", "param", "code"}}: 400 an invalid
grader (param names the field, e.g. grader.operation; a top-level label_model is refused, as by
the API) or request, 401 no or wrong token, 403 a foreign Origin (a web page), 404, 405, 413,
421 a foreign Host (DNS rebinding; --allow-host adds a name), 429 queue full (Retry-After: 1),
504 --request-timeout. A python grader that hangs is stopped by --python-timeout; python
graders have their own --concurrency slots, so other graders are answered meanwhile.

Python graders run in a bubblewrap sandbox on Linux (no network, no files of this machine but
the system's and the interpreter's, private 1 GB /tmp, minimal environment). Where there is
none (not Linux, or bwrap missing or unusable), they are refused with 400 unless
--unsandboxed-python is given. Model graders call the model server of the --model-* flags
(or GRADE_MODEL_BASE_URL), as in \`grade run\`; without one they are not called.

Listens on 127.0.0.1 unless --host says otherwise. Python graders run their code on this
machine: on any other address set a token (GRADE_SERVE_TOKEN), and consider --disable-python.
Prints the URL on stderr, then one line per request (method, path, status, ms) unless --quiet.
The token is never printed.

Exit codes: 0 stopped by SIGTERM/SIGINT after the requests in flight finished, 1 some were cut
off after --grace (a second signal cuts at once), 2 usage error or cannot listen (port in use).

Examples:
  grade serve --port 8787
  GRADE_SERVE_TOKEN=s3cret grade serve --host 0.0.0.0 --disable-python
  curl -s http://127.0.0.1:8787/v1/fine_tuning/alpha/graders/run -H 'Content-Type: application/json' \\
    -d '{"grader": {"type": "string_check", "name": "exact", "input": "{{sample.output_text}}",
         "reference": "{{item.answer}}", "operation": "eq"}, "model_sample": "Paris", "item": {"answer": "Paris"}}'
  OPENAI_BASE_URL=http://127.0.0.1:8787/v1 OPENAI_API_KEY=unused python train.py
      # Python: OpenAI(base_url=..., api_key=...).fine_tuning.alpha.graders.run(grader=..., model_sample=...)
  # Node: new OpenAI({ baseURL: "http://127.0.0.1:8787/v1", apiKey: "unused" }).fineTuning.alpha.graders.run({...})
  OPENAI_API_KEY=unused grade run grader.grade --sample "Paris" --remote --base-url http://127.0.0.1:8787/v1`,
    )
    .action(async (options: import("./serve.js").ServeCommandOptions) => {
      const { serveCommand } = await import("./serve.js");
      process.exitCode = await serveCommand(options);
    });

  cli
    .command("fmt")
    .description("format .grade files in the canonical layout (grammar/formatting.md)")
    .argument("<paths...>", ".grade files or directories; - reads standard input and prints to standard output")
    .option("--check", "write nothing; list the files that are not formatted (exit 1 if any)")
    .addHelpText(
      "after",
      `
Rewrites only the files that change; comments are kept and the meaning never changes. A file
with a syntax error is reported and left as it is (exit 1). Layout options (printWidth,
tabWidth, useTabs) come from a Prettier configuration file when there is one, so the result is
the same as \`prettier --plugin gradelang/prettier\`.

Examples:
  grade fmt examples
  grade fmt grader.grade --check
  cat grader.grade | grade fmt -`,
    )
    .action(async (paths: string[], options: { check?: boolean }) => {
      const { fmtCommand } = await import("./fmt.js");
      process.exitCode = await fmtCommand(paths, options);
    });

  cli
    .command("decompile")
    .description("print grader JSON as .grade text, or write a .grade file per grader")
    .argument("<paths...>", "grader JSON files or directories (their .json files); - reads standard input")
    .option("-o, --output <dir|file.grade>", "write one .grade per grader into a directory (or one file ending in .grade)")
    .addHelpText(
      "after",
      `
Prints formatted .grade text that compiles back to the same JSON (deep-equal: content forms,
"type": "message", template spacing, unknown fields and the order of \`graders\` are kept).
A JSON file may be a grader, a /graders/run or /validate request body (\`grader\`), a
fine-tuning job body (\`method.reinforcement.grader\`), a fine-tuning \`method\` object, or an
Evals body (\`testing_criteria\`: one .grade per criterion, marked \`// @target evals\`); what was
found is said on stderr. Several graders need -o <dir>: a file's graders go to <dir>/<file>.grade,
an Evals body's to <dir>/<file>/<criterion name>.grade, a directory's tree is mirrored.
Findings about the graders go to stderr. Exit 1 when a file holds no grader (nothing is
written) or a grader has errors; 2 on a usage or I/O error.

Examples:
  grade decompile grader.json > grader.grade
  grade decompile graders-json/ -o graders/
  grade decompile fine-tuning-job.json evals-body.json -o graders/
  curl -s .../graders/validate | jq .grader | grade decompile -`,
    )
    .action(async (paths: string[], options: { output?: string }) => {
      const { decompileCommand } = await import("./decompile.js");
      process.exitCode = await decompileCommand(paths, options);
    });

  cli
    .command("promptfoo")
    .description("write a promptfoo config whose assertions are these graders (scores equal grade eval's rewards)")
    .argument("<graders...>", ".grade files, grader .json files, or directories (their .grade files)")
    .option("-o, --output <promptfooconfig.yaml>", "write (or update) this config; default: print a new one")
    .option("-d, --data <rows.jsonl>", 'a dataset: each row becomes a test, its item fields the vars, its "sample" the recorded output; - reads standard input')
    .option("--threshold <n>", "pass at this reward or above, instead of each grader's own rule", (value: string) => {
      const n = Number(value);
      if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a number, e.g. 0.8");
      return n;
    })
    .option("--skip-bad-rows", "write the config without the malformed rows of --data (they are listed) instead of writing nothing")
    .addHelpText(
      "after",
      `
Every grader applies to every test: its assertion goes in defaultTest.assert,
  - type: javascript
    metric: <grader name>
    value: file://node_modules/gradelang/promptfoo.js:grader    (this install, relative to the config)
    config: { grader: <path relative to the config>, threshold?, omitVars? }
A new config replays recorded outputs: prompts ["{{output}}"] and the echo provider, one test per
--data row (grade eval's rows {"item", "sample", "id"?}: vars = the item's fields, output = the
sample's text; a row with no sample is an item alone). An existing config keeps everything but
its gradelang assertions (replaced) and, with --data, its tests (replaced by the rows); comments
are kept. Run promptfoo from the config's directory: grader paths are relative to it.

In promptfoo the score is the reward; pass is the grader's rule (pass_threshold, passing_labels,
a string_check's match; else above 0), or --threshold. Model graders use GRADE_MODEL_BASE_URL,
GRADE_MODEL_API_KEY (or the assertion's config: modelBaseUrl, model, ...), as grade eval does.

Exit codes: 0 written, 1 a grader has errors or --data has malformed rows (nothing written),
2 usage or I/O error.

Examples:
  grade promptfoo examples/graders/contains-city.grade --data examples/data/cities.jsonl --skip-bad-rows -o promptfooconfig.yaml
  grade promptfoo graders/ -o promptfooconfig.yaml          # add the assertions to an existing config
  grade promptfoo exact.grade --threshold 0.8               # print a starter config`,
    )
    .action(async (paths: string[], options: import("./promptfoo.js").PromptfooCommandOptions) => {
      const { promptfooCommand } = await import("./promptfoo.js");
      process.exitCode = await promptfooCommand(paths, options);
    });

  cli
    .command("lsp")
    .description("run the language server (LSP over standard input and output) for editors")
    .option("--stdio", "talk over standard input and output (the default and only transport; accepted for LSP clients that pass it)")
    .addHelpText(
      "after",
      `
For .grade files and grader .json files: diagnostics as you type (the rules of \`grade check\`),
completion (fields, enum values, template paths, grader keys, labels), hover, go to definition,
references and rename for grader keys and item fields, quick fixes, formatting (the printer of
\`grade fmt\`), the outline and semantic tokens. Editors start it themselves; see
docs/editor.md for VS Code, Neovim and other editors.

Initialization options: {"debounceMs": 150, "target": "rft" | "evals", "dataset": "rows.jsonl"}
(the dataset's item keys are offered as item.* paths; default: "dataset" of grade.config.json).

Examples:
  grade lsp                       (started by the editor, not by hand)
  nvim: vim.lsp.start({ name = "grade", cmd = { "npx", "grade", "lsp" } })`,
    )
    .action(async () => {
      const { lspCommand } = await import("./lsp.js");
      process.exitCode = await lspCommand();
    });

  cli
    .command("schema")
    .description("print the JSON Schema of the grader JSON, for JSON editors and validators")
    .addOption(new Option("--target <target>", "rft: fine-tuning graders and /graders/run; evals: Evals testing criteria").choices(["rft", "evals"]).default("rft"))
    .addOption(new Option("--request <route>", "the request body of /graders/run ({grader, model_sample, item?}) or /graders/validate ({grader})").choices(["run", "validate"]))
    .option("-o, --output <file>", "write the schema to a file instead of standard output")
    .addHelpText(
      "after",
      `
The schema (JSON Schema draft 2020-12) is made from the same zod schemas \`grade check\` uses, with
a description on every field. Point your editor at it for completion and validation of grader
JSON: in VS Code, settings.json:
  "json.schemas": [{ "fileMatch": ["graders/*.json"], "url": "./grader.schema.json" }]
The schema checks shape only; \`grade check grader.json\` also checks templates, formulas and more.

Examples:
  grade schema -o grader.schema.json
  grade schema --target evals > evals-grader.schema.json
  grade schema --request run -o run-request.schema.json`,
    )
    .action(async (options: import("./schema.js").SchemaCommandOptions) => {
      const { schemaCommand } = await import("./schema.js");
      process.exitCode = schemaCommand(options);
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
