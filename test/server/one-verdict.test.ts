// One answer to "is this grader valid?": `grade check`, the server's /validate and /run, the
// local engine that `grade run` and `grade eval` use, and the CLI commands themselves, side by
// side on every grader JSON of the fixtures (the reference graders, the spec's valid graders and
// its one-constraint mutants) and the examples (issue 14, item 1).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { globSync } from "tinyglobby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "../../src/api/errors.js";
import { check, compile } from "../../src/compile.js";
import type { JsonObject } from "../../src/emit/emit.js";
import { LocalEngine } from "../../src/engine/local.js";
import { startServer, type RunningServer } from "../../src/server/server.js";
import { grade } from "../helpers/cli.js";
import { postJson, RUN_PATH, VALIDATE_PATH } from "./helpers.js";

const root = path.resolve(import.meta.dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-verdict-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Conformance {
  valid: { id: string; target: string; grader: JsonObject }[];
  mutants: { id: string; target: string; base: string; path: (string | number)[]; op: string; value?: unknown }[];
}
const conformance = JSON.parse(fs.readFileSync(path.join(root, "test/fixtures/spec/conformance.json"), "utf8")) as Conformance;

/** A mutant's grader: its base with the one change applied. */
function mutant(m: Conformance["mutants"][number]): JsonObject {
  const base = structuredClone(conformance.valid.find((v) => v.id === m.base)!.grader) as Record<string, unknown>;
  let at: Record<string | number, unknown> = base;
  for (const key of m.path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  const last = m.path[m.path.length - 1]!;
  if (m.op === "drop") {
    if (Array.isArray(at)) at.splice(Number(last), 1);
    else delete at[last];
  } else at[last] = m.value;
  return base as JsonObject;
}

/** Every grader JSON to judge, rft ones only (the server's routes are the fine-tuning ones). */
const cases: { id: string; grader: JsonObject }[] = [
  ...globSync(["test/fixtures/graders/*.json", "examples/**/*.json"], { cwd: root }).flatMap((file) => {
    const json = JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as JsonObject;
    const grader = (json["grader"] ?? json) as JsonObject;
    return typeof grader === "object" && grader !== null && !Array.isArray(grader) ? [{ id: file, grader }] : [];
  }),
  ...conformance.valid.filter((v) => v.target === "rft").map((v) => ({ id: v.id, grader: v.grader })),
  ...conformance.mutants.filter((m) => m.target === "rft").map((m) => ({ id: m.id, grader: mutant(m) })),
];

/** `grade check`'s verdict for the server's target (rft), as the JSON a client sends. */
const checkSays = (grader: JsonObject): boolean =>
  !check(JSON.stringify(grader, null, 2), { filename: "grader.json", target: "rft" }).diagnostics.some((d) => d.severity === "error");

describe("one verdict: check, the engine, /validate and /run", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, engineOptions: { timeoutMs: 5000 } });
  });
  afterAll(() => server.close());

  it(`has cases: reference graders, examples, spec-valid graders and mutants (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThan(150);
    expect(cases.filter((c) => checkSays(c.grader)).length).toBeGreaterThan(30);
    expect(cases.filter((c) => !checkSays(c.grader)).length).toBeGreaterThan(100);
  });

  it("the local engine (grade run, grade eval) accepts a grader exactly when grade check finds no error", async () => {
    const engine = new LocalEngine();
    const differ: string[] = [];
    for (const c of cases) {
      const accepted = await engine.validate({ grader: c.grader }).then(
        () => true,
        (error: unknown) => {
          if (!(error instanceof EngineError) || error.kind !== "rejected") throw error;
          return false;
        },
      );
      // The engine also runs Evals graders: an rft-only error (the `target` rule) is not its to refuse.
      const evalsOk = !check(JSON.stringify(c.grader, null, 2), { filename: "grader.json", target: "evals" }).diagnostics.some((d) => d.severity === "error");
      if (accepted !== (checkSays(c.grader) || evalsOk)) differ.push(`${c.id}: engine ${accepted ? "accepts" : "refuses"}`);
    }
    await engine.close();
    expect(differ).toEqual([]);
  });

  it("/validate and /run answer 200 exactly when grade check (rft) finds no error; else 400 naming the field", async () => {
    const differ: string[] = [];
    for (const c of cases) {
      const ok = checkSays(c.grader);
      const validate = await postJson(server.url, VALIDATE_PATH, { grader: c.grader });
      const run = await postJson(server.url, RUN_PATH, { grader: c.grader, model_sample: "x", item: {} });
      if ((validate.status === 200) !== ok) differ.push(`${c.id}: /validate ${validate.status}`);
      if (validate.status === 400) {
        const error = (validate.json as { error: { param: string | null; type: string } }).error;
        if (error.type !== "invalid_request_error" || !error.param?.startsWith("grader")) differ.push(`${c.id}: /validate error ${JSON.stringify(error)}`);
      }
      if ((run.status === 400) !== (validate.status === 400)) differ.push(`${c.id}: /run ${run.status}, /validate ${validate.status}`);
    }
    expect(differ).toEqual([]);
  }, 120_000);

  it("the grader of the issue: two errors for check; 400 from the server; grade run and grade eval refuse it with the findings, exit 2", async () => {
    const bad: JsonObject = {
      type: "multi",
      name: "m",
      graders: {
        a: { type: "string_check", name: "a", input: "{{sample.output_text}}", reference: "x", operation: "eq" },
        l: { type: "label_model", name: "l", model: "gpt-4o", input: [{ role: "user", content: "hi" }], labels: ["x", "y"], passing_labels: ["z"] },
      },
      calculate_output: "a + b",
    };
    const file = path.join(tmp, "bad.json");
    fs.writeFileSync(file, JSON.stringify(bad, null, 2));
    expect(check(fs.readFileSync(file, "utf8"), { filename: file }).diagnostics.filter((d) => d.severity === "error").map((d) => d.rule)).toEqual([
      "label-not-in-labels",
      "unknown-grader",
    ]);
    const validate = await postJson(server.url, VALIDATE_PATH, { grader: bad });
    expect(validate.status).toBe(400);
    expect(validate.json).toEqual({
      error: {
        message: "Invalid value for 'grader.graders.l.passing_labels.0': the passing label `z` is not one of `labels`",
        type: "invalid_request_error",
        param: "grader.graders.l.passing_labels.0",
        code: null,
      },
    });
    const run = grade(["run", file, "--sample", "x"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error[label-not-in-labels]: the passing label `z` is not one of `labels`");
    expect(run.stderr).toContain("error[unknown-grader]: `b` is not a key of `graders`; the keys are `a` and `l`");
    expect(run.stderr).toContain("grade: 2 errors in");
    const data = path.join(tmp, "rows.jsonl");
    fs.writeFileSync(data, '{"item": {}, "sample": "x"}\n');
    const evaluated = grade(["eval", file, "--data", data, "-o", path.join(tmp, "out.jsonl")]);
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toContain("nothing was graded");
    expect(fs.existsSync(path.join(tmp, "out.jsonl"))).toBe(false);
    // A valid JSON grader still runs.
    const good = path.join(tmp, "good.json");
    fs.writeFileSync(good, JSON.stringify(compile('string_check "s": sample.output_text eq "x"').grader));
    expect(grade(["run", good, "--sample", "x"]).code).toBe(0);
  });

  it("/health does not count itself in flight", async () => {
    const answer = await fetch(`${server.url}/health`);
    expect(await answer.json()).toMatchObject({ status: "ok", in_flight: 0 });
  });
});
