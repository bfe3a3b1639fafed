#!/usr/bin/env node
/*
 * Writes grammar/diagrams.html, the railroad diagrams of the parser's rules.
 * Run after the build: `npm run build && node scripts/diagrams.js`.
 * With `--check`, writes nothing and exits 1 when the file on disk is out of date.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GradeParser } from "../dist/syntax/parser.js";
import { diagramsHtml } from "./diagrams-lib.js";

const target = fileURLToPath(new URL("../grammar/diagrams.html", import.meta.url));
const html = diagramsHtml(new GradeParser().getSerializedGastProductions());

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing: out of date
  }
  if (current !== html) {
    console.error("grammar/diagrams.html is out of date: run `npm run build && node scripts/diagrams.js`");
    process.exit(1);
  }
  console.log("grammar/diagrams.html is up to date");
} else {
  writeFileSync(target, html);
  console.log(`wrote ${target}`);
}
