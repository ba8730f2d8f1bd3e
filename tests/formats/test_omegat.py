"""OmegaT (Debian package ``omegat``) as a real consumer, headless.

A generated OmegaT project gets the exported TMX in ``tm/auto/`` and the exported glossary in
``glossary/``; ``--mode=console-translate`` loads it and writes the target document, where the
segments found in the TM must come out translated.  OmegaT's own glossary reader
(``GlossaryReaderTSV``, run through a small Java probe) must read every glossary line back with
the same source, target and comment.  Skipped only where OmegaT or Java is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ctlex import formats
from ctlex.glossary import Glossary
from ctlex.segment import Segment

OMEGAT_JAR = Path(os.environ.get("OMEGAT_JAR", "/usr/share/omegat/OmegaT.jar"))
PROBE = Path(__file__).with_name("OmegaTGlossaryProbe.java")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not OMEGAT_JAR.is_file() or shutil.which("java") is None,
                       reason="OmegaT is not installed (apt-get install omegat) or java is missing"),
]

PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<omegat>
  <project version="1.0">
    <source_dir>__DEFAULT__</source_dir>
    <source_dir_excludes><mask>**/.svn/**</mask></source_dir_excludes>
    <target_dir>__DEFAULT__</target_dir>
    <tm_dir>__DEFAULT__</tm_dir>
    <glossary_dir>__DEFAULT__</glossary_dir>
    <glossary_file>__DEFAULT__</glossary_file>
    <dictionary_dir>__DEFAULT__</dictionary_dir>
    <source_lang>AR</source_lang>
    <target_lang>EN</target_lang>
    <source_tok>org.omegat.tokenizer.LuceneArabicTokenizer</source_tok>
    <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
    <sentence_seg>false</sentence_seg>
    <support_default_translations>true</support_default_translations>
    <remove_tags>false</remove_tags>
  </project>
</omegat>
"""

TM = [
    Segment("وأكد دو كيرشوف أن التعاون مع يوروبول ضروري.", "De Kerchove stressed that cooperation with Europol is essential.", id="t1"),
    Segment("انضم المقاتلون الأجانب إلى الجماعات الإرهابية.", "Foreign terrorist fighters joined terrorist groups.", id="t2"),
    Segment("أعلن المنتدى العالمي لمكافحة الإرهاب عن مبادرة جديدة.", "The Global Counterterrorism Forum announced a new initiative.", id="t3"),
]
NEW = "هذه جملة لا توجد في الذاكرة."


def _java_env() -> dict[str, str]:
    env = dict(os.environ)
    env["JAVA_TOOL_OPTIONS"] = "-Djava.awt.headless=true"
    env.setdefault("HOME", "/tmp")
    return env


def test_omegat_loads_exported_tmx_and_glossary(mini_glossary: Glossary, tmp_path: Path) -> None:
    if "tmx" not in formats.FORMATS:
        pytest.skip("the TMX format is not registered yet")
    proj = tmp_path / "proj"
    for d in ("source", "target", "tm/auto", "glossary", "omegat", "dictionary"):
        (proj / d).mkdir(parents=True)
    (proj / "omegat.project").write_text(PROJECT, encoding="utf-8")
    formats.write_segments(TM, proj / "tm" / "auto" / "ctlex.tmx", format="tmx")
    formats.write_glossary(mini_glossary, proj / "glossary" / "ctlex.utf8", format="tsv")
    doc = [TM[0].source, NEW, TM[2].source]
    (proj / "source" / "doc.txt").write_text("\n\n".join(doc) + "\n", encoding="utf-8")

    run = subprocess.run(["java", "-jar", str(OMEGAT_JAR), str(proj), "--mode=console-translate"],
                         capture_output=True, text=True, timeout=120, env=_java_env(), cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "ctlex.tmx" in run.stdout + run.stderr  # OmegaT read our TMX
    out = (proj / "target" / "doc.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in out.split("\n") if p.strip()]
    # the two sentences the TM holds are translated by OmegaT from tm/auto; the new one is not
    assert paragraphs == [TM[0].target, NEW, TM[2].target]

    probe = subprocess.run(["java", "-cp", str(OMEGAT_JAR), str(PROBE), str(proj / "glossary" / "ctlex.utf8")],
                           capture_output=True, timeout=120, env=_java_env())
    assert probe.returncode == 0, probe.stderr.decode(errors="replace")[-2000:]
    got = [ln.split("\t") for ln in probe.stdout.decode("utf-8").splitlines()]
    want = [ln.split("\t") for ln in (proj / "glossary" / "ctlex.utf8").read_text(encoding="utf-8").splitlines()
            if not ln.startswith("#")]
    assert got == want
    # OmegaT sees the concept's preferred rendering for each Arabic term, with the id in the comment
    assert ["يوروبول", "Europol"] == got[0][:2] and got[0][2].startswith("[europol]")
    assert ["المنتدى العالمي لمكافحة الإرهاب", "GCTF"] in [g[:2] for g in got]
