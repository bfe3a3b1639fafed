#!/usr/bin/env python3
"""A team's own grading loop, the peer of `grade eval` in bench/peers.bench.js.

    peer.py METRIC DATA OUT [WORDNET_DICT]

Reads DATA (JSON lines {"item": {"reference": ...}, "sample": "..."}) line by line with
json.loads, scores each row with the reference library, writes one JSON line per row to OUT, and
prints {"rows": n, "compute_s": seconds spent in the metric calls alone, "version": ...}.
Exit 3 when the library is not installed (the bench skips that peer).
"""
import json
import os
import shutil
import sys
import tempfile
import time

metric, data, out = sys.argv[1], sys.argv[2], sys.argv[3]

try:
    if metric == "fuzzy_match":
        import rapidfuzz
        from rapidfuzz import fuzz, utils

        def score(a, b):
            return fuzz.WRatio(a, b, processor=utils.default_process) / 100

        version = "rapidfuzz " + rapidfuzz.__version__
    elif metric in ("bleu", "gleu", "meteor"):
        import nltk

        version = "nltk " + nltk.__version__
        if metric == "bleu":
            from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu

            smoothing = SmoothingFunction().method1

            def score(a, b):
                return sentence_bleu([b.split()], a.split(), smoothing_function=smoothing)

        elif metric == "gleu":
            from nltk.translate.gleu_score import sentence_gleu

            def score(a, b):
                return sentence_gleu([b.split()], a.split())

        else:
            from nltk.corpus.reader.wordnet import WordNetCorpusReader
            from nltk.translate.meteor_score import meteor_score

            source = sys.argv[4] if len(sys.argv) > 4 else "/usr/share/wordnet"
            root = tempfile.mkdtemp(prefix="peer-wordnet-")
            for name in os.listdir(source):
                if name.startswith(("index.", "data.")) or name.endswith(".exc"):
                    shutil.copyfile(os.path.join(source, name), os.path.join(root, name))
            names = ("adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
                     "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
                     "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
                     "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
                     "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
                     "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl").split()
            with open(os.path.join(root, "lexnames"), "w") as fp:
                for i, n in enumerate(names):
                    fp.write("%02d\t%s\t%s\n" % (i, n, {"adj": 3, "adv": 4, "noun": 1, "verb": 2}[n.split(".")[0]]))
            nltk.data.path.insert(0, root)
            WordNetCorpusReader.map_wn = lambda self, version="wordnet": None
            wn = WordNetCorpusReader(root, None)

            def score(a, b):
                return meteor_score([b.split()], a.split(), wordnet=wn)

    elif metric.startswith("rouge_"):
        from rouge import rouge_scorer

        kind = "rougeL" if metric == "rouge_l" else "rouge" + metric[-1]
        scorer = rouge_scorer.RougeScorer([kind], use_stemmer=False)
        version = "google-research rouge"

        def score(a, b):
            return scorer.score(b, a)[kind].fmeasure

    else:
        sys.exit("peer.py: unknown metric %s" % metric)
except ImportError as e:
    print("not installed: %s" % e, file=sys.stderr)
    sys.exit(3)

rows = 0
compute = 0.0
clock = time.perf_counter
with open(data, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
    for line in src:
        if not line.strip():
            continue
        row = json.loads(line)
        t = clock()
        reward = score(row["sample"], row["item"]["reference"])
        compute += clock() - t
        rows += 1
        dst.write(json.dumps({"row": rows, "reward": reward}) + "\n")
print(json.dumps({"rows": rows, "compute_s": compute, "version": version}))
