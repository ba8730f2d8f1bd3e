"""Regenerate glossary/ctlex.po from the canonical glossary/ctlex.tbx.

Run after every edit of the TBX file:  python scripts/sync_po.py
(tests/test_data.py fails while the two are out of sync).  ``--check`` only compares.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from ctlex.glossary import Glossary

ROOT = Path(__file__).resolve().parents[1]
TBX = ROOT / "glossary" / "ctlex.tbx"
PO = ROOT / "glossary" / "ctlex.po"


def render_po(tbx: Path = TBX) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "ctlex.po"
        Glossary.load(tbx).save(out)
        return out.read_bytes()


def main(argv: list[str]) -> int:
    data = render_po()
    if "--check" in argv:
        ok = PO.is_file() and PO.read_bytes() == data
        print("glossary/ctlex.po is in sync" if ok else "glossary/ctlex.po is OUT OF SYNC: run python scripts/sync_po.py")
        return 0 if ok else 1
    from ctlex.formats._io import atomic_write

    with atomic_write(PO, "wb") as f:
        f.write(data)
    print(f"wrote {PO.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
