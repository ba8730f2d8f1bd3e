"""Build glossary/ctlex.tbx from reviewed JSON concept drafts (one-off import tool).

The TBX file is canonical once written; this script exists so the import of the first drafts is
reproducible and reviewable.  Usage: python scripts/build_glossary.py DRAFT.json... -o glossary/ctlex.tbx
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ctlex.glossary import Concept, Glossary, Source, Term


def concept_from_draft(d: dict) -> Concept:
    c = Concept(
        id=d["id"],
        type=d["type"],
        subject=d.get("subject") or None,
        definition=d.get("definition") or None,
        notes=[d["note"]] if d.get("note") else [],
        sources=[Source(s["file"], s["sentence"]) for s in d.get("sources", [])],
    )
    for lang in ("ar", "en"):
        for t in d.get(lang, []):
            c.terms.append(
                Term(
                    text=t["text"].strip(),
                    lang=lang,
                    status=t.get("status", "admitted"),
                    pos=t.get("pos") or None,
                    term_type=t.get("termType") or None,
                    note=t.get("note") or None,
                )
            )
    return c


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("drafts", nargs="+")
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    g = Glossary(title="ctlex counter-terrorism glossary (Arabic–English)",
                 description="Terms and names from five Arabic articles on counter-terrorism cooperation; see README.")
    for p in args.drafts:
        for d in json.loads(Path(p).read_text(encoding="utf-8")):
            g.add(concept_from_draft(d))
    g.save(args.output)
    print(f"{len(g)} concepts -> {args.output}")


if __name__ == "__main__":
    main()
