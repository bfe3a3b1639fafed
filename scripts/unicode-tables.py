#!/usr/bin/env python3
"""Code-point tables of the reference libraries, for src/engine/metrics/unicode-data.ts.

Run by hand (not in CI), with a Python 3.11 that has rapidfuzz installed (e.g. the oracle
virtualenv of scripts/oracle.sh):

    /tmp/oracle/bin/python scripts/unicode-tables.py \
        [--rapidfuzz-header unicodetype_db.h] > src/engine/metrics/unicode-data.ts

The tables come from the references themselves, never from Node's Unicode:

* RF: what compiled `rapidfuzz.utils.default_process` does to each code point (its own bundled
  CPython type table, Unicode 13-era; unchanged from 3.10.1, the service's pin, to 3.14.x):
  -1 = not alphanumeric (becomes a space), otherwise the delta to the code point it becomes.
  Derived by calling the installed wheel's `default_process(chr(cp))` for all 0x110000 code
  points. With --rapidfuzz-header (src/rapidfuzz/unicodetype_db.h of the RapidFuzz tag v3.10.1)
  the table is also computed from that file the way utils.cpp's `UnicodeDefaultProcess` reads it,
  and the script fails unless both agree on every code point.
* PYLOWER: Python's `chr(cp).lower()` — a delta, or an index into PYLOWER_SPECIAL for the
  mappings to several code points (U+0130).
* PYCASE: the two properties Python's final-sigma rule reads (`str.lower()` of U+03A3), probed
  through `str.lower()` itself: 1 = case-ignorable (skipped), 2 = cased (and not ignorable),
  0 = neither.
* PYALNUM: `chr(cp).isalnum()` (1/0).

Each table is run-length encoded over the code points: "length:value" runs joined by ",",
with lengths and values in base 36; a run "*length:value" is an alternating run (value,
0, value, 0, ...) — how upper/lowercase pairs are laid out in Latin Extended and elsewhere.
"""

import argparse
import re
import sys
import unicodedata

MAX = 0x110000


def rf_table():
    from rapidfuzz.utils import default_process

    out = []
    for cp in range(MAX):
        r = default_process(chr(cp))
        if r == "":
            out.append(-1)
        else:
            if len(r) != 1:
                raise SystemExit("default_process(U+%04X) gave %r" % (cp, r))
            out.append(ord(r) - cp)
    return out


def rf_table_from_header(path):
    text = open(path, encoding="utf-8").read()

    def array(name):
        m = re.search(r"%s\[\]\s*=\s*\{(.*?)\};" % re.escape(name), text, re.S)
        if not m:
            raise SystemExit("%s: no array %s" % (path, name))
        return m.group(1)

    records = [
        [int(x) for x in rec.split(",")]
        for rec in re.findall(r"\{([^{}]*)\}", array("_PyUnicode_TypeRecords"))
    ]
    extended = [int(x, 0) for x in re.findall(r"-?\w+", array("_PyUnicode_ExtendedCase"))]
    index1 = [int(x) for x in re.findall(r"\d+", array("index1"))]
    index2 = [int(x) for x in re.findall(r"\d+", array("index2"))]
    shift = int(re.search(r"#define SHIFT (\d+)", text).group(1))
    ALPHA, DECIMAL, DIGIT, NUMERIC, EXTENDED = 0x01, 0x02, 0x04, 0x800, 0x4000
    out = []
    for cp in range(MAX):
        index = index1[cp >> shift]
        index = index2[(index << shift) + (cp & ((1 << shift) - 1))]
        _upper, lower, _title, _dec, _dig, flags = records[index]
        if not flags & (ALPHA | DECIMAL | DIGIT | NUMERIC):
            out.append(-1)
        elif flags & EXTENDED:
            out.append(extended[lower & 0xFFFF] - cp)
        else:
            # C++ adds the int delta as uint32 arithmetic; deltas never wrap here.
            out.append(lower)
    return out


def py_tables():
    lower, special, case, alnum = [], [], [], []
    sigma = "\u03a3"
    for cp in range(MAX):
        c = chr(cp)
        low = c.lower()
        if len(low) == 1:
            lower.append(ord(low) - cp)
        else:
            # Encoded as 0x110000 + index, outside any delta's range.
            lower.append(MAX + len(special))
            special.append([ord(x) for x in low])
        if ("A" + sigma + c).lower()[1] == "\u03c3":
            case.append(2)  # cased, not ignorable: the sigma before it is not final
        elif ("A" + c + sigma).lower()[-1] == "\u03c2":
            case.append(1)  # skipped: "A" counts as the preceding cased letter
        else:
            case.append(0)
        alnum.append(1 if c.isalnum() else 0)
    return lower, special, case, alnum


def b36(n):
    if n < 0:
        return "-" + b36(-n)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if n == 0:
            return s


def encode(values):
    runs = []
    i = 0
    n = len(values)
    while i < n:
        v = values[i]
        j = i + 1
        while j < n and values[j] == v:
            j += 1
        if j - i == 1 and v != 0 and i + 1 < n and values[i + 1] == 0:
            # Alternating run v, 0, v, 0, ... (at least two pairs to be worth it).
            k = i
            while k + 1 < n and values[k] == v and values[k + 1] == 0:
                k += 2
            if k - i >= 4:
                runs.append("*%s:%s" % (b36(k - i), b36(v)))
                i = k
                continue
        runs.append("%s:%s" % (b36(j - i), b36(v)))
        i = j
    return ",".join(runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rapidfuzz-header", help="src/rapidfuzz/unicodetype_db.h of RapidFuzz v3.10.1")
    args = parser.parse_args()
    import rapidfuzz

    if sys.version_info[:2] != (3, 11):
        raise SystemExit("unicode-tables.py: needs Python 3.11 (the service's python), not %s" % sys.version)
    rf = rf_table()
    checked = "not checked against the v3.10.1 source"
    if args.rapidfuzz_header:
        ref = rf_table_from_header(args.rapidfuzz_header)
        diff = [cp for cp in range(MAX) if ref[cp] != rf[cp]]
        if diff:
            raise SystemExit(
                "rapidfuzz %s differs from %s on %d code points, e.g. %s"
                % (rapidfuzz.__version__, args.rapidfuzz_header, len(diff), ["U+%04X" % d for d in diff[:10]])
            )
        checked = "identical, on all 0x110000 code points, to the table of RapidFuzz v3.10.1's src/rapidfuzz/unicodetype_db.h as utils.cpp reads it"
    lower, special, case, alnum = py_tables()
    out = sys.stdout
    out.write("// Generated by scripts/unicode-tables.py — do not edit. See that script for the format.\n")
    out.write("// rapidfuzz %s default_process (%s);\n" % (rapidfuzz.__version__, checked))
    out.write("// Python %s str.lower() / str.isalnum() (unicodedata %s).\n" % (sys.version.split()[0], unicodedata.unidata_version))
    out.write('export const RAPIDFUZZ_VERSION = "%s";\n' % rapidfuzz.__version__)
    out.write('export const PYTHON_VERSION = "%s";\n' % sys.version.split()[0])
    out.write('export const PYTHON_UNICODE_VERSION = "%s";\n' % unicodedata.unidata_version)
    out.write('export const RF_PROCESS = "%s";\n' % encode(rf))
    out.write('export const PY_LOWER = "%s";\n' % encode(lower))
    out.write("export const PY_LOWER_SPECIAL: readonly (readonly number[])[] = %s;\n" % special)
    out.write('export const PY_CASE = "%s";\n' % encode(case))
    out.write('export const PY_ALNUM = "%s";\n' % encode(alnum))


if __name__ == "__main__":
    main()
