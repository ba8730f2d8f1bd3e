"""The README is checked against the code: its Python session runs, every command is documented,
and .ci/run installs and tests the way the set-up section says."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from ctlex.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_python_session_runs() -> None:
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 4
    assert result.failed == 0


def test_every_command_is_documented() -> None:
    for name in COMMANDS:
        assert f"ctlex {name}" in README, name


def test_setup_is_two_commands_and_ci_follows_them() -> None:
    setup = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", setup, flags=re.S)
    assert len(blocks) == 2 and all(len(b.strip().splitlines()) == 1 for b in blocks)
    install, test = (b.strip() for b in blocks)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -q ." in ci and 'pip install -q ".[test]"' in ci
    assert install.startswith("pip install . &&") and test == 'pip install ".[test]" && python -m pytest'
    assert "python -m pytest" in ci
