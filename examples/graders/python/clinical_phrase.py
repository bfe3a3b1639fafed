from difflib import SequenceMatcher


def grade(sample, item) -> float:
    """How well the required clinical phrase appears in the output: 1.0 verbatim (any case),
    else the best similarity of the phrase to a same-length stretch of words of the output."""
    phrase = " ".join(item["required_phrase"].lower().split())
    words = sample["output_text"].lower().split()
    if phrase in " ".join(words):
        return 1.0
    size = len(phrase.split())
    best = 0.0
    for start in range(max(1, len(words) - size + 1)):
        window = " ".join(words[start:start + size])
        best = max(best, SequenceMatcher(None, phrase, window).ratio())
    return round(best, 4)
