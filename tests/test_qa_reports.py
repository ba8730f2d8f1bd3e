"""``ctlex check`` reports and flags: HTML (in a real headless Chromium), XLSX, JSON, suppressions, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctlex.cli import cli
from ctlex.segment import Segment

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

SEGS = [
    Segment("تعاون مع يوروبول", "cooperation with Eurojust", id="u1"),
    Segment("القرار ٢١٧٨", "resolution 2179", id="u2"),
    Segment("وأعلن يوروبول", "Europol announced", id="u3"),
    Segment("قال جيل دو كيرشوف", "Gilles de Kerchov said", id="u4"),
    Segment("تعاون مع الإنتربول", "cooperation with Interpol", id="u5"),
]


@pytest.fixture()
def files(tmp_path: Path, mini_glossary):  # type: ignore[no-untyped-def]
    from ctlex.formats import write_segments

    g = tmp_path / "mini.tbx"
    mini_glossary.save(g)
    f = tmp_path / "draft.tmx"
    write_segments(SEGS, f, "tmx")
    return f, g


def _run(*args: str) -> "object":
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


def test_json_adds_fields_and_keeps_the_contract(files) -> None:  # type: ignore[no-untyped-def]
    f, g = files
    r = _run(str(f), "--glossary", str(g), "--json")
    assert r.exit_code == 1  # type: ignore[attr-defined]
    d = json.loads(r.output)  # type: ignore[attr-defined]
    assert d["segments"] == 5
    kinds = {(i["segment"], i["kind"], i["severity"]) for i in d["issues"]}
    assert kinds == {("u1", "missing-term", "error"), ("u2", "number-mismatch", "error"), ("u4", "misspelt-term", "error"),
                     ("u5", "deprecated-term", "warning")}
    for i in d["issues"]:
        assert {"segment", "kind", "id", "source_term", "expected", "target", "severity"} <= set(i)
    assert d["counts"]["missing-term"] == 1 and d["severities"] == {"error": 3, "warning": 1}


def test_fail_on_sets_the_exit_status(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    from ctlex.formats import write_segments

    _, g = files
    f = tmp_path / "warn.tmx"
    write_segments([SEGS[2], SEGS[4]], f, "tmx")  # only a deprecated term: a warning
    assert _run(str(f), "--glossary", str(g)).exit_code == 1  # type: ignore[attr-defined]
    assert _run(str(f), "--glossary", str(g), "--fail-on", "error").exit_code == 0  # type: ignore[attr-defined]
    assert _run(str(f), "--glossary", str(g), "--fail-on", "nonsense").exit_code == 2  # type: ignore[attr-defined]


def test_suppressions_round_trip(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    f, g = files
    ign = tmp_path / "accepted.tsv"
    r = _run(str(f), "--glossary", str(g), "--write-ignore", str(ign))
    assert r.exit_code == 1  # type: ignore[attr-defined]
    lines = ign.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "segment-or-source-text\tconcept\tkind" and "u1\teuropol\tmissing-term" in lines
    r = _run(str(f), "--glossary", str(g), "--ignore", str(ign))
    assert r.exit_code == 0 and "no issues; 4 suppressed" in r.output  # type: ignore[attr-defined]
    # drop one accepted row: that issue comes back, alone
    ign.write_text("\n".join(x for x in lines if "misspelt-term" not in x) + "\n", encoding="utf-8")
    d = json.loads(_run(str(f), "--glossary", str(g), "--ignore", str(ign), "--json").output)  # type: ignore[attr-defined]
    assert [(i["segment"], i["kind"]) for i in d["issues"]] == [("u4", "misspelt-term")] and d["suppressed"] == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("content, where", [
    ("seg\tconcept\tkind\n", ":1: expected the header"),
    ("segment-or-source-text\tconcept\tkind\nu1\teuropol\n", ":2: expected 3 tab-separated columns"),
    ("segment-or-source-text\tconcept\tkind\nu1\teuropol\tmissing\n", ":2: unknown issue kind 'missing'"),
])
def test_bad_suppression_file_is_one_line_exit_2(tmp_path: Path, files, content: str, where: str) -> None:  # type: ignore[no-untyped-def]
    f, g = files
    ign = tmp_path / "bad.tsv"
    ign.write_text(content, encoding="utf-8")
    r = CliRunner().invoke(cli, ["check", str(f), "--glossary", str(g), "--ignore", str(ign)])
    assert r.exit_code == 2
    assert f"{ign}{where}" in r.output and "Traceback" not in r.output
    assert len([x for x in r.output.splitlines() if x.strip()]) == 1


def test_unwritable_or_unknown_output_is_exit_2(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    f, g = files
    for out, msg in ((tmp_path / "no" / "such" / "r.html", "cannot write"), (tmp_path / "r.doc", "unknown report type"),
                     (tmp_path, "")):
        r = CliRunner().invoke(cli, ["check", str(f), "--glossary", str(g), "-o", str(out)])
        assert r.exit_code == 2 and "Traceback" not in r.output and msg in r.output, r.output


def test_xlsx_report(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    f, g = files
    out = tmp_path / "review.xlsx"
    assert _run(str(f), "--glossary", str(g), "-o", str(out)).exit_code == 1  # type: ignore[attr-defined]
    wb = load_workbook(out)
    ws = wb["Issues"]
    head = [c.value for c in ws[1]]
    assert head[:4] == ["segment", "severity", "kind", "concept"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4 and {r[2] for r in rows} == {"missing-term", "number-mismatch", "misspelt-term", "deprecated-term"}
    src_col = head.index("source (Arabic)") + 1
    assert ws.cell(2, src_col).alignment.readingOrder == 2 and ws.cell(2, src_col).alignment.horizontal == "right"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    assert dict(wb["Counts"].iter_rows(min_row=2, max_row=5, values_only=True))["missing-term"] == 1


def _html(tmp_path: Path, files) -> Path:  # type: ignore[no-untyped-def]
    f, g = files
    out = tmp_path / "review.html"
    assert _run(str(f), "--glossary", str(g), "-o", str(out)).exit_code == 1  # type: ignore[attr-defined]
    return out


def test_html_is_self_contained(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    text = _html(tmp_path, files).read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text) and "@import" not in text
    assert '<td class="src" dir="rtl" lang="ar">تعاون مع <mark>يوروبول</mark></td>' in text
    assert "<mark>Gilles de Kerchov</mark> said" in text  # the near miss highlighted in the target
    assert 'data-count-kind="missing-term">1<' in text


def _chromium(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (.ci/run installs it with apt-get)")
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900"]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=90)


def test_html_filters_run_in_a_real_browser(tmp_path: Path, files) -> None:  # type: ignore[no-untyped-def]
    out = _html(tmp_path, files)
    url = out.as_uri()
    dom = _chromium(["--dump-dom", url], tmp_path).stdout
    assert 'data-ready="1"' in dom and 'data-shown="4"' in dom  # the script ran: every row shown
    dom = _chromium(["--dump-dom", url + "#kind=missing-term,number-mismatch&severity=error"], tmp_path).stdout
    assert 'data-shown="2"' in dom and '<span id="shown">2</span>' in dom
    assert dom.count('class="issue hidden"') == 2
    dom = _chromium(["--dump-dom", url + "#severity=warning"], tmp_path).stdout
    assert 'data-shown="1"' in dom
    png = tmp_path / "shot.png"
    _chromium([f"--screenshot={png}", url], tmp_path)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_style_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ctlex.cli import check_cmds
    from ctlex.formats import write_segments
    from ctlex.glossary import Concept, Glossary, Term

    gl = Glossary(title="s")  # in memory: TBX styles (customerSubset) are the glossary branch's to read and write
    gl.add(Concept("isis", "group", terms=[Term("داعش", "ar", "preferred"), Term("ISIS", "en", "preferred", term_type="acronym"),
                                          Term("ISIL", "en", "deprecated", styles=["UN"])]))
    monkeypatch.setattr(check_cmds, "load_glossary", lambda path: gl)
    f = tmp_path / "d.tmx"
    write_segments([Segment("هزيمة داعش", "the defeat of ISIL", id="1")], f, "tmx")
    assert _run(str(f)).exit_code == 1  # type: ignore[attr-defined]
    r = _run(str(f), "--style", "UN")
    assert r.exit_code == 0 and "no issues" in r.output  # type: ignore[attr-defined]
