#!/usr/bin/env python
"""Build ``tm/articles.tmx`` from the sentence-aligned drafts of the five seed articles.

Input: ``drafts/tm/*.json`` (beside the repository, or ``--drafts DIR``), one list per article of
``{"file", "para", "sent", "ar", "en"}`` records in reading order.  Output: a TMX 1.4b file, srclang
``ar``, one ``<tu>`` per sentence with ``tuid`` ``"000-p3-s2"`` (article number, paragraph,
sentence) and ``<prop>``\\ s ``x-file``, ``x-paragraph`` and ``x-sentence``.

Nothing is dropped: repeated boilerplate (share buttons, "Loading ...") stays, so every sentence
of every article has its unit and the TMX mirrors the articles; merging duplicates is the TM
store's job (``ctlex tm import``).  The only edit is :data:`OFFICIAL_NAMES`: official names keep
their own spelling, whatever the surrounding English uses.

Example:
    python scripts/build_tm.py                 # writes tm/articles.tmx
    python scripts/build_tm.py --drafts ../drafts/tm -o /tmp/articles.tmx
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ctlex.formats.tmx import write_segments  # noqa: E402
from ctlex.segment import Segment  # noqa: E402

# Renderings the drafts got wrong: an organisation's own name is spelt the organisation's way
# (the ECCI writes "Centre" and "Counterterrorism"; the OIC writes "Organisation").
OFFICIAL_NAMES: dict[str, str] = {
    "European Center for Counter-Terrorism and Intelligence Studies": "European Centre for Counterterrorism and Intelligence Studies",
    "Organization of Islamic Cooperation": "Organisation of Islamic Cooperation",
}


def fix_names(text: str) -> str:
    """Apply :data:`OFFICIAL_NAMES` to an English rendering.

    >>> fix_names("Copyright reserved to the European Center for Counter-Terrorism and Intelligence Studies")
    'Copyright reserved to the European Centre for Counterterrorism and Intelligence Studies'
    """
    for wrong, right in OFFICIAL_NAMES.items():
        text = text.replace(wrong, right)
    return text


def segments(drafts: Path) -> Iterator[Segment]:
    """One segment per draft record, in file then reading order."""
    files = sorted(drafts.glob("*.json"))
    if not files:
        raise SystemExit(f"build_tm: no *.json drafts in {drafts}")
    for path in files:
        records = json.loads(path.read_text(encoding="utf-8"))
        for r in records:
            ar, en = r["ar"].strip(), fix_names(r["en"]).strip()  # Arabic kept exactly as in the article
            if not ar or not en:
                raise SystemExit(f"build_tm: {path.name}: empty side in paragraph {r['para']} sentence {r['sent']}")
            num = r["file"].split("_", 1)[0]
            tuid = f"{num}-p{r['para']}-s{r['sent']}"
            yield Segment(
                source=ar,
                target=en,
                source_lang="ar",
                target_lang="en",
                id=tuid,
                origin=f"{r['file']}#{tuid}",
                props={"x-file": r["file"], "x-paragraph": str(r["para"]), "x-sentence": str(r["sent"])},
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--drafts", type=Path, default=ROOT.parent / "drafts" / "tm")
    ap.add_argument("-o", "--output", type=Path, default=ROOT / "tm" / "articles.tmx")
    args = ap.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    n = write_segments(segments(args.drafts), args.output, srclang="ar", adminlang="en", creationtool="ctlex",
                       header_props={"x-corpus": "ctlex seed articles (shared/seeds), sentence-aligned"})
    print(f"wrote {n} units to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
