#!/usr/bin/env python3
"""Consistency check for the extra development sets in this directory.

Standard library only.  Usage:

    python verify_extra.py [path/to/ctlex.tbx]

Checks headers, id formats and uniqueness, column counts (so no tab inside a
field), UTF-8 / LF encoding, that every gold offset gives its surface, that every
concept_id exists in the glossary TBX (or is RESOLUTION:NNNN), that gold spans
do not overlap, and that every trap word occurs in its sentence.  As information
only, it also lists glossary Arabic terms found verbatim in everyday_ar.tsv
(after light orthographic normalisation); those are meant to be homographs
(القاعدة "base/rule", مالي "financial/my money" ...), not concept mentions.
Exits 1 if any check fails.
"""
import collections
import os
import re
import sys
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TBX = os.path.join(HERE, "..", "..", "glossary", "ctlex.tbx")
TAGS = {"exact", "clitic", "form", "inflection", "resolution", "translit", "surname",
        "spelling", "metonymy", "article", "inside a non-glossary name", "digits",
        "adjective", "quotes"}

errors = []


def err(msg):
    errors.append(msg)


def read_tsv(name, header, ncols):
    path = os.path.join(HERE, name)
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(f"{name}: not UTF-8 ({e})")
        return []
    if "\r" in text:
        err(f"{name}: contains CR characters (LF line endings expected)")
    if not text.endswith("\n"):
        err(f"{name}: last line does not end with LF")
    lines = text.split("\n")[:-1]
    if not lines or lines[0] != header:
        err(f"{name}: header is {lines[0]!r}, expected {header!r}")
    rows = []
    for n, line in enumerate(lines[1:], 2):
        f = line.split("\t")
        if len(f) != ncols:
            err(f"{name}:{n}: {len(f)} fields, expected {ncols}")
            continue
        if any(x != x.strip() or x == "" for x in f[:ncols - 1]) or f[-1] != f[-1].strip():
            err(f"{name}:{n}: empty field or leading/trailing whitespace")
        rows.append(f)
    return rows


def unique_ids(name, rows, pattern):
    seen = set()
    for r in rows:
        if not re.fullmatch(pattern, r[0]):
            err(f"{name}: bad id {r[0]!r}")
        if r[0] in seen:
            err(f"{name}: duplicate id {r[0]}")
        seen.add(r[0])
    return seen


def load_glossary(tbx):
    root = ET.parse(tbx).getroot()
    concepts = {}
    for ce in root.iter():
        if ce.tag.split("}")[-1] == "conceptEntry":
            terms = {t.text.strip() for t in ce.iter()
                     if t.tag.split("}")[-1] == "term" and t.text and t.text.strip()}
            concepts[ce.get("id")] = terms
    return concepts


def norm(s):
    s = re.sub("[\u064b-\u0652\u0670\u0640]", "", s)
    s = re.sub("[أإآٱ]", "ا", s)
    return s.replace("ى", "ي").replace("ة", "ه")


def main():
    tbx = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_TBX
    concepts = load_glossary(tbx)
    print(f"glossary: {len(concepts)} concepts from {os.path.normpath(tbx)}")

    # everyday
    ev = read_tsv("everyday_ar.tsv", "#sid\tsentence", 2)
    unique_ids("everyday_ar.tsv", ev, r"e\d{4}")
    if [r[0] for r in ev] != [f"e{i:04d}" for i in range(1, len(ev) + 1)]:
        err("everyday_ar.tsv: ids are not e0001.. in order")
    if len({r[1] for r in ev}) != len(ev):
        err("everyday_ar.tsv: duplicate sentences")
    lengths = [len(r[1].split()) for r in ev]
    if lengths and (min(lengths) < 6 or max(lengths) > 35):
        err(f"everyday_ar.tsv: sentence length out of 6-35 words ({min(lengths)}-{max(lengths)})")

    # news
    news = read_tsv("news_ar.tsv", "#sid\tsentence", 2)
    unique_ids("news_ar.tsv", news, r"n\d{3}")
    sent = {r[0]: r[1] for r in news}
    gold = read_tsv("news_gold.tsv", "#sid\tstart\tend\tsurface\tconcept_id\tnote", 6)
    spans = collections.defaultdict(list)
    tagcount = collections.Counter()
    ncid = collections.Counter()
    for sid, a, b, surf, cid, note in gold:
        if sid not in sent:
            err(f"news_gold.tsv: unknown sid {sid}")
            continue
        try:
            a, b = int(a), int(b)
        except ValueError:
            err(f"news_gold.tsv: {sid}: non-integer offsets")
            continue
        if sent[sid][a:b] != surf:
            err(f"news_gold.tsv: {sid} [{a}:{b}] gives {sent[sid][a:b]!r}, not {surf!r}")
        if cid.startswith("RESOLUTION:"):
            if not re.fullmatch(r"RESOLUTION:\d{3,4}", cid):
                err(f"news_gold.tsv: {sid}: bad resolution id {cid}")
        elif cid not in concepts:
            err(f"news_gold.tsv: {sid}: concept_id {cid!r} not in the glossary")
        tags = [t for t in note.split(";") if t]
        for t in tags:
            if t not in TAGS:
                err(f"news_gold.tsv: {sid}: unknown note tag {t!r}")
            tagcount[t] += 1
        is_exact = cid in concepts and surf in concepts[cid]
        if is_exact != ("exact" in tags):
            err(f"news_gold.tsv: {sid}: 'exact' tag wrong for {surf!r}")
        spans[sid].append((a, b))
        ncid[cid] += 1
    order = [(g[0], int(g[1])) for g in gold]
    if order != sorted(order):
        err("news_gold.tsv: rows are not in sid/start order")
    for sid, ss in spans.items():
        ss.sort()
        for (a1, b1), (a2, b2) in zip(ss, ss[1:]):
            if a2 < b1:
                err(f"news_gold.tsv: {sid}: overlapping spans {a1}-{b1} and {a2}-{b2}")

    traps = read_tsv("news_traps.tsv", "#sid\ttrap_word\twhy", 3)
    for sid, word, why in traps:
        if sid not in sent:
            err(f"news_traps.tsv: unknown sid {sid}")
        elif word not in sent[sid]:
            err(f"news_traps.tsv: {sid}: trap word {word!r} not in sentence")
    if len(traps) != len({(t[0], t[1]) for t in traps}):
        err("news_traps.tsv: duplicate rows")

    # person names
    names = read_tsv("person_names.tsv", "#id\tar\ten", 3)
    unique_ids("person_names.tsv", names, r"pn\d{3}")
    if len({r[1] for r in names}) != len(names):
        err("person_names.tsv: duplicate Arabic names")
    for r in names:
        if not re.fullmatch(r"[\u0621-\u064a ]+", r[1]):
            err(f"person_names.tsv: {r[0]}: unexpected characters in {r[1]!r}")
        if not re.fullmatch(r"[A-Za-z' -]+", r[2]):
            err(f"person_names.tsv: {r[0]}: unexpected characters in {r[2]!r}")

    # info: glossary Arabic terms found verbatim in the everyday sentences
    arterms = {}
    for cid, terms in concepts.items():
        for t in terms:
            if re.search("[\u0600-\u06ff]", t):
                arterms.setdefault(norm(t), set()).add(cid)
    found = collections.Counter()
    for sid, s in ev:
        ns = norm(s)
        for t, cids in arterms.items():
            if re.search(r"(?<!\w)(?:[وفبكل]|ال|لل|وال|بال|كال|وبال|فال)?" + re.escape(t) + r"(?!\w)", ns):
                found[(t, ",".join(sorted(cids)))] += 1

    print(f"everyday_ar.tsv: {len(ev)} sentences, {min(lengths)}-{max(lengths)} words")
    print(f"news_ar.tsv: {len(news)} sentences; news_gold.tsv: {len(gold)} rows, "
          f"{len(ncid)} distinct ids ({sum(v for k, v in ncid.items() if k.startswith('RESOLUTION:'))} RESOLUTION rows); "
          f"news_traps.tsv: {len(traps)} rows in {len({t[0] for t in traps})} sentences")
    print("note tags: " + ", ".join(f"{k} {v}" for k, v in tagcount.most_common()))
    print(f"person_names.tsv: {len(names)} names")
    print("info - glossary terms occurring verbatim in everyday_ar.tsv (intended homographs):")
    for (t, c), n in sorted(found.items(), key=lambda x: -x[1]):
        print(f"  {t} [{c}]: {n} sentence(s)")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print("  " + e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
