#!/usr/bin/env node
// Derives data/wordnet-3.0.txt — the part of Princeton WordNet 3.0 that METEOR's synonym stage
// reads (src/engine/metrics/wordnet.ts) — from the WordNet 3.0 database files. Run by hand; the
// output is committed. Nothing else in the project reads WordNet.
//
//   apt-get install wordnet-base                      # Debian's WordNet 3.0: /usr/share/wordnet
//   node scripts/wordnet-table.js /usr/share/wordnet  # writes data/wordnet-3.0.txt
//
// `<dict>` holds index.{noun,verb,adj,adv}, data.{noun,verb,adj,adv} and the Morphy exception
// lists {noun,verb,adj,adv}.exc (Princeton's tarball keeps those in a sibling folder: give it with
// `--exc <dir>`). Debian's package is WordNet 3.0 with its byte offsets changed by a few patched
// glosses; the table holds none of those offsets, so either source gives the same bytes (checked:
// the table made from Princeton's WNdb-3.0.tar.gz and the one made from wordnet-base 1:3.0-37 are
// equal).
//
// The table is Latin-1 text (as WordNet's files), one record a line, searched in place: it is
// stored uncompressed because decoding it (brotli: 1.7 MB, ~30 ms) would cost more than reading it
// (npm's tarball is gzipped anyway).
//   wordnet-3.0 <synset count>                         the header
//   @synsets                                           then one line per synset, in the order n,
//   <lemma name> <lemma name> ...                      v, a (with satellites), r, each by WordNet
//                                                      offset; names as in the data line (case
//                                                      kept, adjective markers removed)
//   @index <pos>                                       for n, v, a, r: the index file's lemmas, in
//   <lemma> <synset> <synset> ...                      its (byte-wise) order; a synset is the byte
//                                                      offset of its line in this file, in decimal
//   @exceptions <pos>                                  for n, v, a, r: the exception list's lines
//   <inflected form> <base form> ...                   as they are (a repeated form keeps its last)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const POS = ["n", "v", "a", "r"];
const SUFFIX = { n: "noun", v: "verb", a: "adj", r: "adv" };
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const args = process.argv.slice(2);
const excFlag = args.indexOf("--exc");
const excDir = excFlag >= 0 ? args.splice(excFlag, 2)[1] : undefined;
const [dict, output = join(root, "data", "wordnet-3.0.txt")] = args;
if (dict === undefined) {
  process.stderr.write("usage: node scripts/wordnet-table.js <wordnet dict dir> [--exc <dir>] [output]\n");
  process.exit(2);
}

const lines = (file) => readFileSync(file, "latin1").split("\n");
/** Entry lines of an index or data file: its license header lines start with a space. */
const entries = (file) => lines(file).filter((line) => line !== "" && !line.startsWith(" "));
const words = (line) => line.split(/[ \t\r\f\v]+/).filter((word) => word !== "");

// Synsets: lay them out in a fixed order, keep their lemma names (NLTK `lemma.name()`).
const offsetOf = new Map(); // `${pos}:${WordNet offset}` → byte offset of the synset's line here
const synsets = [];
for (const pos of POS) {
  for (const line of entries(join(dict, `data.${SUFFIX[pos]}`))) {
    const tokens = words(line.split("|", 1)[0]);
    const count = Number.parseInt(tokens[3], 16);
    const names = [];
    for (let k = 0; k < count; k++) names.push(/^(.*?)(\(.*\))?$/.exec(tokens[4 + 2 * k])[1]);
    synsets.push([`${pos}:${Number(tokens[0])}`, names.join(" ")]);
  }
}

const out = [`wordnet-3.0 ${synsets.length}`, "@synsets"];
let at = out.reduce((sum, line) => sum + Buffer.byteLength(line, "latin1") + 1, 0);
for (const [key, names] of synsets) {
  offsetOf.set(key, at);
  out.push(names);
  at += Buffer.byteLength(names, "latin1") + 1;
}
for (const pos of POS) {
  out.push(`@index ${pos}`);
  const index = entries(join(dict, `index.${SUFFIX[pos]}`));
  for (const line of index) {
    const tokens = words(line);
    const synsetCount = Number(tokens[2]);
    const first = 4 + Number(tokens[3]) + 2; // lemma pos synset_cnt p_cnt [ptr...] sense_cnt tagsense_cnt
    const ids = tokens.slice(first, first + synsetCount).map((offset) => {
      const id = offsetOf.get(`${pos}:${Number(offset)}`);
      if (id === undefined) throw new Error(`index.${SUFFIX[pos]}: ${tokens[0]} points at no synset (${offset})`);
      return id;
    });
    out.push(`${tokens[0]} ${ids.join(" ")}`);
  }
  // The table is searched byte-wise, as NLTK's reader and the index files order their lemmas.
  for (let i = out.length - index.length + 1; i < out.length; i++) {
    const [a, b] = [out[i - 1].split(" ")[0], out[i].split(" ")[0]];
    if (Buffer.compare(Buffer.from(a, "latin1"), Buffer.from(b, "latin1")) >= 0) throw new Error(`index not sorted at ${b}`);
  }
}
for (const pos of POS) {
  out.push(`@exceptions ${pos}`);
  for (const line of lines(join(excDir ?? dict, `${SUFFIX[pos]}.exc`))) {
    const terms = words(line);
    if (terms.length > 0) out.push(terms.join(" "));
  }
}

const text = Buffer.from(`${out.join("\n")}\n`, "latin1");
writeFileSync(output, text);
process.stdout.write(`${output}: ${synsets.length} synsets, ${text.length} bytes\n`);
