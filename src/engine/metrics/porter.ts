/**
 * NLTK's `PorterStemmer()` in its default mode, `NLTK_EXTENSIONS` — a port of
 * `nltk/stem/porter.py` (NLTK 3.8; no change to the stemmer is known up to 3.9.1), used by the
 * METEOR stem-match stage. It is not Martin Porter's published algorithm: NLTK adds an
 * irregular-form table (`dying` → `die`, `skies` → `sky`, …), leaves words of ≤ 2 characters
 * alone, maps `ies`/`ied` to `ie` in 4-letter words, turns `y` into `i` only after a consonant,
 * restarts step 2 after `alli` → `al`, keeps the `bli` → `ble` departure and adds `fulli` → `ful`
 * and `logi` → `log` (measured on the stem including the `l`).
 *
 * Strings are handled as Python does: `str.lower()` first (Python 3.11's table, ./pyunicode.ts), then every rule
 * counts and compares code points, so a character outside the BMP is one (consonant) letter, as in
 * Python, not two UTF-16 units. Characters other than `a e i o u` (and `y` after a vowel) are
 * consonants, whatever the script. NLTK's recursive `_is_consonant` is computed iteratively, so
 * long runs of `y` (a RecursionError in Python) still stem.
 */

import { pyLower } from "./pyunicode.js";

/** NLTK's `irregular_forms`, inverted: form → stem (checked on the word as given, before lowering). */
const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ["sky", "sky"],
  ["skies", "sky"],
  ["dying", "die"],
  ["lying", "lie"],
  ["tying", "tie"],
  ["news", "news"],
  ["innings", "inning"],
  ["inning", "inning"],
  ["outings", "outing"],
  ["outing", "outing"],
  ["cannings", "canning"],
  ["canning", "canning"],
  ["howe", "howe"],
  ["proceed", "proceed"],
  ["exceed", "exceed"],
  ["succeed", "succeed"],
]);

/** Stem one word exactly as NLTK's `PorterStemmer().stem(word)` (to_lowercase=True). */
export function porterStem(word: string): string {
  const lowered = pyLower(word);
  // NLTK looks the *original* word up in the pool (so "Dying" is stemmed normally).
  const irregular = IRREGULAR.get(word);
  if (irregular !== undefined) return irregular;
  if (codePointLength(word) <= 2) return lowered;
  const { text, restore } = toSingleUnits(lowered);
  let stem = step1a(text);
  stem = step1b(stem);
  stem = step1c(stem);
  stem = step2(stem);
  stem = step3(stem);
  stem = step4(stem);
  stem = step5a(stem);
  stem = step5b(stem);
  return restore(stem);
}

function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

const HAS_SURROGATE = /[\ud800-\udfff]/;
const PUA_FIRST = 0xe000;
const PUA_LAST = 0xf8ff;

/**
 * Make every code point one UTF-16 unit so that string indices are Python indices: each distinct
 * astral code point is replaced by a private-use BMP character absent from the word, and put back
 * afterwards. The stemmer only cuts and appends ASCII at the end (and drops one of two equal final
 * characters), so the substitution is exact.
 */
function toSingleUnits(word: string): { text: string; restore: (stem: string) => string } {
  if (!HAS_SURROGATE.test(word)) return { text: word, restore: (stem) => stem };
  const forward = new Map<string, string>();
  const backward = new Map<string, string>();
  let next = PUA_FIRST;
  let text = "";
  for (const char of word) {
    if (char.length === 1) {
      text += char;
      continue;
    }
    let placeholder = forward.get(char);
    if (placeholder === undefined) {
      while (next <= PUA_LAST && word.includes(String.fromCharCode(next))) next++;
      // Out of placeholders (thousands of distinct astral characters in one token): fall back to
      // UTF-16 units, which only affects rules that look at those characters' positions.
      if (next > PUA_LAST) return { text: word, restore: (stem) => stem };
      placeholder = String.fromCharCode(next++);
      forward.set(char, placeholder);
      backward.set(placeholder, char);
    }
    text += placeholder;
  }
  return {
    text,
    restore: (stem) => {
      let out = "";
      for (const char of stem) out += backward.get(char) ?? char;
      return out;
    },
  };
}

function isVowelLetter(char: string | undefined): boolean {
  return char === "a" || char === "e" || char === "i" || char === "o" || char === "u";
}

/**
 * NLTK `_is_consonant(word, i)`: a vowel letter is not a consonant; `y` is one at index 0 and
 * otherwise the opposite of its predecessor; anything else is one. Iterative form of the recursion:
 * walk back over the run of y's ending at `i` and flip once per y.
 */
function isConsonant(word: string, i: number): boolean {
  const char = word[i];
  if (isVowelLetter(char)) return false;
  if (char !== "y") return true;
  let k = i;
  while (k > 0 && word[k] === "y") k--;
  // word[k] is the first non-y before the run, or a y at index 0 (a consonant).
  const base = word[k] === "y" ? true : !isVowelLetter(word[k]);
  return (i - k) % 2 === 0 ? base : !base;
}

/** NLTK `_measure(stem)`: the number of "vc" occurrences in the consonant/vowel pattern. */
function measure(stem: string): number {
  let count = 0;
  let previousConsonant = true;
  for (let i = 0; i < stem.length; i++) {
    const char = stem[i];
    let consonant: boolean;
    if (isVowelLetter(char)) consonant = false;
    else if (char === "y") consonant = i === 0 ? true : !previousConsonant;
    else consonant = true;
    if (consonant && i > 0 && !previousConsonant) count++;
    previousConsonant = consonant;
  }
  return count;
}

function hasPositiveMeasure(stem: string): boolean {
  return measure(stem) > 0;
}

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true;
  return false;
}

function endsDoubleConsonant(word: string): boolean {
  const n = word.length;
  return n >= 2 && word[n - 1] === word[n - 2] && isConsonant(word, n - 1);
}

/** NLTK `_ends_cvc` (condition *o), with NLTK's extra two-letter vowel–consonant case. */
function endsCvc(word: string): boolean {
  const n = word.length;
  const last = word[n - 1];
  return (
    (n >= 3 &&
      isConsonant(word, n - 3) &&
      !isConsonant(word, n - 2) &&
      isConsonant(word, n - 1) &&
      last !== "w" &&
      last !== "x" &&
      last !== "y") ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  );
}

function replaceSuffix(word: string, suffix: string, replacement: string): string {
  return suffix === "" ? word + replacement : word.slice(0, word.length - suffix.length) + replacement;
}

type Rule = readonly [suffix: string, replacement: string, condition: ((stem: string) => boolean) | null];

/** NLTK `_apply_rule_list`: the first rule whose suffix matches decides (even if its condition fails). */
function applyRuleList(word: string, rules: readonly Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === "*d" && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    if (word.endsWith(suffix)) {
      const stem = replaceSuffix(word, suffix, "");
      return condition === null || condition(stem) ? stem + replacement : word;
    }
  }
  return word;
}

function step1a(word: string): string {
  if (word.endsWith("ies") && word.length === 4) return replaceSuffix(word, "ies", "ie");
  return applyRuleList(word, [
    ["sses", "ss", null],
    ["ies", "i", null],
    ["ss", "ss", null],
    ["s", "", null],
  ]);
}

function step1b(word: string): string {
  if (word.endsWith("ied")) return replaceSuffix(word, "ied", word.length === 4 ? "ie" : "i");
  if (word.endsWith("eed")) {
    const stem = replaceSuffix(word, "eed", "");
    return measure(stem) > 0 ? stem + "ee" : word;
  }
  let intermediate: string | undefined;
  for (const suffix of ["ed", "ing"]) {
    if (word.endsWith(suffix)) {
      const candidate = replaceSuffix(word, suffix, "");
      if (containsVowel(candidate)) {
        intermediate = candidate;
        break;
      }
    }
  }
  if (intermediate === undefined) return word;
  const stem = intermediate;
  const lastChar = stem[stem.length - 1] ?? "";
  return applyRuleList(stem, [
    ["at", "ate", null],
    ["bl", "ble", null],
    ["iz", "ize", null],
    ["*d", lastChar, () => lastChar !== "l" && lastChar !== "s" && lastChar !== "z"],
    ["", "e", (s) => measure(s) === 1 && endsCvc(s)],
  ]);
}

function step1c(word: string): string {
  return applyRuleList(word, [["y", "i", (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]]);
}

function step2(word: string): string {
  if (word.endsWith("alli") && hasPositiveMeasure(replaceSuffix(word, "alli", ""))) {
    return step2(replaceSuffix(word, "alli", "al"));
  }
  const m = hasPositiveMeasure;
  return applyRuleList(word, [
    ["ational", "ate", m],
    ["tional", "tion", m],
    ["enci", "ence", m],
    ["anci", "ance", m],
    ["izer", "ize", m],
    ["bli", "ble", m],
    ["alli", "al", m],
    ["entli", "ent", m],
    ["eli", "e", m],
    ["ousli", "ous", m],
    ["ization", "ize", m],
    ["ation", "ate", m],
    ["ator", "ate", m],
    ["alism", "al", m],
    ["iveness", "ive", m],
    ["fulness", "ful", m],
    ["ousness", "ous", m],
    ["aliti", "al", m],
    ["iviti", "ive", m],
    ["biliti", "ble", m],
    ["fulli", "ful", m],
    // The 'l' of 'logi' stays with the stem for the measure (NLTK extension).
    ["logi", "log", () => hasPositiveMeasure(word.slice(0, -3))],
  ]);
}

function step3(word: string): string {
  const m = hasPositiveMeasure;
  return applyRuleList(word, [
    ["icate", "ic", m],
    ["ative", "", m],
    ["alize", "al", m],
    ["iciti", "ic", m],
    ["ical", "ic", m],
    ["ful", "", m],
    ["ness", "", m],
  ]);
}

function step4(word: string): string {
  const gt1 = (stem: string): boolean => measure(stem) > 1;
  return applyRuleList(word, [
    ["al", "", gt1],
    ["ance", "", gt1],
    ["ence", "", gt1],
    ["er", "", gt1],
    ["ic", "", gt1],
    ["able", "", gt1],
    ["ible", "", gt1],
    ["ant", "", gt1],
    ["ement", "", gt1],
    ["ment", "", gt1],
    ["ent", "", gt1],
    ["ion", "", (stem) => measure(stem) > 1 && (stem.endsWith("s") || stem.endsWith("t"))],
    ["ou", "", gt1],
    ["ism", "", gt1],
    ["ate", "", gt1],
    ["iti", "", gt1],
    ["ous", "", gt1],
    ["ive", "", gt1],
    ["ize", "", gt1],
  ]);
}

function step5a(word: string): string {
  if (word.endsWith("e")) {
    const stem = word.slice(0, -1);
    if (measure(stem) > 1) return stem;
    if (measure(stem) === 1 && !endsCvc(stem)) return stem;
  }
  return word;
}

function step5b(word: string): string {
  return applyRuleList(word, [["ll", "l", () => measure(word.slice(0, -1)) > 1]]);
}
