from rapidfuzz import fuzz, utils


def grade(sample, item) -> float:
    """1.0 when the required clinical phrase appears (fuzzily) in the output."""
    phrase = item["required_phrase"]
    text = sample["output_text"]
    return fuzz.partial_ratio(phrase, text, processor=utils.default_process) / 100.0
