import { createRequire } from "node:module";
import type { ParseResult } from "./parse.js";

/*
 * The chevrotain parser (src/syntax/full-parse.ts), loaded only for text the fast path gives up
 * on (a syntax error, mostly): chevrotain and its grammar analysis take longer to load and set
 * up than checking a small file takes.
 */

type FullParse = (text: string) => ParseResult;

// Kept on globalThis: in the bundle, full-parse.js is a file of its own with its own copy of
// this module, and registers into the same place as the command that required it.
const KEY = Symbol.for("gradelang.fullParser");
const registry = globalThis as { [KEY]?: FullParse };

/** Called by full-parse.ts as it loads. */
export function provideFullParser(parse: FullParse): void {
  registry[KEY] ??= parse;
}

/**
 * The full parser, loaded synchronously when nothing has loaded it yet (require of an ES module:
 * Node 22.12 and later). full-parse.js sits next to this file both in dist/syntax/ and in the
 * bundle (dist/bundle/full-parse.js, an entry point of its own), and registers itself.
 */
export function fullParser(): FullParse {
  if (!registry[KEY]) createRequire(import.meta.url)("./full-parse.js");
  const full = registry[KEY];
  if (!full) throw new Error("the chevrotain parser did not load");
  return full;
}
