import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launch } from "../helpers/browser.js";
import { grade, root } from "../helpers/cli.js";
import { madeUpRows, writeResults } from "./fixtures.js";

/*
 * The report pages in a real Chromium (Debian's, through playwright-core), opened from file://:
 * no console error, no request but the file itself, the right figures, filtering, sorting, a
 * row's detail, the comparison's changed rows. The screenshots in docs/img/ are made here.
 */

if (!hasChromium && process.env["CI"]) throw new Error("Chromium is missing (/usr/bin/chromium): .ci/run installs the Debian package `chromium`");
if (!hasChromium) console.warn("Chromium not found at /usr/bin/chromium: skipping the report page tests (apt-get install chromium)");

const N = 500;
let dir: string;
let runHtml: string;
let diffHtml: string;
let agreeHtml: string;
let rows: Record<string, unknown>[];
let diffFigures: { changed: number; largest_changes: { row: number; delta: number }[] };
let browser: { context: BrowserContext; close: () => Promise<void> };

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
}

async function open(file: string): Promise<Opened> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`file://${file}`);
  await page.waitForSelector("html[data-ready]", { timeout: 15_000 });
  return { page, errors, requests };
}

/** The page's document, typed for the little the tests read (no DOM library in this project's types). */
interface PageDocument {
  querySelector(selector: string): { textContent: string | null } | null;
}

/** Waits until the row counter shows `text` (the filters wait 120 ms for the typing to stop). */
const waitForCount = (page: Page, text: string) =>
  page.waitForFunction((want) => (globalThis as unknown as { document: PageDocument }).document.querySelector("#row-count")?.textContent === want, text);

const visibleRows = (page: Page) => page.$$eval(".grid .r", (els) => els.map((el) => [...el.children].map((c) => c.textContent ?? "")));

describe.skipIf(!hasChromium)("grade report pages in Chromium", () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-report-"));
    rows = madeUpRows(N, 11);
    // The dataset the rows came from: its sha256 in the header, so the page shows item and sample.
    const data = path.join(dir, "rows.jsonl");
    const lines = rows.map((r) => JSON.stringify({ id: r["id"], item: { question: `question ${String(r["row"])}`, answer: `answer ${String(r["row"])}` }, sample: `the model said ${String(r["row"])}` }));
    fs.writeFileSync(data, lines.join("\n") + "\n");
    const sha256 = createHash("sha256").update(fs.readFileSync(data)).digest("hex");
    const a = writeResults(path.join(dir, "a.jsonl"), rows, { file: data, sha256 });
    const b = writeResults(path.join(dir, "b.jsonl"), madeUpRows(N, 11, 0.1), { file: data, sha256 });
    runHtml = path.join(dir, "report.html");
    diffHtml = path.join(dir, "diff.html");
    agreeHtml = path.join(dir, "agreement.html");
    for (const run of [
      grade(["report", a, "-o", runHtml, "--title", "grade report: made-up run"]),
      grade(["report", a, b, "-o", diffHtml, "--title", "grade report: A versus B"]),
      grade(["report", "examples/agreement/judge-results.jsonl", "-l", "examples/agreement/human.jsonl", "-o", agreeHtml]),
    ]) {
      expect(run.stderr).toMatch(/^grade report: wrote /);
      expect(run.code).toBe(0);
    }
    diffFigures = JSON.parse(grade(["report", a, b, "--json"]).stdout);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the run's page opens from file:// with no console error and no request but the file", async () => {
    const { page, errors, requests } = await open(runHtml);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${runHtml}`]);
    await page.screenshot({ path: path.join(root, "docs/img/report-run.png"), fullPage: true });
    await page.close();
  });

  it("shows the row count and the mean", async () => {
    const { page } = await open(runHtml);
    const rewards = rows.map((r) => r["reward"]).filter((r): r is number => typeof r === "number");
    const mean = rewards.reduce((s, v) => s + v, 0) / rewards.length;
    expect(await page.textContent("#row-count")).toBe(`${N} of ${N} rows`);
    expect(await page.textContent(".card .v.mean")).toBe(String(Number(mean.toFixed(3))));
    await page.close();
  });

  it("filtering by an error flag and by text changes the visible rows", async () => {
    const { page } = await open(runHtml);
    const flagged = rows.filter((r) => (r["errors"] as Record<string, unknown> | undefined)?.["python_grader_runtime_error"] === true);
    await page.selectOption("#flag-filter", { label: "python_grader_runtime_error" });
    expect(await page.textContent("#row-count")).toBe(`${flagged.length} of ${N} rows`);
    const shown = await visibleRows(page);
    expect(shown.length).toBeGreaterThan(0);
    for (const cells of shown) expect(cells.join(" ")).toContain("python_grader_runtime_error");
    expect(shown[0]![0]).toBe(String(flagged[0]!["row"]));

    await page.selectOption("#flag-filter", "malformed");
    expect(await page.textContent("#row-count")).toBe(`${rows.filter((r) => r["error_kind"] === "malformed").length} of ${N} rows`);
    await page.selectOption("#flag-filter", "all");
    await page.fill("#search", "q-000042");
    await waitForCount(page, "1 of 500 rows");
    expect((await visibleRows(page))[0]![1]).toBe("q-000042");
    await page.fill("#search", "");
    await page.fill("#min-reward", "0.8");
    const high = rows.filter((r) => typeof r["reward"] === "number" && (r["reward"] as number) >= 0.8).length;
    expect(high).toBeGreaterThan(0);
    await waitForCount(page, `${high} of ${N} rows`);
    for (const cells of await visibleRows(page)) expect(Number(cells[2])).toBeGreaterThanOrEqual(0.8);
    await page.close();
  });

  it("sorting by reward changes the visible rows (descending, then ascending)", async () => {
    const { page } = await open(runHtml);
    const rewards = rows.map((r) => r["reward"]).filter((r): r is number => typeof r === "number");
    const before = await visibleRows(page);
    await page.click('.grid .head button[data-key="reward"]');
    const down = await visibleRows(page);
    expect(down).not.toEqual(before);
    expect(await page.getAttribute('.grid .head button[data-key="reward"]', "aria-sort")).toBe("descending");
    expect(Number(down[0]![2])).toBe(Math.max(...rewards));
    await page.click('.grid .head button[data-key="reward"]');
    const up = await visibleRows(page);
    expect(Number(up[0]![2])).toBe(Math.min(...rewards));
    await page.close();
  });

  it("a row's detail opens from the keyboard and by click, and Escape closes it", async () => {
    const { page } = await open(runHtml);
    await page.focus(".grid .body");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    expect(await page.isVisible("#detail")).toBe(true);
    expect(await page.textContent("#detail-title")).toBe("Row 2 — q-000002");
    expect(await page.textContent("#detail-body")).toContain("the model said 2");
    await page.keyboard.press("Escape");
    expect(await page.isVisible("#detail")).toBe(false);
    // Scrolled into view first: a scroll draws the rows anew (only the rows in view are in the page).
    await page.$eval(".grid .body", (el) => (el.scrollTop = 22 * 30));
    await page.click('.grid .r[aria-rowindex="23"]');
    expect(await page.textContent("#detail-title")).toBe("Row 23 — q-000023");
    expect(await page.textContent("#detail-body")).toContain("ZeroDivisionError: division by zero");
    await page.screenshot({ path: path.join(root, "docs/img/report-detail.png") });
    await page.close();
  });

  it("the comparison page shows the changed rows, largest |Δ| first", async () => {
    const { page, errors, requests } = await open(diffHtml);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${diffHtml}`]);
    expect(await page.textContent("#row-count")).toMatch(new RegExp(`^${diffFigures.changed} of \\d+ rows$`));
    const shown = await visibleRows(page);
    const largest = diffFigures.largest_changes[0]!;
    expect(shown[0]![0]).toBe(String(largest.row));
    expect(await page.textContent(".card .v.changed")).toBe(String(diffFigures.changed));
    await page.screenshot({ path: path.join(root, "docs/img/report-diff.png"), fullPage: true });
    await page.close();
  });

  it("the agreement section, in dark mode", async () => {
    const dark = await launch({ colorScheme: "dark" });
    try {
      const page = await dark.context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`file://${agreeHtml}`);
      await page.waitForSelector("html[data-ready]");
      expect(errors).toEqual([]);
      expect(await page.textContent("#agreement")).toContain("Pearson r0.758");
      const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
      expect(background).toBe("rgb(13, 17, 23)");
      await page.screenshot({ path: path.join(root, "docs/img/report-agreement.png"), fullPage: true });
    } finally {
      await dark.close();
    }
  });
});
