import * as fs from "node:fs";
import { seededRandom } from "../../src/report/stats.js";

/** A results file of grade eval, made up: the header, then the rows. */
export function writeResults(file: string, rows: readonly Record<string, unknown>[], data: { sha256?: string; file?: string; rows?: number } = {}): string {
  const header = {
    grade_eval: 1,
    grader: { file: "graders/made-up.grade", sha256: "a".repeat(64) },
    data: { file: data.file ?? "rows.jsonl", sha256: data.sha256 ?? "d".repeat(64), bytes: 1000, rows: data.rows ?? rows.length },
    engine: "local",
  };
  fs.writeFileSync(file, [header, ...rows].map((r) => JSON.stringify(r)).join("\n") + "\n");
  return file;
}

/** n rows with ids, rewards in 0..1 from a seeded generator, some error flags and failures, two sub-graders. */
export function madeUpRows(n: number, seed: number, shift = 0): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const rows: Record<string, unknown>[] = [];
  for (let row = 1; row <= n; row++) {
    const id = `q-${String(row).padStart(6, "0")}`;
    if (row % 97 === 0) {
      rows.push({ row, id, reward: null, error: "not valid JSON (unexpected `}`)", error_kind: "malformed" });
      continue;
    }
    const exact = random() < 0.6 + shift ? 1 : 0;
    const similar = Math.round(Math.min(1, Math.max(0, random() * 0.8 + shift)) * 1000) / 1000;
    const flagged = row % 23 === 0;
    rows.push({
      row,
      id,
      reward: flagged ? 0 : Math.round((0.5 * exact + 0.5 * similar) * 1000) / 1000,
      errors: flagged ? { python_grader_runtime_error: true, python_grader_runtime_error_details: "ZeroDivisionError: division by zero" } : {},
      sub_rewards: { exact, similar },
      execution_time: Math.round(random() * 1e4) / 1e6,
    });
  }
  return rows;
}
