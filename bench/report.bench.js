// `grade report` at 100,000 rows: the page must be under 30 MB and interactive in Chromium within
// 2 s (the budget; median of 5 openings). "Interactive" is measured from the navigation's
// start until the page has drawn (html[data-ready]) and a click on the reward column has sorted
// the 100,000 rows (aria-sort set). The results are real: `grade eval` of contains-city.grade on
// generated rows (item and sample joined into the page). Beside it, the same file with the page's
// script taken out (HTML and the embedded JSON parsed, nothing drawn), measured in the same run,
// shows how much of the time is the app's. Debian's Chromium through playwright-core.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { median } from "./stats.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ROWS = 100_000;
const BUDGET_MS = 2000;
const SIZE_MB = 30;
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export async function run() {
  if (!existsSync("/usr/bin/chromium")) throw new Error("report.bench needs Debian's chromium (apt-get install chromium)");
  const dir = mkdtempSync(join(tmpdir(), "grade-report-bench-"));
  try {
    const data = join(dir, "rows.jsonl");
    const lines = [];
    for (let n = 1; n <= ROWS; n++) {
      lines.push(JSON.stringify({ id: `trip-${n}`, item: { city: n % 4 ? "Paris" : "Lyon", day: n % 7 }, sample: n % 50 === 0 ? { output_text: `Row ${n}` } : `Row ${n}: we land in PARIS at noon and take the train onwards.` }));
    }
    writeFileSync(data, lines.join("\n") + "\n");
    const results = join(dir, "results.jsonl");
    const bin = join(root, "bin/grade.js");
    const evalRun = spawnSync(process.execPath, [bin, "eval", join(root, "examples/graders/contains-city.grade"), "--data", data, "-o", results, "--no-progress"], { encoding: "utf8" });
    if (![0, 1].includes(evalRun.status)) throw new Error(`grade eval: ${evalRun.stderr}`);
    const html = join(dir, "report.html");
    const started = performance.now();
    const report = spawnSync(process.execPath, [bin, "report", results, "-o", html, "--data", data], { encoding: "utf8" });
    const writeMs = performance.now() - started;
    if (report.status !== 0) throw new Error(`grade report: ${report.stderr}`);
    const bytes = statSync(html).size;
    // The baseline page: the same bytes but the page's own script (HTML, CSS, uPlot and the data still parsed).
    const text = readFileSync(html, "utf8");
    const appAt = text.lastIndexOf("<script>");
    const bare = join(dir, "bare.html");
    writeFileSync(bare, `${text.slice(0, appAt)}<script>document.documentElement.dataset.ready = "1"; JSON.parse(document.getElementById("report-data").textContent);</script></body></html>`);

    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ARGS });
    const times = [];
    const bareTimes = [];
    try {
      for (let round = 0; round < 5; round++) {
        for (const [file, into, sort] of [[html, times, true], [bare, bareTimes, false]]) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
          const page = await context.newPage();
          const t0 = performance.now();
          await page.goto(`file://${file}`);
          await page.waitForSelector("html[data-ready]", { timeout: 30_000 });
          if (sort) {
            await page.click('.grid .head button[data-key="reward"]');
            await page.waitForSelector('.grid .head button[data-key="reward"][aria-sort="descending"]');
            const count = await page.textContent("#row-count");
            if (count !== `${ROWS.toLocaleString("en")} of ${ROWS.toLocaleString("en")} rows`) throw new Error(`the page shows ${count}`);
          }
          into.push(performance.now() - t0);
          await context.close();
        }
      }
    } finally {
      await browser.close();
    }
    const ms = median(times);
    const bareMs = median(bareTimes);
    return [
      { name: `100,000-row report interactive (ms / ${BUDGET_MS} ms budget)`, ratio: ms / BUDGET_MS, target: 1, detail: `median ${ms.toFixed(0)} ms of 5 (${times.map((t) => t.toFixed(0)).join(", ")}); page without its script ${bareMs.toFixed(0)} ms (app ${(ms / bareMs).toFixed(2)}×)` },
      { name: `100,000-row report size (MB / ${SIZE_MB} MB)`, ratio: bytes / 1024 / 1024 / SIZE_MB, target: 1, detail: `${(bytes / 1024 / 1024).toFixed(1)} MB; grade report wrote it in ${writeMs.toFixed(0)} ms` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
