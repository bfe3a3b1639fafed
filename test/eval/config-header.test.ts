// The results of one `grade eval` file mean one configuration (issue 14, item 3): the header
// records the settings that change rewards, and a resume with other ones is refused.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { grade } from "../helpers/cli.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-eval-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const grader = "examples/graders/contains-city.grade";
const data = "examples/data/cities.jsonl";
const evalWith = (out: string, ...flags: string[]) => grade(["eval", grader, "--data", data, "-o", out, ...flags]);

describe("grade eval: the engine configuration in the results header", () => {
  it("records the model server (no credentials), API, model map and python; never a key", () => {
    const out = path.join(tmp, "a.jsonl");
    evalWith(out, "--model-base-url", "http://user:hunter22@127.0.0.1:9/v1", "--model", "gpt-4o=llama3", "--model-api-key", "sk-test-not-a-real-key-123");
    const text = fs.readFileSync(out, "utf8");
    const header = JSON.parse(text.split("\n")[0]!) as { config: unknown };
    expect(header.config).toEqual({ model_base_url: "http://127.0.0.1:9/v1", model_api: "chat", model_map: { "gpt-4o": "llama3" }, python: null });
    expect(text).not.toContain("hunter22");
    expect(text).not.toContain("sk-test-not-a-real-key-123");
  });

  it("refuses a resume with other settings, saying what differs; the same settings resume", () => {
    const out = path.join(tmp, "b.jsonl");
    evalWith(out, "--model-base-url", "http://127.0.0.1:9/v1", "--model", "gpt-4o=llama3");
    const before = fs.readFileSync(out, "utf8");
    const other = evalWith(out, "--model-base-url", "http://127.0.0.1:8/v1");
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(
      "was graded with other settings (--model-base-url: `http://127.0.0.1:9/v1` then, `http://127.0.0.1:8/v1` now; --model: gpt-4o=llama3 then, no map now): resume it with the same settings",
    );
    expect(fs.readFileSync(out, "utf8")).toBe(before);
    const python = evalWith(out, "--model-base-url", "http://127.0.0.1:9/v1", "--model", "gpt-4o=llama3", "--python", "/usr/bin/python3");
    expect(python.stderr).toContain("--python: not set then, `/usr/bin/python3` now");
    const same = evalWith(out, "--model-base-url", "http://127.0.0.1:9/v1", "--model", "gpt-4o=llama3");
    expect(same.code, same.stderr).not.toBe(2);
    expect(same.stderr).toContain("grade eval: resuming: 12 of 12 rows are in");
  });

  it("resumes a file written before the header had a configuration", () => {
    const out = path.join(tmp, "c.jsonl");
    evalWith(out);
    const [head, ...rest] = fs.readFileSync(out, "utf8").split("\n");
    const { config: _dropped, ...old } = JSON.parse(head!) as Record<string, unknown>;
    fs.writeFileSync(out, [JSON.stringify(old), ...rest].join("\n"));
    const resumed = evalWith(out, "--python", "/usr/bin/python3");
    expect(resumed.code, resumed.stderr).not.toBe(2);
  });
});
