import { afterAll, describe, expect, it, vi } from "vitest";

// Record every file-system call that touches the WordNet table, to check the lazy loading.
const { touched } = vi.hoisted(() => ({ touched: [] as string[] }));
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const watch =
    <F extends (...args: never[]) => unknown>(name: string, fn: F): F =>
    ((...args: Parameters<F>) => {
      if (String(args[0]).includes("wordnet-3.0")) touched.push(`${name} ${String(args[0])}`);
      return fn(...args);
    }) as F;
  return { ...fs, readFileSync: watch("readFileSync", fs.readFileSync), existsSync: watch("existsSync", fs.existsSync) };
});

const { meteor } = await import("../../../src/engine/metrics/meteor.js");
const { indexLemmas, meteorSynonyms, resetWordnet, synsetLemmaNames, wordnetStatus } = await import(
  "../../../src/engine/metrics/wordnet.js"
);

afterAll(() => resetWordnet());

describe("WordNet loading", () => {
  it("reads nothing on import, nor for input that needs no synonym lookup", () => {
    expect(touched).toEqual([]);
    expect(wordnetStatus()).toEqual({ loaded: false, file: undefined });
    expect(meteor("", "")).toBe(0);
    expect(meteor("the cat sat", "the cat sat")).toBeGreaterThan(0.9); // exact matches only
    expect(meteor("cats running", "cat runs")).toBeGreaterThan(0); // stems only
    expect(meteor("hello world", "")).toBe(0);
    expect(touched).toEqual([]);
    expect(wordnetStatus().loaded).toBe(false);
  });

  it("reads the table once, on the first synonym lookup, then reuses it", () => {
    expect(meteor("quick", "fast")).toBe(0.5);
    const status = wordnetStatus();
    expect(status.loaded).toBe(true);
    expect(status.file).toMatch(/data[/\\]wordnet-3\.0\.txt$/);
    expect(touched.filter((call) => call.startsWith("readFileSync"))).toHaveLength(1);
    const count = touched.length;
    expect(meteor("quick", "fast")).toBe(0.5);
    expect(meteor("a quick car", "a fast car")).toBeGreaterThan(0.9);
    expect(touched.length).toBe(count);
  });

  it("holds all of WordNet 3.0's index lemmas and synsets", () => {
    // The counts of WordNet 3.0's index files (wc -l less the 29-line license header).
    expect(indexLemmas("n")).toHaveLength(117798);
    expect(indexLemmas("v")).toHaveLength(11529);
    expect(indexLemmas("a")).toHaveLength(21479);
    expect(indexLemmas("r")).toHaveLength(4481);
    expect(indexLemmas("n").slice(0, 3)).toEqual(["'hood", "'s_gravenhage", ".22"]);
    // `synsets('car')`: five noun synsets, in the index's sense order (NLTK's order).
    expect(synsetLemmaNames("car")).toEqual([
      "car", "auto", "automobile", "machine", "motorcar",
      "car", "railcar", "railway_car", "railroad_car",
      "car", "gondola",
      "car", "elevator_car",
      "cable_car", "car",
    ]);
    expect(synsetLemmaNames("Paris")).toContain("Paris");
    expect(synsetLemmaNames("")).toEqual([]);
    expect(synsetLemmaNames("naïve")).toEqual([]); // not Latin-1 ASCII: in no index
    expect(synsetLemmaNames("日本")).toEqual([]);
    expect([...meteorSynonyms("xyzzy")]).toEqual(["xyzzy"]);
  });
});
