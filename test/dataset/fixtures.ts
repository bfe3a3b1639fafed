import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A temporary directory holding `files` (text or bytes); returns its path. */
export function project(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-dataset-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** JSONL text: one JSON object a line, newline-terminated. */
export function jsonl(rows: readonly unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/** A score_model grader whose user message holds `text` (templates and all). */
export function grader(text: string, declarations = ""): string {
  return `${declarations}${declarations ? "\n" : ""}score_model "s" {\n  model: "gpt-4o-2024-08-06"\n  user "${text}"\n}\n`;
}
