"""Validate exchange files: schema, dialect rules and ctlex's own reader, each problem with its line.

==========  =========================================================================================
format      checks
==========  =========================================================================================
tbx         well-formed (safe parser) → TBX core RelaxNG (lxml) → TBX-Basic DCA Schematron (XPath 2,
            run as XSLT 3 by Saxon-HE from PyPI ``saxonche``) → ctlex's TBX reader
tbx2        (TBX 2008 ``<martif>``, also under a ``.tbx`` name) well-formed → TBX-Basic 2008 integrated
            RelaxNG → its embedded Schematron rules (XPath 1, lxml) → the reader
tmx         well-formed → TMX 1.4 DTD (lxml) → the TMX reader
xliff       well-formed → OASIS XLIFF 1.2 *strict* XSD, or XLIFF 2.0 core + modules XSD
            (``xliff_all.xsd``), by the file's version → the reader
po          ``msgfmt -c`` (GNU gettext; skipped, and said so, when it is not installed) → the reader
any other   the format's own reader (glossary or segments), whose errors carry the line
==========  =========================================================================================

The schemas ship inside the package (``ctlex/schemas``; origins and licences in its README),
copied unchanged from LTAC-Global (TBX core RNG v3, TBX-Basic DCA Schematron 1.2.1), LTAC/TBXinfo
(TBX-Basic 2008 RNG), LISA OSCAR (TMX 1.4b DTD) and OASIS (XLIFF 1.2 and 2.0 XSDs, with W3C's
``xml.xsd``).

**Schematron.** :func:`compile_schematron` turns an ISO Schematron schema into an XSLT 3
stylesheet (the subset that TBX dialects use: ``ns``, ``let``, ``pattern``, ``rule``, ``assert``,
``report``, ``name``/``value-of`` in messages; first matching rule per pattern wins, as ISO
Schematron requires).  Saxon runs it and reports each failed assertion with the XPath ``path()``
of its node, which is mapped back to a line through the lxml tree.  Features outside that subset
(abstract patterns, ``include``, phases) raise :class:`SchematronError` instead of being ignored.
When ``saxonche`` is not installed, the Schematron check is listed in :attr:`Report.skipped`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import CtlexError, ParseError

__all__ = ["Problem", "Report", "SchematronError", "validate", "schemas_dir", "compile_schematron", "run_schematron"]

SCH = "http://purl.oclc.org/dsdl/schematron"
XSL = "http://www.w3.org/1999/XSL/Transform"
RNG_FILE = "TBXcoreStructV03.rng"
SCH_FILE = "TBX-Basic_DCA.sch"
DTD_FILE = "tmx14.dtd"
TBX2_RNG_FILE = "tbx-2008/TBXBasicRNGV02.rng"
TBX2_SCH_FILE = "tbx-2008/TBXBasicV02_embedded.sch"
XLIFF12_XSD = "xliff-1.2/xliff-core-1.2-strict.xsd"
XLIFF20_XSD = "xliff-2.0/xliff_all.xsd"


class SchematronError(CtlexError):
    """A Schematron schema that this compiler cannot run faithfully."""


@dataclass(frozen=True)
class Problem:
    """One validation finding; ``check`` says which layer found it."""

    check: str  # "xml", "relaxng", "schematron", "dtd", "read"
    message: str
    line: int | None = None
    column: int | None = None
    rule: str | None = None  # Schematron pattern id or similar

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "line": self.line, "column": self.column, "rule": self.rule, "message": self.message}

    def format(self, path: str) -> str:
        where = path + (f":{self.line}" if self.line is not None else "") + (f":{self.column}" if self.line is not None and self.column else "")
        return f"{where}: {self.check}{f' [{self.rule}]' if self.rule else ''}: {self.message}"


@dataclass
class Report:
    path: str
    format: str
    checks: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "format": self.format, "valid": self.valid, "checks": self.checks,
                "skipped": self.skipped, "problems": [p.to_dict() for p in self.problems]}


def schemas_dir() -> Path:
    """The schemas shipped with ctlex (``$CTLEX_SCHEMAS`` overrides)."""
    env = os.environ.get("CTLEX_SCHEMAS")
    return Path(env) if env else Path(__file__).resolve().parent / "schemas"


def validate(path: str | os.PathLike[str], format: str | None = None, *, schemas: str | os.PathLike[str] | None = None) -> Report:
    """Run every check that applies to ``path`` and collect the problems (nothing is raised for
    invalid content; a missing file or unknown format raises)."""
    from . import formats
    from .errors import NotFoundError

    spath = os.fspath(path)
    if not Path(spath).is_file():
        raise NotFoundError(f"{spath}: no such file")
    fmt = formats.get(format) if format else formats.for_path(spath)
    sdir = Path(schemas) if schemas else schemas_dir()
    report = Report(spath, fmt.name)
    if fmt.name in ("tbx", "tbx2", "tmx", "xliff"):
        from .formats._io import parse_xml

        report.checks.append("xml")
        try:
            tree = parse_xml(spath)
        except ParseError as e:
            report.problems.append(Problem("xml", e.reason, e.line, e.column))
            return report
        root = tree.getroot()
        if fmt.name == "tbx" and root.tag == "martif":  # TBX 2008 under a .tbx name
            fmt = formats.get("tbx2")
            report.format = fmt.name
        if fmt.name == "tbx":
            _relaxng(tree, sdir / RNG_FILE, report)
            _schematron(tree, sdir / SCH_FILE, report)
        elif fmt.name == "tbx2":
            _relaxng(tree, sdir / TBX2_RNG_FILE, report)
            if not report.problems:
                _schematron_xpath1(tree, sdir / TBX2_SCH_FILE, report)
        elif fmt.name == "xliff":
            _xliff_schema(tree, sdir, report)
        else:
            _dtd(tree, sdir / DTD_FILE, report)
    elif fmt.name == "po":
        _msgfmt(spath, report)
    _reader(spath, fmt, report)
    return report


def _xliff_schema(tree: Any, sdir: Path, report: Report) -> None:
    root = tree.getroot()
    ns = root.tag[1:].split("}")[0] if isinstance(root.tag, str) and root.tag.startswith("{") else ""
    version = root.get("version") or ""
    if ns == "urn:oasis:names:tc:xliff:document:1.2" and version == "1.2":
        xsd = sdir / XLIFF12_XSD
    elif ns == "urn:oasis:names:tc:xliff:document:2.0" and version.startswith("2"):
        xsd = sdir / XLIFF20_XSD
    else:
        report.skipped["xsd"] = f"no schema shipped for XLIFF version {version or '?'!r} in namespace {ns or 'none'!r}"
        return
    report.checks.append("xsd")
    schema = _xml_schema(str(xsd))
    if not schema.validate(tree):
        _log_problems("xsd", schema.error_log, report)


@lru_cache(maxsize=4)
def _xml_schema(path: str) -> Any:
    from lxml import etree

    # our own trusted schema files; imports (xml.xsd, modules) are local paths beside them
    return etree.XMLSchema(etree.parse(path, etree.XMLParser(no_network=True, resolve_entities=False)))


def _schematron_xpath1(tree: Any, sch_path: Path, report: Report) -> None:
    """An XPath-1 ISO Schematron (TBX-Basic 2008's embedded rules) through lxml's isoschematron."""
    from lxml import etree
    from lxml.isoschematron import Schematron

    report.checks.append("schematron")
    sch = Schematron(etree.parse(str(sch_path)), store_report=True)
    if sch.validate(tree):
        return
    svrl = "{http://purl.oclc.org/dsdl/svrl}"
    for fa in sch.validation_report.getroot().iter(f"{svrl}failed-assert"):
        text = " ".join("".join(fa.itertext()).split())
        location = fa.get("location") or ""
        found = tree.xpath(location) if location.startswith("/") else []
        line = found[0].sourceline if found and hasattr(found[0], "sourceline") else None
        report.problems.append(Problem("schematron", text, line, None, None))


def _msgfmt(path: str, report: Report) -> None:
    import shutil
    import subprocess

    exe = shutil.which("msgfmt")
    if exe is None:
        report.skipped["msgfmt"] = "GNU gettext msgfmt is not installed (Debian package gettext)"
        return
    report.checks.append("msgfmt")
    run = subprocess.run([exe, "-c", "-o", os.devnull, path], capture_output=True, text=True, errors="replace")
    if run.returncode == 0:
        return
    located = re.compile(r"^(?P<path>.*?):(?P<line>\d+): (?P<msg>.*)$")
    found: list[Problem] = []
    for ln in run.stderr.splitlines():
        if not ln.strip() or re.match(r"^\S*msgfmt: found \d+ fatal errors?$", ln.strip()):
            continue
        if ln[:1].isspace() and found:  # a continuation of the previous message
            prev = found.pop()
            found.append(Problem(prev.check, f"{prev.message}; {ln.strip()}", prev.line))
            continue
        m = located.match(ln)
        if m and m.group("path").endswith(os.path.basename(path)):
            found.append(Problem("msgfmt", m.group("msg").strip(), int(m.group("line"))))
        else:
            found.append(Problem("msgfmt", ln.split(f"{path}: ", 1)[-1].split("msgfmt: ", 1)[-1].strip()))
    errors = [p for p in found if not p.message.startswith("warning: ")]
    report.problems.extend(errors or found)  # warnings only count when they are all msgfmt says
    if not report.problems:
        report.problems.append(Problem("msgfmt", f"msgfmt -c failed (exit {run.returncode})"))


def _reader(path: str, fmt: Any, report: Report) -> None:
    if report.problems:
        return  # the reader would only repeat the schema's complaint less precisely
    report.checks.append("read")
    try:
        if fmt.glossary:
            fmt.load().read(path)
        else:
            for _ in fmt.load().read_segments(path):
                pass
    except ParseError as e:
        report.problems.append(Problem("read", e.reason, e.line, e.column))
    except CtlexError as e:
        report.problems.append(Problem("read", str(e)))


def _log_problems(check: str, log: Any, report: Report) -> None:
    for entry in log:
        report.problems.append(Problem(check, entry.message, entry.line or None, entry.column or None))


def _relaxng(tree: Any, rng_path: Path, report: Report) -> None:
    from lxml import etree

    from .formats._io import parse_xml

    report.checks.append("relaxng")
    rng = etree.RelaxNG(parse_xml(rng_path))
    if not rng.validate(tree):
        _log_problems("relaxng", rng.error_log, report)


def _dtd(tree: Any, dtd_path: Path, report: Report) -> None:
    from lxml import etree

    report.checks.append("dtd")
    with open(dtd_path, "rb") as f:
        dtd = etree.DTD(f)  # our own trusted DTD file; the document itself is parsed safely
    if not dtd.validate(tree):
        _log_problems("dtd", dtd.error_log, report)


# ---------------------------------------------------------------------------------------------
# Schematron → XSLT
# ---------------------------------------------------------------------------------------------


def _schematron(tree: Any, sch_path: Path, report: Report) -> None:
    from importlib.util import find_spec

    if find_spec("saxonche") is None:
        report.skipped["schematron"] = "saxonche is not installed (pip install saxonche)"
        return
    report.checks.append("schematron")
    for rule, node_path, message in run_schematron(tree, sch_path):
        line = _line_of(tree, node_path)
        report.problems.append(Problem("schematron", message, line, None, rule))


@lru_cache(maxsize=8)
def _compiled(sch_path: str, mtime: float) -> str:
    return compile_schematron(Path(sch_path).read_bytes())


def compile_schematron(sch: bytes) -> str:
    """An XSLT 3 stylesheet that prints one ``pattern<TAB>path<TAB>message`` line per failure."""
    from lxml import etree

    from .formats._io import safe_parser

    try:
        root = etree.fromstring(sch.lstrip(b"\xef\xbb\xbf"), safe_parser(remove_blank_text=True))
    except etree.XMLSyntaxError as e:
        raise SchematronError(f"Schematron schema is not well-formed: {e}") from None
    if root.tag != f"{{{SCH}}}schema":
        raise SchematronError(f"not an ISO Schematron schema (root {root.tag})")
    binding = root.get("queryBinding", "xslt")
    if binding not in ("xslt", "xslt2", "xslt3", "xpath2", "xpath3", "xpath31"):
        raise SchematronError(f"queryBinding {binding!r} is not supported")
    for bad in ("include", "extends", "phase"):
        if root.find(f".//{{{SCH}}}{bad}") is not None:
            raise SchematronError(f"Schematron <{bad}> is not supported by ctlex's compiler")
    nsmap = {"xsl": XSL}
    for ns in root.findall(f"{{{SCH}}}ns"):
        nsmap[ns.get("prefix")] = ns.get("uri")
    x = etree.Element(f"{{{XSL}}}stylesheet", nsmap=nsmap)
    x.set("version", "3.0")
    if len(nsmap) > 1:
        x.set("exclude-result-prefixes", " ".join(p for p in nsmap if p != "xsl"))

    def xsl(parent: Any, tag: str, **attrs: str) -> Any:
        el = etree.SubElement(parent, f"{{{XSL}}}{tag}")
        for k, v in attrs.items():
            el.set(k.rstrip("_").replace("_", "-"), v)
        return el

    xsl(x, "output", method="text", encoding="UTF-8")
    for let in root.findall(f"{{{SCH}}}let"):
        xsl(x, "variable", name=let.get("name"), select=let.get("value"))
    patterns = [p for p in root.findall(f"{{{SCH}}}pattern")]
    main = xsl(x, "template", match="/")
    for i, pat in enumerate(patterns):
        if pat.get("abstract") == "true" or pat.get("is-a"):
            raise SchematronError("abstract Schematron patterns are not supported by ctlex's compiler")
        mode = f"p{i}"
        xsl(main, "apply-templates", select="/", mode=mode)
        pid = pat.get("id") or mode
        rules = pat.findall(f"{{{SCH}}}rule")
        for j, rule in enumerate(rules):
            if rule.get("abstract") == "true" or rule.find(f"{{{SCH}}}extends") is not None:
                raise SchematronError("abstract Schematron rules are not supported by ctlex's compiler")
            t = xsl(x, "template", match=rule.get("context"), mode=mode, priority=str(len(rules) - j + 1000))
            for let in rule.findall(f"{{{SCH}}}let"):
                xsl(t, "variable", name=let.get("name"), select=let.get("value"))
            for check in rule:
                if check.tag not in (f"{{{SCH}}}assert", f"{{{SCH}}}report"):
                    continue
                test = check.get("test")
                cond = f"not({test})" if check.tag == f"{{{SCH}}}assert" else f"({test})"
                iff = xsl(t, "if", test=cond)
                xsl(iff, "value-of", select=f"'{check.get('id') or pid}'")
                xsl(iff, "text").text = "\t"
                xsl(iff, "value-of", select="path(.)")
                xsl(iff, "text").text = "\t"
                msg = xsl(iff, "variable", name="msg")
                if check.text:
                    xsl(msg, "text").text = check.text
                for part in check:
                    if part.tag == f"{{{SCH}}}name":
                        xsl(msg, "value-of", select=f"name({part.get('path') or '.'})")
                    elif part.tag == f"{{{SCH}}}value-of":
                        xsl(msg, "value-of", select=part.get("select"))
                    elif isinstance(part.tag, str):
                        xsl(msg, "value-of", select="''").tail = None
                        if part.text:
                            xsl(msg, "text").text = part.text
                    if part.tail:
                        xsl(msg, "text").text = part.tail
                xsl(iff, "value-of", select="normalize-space($msg)")
                xsl(iff, "text").text = "\n"
            xsl(t, "apply-templates", select="@*|node()", mode=mode)
        d = xsl(x, "template", match="/|@*|node()", mode=mode, priority="-10")
        xsl(d, "apply-templates", select="@*|node()", mode=mode)
    return etree.tostring(x, encoding="unicode")


def run_schematron(tree: Any, sch_path: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """Failed assertions (and fired reports) as ``(pattern id, XPath path, message)``."""
    from lxml import etree
    from saxonche import PySaxonProcessor

    p = Path(sch_path)
    stylesheet = _compiled(str(p), p.stat().st_mtime)
    xml = etree.tostring(tree.getroot() if hasattr(tree, "getroot") else tree, encoding="unicode")
    with PySaxonProcessor(license=False) as proc:
        xslt = proc.new_xslt30_processor()
        try:
            exe = xslt.compile_stylesheet(stylesheet_text=stylesheet)
            node = proc.parse_xml(xml_text=xml)
            out = exe.transform_to_string(xdm_node=node) or ""
        except Exception as e:  # saxonche raises PySaxonApiError
            raise SchematronError(f"Schematron run failed: {e}") from None
    results = []
    for line in out.splitlines():
        if line.strip():
            rule, node_path, message = (line.split("\t", 2) + ["", ""])[:3]
            results.append((rule, node_path, message))
    return results


_STEP = re.compile(r"/(?:Q\{(?P<ns>[^}]*)\}(?P<local>[^/\[]+)\[(?P<pos>\d+)\]|@(?P<attr>[^/]+)|(?P<other>[a-z-]+\([^)]*\)\[\d+\]))")


def _line_of(tree: Any, path: str) -> int | None:
    """The source line of the node an XPath 3 ``path()`` names (its element, for attributes and text)."""
    node = tree.getroot() if hasattr(tree, "getroot") else tree
    first = True
    for m in _STEP.finditer(path):
        if m.group("local") is None:
            break  # attribute, text or comment: report the owner element's line
        tag = f"{{{m.group('ns')}}}{m.group('local')}" if m.group("ns") else m.group("local")
        if first:
            first = False
            if node.tag != tag:
                return None
            continue
        kids = [k for k in node if k.tag == tag]
        pos = int(m.group("pos"))
        if pos > len(kids):
            break
        node = kids[pos - 1]
    return node.sourceline
