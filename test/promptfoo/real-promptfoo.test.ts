// The real promptfoo (the npm package, pinned), installed once into a scratch project under the
// OS's temporary folder (kept between runs; not a dependency of gradelang), runs configs written by
// `grade promptfoo` with the echo provider over the examples' datasets; every score it reports is
// compared with `grade eval`'s reward on the same rows. Model graders call a scripted model server
// on loopback, the same one for both. When promptfoo cannot be installed (offline), the tests are
// skipped with the reason — unless GRADE_REQUIRE_PROMPTFOO=1 (CI), where that is a failure.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, type TestContext } from "vitest";
import { root } from "../helpers/cli.js";
import { FakeModelServer, chatReply, letterVector, type JsonReply, type ModelRequest } from "../helpers/model-server.js";

const PROMPTFOO_VERSION = "0.123.1";
const nodeDir = path.dirname(process.execPath);
const cache = path.join(os.tmpdir(), `gradelang-promptfoo-${PROMPTFOO_VERSION}-node${process.versions.node}`);
const promptfooBin = path.join(cache, "node_modules/promptfoo/dist/src/entrypoint.js");
const gradeBin = path.join(root, "bin/grade.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A child process, awaited (the model server answers in this process meanwhile). */
function run(command: string, args: readonly string[], options: { cwd: string; env?: Record<string, string | undefined>; timeout?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, PATH: `${nodeDir}${path.delimiter}${process.env["PATH"] ?? ""}`, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(command, args, { cwd: options.cwd, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeout ?? 180_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** promptfoo installed in the cache (once; a concurrent or killed install leaves no half tree behind). */
function ensurePromptfoo(): { ok: true } | { ok: false; reason: string } {
  const installed = (): boolean => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(cache, "node_modules/promptfoo/package.json"), "utf8")) as { version: string }).version === PROMPTFOO_VERSION;
    } catch {
      return false;
    }
  };
  if (installed() && fs.existsSync(path.join(cache, "installed"))) return { ok: true };
  const staging = `${cache}.staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(path.join(staging, "package.json"), JSON.stringify({ name: "promptfoo-scratch", private: true }));
  // npm under the pinned Node 24 (its shebang finds `node` on PATH), as a user's project with node@24 runs it.
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=warn", `promptfoo@${PROMPTFOO_VERSION}`], {
    cwd: staging,
    env: { ...process.env, PATH: `${nodeDir}${path.delimiter}${process.env["PATH"] ?? ""}` },
    encoding: "utf8",
    timeout: 900_000,
  });
  fs.writeFileSync(path.join(staging, "install.log"), `${result.stdout ?? ""}${result.stderr ?? ""}`);
  if (result.status !== 0) {
    const tail = `${result.stderr ?? ""}${result.error?.message ?? ""}`.trim().split("\n").slice(-3).join(" | ");
    fs.rmSync(staging, { recursive: true, force: true });
    return { ok: false, reason: `npm install promptfoo@${PROMPTFOO_VERSION} failed (offline?): ${tail}` };
  }
  fs.writeFileSync(path.join(staging, "installed"), new Date().toISOString());
  fs.rmSync(cache, { recursive: true, force: true });
  try {
    fs.renameSync(staging, cache);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another run installed it meanwhile
  }
  return installed() ? { ok: true } : { ok: false, reason: "the promptfoo install left no package.json" };
}

let available: { ok: true } | { ok: false; reason: string } = { ok: false, reason: "not installed yet" };
let project: string;
let models: FakeModelServer;

/** Skips the test when promptfoo is not installed, or fails in CI (GRADE_REQUIRE_PROMPTFOO=1). */
function needPromptfoo(ctx: TestContext): void {
  if (available.ok) return;
  if (process.env["GRADE_REQUIRE_PROMPTFOO"] === "1") throw new Error(`promptfoo is required here: ${available.reason}`);
  ctx.skip(`promptfoo is not available: ${available.reason}`);
}

/** A deterministic model: the score and the label depend on the request's text only. */
function scripted(request: ModelRequest): JsonReply {
  const body = request.body ?? {};
  if (request.path === "/v1/embeddings") {
    const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input];
    return {
      status: 200,
      body: { object: "list", model: body.model, data: inputs.map((text, index) => ({ object: "embedding", index, embedding: letterVector(String(text)) })), usage: { prompt_tokens: 8, total_tokens: 8 } },
    };
  }
  let hash = 7;
  for (const c of JSON.stringify(body.messages ?? body.input ?? "")) hash = (hash * 31 + c.charCodeAt(0)) % 1_000_003;
  const schema = body.response_format?.json_schema?.schema;
  const labels: string[] | undefined = schema?.properties?.result?.enum;
  const result = labels ? labels[hash % labels.length] : (hash % 101) / 10;
  return chatReply({ steps: [{ description: "read the reply", conclusion: "scored" }], result }, { model: body.model });
}

const promptfooEnv = (): Record<string, string> => ({
  PROMPTFOO_CONFIG_DIR: path.join(project, ".promptfoo"),
  PROMPTFOO_DISABLE_TELEMETRY: "1",
  PROMPTFOO_DISABLE_UPDATE: "1",
  PROMPTFOO_DISABLE_SHARING: "1",
  GRADE_MODEL_BASE_URL: models.baseUrl,
});

interface PromptfooRow {
  testCase: { description?: string; vars?: Record<string, unknown> };
  score: number;
  success: boolean;
  error?: string | null;
  gradingResult: { componentResults: { pass: boolean; score: number; reason: string; assertion?: { config?: { grader?: string } } }[] };
}

async function promptfooEval(config: string): Promise<PromptfooRow[]> {
  const out = `${path.basename(config, ".yaml")}.results.json`;
  const result = await run(process.execPath, [promptfooBin, "eval", "-c", config, "--no-cache", "-o", out], { cwd: project, env: promptfooEnv() });
  // 100: some test failed (expected: the datasets have failing rows).
  expect([0, 100], `promptfoo eval exited ${result.code}:\n${result.stderr}\n${result.stdout}`).toContain(result.code);
  return (JSON.parse(fs.readFileSync(path.join(project, out), "utf8")) as { results: { results: PromptfooRow[] } }).results.results;
}

interface EvalRow {
  id: string;
  reward: number | null;
  errors?: Record<string, unknown>;
}

async function gradeEval(grader: string, data: string): Promise<Map<string, EvalRow>> {
  const result = await run(process.execPath, [gradeBin, "eval", grader, "--data", data, "--no-progress"], { cwd: project, env: { GRADE_MODEL_BASE_URL: models.baseUrl } });
  expect([0, 1], result.stderr).toContain(result.code);
  const rows = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as EvalRow);
  return new Map(rows.filter((r) => r.reward !== null).map((r) => [r.id, r]));
}

async function gradePromptfoo(args: readonly string[]): Promise<Run> {
  return run(process.execPath, [gradeBin, "promptfoo", ...args], { cwd: project });
}

beforeAll(async () => {
  available = ensurePromptfoo();
  project = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-promptfoo-project-"));
  fs.cpSync(path.join(root, "examples/graders"), path.join(project, "graders"), { recursive: true });
  fs.cpSync(path.join(root, "examples/data"), path.join(project, "data"), { recursive: true });
  // The project's install of gradelang: this clone (its dist/ is built by `npm test`'s pretest).
  fs.mkdirSync(path.join(project, "node_modules"));
  fs.symlinkSync(root, path.join(project, "node_modules/gradelang"), "dir");
  models = (await FakeModelServer.start()).always(scripted);
}, 1_000_000);

afterAll(async () => {
  await models?.close();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("the real promptfoo", { timeout: 300_000 }, () => {
  it(`promptfoo ${PROMPTFOO_VERSION} installs and runs under the pinned Node ${process.versions.node}`, async (ctx) => {
    needPromptfoo(ctx);
    expect(process.versions.node.split(".")[0]).toBe("24");
    const log = fs.readFileSync(path.join(cache, "install.log"), "utf8");
    expect(log).not.toMatch(/EBADENGINE|Unsupported engine/);
    const version = await run(process.execPath, [promptfooBin, "--version"], { cwd: project, env: promptfooEnv() });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(PROMPTFOO_VERSION);
  });

  /** Every example grader with a dataset; `pass` is what the grader's own rule says of the reward. */
  const examples: { grader: string; data: string; pass: (reward: number) => boolean }[] = [
    { grader: "contains-city", data: "cities", pass: (r) => r === 1 },
    { grader: "summary-rouge", data: "summaries", pass: (r) => r > 0 },
    { grader: "json-valid", data: "json-outputs", pass: (r) => r > 0 },
    { grader: "clinical-phrase", data: "clinical-notes", pass: (r) => r > 0 },
    { grader: "support-reply", data: "support-replies", pass: (r) => r > 0 },
    { grader: "answer-similarity-evals", data: "answers", pass: (r) => r >= 0.85 },
  ];

  it.for(examples)("$grader over the rows of $data: promptfoo's scores are grade eval's rewards", async ({ grader, data, pass }, ctx) => {
    needPromptfoo(ctx);
    const config = `${grader}.yaml`;
    const written = await gradePromptfoo([`graders/${grader}.grade`, "--data", `data/${data}.jsonl`, "--skip-bad-rows", "-o", config]);
    expect(written.code, written.stderr).toBe(0);
    const rewards = await gradeEval(`graders/${grader}.grade`, `data/${data}.jsonl`);
    const rows = await promptfooEval(config);

    expect(rows.map((r) => r.testCase.description).sort()).toEqual([...rewards.keys()].sort());
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      const expected = rewards.get(row.testCase.description!)!;
      const flags = Object.entries(expected.errors ?? {}).filter(([k, v]) => v === true && !/_(details|type)$/.test(k)).map(([k]) => k);
      expect(row.gradingResult.componentResults[0]!.assertion?.config?.grader).toBe(`graders/${grader}.grade`);
      expect({ id: row.testCase.description, score: row.score }).toEqual({ id: row.testCase.description, score: expected.reward });
      expect(row.success, `${row.testCase.description}: ${row.gradingResult.componentResults[0]!.reason}`).toBe(flags.length === 0 && pass(expected.reward!));
      for (const flag of flags) expect(row.gradingResult.componentResults[0]!.reason).toContain(flag);
    }
    if (grader === "support-reply") {
      // One component per sub-grader after the assertion's own (promptfoo flattens them), with the sub-rewards.
      const row = rows[0]!;
      expect(row.gradingResult.componentResults.slice(1).map((c) => c.reason.split(":")[0])).toEqual(["tone", "ticket", "helpful"]);
      // A model grader's explanation: its label, its reasoning steps.
      expect(row.gradingResult.componentResults[1]!.reason).toMatch(/\nthe model: label "(warm|neutral|curt)"; read the reply: scored$/);
      expect(row.gradingResult.componentResults[3]!.reason).toMatch(/\nthe model: read the reply: scored$/);
      expect(models.requests.length).toBeGreaterThan(0);
    }
  });

  it("bad input is a failed assertion with a clear reason, never a silent 0", async (ctx) => {
    needPromptfoo(ctx);
    fs.writeFileSync(path.join(project, "graders/broken.grade"), 'string_check "exact" {\n  input: sample.output_text\n  reference: item.answer\n  operation: equals\n}\n');
    const assertOf = (extra: string) => `      - type: javascript\n        value: file://node_modules/gradelang/promptfoo.js:grader\n        config: { ${extra} }\n`;
    fs.writeFileSync(
      path.join(project, "bad.yaml"),
      `prompts: ["{{output}}"]\nproviders: [echo]\ntests:\n` +
        `  - description: errors\n    vars: { output: Paris, answer: Paris }\n    assert:\n${assertOf("grader: graders/broken.grade")}` +
        `  - description: missing\n    vars: { output: Paris }\n    assert:\n${assertOf("grader: graders/nowhere.grade")}` +
        `  - description: no-var\n    vars: { output: Paris, town: Paris }\n    assert:\n${assertOf("grader: graders/contains-city.grade, omitVars: [output]")}` +
        `  - description: bad-key\n    vars: { output: Paris, city: Paris }\n    assert:\n${assertOf("grader: graders/contains-city.grade, treshold: 1")}` +
        `  - description: threshold\n    vars: { output: In Paris, city: paris }\n    assert:\n      - type: javascript\n        value: file://node_modules/gradelang/promptfoo.js:grader\n        threshold: 2\n        config: { grader: graders/contains-city.grade }\n` +
        `  - description: package-form\n    vars: { output: In Paris, city: paris }\n    assert:\n      - type: javascript\n        value: package:gradelang/promptfoo:grader\n        config: { grader: graders/contains-city.grade }\n`,
    );
    const rows = new Map((await promptfooEval("bad.yaml")).map((r) => [r.testCase.description, r]));
    const reason = (id: string) => rows.get(id)!.gradingResult.componentResults[0]!.reason;
    for (const id of ["errors", "missing", "no-var", "bad-key"]) {
      expect(rows.get(id)!.success, id).toBe(false);
      expect(rows.get(id)!.score, id).toBe(0);
    }
    expect(reason("errors")).toMatch(/^gradelang: `graders\/broken\.grade` has 1 error; nothing was graded .*\ngraders\/broken\.grade:4:14: error\[invalid-enum\]: /);
    expect(reason("missing")).toBe(`gradelang: cannot read grader \`graders/nowhere.grade\`: no such file (relative paths are read from the directory promptfoo runs in, ${project})`);
    expect(reason("no-var")).toBe(
      '"mentions the city" string_check (graders/contains-city.grade): reward 0, failed: invalid_variable_error: variable `item.city` in `reference` not found',
    );
    expect(reason("bad-key")).toMatch(/^gradelang: unknown key `treshold` in the assertion's config \(known: grader, threshold, /);
    // promptfoo's own `threshold` on the assertion is the pass rule (promptfoo applies it to numbers only).
    expect(rows.get("threshold")!.success).toBe(false);
    expect(reason("threshold")).toMatch(/reward 1, failed: below the assertion's threshold 2$/);
    expect(rows.get("package-form")!.success).toBe(true);
    expect(rows.get("package-form")!.score).toBe(1);
  });

  it("docs/promptfoo.md's migration runs as written: Evals criteria → grade decompile → grade promptfoo → promptfoo eval", async (ctx) => {
    needPromptfoo(ctx);
    const doc = fs.readFileSync(path.join(root, "docs/promptfoo.md"), "utf8");
    const block = /<!-- tested by test\/promptfoo\/real-promptfoo\.test\.ts[^>]*-->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    // The install line installs what the scratch project already has: gradelang (this clone) and promptfoo (the cache).
    const script = block!.split("\n").filter((line) => !line.startsWith("npm install ")).join("\n");
    expect(script.split("\n").length).toBe(block!.split("\n").length - 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gradelang-promptfoo-doc-"));
    try {
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "migration", private: true }));
      fs.mkdirSync(path.join(dir, "node_modules/.bin"), { recursive: true });
      fs.symlinkSync(root, path.join(dir, "node_modules/gradelang"), "dir");
      fs.symlinkSync(path.join(cache, "node_modules/promptfoo"), path.join(dir, "node_modules/promptfoo"), "dir");
      fs.symlinkSync("../gradelang/bin/grade.js", path.join(dir, "node_modules/.bin/grade"));
      fs.symlinkSync("../promptfoo/dist/src/entrypoint.js", path.join(dir, "node_modules/.bin/promptfoo"));
      const result = await run("bash", ["-euo", "pipefail", "-c", script], { cwd: dir, env: promptfooEnv(), timeout: 300_000 });
      expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
      const config = fs.readFileSync(path.join(dir, "promptfooconfig.yaml"), "utf8");
      expect(config).toContain("value: file://node_modules/gradelang/promptfoo.js:grader");
      expect(config).toContain("grader: graders/city.grade");
      expect(fs.readFileSync(path.join(dir, "graders/note.grade"), "utf8")).toMatch(/^\/\/ @target evals/);

      const rows = (JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as { results: { results: PromptfooRow[] } }).results.results;
      const evalRows = result.stdout.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as EvalRow);
      expect(rows.map((r) => r.testCase.description).sort()).toEqual(["trip-1", "trip-2", "trip-3"]);
      for (const row of rows) {
        const note = row.gradingResult.componentResults.find((c) => c.assertion?.config?.grader === "graders/note.grade")!;
        expect(note.score).toBe(evalRows.find((e) => e.id === row.testCase.description)!.reward);
      }
      expect(rows.find((r) => r.testCase.description === "trip-3")!.success).toBe(false);
      expect(rows.find((r) => r.testCase.description === "trip-1")!.success).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
