#!/usr/bin/env python3
"""The oracle: metric fixtures computed by the reference libraries themselves.

Run by hand through scripts/oracle.sh (it makes the scratch virtualenv and passes the paths):

    bash scripts/oracle.sh            # writes test/engine/metrics/fixtures/oracle.json + unicode.json

Every value comes from the real library call the service's graders make, never from a
reimplementation:

* fuzzy_match: `rapidfuzz.fuzz.WRatio(input, reference, processor=rapidfuzz.utils.default_process) / 100`
  (the compiled wheel; its default_process table is checked equal to 3.10.1's by
  scripts/unicode-tables.py)
* bleu: `nltk.translate.bleu_score.sentence_bleu([reference.split()], input.split(),
  smoothing_function=SmoothingFunction().method1)`
* gleu: `nltk.translate.gleu_score.sentence_gleu([reference.split()], input.split())`
* meteor: `nltk.translate.meteor_score.meteor_score([reference.split()], input.split(), wordnet=wn)`
  with `wn` NLTK's WordNetCorpusReader over Debian wordnet-base's WordNet 3.0
* rouge_1..rouge_5, rouge_l: google-research `rouge` (rouge-score) `RougeScorer([...],
  use_stemmer=False).score(target=reference, prediction=input)[type].fmeasure` — only when the
  `rouge` package is importable (ROUGE_DIR, see oracle.sh); otherwise left out and said so in the
  header.

The pairs are deterministic: hand-written hard cases (Unicode in every script, combining marks,
Unicode 14+ letters, empty and whitespace-only strings, long needles, repeated tokens, numbers,
punctuation, 10k-word texts) and seeded random ones.
"""

import json
import os
import random
import shutil
import sys
import tempfile
import unicodedata

OUT_DIR = sys.argv[1] if len(sys.argv) > 1 else "test/engine/metrics/fixtures"

FILES = ["index.noun", "index.verb", "index.adj", "index.adv", "data.noun", "data.verb", "data.adj", "data.adv"]
EXC = ["noun.exc", "verb.exc", "adj.exc", "adv.exc"]
LEXNAMES = (
    "adj.all 3,adj.pert 3,adv.all 4,noun.Tops 1,noun.act 1,noun.animal 1,noun.artifact 1,noun.attribute 1,"
    "noun.body 1,noun.cognition 1,noun.communication 1,noun.event 1,noun.feeling 1,noun.food 1,noun.group 1,"
    "noun.location 1,noun.motive 1,noun.object 1,noun.person 1,noun.phenomenon 1,noun.plant 1,noun.possession 1,"
    "noun.process 1,noun.quantity 1,noun.relation 1,noun.shape 1,noun.state 1,noun.substance 1,noun.time 1,"
    "verb.body 2,verb.change 2,verb.cognition 2,verb.communication 2,verb.competition 2,verb.consumption 2,"
    "verb.contact 2,verb.creation 2,verb.emotion 2,verb.motion 2,verb.perception 2,verb.possession 2,"
    "verb.social 2,verb.stative 2,verb.weather 2,adj.ppl 3"
)


def wordnet_reader():
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    source = os.environ.get("WORDNET_DICT", "/usr/share/wordnet")
    target = tempfile.mkdtemp(prefix="oracle-wordnet-")
    for name in FILES + EXC:
        path = os.path.join(source, name)
        if not os.path.exists(path):
            sys.exit("oracle.py: %s not found (apt-get install wordnet-base, or set WORDNET_DICT)" % path)
        shutil.copyfile(path, os.path.join(target, name))  # NLTK 3.10 refuses symlinks out of the root
    with open(os.path.join(target, "lexnames"), "w") as fp:
        for i, entry in enumerate(LEXNAMES.split(",")):
            name, category = entry.split()
            fp.write("%02d\t%s\t%s\n" % (i, name, category))
    import nltk

    # NLTK 3.10's path sandbox (nltk/pathsec.py) only opens files under nltk.data.path.
    nltk.data.path.insert(0, target)
    # NLTK 3.10 maps the loaded WordNet to the `wordnet` corpus for OMW (map_wn); with no
    # nltk_data corpus installed that lookup fails. It only matters for multilingual data, so
    # the reader is told the loaded database is that corpus (WordNet 3.0 either way).
    WordNetCorpusReader.map_wn = lambda self, version="wordnet": None
    return WordNetCorpusReader(target, None), source


def wratio_3_10_1(a, b):
    """fuzz.WRatio as rapidfuzz 3.10.1 computes it, from the installed wheel's compiled scorers.

    The one scoring change from 3.10.1 to 3.14 (RapidFuzz commit 8638ab26, "fixed WRatio for a
    length ratio of exactly 8.0", rapidfuzz-cpp 3.3.3): the partial scale at a length ratio of
    exactly 8 went from 0.6 (`len_ratio < 8.0 ? 0.9 : 0.6`) to 0.9 (`<= 8.0`). The service pins
    3.10.1, so at exactly 8 its steps are replayed here, score_cutoff chain included (3.10.1's
    fuzz_py.WRatio); any other pair is the wheel's own WRatio.
    """
    from rapidfuzz import fuzz, utils

    s1, s2 = utils.default_process(a), utils.default_process(b)
    if not s1 or not s2:
        return 0.0
    len_ratio = len(s1) / len(s2) if len(s1) > len(s2) else len(s2) / len(s1)
    if len_ratio != 8.0:
        return fuzz.WRatio(s1, s2)
    scale = 0.6
    end_ratio = fuzz.ratio(s1, s2, score_cutoff=0)
    cutoff = max(0, end_ratio) / scale
    end_ratio = max(end_ratio, fuzz.partial_ratio(s1, s2, score_cutoff=cutoff) * scale)
    cutoff = max(cutoff, end_ratio) / 0.95
    return max(end_ratio, fuzz.partial_token_ratio(s1, s2, score_cutoff=cutoff) * 0.95 * scale)


# ------------------------------------------------------------------------------------ pairs

SCRIPTS = {
    "latin": "Ça va très bien, naïve façade Œuvre ÆSIR Straße groß",
    "greek": "ΟΔΟΣ Σίσυφος ΣΊΣΥΦΟΣ ὁδός καλημέρα ΑΣ",
    "cyrillic": "Привет мир ЁЛКА ёлка Україна",
    "armenian": "Բարեւ աշխարհ ԵՒ",
    "georgian": "გამარჯობა ᲒᲐᲛᲐᲠᲯᲝᲑᲐ",
    "cherokee": "ᏣᎳᎩ ꭰꭱꭲ",
    "hebrew": "שלום עולם",
    "arabic": "مرحبا بالعالم ١٢٣",
    "devanagari": "नमस्ते दुनिया १२३",
    "bengali": "হ্যালো বিশ্ব",
    "thai": "สวัสดีชาวโลก",
    "cjk": "你好世界 漢字 𠀋𪚲",
    "kana": "こんにちは カタカナ ｶﾀｶﾅ",
    "hangul": "안녕하세요 세계",
    "ethiopic": "ሰላም ዓለም",
    "math": "𝐀𝐁𝐂 𝒜ℬ ①②③ ½ Ⅻ ⅻ",
    "emoji": "I ❤️ 🍕 and 👩‍👩‍👧 🇫🇷",
    "new letters": "\ua7cb\ua7cc\ua7cd \U00010d50\U00010d51 \U00010570\U00010597 \u2c2f\u2c5f \ua7c0\ua7c1 \U0001df00",
    "turkish": "İstanbul ISTANBUL ıi",
    "special case": "ǅungla ǈ ǋ ẞ ß ŉ ΐ ﬁ",
}

COMBINING = ["e\u0301cole", "école", "A\u030a", "Å", "Σ\u0301", "ΑΣ\u0301", "n\u0303o", "\u0301\u0301\u0301"]

WORDS = (
    "the a an cat cats dog dogs run running ran quick fast rapid big large small house home car automobile "
    "went go gone children child wolves wolf mice mouse better good best answer question capital paris france "
    "city is was are be been 42 3.14 1,000 2024 v2 x86_64 e-mail don't it's state-of-the-art ... !!! ? , ; :"
).split()


def random_text(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def pairs():
    out = []

    def add(note, a, b):
        out.append({"id": len(out), "note": note, "input": a, "reference": b})

    for name, text in SCRIPTS.items():
        add("script: %s (identical)" % name, text, text)
        add("script: %s (lowercased)" % name, text.lower(), text)
        add("script: %s (uppercased vs)" % name, text.upper(), text.lower())
        words = text.split()
        add("script: %s (reordered)" % name, " ".join(reversed(words)), text)
        add("script: %s (prefix)" % name, words[0], text)
    # Capitals added in Unicode 15-16 and their small letters: Python 3.11 (and RapidFuzz's table)
    # do not lowercase them, Node 24 does.
    for a, b in [("\ua7cb", "\u0264"), ("\ua7cc", "\ua7cd"), ("\U00010d50", "\U00010d70"),
                 ("SAY \ua7cb NOW", "say \u0264 now"), ("\u1c89 \ua7dc", "\u1c8a \u019b")]:
        add("newer capitals vs their small letters", a, b)
    for i, w in enumerate(COMBINING):
        add("combining marks", w, COMBINING[(i + 1) % len(COMBINING)])
        add("combining marks in a sentence", "Il va à l'" + w + " demain", "il va a l ecole demain")
    for a, b in [("", ""), ("", "x"), ("x", ""), (" ", " "), ("   ", "abc"), ("\t\n", "\u3000"),
                 ("\u00a0abc\u2003", "abc"), ("!!!", "???"), ("___", "---"), ("a", "a"), ("a", "b")]:
        add("empty / whitespace / punctuation only", a, b)
    for a, b in [("42", "42"), ("42", "The answer is 42"), ("3.14", "3.1415"), ("1,000", "1000"),
                 ("x86_64", "x86 64"), ("v2.0.1", "v2.0.10"), ("2024-01-01", "01/01/2024"),
                 ("Paris.", "Paris"), ("Hello, world!", "hello world"), ("don't", "do not"),
                 ("state-of-the-art", "state of the art"), ("(a)", "a"), ("C++", "C#")]:
        add("numbers / punctuation", a, b)
    for a, b in [("the the the the the", "the"), ("the", "the the the the the"), ("a a a b b b", "b b b a a a"),
                 ("cat cat dog", "dog cat cat"), ("go go go went", "went went go"), ("na " * 40, "na na na batman")]:
        add("repeated tokens", a.strip(), b.strip())
    rng = random.Random(20)
    long_text = random_text(rng, 400)
    for n in [65, 100, 200, 500]:
        start = rng.randrange(0, len(long_text) - n)
        needle = long_text[start:start + n]
        add("long needle %d chars, exact window" % n, needle, long_text)
        mutated = "".join(c if rng.random() > 0.15 else rng.choice("abcxyz ") for c in needle)
        add("long needle %d chars, mutated" % n, mutated, long_text)
        add("long needle %d chars, other text" % n, random_text(rng, n // 5)[:n], long_text)
    for n in [10, 25, 70, 150]:
        a = random_text(rng, n)
        add("long needle, equal-ish lengths", a, a[::-1])
    big = random_text(rng, 10000)
    add("10k words vs itself", big, big)
    add("10k words vs 20 words", big, random_text(rng, 20))
    add("20 words vs 10k words", random_text(rng, 20), big)
    add("10k words vs 300 words", big, random_text(rng, 300))
    add("10k chars of one letter", "a" * 10000, "a" * 9000 + "b")
    for i in range(120):
        n1 = rng.choice([1, 2, 3, 5, 8, 13, 30])
        a = random_text(rng, n1)
        r = rng.random()
        if r < 0.3:
            b = random_text(rng, rng.choice([1, 3, 8, 20]))
        elif r < 0.6:
            toks = a.split()
            rng.shuffle(toks)
            b = " ".join(toks)
        else:
            b = "".join(c.upper() if rng.random() < 0.2 else c for c in a) + " " + random_text(rng, rng.choice([0, 1, 4]))
        if rng.random() < 0.2:
            script = rng.choice(list(SCRIPTS.values()))
            b = b + " " + " ".join(rng.sample(script.split(), min(2, len(script.split()))))
        add("random %d" % i, a, b.strip())
    return out


def main():
    import nltk
    import rapidfuzz
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
    from nltk.translate.gleu_score import sentence_gleu
    from nltk.translate.meteor_score import meteor_score
    from rapidfuzz import fuzz, utils

    try:
        from rouge import rouge_scorer

        rouge_types = ["rouge1", "rouge2", "rouge3", "rouge4", "rouge5", "rougeL"]
        scorer = rouge_scorer.RougeScorer(rouge_types, use_stemmer=False)
        rouge_source = os.environ.get("ROUGE_SOURCE", "google-research rouge/ (source not recorded)")
    except ImportError:
        scorer = None
        rouge_source = None

    wn, wordnet_source = wordnet_reader()
    smoothing = SmoothingFunction().method1
    cases = pairs()
    for case in cases:
        a, b = case["input"], case["reference"]
        exp = {}
        pa, pb = utils.default_process(a), utils.default_process(b)
        if min(len(pa), len(pb)) > 1000 and max(len(pa), len(pb)) > 1.5 * min(len(pa), len(pb)):
            # partial_ratio of a 1,800-character needle over 60,000 characters: ~40 s in gradelang
            # today (every window scored in full), too slow for a unit test; see docs.
            case["fuzzy_match_left_out"] = "needle over 1,000 characters against a text 1.5x longer or more"
        else:
            exp["fuzzy_match"] = wratio_3_10_1(a, b) / 100
            wheel = fuzz.WRatio(a, b, processor=utils.default_process) / 100
            if wheel != exp["fuzzy_match"]:
                case["fuzzy_match_rapidfuzz_wheel"] = wheel
        exp["bleu"] = float(sentence_bleu([b.split()], a.split(), smoothing_function=smoothing))
        exp["gleu"] = float(sentence_gleu([b.split()], a.split()))
        exp["meteor"] = float(meteor_score([b.split()], a.split(), wordnet=wn))
        if scorer is not None:
            scores = scorer.score(b, a)
            for i in range(1, 6):
                exp["rouge_%d" % i] = scores["rouge%d" % i].fmeasure
            exp["rouge_l"] = scores["rougeL"].fmeasure
        case["expected"] = exp

    header = {
        "generator": "scripts/oracle.py (through scripts/oracle.sh)",
        "python": sys.version.split()[0],
        "unicodedata": unicodedata.unidata_version,
        "rapidfuzz": rapidfuzz.__version__,
        "nltk": nltk.__version__,
        "wordnet": "%s (WordNetCorpusReader.get_version()) from %s" % (wn.get_version(), wordnet_source),
        "rouge": rouge_source or "not installed: rouge_* values left out (set ROUGE_DIR, see scripts/oracle.sh)",
        "calls": {
            "fuzzy_match": "rapidfuzz.fuzz.WRatio(input, reference, processor=rapidfuzz.utils.default_process) / 100, as 3.10.1 computes it: at a processed length ratio of exactly 8 the wheel's component scorers with 3.10.1's partial scale 0.6 (scripts/oracle.py wratio_3_10_1; the wheel's own value is then recorded as fuzzy_match_rapidfuzz_wheel)",
            "bleu": "sentence_bleu([reference.split()], input.split(), smoothing_function=SmoothingFunction().method1)",
            "gleu": "sentence_gleu([reference.split()], input.split())",
            "meteor": "meteor_score([reference.split()], input.split(), wordnet=wn)",
            "rouge_n / rouge_l": "RougeScorer(['rouge1'..'rouge5', 'rougeL'], use_stemmer=False).score(reference, input)[type].fmeasure",
        },
        "service pins": "rapidfuzz==3.10.1, nltk==3.9.1, rouge-score==0.1.2 (see docs/engine.md for what differs from the versions above)",
    }
    with open(os.path.join(OUT_DIR, "oracle.json"), "w", encoding="utf-8") as fp:
        json.dump({"header": header, "pairs": cases}, fp, ensure_ascii=False, indent=1)
        fp.write("\n")
    write_unicode(header)


def write_unicode(base_header):
    """Code points where a newer Unicode (Node's) is likely to disagree with the references."""
    from rapidfuzz.utils import default_process

    pinned = [0x00DF, 0x0130, 0x0131, 0x03A3, 0x1E9E, 0x2C2F, 0x2C5F, 0xA7C0, 0xA7C1, 0xA7CB, 0xA7CC, 0xA7CD,
              0xA7DA, 0x10570, 0x10D50, 0x10D70, 0x1DF00, 0x1E030, 0x16EA0, 0x5F, 0x345, 0x2160, 0x24B6, 0xFB01]
    newer_letters = []  # letters/numbers for Python 3.11 that RapidFuzz's older table does not know
    unassigned = []  # unassigned in Python 3.11's Unicode 14: a newer Unicode may have letters there
    for cp in range(0x110000):
        c = chr(cp)
        cat = unicodedata.category(c)
        if cat == "Cn" and cp < 0x32000:
            unassigned.append(cp)
        elif c.isalnum() and default_process(c) == "":
            newer_letters.append(cp)
    sample = sorted(set(pinned + newer_letters[::25] + unassigned[::97]))
    points = []
    for cp in sample:
        c = chr(cp)
        rf = default_process(c)
        points.append({"cp": cp, "rf": ord(rf) if rf else -1, "lower": [ord(x) for x in c.lower()], "alnum": c.isalnum()})
    strings = ["ΟΔΟΣ", "ΟΔΟΣ.", "Σ", "ΑΣΑ", "ΑΣ\u0301", "Α\u0301Σ", "1Σ", "ΑΣ1", "İstanbul", "ǅUNGLA",
               "ABC\ua7cbDEF", "\U00010d50\U00010d70X", "Ⅻ ⓐⒶ", "ẞ STRASSE", "ΑΣ\U0001d165"]
    header = dict(base_header)
    header["generator"] = "scripts/oracle.py write_unicode (through scripts/oracle.sh)"
    header["sample"] = ("pinned cases, every 25th Python 3.11 alphanumeric that rapidfuzz's default_process blanks (%d in all), "
                        "every 97th code point below U+32000 unassigned in Unicode %s (%d in all)"
                        % (len(newer_letters), unicodedata.unidata_version, len(unassigned)))
    data = {
        "header": header,
        "points": points,
        "lower": [{"s": s, "lower": s.lower(), "rf": default_process(s)} for s in strings],
    }
    with open(os.path.join(OUT_DIR, "unicode.json"), "w", encoding="utf-8") as fp:
        json.dump(data, fp, ensure_ascii=False, indent=0)
        fp.write("\n")


if __name__ == "__main__":
    main()
