import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { grade } from "../helpers/cli.js";
import { project } from "./fixtures.js";

/*
 * The dataset is streamed: checking a ~60 MB file succeeds with a 64 MB JavaScript heap, where
 * reading it whole and keeping its rows does not.
 */

const GRADER = `item { question: string, score: integer, tags: [string], reference_answer?: string, meta: { source: string, id: integer } }

score_model "closeness" {
  model: "gpt-4o-2024-08-06"
  user "Q: {{item.question}} A: {{sample.output_text}} Ref: {{item.reference_answer}} {{item.meta.source}} {{item.tags[0]}}"
}
`;

/** Writes about `bytes` of JSONL; every 10,000th row lacks `reference_answer`. Returns the row count. */
function writeDataset(file: string, bytes: number): number {
  const fd = fs.openSync(file, "w");
  let written = 0;
  let n = 0;
  try {
    while (written < bytes) {
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++, n++) {
        const row: Record<string, unknown> = {
          question: `What is ${n} plus ${n + 1}? Explain the steps you took, briefly and clearly.`,
          score: n % 5,
          tags: ["arithmetic", `batch-${n % 97}`],
          meta: { source: "synthetic", id: n },
        };
        if (n % 10_000 !== 9) row["reference_answer"] = `The answer is ${2 * n + 1}, because adding one more to ${n} twice gives it.`;
        lines.push(JSON.stringify(row));
      }
      const chunk = lines.join("\n") + "\n";
      fs.writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
    }
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

describe("memory", () => {
  it("checks a ~60 MB dataset with a 64 MB heap (the file is streamed)", () => {
    const dir = project({ "grader.grade": GRADER });
    const data = path.join(dir, "data.jsonl");
    const rows = writeDataset(data, 60 * 1024 * 1024);
    expect(fs.statSync(data).size).toBeGreaterThan(60 * 1024 * 1024);
    try {
      const run = grade(["check", "grader.grade", "--items", "data.jsonl"], { cwd: dir, env: { NODE_OPTIONS: "--max-old-space-size=64" }, timeout: 120_000 });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(1);
      const lacking = Math.floor((rows - 10) / 10_000) + 1;
      expect(run.stdout).toContain(
        `\`item.reference_answer\` is missing in ${lacking.toLocaleString("en-US")} of ${rows.toLocaleString("en-US")} rows, first at line 10`,
      );
      expect(run.stdout).toContain("✖ 1 error, 0 warnings in 1 file");

      // The control: keeping the rows does not fit in the same heap.
      const whole = spawnSync(
        process.execPath,
        ["--max-old-space-size=64", "-e", `const rows = require("fs").readFileSync(${JSON.stringify(data)}, "utf8").split("\\n").filter(Boolean).map((l) => JSON.parse(l)); console.log(rows.length)`],
        { encoding: "utf8", timeout: 120_000 },
      );
      expect(whole.status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
