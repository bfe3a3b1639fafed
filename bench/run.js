// `npm run bench`: runs every bench/*.bench.js (after `npm run build`) and prints their tables.
// Absolute times on shared machines are noisy, so each benchmark reports a ratio against a
// baseline measured in the same run.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
let failed = false;
for (const file of readdirSync(here).filter((f) => f.endsWith(".bench.js")).sort()) {
  if (only && !file.includes(only)) continue;
  const { run } = await import(pathToFileURL(join(here, file)).href);
  const rows = await run();
  console.log(`\n${file}`);
  console.table(rows.map((r) => ({ measure: r.name, ratio: r.ratio.toFixed(2), target: r.target ? `<= ${r.target}` : "-", met: r.target ? (r.ratio <= r.target ? "yes" : "NO") : "-", detail: r.detail })));
  if (rows.some((r) => r.target && r.ratio > r.target)) failed = true;
}
process.exitCode = failed ? 1 : 0;
