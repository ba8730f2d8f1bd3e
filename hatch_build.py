"""Build hook: compiles ctlex's optional C extensions (src/ctlex/_native*.c) into the wheel.

Each ``_native<name>.c`` is its own module ``ctlex._native<name>`` (one idea per file: the key
normalizer and scan automaton in ``_native.c``; others beside it).

The extension is optional: without a C compiler or the Python headers the wheel is pure Python
and ctlex takes its Python path, which gives the same results.  ``CTLEX_REQUIRE_NATIVE=1`` (set by
CI) turns a failed compile into a failed build.  An editable install compiles it in place, beside
the sources (git-ignored).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGE = Path("src") / "ctlex"


def sources(root: Path) -> list[Path]:
    """The extensions' C files, one module each."""
    return sorted((root / PACKAGE).glob("_native*.c"))


def compile_all(root: Path, out_dir: Path) -> list[Path]:
    """Compile every extension into ``out_dir``; the ones that could not be built are left out."""
    return [so for src in sources(root) if (so := compile_native(src, out_dir)) is not None]


def compile_native(src: Path, out_dir: Path) -> Path | None:
    """Compile one extension into ``out_dir``; None (and a warning) when that is not possible."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    out = out_dir / f"{src.stem}{suffix}"
    include = sysconfig.get_paths()["include"]
    cc = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    cmd = [*cc, "-O2", "-fPIC", "-shared", "-fno-strict-aliasing", f"-I{include}", str(src), "-o", str(out)]
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        return _failed(f"{src.name}: {cmd[0]}: {e}")
    if r.returncode != 0 or not out.is_file():
        return _failed(f"{src.name}: " + (r.stderr or r.stdout).strip()[-2000:])
    return out


def _failed(why: str) -> None:
    msg = f"ctlex: the C extension was not built, the pure-Python path will be used ({why})"
    if os.environ.get("CTLEX_REQUIRE_NATIVE", "") not in ("", "0"):
        raise RuntimeError(msg)
    print(msg, file=sys.stderr)
    return None


class NativeBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if version == "editable":
            built = compile_all(root, root / PACKAGE)  # found beside the sources
        else:
            built = compile_all(root, root / "build" / "native")
            for so in built:
                build_data["force_include"][str(so)] = f"ctlex/{so.name}"
        if built:
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
