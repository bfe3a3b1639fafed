/**
 * The reference libraries' character data, instead of the JS engine's Unicode (Node 24 ships a
 * newer Unicode than the service's Python 3.11 and than RapidFuzz's bundled table, so `\p{L}` and
 * `toLowerCase()` disagree with them on thousands of recent letters):
 *
 * - {@link rapidfuzzProcessChar}: compiled `rapidfuzz.utils.default_process` per code point
 *   (RapidFuzz 3.10.1's `UnicodeDefaultProcess` over its bundled CPython table);
 * - {@link pyLower}: Python 3.11 `str.lower()`, final-sigma rule included;
 * - {@link pyIsAlnum}: Python 3.11 `str.isalnum()` of one code point.
 *
 * The tables (./unicode-data.ts) are generated from the references by scripts/unicode-tables.py
 * and decoded on first use (~1 ms; 3 × 256 KB of BMP lookup arrays, astral code points by binary
 * search over the runs).
 */
import { PY_ALNUM, PY_CASE, PY_LOWER, PY_LOWER_SPECIAL, RF_PROCESS } from "./unicode-data.js";

const BMP = 0x10000;
const NOT_ALNUM = -1;
const SPECIAL = 0x110000;

interface Table {
  /** Value of each BMP code point. */
  readonly bmp: Int32Array;
  /** Astral runs: first code point, value, alternating (value, 0, value, ...) flag. */
  readonly starts: Int32Array;
  readonly values: Int32Array;
  readonly alternating: Uint8Array;
}

function decode(encoded: string): Table {
  const runs = encoded.split(",");
  const bmp = new Int32Array(BMP);
  const starts: number[] = [];
  const values: number[] = [];
  const alternating: number[] = [];
  let cp = 0;
  for (const run of runs) {
    const alt = run.charCodeAt(0) === 0x2a; // "*"
    const colon = run.indexOf(":");
    const length = parseInt(run.slice(alt ? 1 : 0, colon), 36);
    const value = parseInt(run.slice(colon + 1), 36);
    if (cp + length > BMP || cp >= BMP) {
      starts.push(cp);
      values.push(value);
      alternating.push(alt ? 1 : 0);
    }
    const end = Math.min(cp + length, BMP);
    for (let c = cp; c < end; c++) bmp[c] = alt && ((c - cp) & 1) === 1 ? 0 : value;
    cp += length;
  }
  return { bmp, starts: Int32Array.from(starts), values: Int32Array.from(values), alternating: Uint8Array.from(alternating) };
}

function lookup(table: Table, cp: number): number {
  if (cp < BMP) return table.bmp[cp] as number;
  const { starts } = table;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= cp) lo = mid;
    else hi = mid - 1;
  }
  const value = table.values[lo] as number;
  return table.alternating[lo] === 1 && ((cp - (starts[lo] as number)) & 1) === 1 ? 0 : value;
}

let rfTable: Table | undefined;
let lowerTable: Table | undefined;
let caseTable: Table | undefined;
let alnumTable: Table | undefined;

/**
 * compiled rapidfuzz `default_process` of one code point: -1 when it is not alphanumeric in
 * RapidFuzz's table (it becomes a space), else the code point it becomes (its lowercase).
 */
export function rapidfuzzProcessChar(cp: number): number {
  const table = (rfTable ??= decode(RF_PROCESS));
  const delta = lookup(table, cp);
  return delta === NOT_ALNUM ? -1 : cp + delta;
}

/** Python 3.11 `chr(cp).isalnum()`. */
export function pyIsAlnum(cp: number): boolean {
  return lookup((alnumTable ??= decode(PY_ALNUM)), cp) === 1;
}

const CASE_IGNORABLE = 1;
const CASED = 2;

function caseClass(cp: number): number {
  return lookup((caseTable ??= decode(PY_CASE)), cp);
}

/** CPython `handle_capital_sigma`: is U+03A3 at code-point index `i` of `cps` word-final? */
function finalSigma(cps: readonly number[], i: number): boolean {
  let j = i - 1;
  let c = 0;
  while (j >= 0) {
    c = cps[j] as number;
    if (caseClass(c) !== CASE_IGNORABLE) break;
    j--;
  }
  if (!(j >= 0 && caseClass(c) === CASED)) return false;
  j = i + 1;
  while (j < cps.length) {
    c = cps[j] as number;
    if (caseClass(c) !== CASE_IGNORABLE) break;
    j++;
  }
  return j === cps.length || caseClass(c) !== CASED;
}

function isAsciiWithoutUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80 || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

/** Python 3.11 `s.lower()` (full mappings such as U+0130 → "i̇", final sigma), not Node's Unicode. */
export function pyLower(s: string): string {
  if (isAsciiWithoutUpper(s)) return s;
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s.toLowerCase(); // ASCII: A-Z only, the same in every Unicode version
  const table = (lowerTable ??= decode(PY_LOWER));
  const cps: number[] = [];
  for (const ch of s) cps.push(ch.codePointAt(0) as number);
  let out = "";
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] as number;
    if (cp === 0x3a3) {
      out += finalSigma(cps, i) ? "\u03c2" : "\u03c3";
      continue;
    }
    const v = lookup(table, cp);
    if (v >= SPECIAL) out += String.fromCodePoint(...(PY_LOWER_SPECIAL[v - SPECIAL] as readonly number[]));
    else out += String.fromCodePoint(cp + v);
  }
  return out;
}
