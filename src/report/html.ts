import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DiffReport, RunReport } from "./build.js";

/*
 * The report page: one HTML file with everything inline — uPlot (MIT, its licence kept in the
 * page), the page's script and style from assets/report/, and the report's data as JSON in a
 * <script type="application/json"> — so it opens from disk, offline. A Content-Security-Policy
 * forbids every fetch (scripts and styles inline only, images from data: URLs only).
 */

const ASSETS = join("assets", "report");

/** assets/report/ of the package: the nearest folder above this module that has it. */
function assetsDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ASSETS, "report.js"))) return join(dir, ASSETS);
    if (dirname(dir) === dir) throw new Error(`the report page's assets (${ASSETS}) are not found above ${start}`);
  }
}

let cached: { js: string; css: string; uplotJs: string; uplotCss: string; uplotLicense: string } | undefined;

function assets() {
  if (cached) return cached;
  const dir = assetsDir();
  const require = createRequire(import.meta.url);
  const uplotJsFile = require.resolve("uplot/dist/uPlot.iife.min.js");
  const uplotRoot = dirname(dirname(uplotJsFile));
  cached = {
    js: readFileSync(join(dir, "report.js"), "utf8"),
    css: readFileSync(join(dir, "report.css"), "utf8"),
    uplotJs: readFileSync(uplotJsFile, "utf8"),
    uplotCss: readFileSync(join(uplotRoot, "dist", "uPlot.min.css"), "utf8"),
    uplotLicense: readFileSync(join(uplotRoot, "LICENSE"), "utf8"),
  };
  return cached;
}

/** JSON safe inside <script>: no `<` (so no `</script>`), no U+2028/2029. */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/** The page for a run or a comparison. */
export function reportHtml(report: RunReport | DiffReport): string {
  const a = assets();
  const comment = (text: string) => text.replace(/\*\//g, "* /");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="gradelang grade report">
<title>${escapeHtml(report.title)}</title>
<style>${a.uplotCss}
${a.css}</style>
</head>
<body>
<header class="top"><h1 id="title">${escapeHtml(report.title)}</h1><button type="button" id="theme">Theme: auto</button></header>
<main></main>
<dialog id="detail" aria-labelledby="detail-title"><header><h2 id="detail-title">Row</h2><button type="button" id="detail-close">Close</button></header><div class="content" id="detail-body"></div></dialog>
<noscript><p>This report needs JavaScript (it is inline: nothing is fetched).</p></noscript>
<script type="application/json" id="report-data">${embedJson(report)}</script>
<script>/*! uPlot, ${comment(a.uplotLicense.trim())} */
${a.uplotJs}</script>
<script>${a.js}</script>
</body>
</html>
`;
}
