/**
 * Princeton WordNet 3.0 — the database behind NLTK's `wordnet` corpus — for METEOR's synonym
 * stage, read lazily from the table `data/wordnet-3.0.txt` that `scripts/wordnet-table.js`
 * derives from the WordNet 3.0 files (license: `data/WORDNET-LICENSE`).
 *
 * What is ported from NLTK (`nltk/corpus/reader/wordnet.py`):
 * - `_morphy(form, pos)`: the exception list of `pos` first (a hit returns the form and its
 *   exceptions that are in the index, nothing else); otherwise one pass of the detachment rules
 *   (`MORPHOLOGICAL_SUBSTITUTIONS`), keeping the form itself and the results that are lemmas of
 *   `pos`. This is NLTK 3.9's Morphy ("Only strip the last suffix", PR #3225), the version the
 *   service pins (3.9.1). NLTK ≤ 3.8 instead kept re-applying the rules until something matched
 *   (`catss` → `cat`); `{ recursive: true }` reproduces that for comparison with NLTK 3.8.
 * - `synsets(lemma)` with no POS: lowercase, then for each POS in `[n, v, a, r]` every synset of
 *   every Morphy form, in the index file's order; a synset's lemma names are the data-line words
 *   with the adjective marker (`(a)`, `(p)`, `(ip)`) removed, case kept.
 *
 * Nothing is read until the first lookup. Then the table (5.9 MB of Latin-1 text) is read once and
 * kept as bytes: index lemmas are found by binary search over their section's bytes (lines sorted
 * byte-wise, as in the index files), and a synset — the byte offset of its line — is read where it
 * is. Only the four exception lists are parsed into maps.
 */
import { pyLower } from "./pyunicode.js";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export type WordnetPos = "n" | "v" | "a" | "r";

/** NLTK's `POS_LIST`: the order `synsets()` visits parts of speech in. */
export const POS_LIST: readonly WordnetPos[] = ["n", "v", "a", "r"];


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

/** The table, relative to the package root (found from this module, in src/, dist/ or the bundle). */
const TABLE = join("data", "wordnet-3.0.txt");

export interface MorphyOptions {
  /** NLTK ≤ 3.8 behaviour: keep applying the rules until a lemma is found. Default false (3.9). */
  readonly recursive?: boolean;
}

export interface WordnetStatus {
  /** Whether the table has been read yet. */
  readonly loaded: boolean;
  /** The table's path once read. */
  readonly file: string | undefined;
}

let table: Table | undefined;
const synonymCache = new Map<string, ReadonlySet<string>>();
const SYNONYM_CACHE_LIMIT = 20_000;

/** Lemmas of `pos` that `form` may be an inflection of — NLTK `wordnet._morphy(form, pos)`. */
export function morphy(form: string, pos: WordnetPos, options: MorphyOptions = {}): string[] {
  const db = load();
  const exception = db.exceptions[pos].get(form);
  if (exception !== undefined) return filterForms([form, ...exception], pos, db);
  let forms = applyRules([form], pos);
  const results = filterForms([form, ...forms], pos, db);
  if (results.length > 0 || options.recursive !== true) return results;
  while (forms.length > 0) {
    // NLTK does not deduplicate here; doing so only avoids exponential growth, the set is the same.
    forms = [...new Set(applyRules(forms, pos))];
    const found = filterForms(forms, pos, db);
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
  const lemma = pyLower(word);
  const names: string[] = [];
  for (const pos of POS_LIST) {
    for (const form of morphy(lemma, pos, options)) {
      for (const synset of db.synsets(pos, form) ?? []) names.push(...db.lemmaNames(synset));
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

/** All lemmas of the index of `pos`, in the index file's order (for tests and tooling). */
export function indexLemmas(pos: WordnetPos): string[] {
  return load().lemmas(pos);
}

/** What has been loaded so far (the lazy-loading contract is tested through this). */
export function wordnetStatus(): WordnetStatus {
  return { loaded: table !== undefined, file: table?.file };
}

/** Drop everything loaded (for tests and benchmarks). */
export function resetWordnet(): void {
  table = undefined;
  synonymCache.clear();
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

function filterForms(forms: readonly string[], pos: WordnetPos, db: Table): string[] {
  const result: string[] = [];
  for (const form of forms) {
    if (!result.includes(form) && db.synsets(pos, form) !== undefined) result.push(form);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The table (format: scripts/wordnet-table.js): a header line, `@synsets` and a line of lemma
// names per synset, `@index <pos>` and `lemma synset...` lines sorted byte-wise (a synset is the
// byte offset of its line), `@exceptions <pos>` and `form base...` lines. Latin-1 text.
// ---------------------------------------------------------------------------------------------

const NEWLINE = 0x0a;
const SPACE = 0x20;

class Table {
  readonly file: string;
  readonly exceptions: Readonly<Record<WordnetPos, ReadonlyMap<string, readonly string[]>>>;
  private readonly bytes: Buffer;
  /** Byte range (start of its first line, end of its last line + 1) of each index section. */
  private readonly index: Readonly<Record<WordnetPos, readonly [number, number]>>;

  constructor(file: string, bytes: Buffer) {
    this.file = file;
    this.bytes = bytes;
    const invalid = (why: string): Error => new Error(`WordNet table ${file}: ${why}`);
    if (bytes.length === 0 || bytes[bytes.length - 1] !== NEWLINE) throw invalid("truncated");
    // Section markers: `@name` lines. Lemmas never start with `@`.
    const sections = new Map<string, number>();
    for (let at = bytes.indexOf("\n@"); at >= 0; at = bytes.indexOf("\n@", at + 1)) {
      const end = bytes.indexOf(NEWLINE, at + 1);
      sections.set(bytes.toString("latin1", at + 1, end), end + 1);
    }
    const section = (name: string): number => {
      const start = sections.get(name);
      if (start === undefined) throw invalid(`no ${name} section`);
      return start;
    };
    if (!/^wordnet-3\.0 \d+$/.test(this.lineAt(0))) throw invalid("not a WordNet 3.0 table");
    section("@synsets");
    /** Where the section before `next` ends: `next`'s marker line starts there. */
    const before = (next: string): number => section(next) - next.length - 1;
    this.index = {
      n: [section("@index n"), before("@index v")],
      v: [section("@index v"), before("@index a")],
      a: [section("@index a"), before("@index r")],
      r: [section("@index r"), before("@exceptions n")],
    };
    const exceptions = (pos: WordnetPos, end: number): Map<string, readonly string[]> => {
      const map = new Map<string, readonly string[]>();
      const text = bytes.toString("latin1", section(`@exceptions ${pos}`), end);
      for (const line of text.split("\n")) {
        const [head, ...rest] = line.split(" ");
        if (head !== undefined && head !== "") map.set(head, rest); // a repeated key keeps its last line, as in NLTK
      }
      return map;
    };
    this.exceptions = {
      n: exceptions("n", before("@exceptions v")),
      v: exceptions("v", before("@exceptions a")),
      a: exceptions("a", before("@exceptions r")),
      r: exceptions("r", bytes.length),
    };
  }

  /** Synsets of `lemma` in the index of `pos` (NLTK `_lemma_pos_offset_map[lemma][pos]`). */
  synsets(pos: WordnetPos, lemma: string): readonly number[] | undefined {
    if (lemma === "") return undefined;
    const key = Buffer.from(lemma, "latin1");
    if (key.toString("latin1") !== lemma) return undefined; // WordNet 3.0 is Latin-1 text
    let [lo, hi] = this.index[pos];
    // lo and hi are line starts (the byte before each is a newline); each step compares the line
    // holding the middle byte, which starts in [lo, hi).
    while (lo < hi) {
      const line = this.bytes.lastIndexOf(NEWLINE, ((lo + hi) >>> 1) - 1) + 1;
      const order = this.compareKey(line, key);
      if (order === 0) return this.lineAt(line).split(" ").slice(1).map(Number);
      if (order < 0) lo = this.bytes.indexOf(NEWLINE, line) + 1;
      else hi = line;
    }
    return undefined;
  }

  lemmaNames(synset: number): string[] {
    return this.lineAt(synset).split(" ");
  }

  lemmas(pos: WordnetPos): string[] {
    const [start, end] = this.index[pos];
    return this.bytes
      .toString("latin1", start, end - 1)
      .split("\n")
      .map((line) => line.split(" ", 1)[0] ?? "");
  }

  /** The line starting at byte `start`, without its newline. */
  private lineAt(start: number): string {
    return this.bytes.toString("latin1", start, this.bytes.indexOf(NEWLINE, start));
  }

  /** Compare the lemma of the line at `start` (bytes up to its first space) with `key`, byte-wise. */
  private compareKey(start: number, key: Buffer): number {
    for (let i = 0; ; i++) {
      const a = this.bytes[start + i];
      const ended = a === undefined || a === SPACE || a === NEWLINE;
      if (i === key.length) return ended ? 0 : 1;
      if (ended) return -1;
      const b = key[i] ?? 0;
      if (a !== b) return a < b ? -1 : 1;
    }
  }
}

function load(): Table {
  if (table !== undefined) return table;
  const file = tablePath();
  table = new Table(file, readFileSync(file));
  return table;
}

/** The package root is the nearest folder above this module holding the table. */
function tablePath(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, TABLE);
    if (existsSync(file)) return file;
    if (dirname(dir) === dir) throw new Error(`the meteor metric needs WordNet 3.0 (${TABLE}), not found above ${start}`);
  }
}
