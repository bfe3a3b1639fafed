// Writes src/schema/table.ts, the checker's zod-free view of the grader schemas, from the zod
// schemas themselves (src/schema/derive.ts, compiled to dist/ by tsc). Run by scripts/bundle.js
// after tsc on every build; `--check` only reports whether the committed table is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tableFile = join(root, "src/schema/table.ts");

/** Regenerates the table; true when the committed one was stale (and has been rewritten). */
export async function updateSchemaTable({ check = false } = {}) {
  const { deriveTable, renderTable } = await import(pathToFileURL(join(root, "dist/schema/derive.js")).href);
  const text = renderTable(deriveTable());
  let current = "";
  try {
    current = readFileSync(tableFile, "utf8");
  } catch {
    // not generated yet
  }
  if (current === text) return false;
  if (!check) writeFileSync(tableFile, text);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes("--check");
  const stale = await updateSchemaTable({ check });
  if (stale) console.log(check ? "src/schema/table.ts is stale: run `npm run build`" : "src/schema/table.ts regenerated");
  process.exitCode = check && stale ? 1 : 0;
}
