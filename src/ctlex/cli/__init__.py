"""The ``ctlex`` command line: click, thin over the library.

Each command parses options, calls one public function and renders the result.  Library errors
(:class:`ctlex.errors.CtlexError`) become one line on stderr and exit status 2, here and only here.
Command modules import nothing heavy at module level, so ``ctlex --help`` stays fast.
"""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any, Callable

import click

from .. import __version__

# name → (module, function): one table; modules are imported when a command is looked up.
COMMANDS: dict[str, tuple[str, str]] = {
    "lookup": ("glossary_cmds", "lookup"),
    "scan": ("glossary_cmds", "scan"),
    "normalize": ("glossary_cmds", "normalize"),
    "info": ("glossary_cmds", "info"),
    "coverage": ("glossary_cmds", "coverage"), "glossary": ("glossary_cmds", "glossary_group"),
    "suggest": ("suggest_cmds", "suggest"), "check": ("check_cmds", "check"),
    "tm": ("tm_cmds", "tm"), "align": ("tm_cmds", "align"),
    "export": ("exchange_cmds", "export"), "import": ("exchange_cmds", "import_"), "validate": ("exchange_cmds", "validate"),
    "serve": ("serve_cmds", "serve"),
}


class CtlexCLIError(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        from ._render import is_terminal, terminal_safe

        msg = " ".join(self.format_message().splitlines())  # one line, always
        click.echo(f"ctlex: error: {terminal_safe(msg) if is_terminal(sys.stderr) else msg}", err=True)


class CtlexUsageError(click.UsageError):
    """A usage error shown as ONE line (click's default is usage, hint and error on three)."""

    def show(self, file: Any = None) -> None:
        from ._render import is_terminal, terminal_safe

        msg = " ".join(self.format_message().split())
        path = self.ctx.command_path if self.ctx is not None else "ctlex"
        line = f"ctlex: error: {msg} (see '{path} --help')"
        click.echo(terminal_safe(line) if is_terminal(sys.stderr) else line, err=True)


def _one_line_usage(e: click.UsageError) -> CtlexUsageError:
    return CtlexUsageError(e.format_message(), e.ctx)


class LazyGroup(click.Group):
    """A group whose subcommands live in :data:`COMMANDS` and load on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module = importlib.import_module(f"{__name__}.{spec[0]}")
        cmd: click.Command = getattr(module, spec[1])
        return cmd

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:  # top-level options (ctlex --bogus)
            raise _one_line_usage(e) from None

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import CtlexError

        from ._render import TerminalSafeStream, is_terminal

        out = sys.stdout
        if is_terminal(out) and not isinstance(out, TerminalSafeStream):
            sys.stdout = TerminalSafeStream(out)  # glossary text cannot reverse or rewrite the line
        try:
            return super().invoke(ctx)
        except CtlexError as e:
            raise CtlexCLIError(str(e)) from None
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as e:
            if isinstance(e, CtlexUsageError):
                raise
            raise _one_line_usage(e) from None
        except (BrokenPipeError, KeyboardInterrupt):  # pragma: no cover - terminal behaviour
            sys.exit(130)
        except OSError as e:  # full disk, read-only directory… met outside a library write
            raise CtlexCLIError(f"{e.filename + ': ' if getattr(e, 'filename', None) else ''}{e.strerror or e}") from None
        finally:
            sys.stdout = out


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ctlex")
def cli() -> None:
    """Arabic–English counter-terrorism terminology: look up, scan, normalize, check.

    Every command prints human-readable output by default and JSON with --json.
    Exit status: 0 success, 1 findings (check), 2 bad input or usage.
    """


def main() -> None:  # console-script entry point
    cli(prog_name="ctlex")


# -- shared options, written once --------------------------------------------------------------

def json_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(f)


def glossary_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--glossary",
        "glossary_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="Glossary file (TBX, PO…) or compiled store (.ctlexdb). Default: $CTLEX_GLOSSARY, else the glossary shipped with ctlex.",
    )(f)


def tm_option(f: Callable[..., Any] | None = None, *, help: str | None = None) -> Any:
    """``--tm``: the one meaning it has in every command, a translation memory — an SQLite file
    or a ``postgresql://`` URL.  An exchange file (``x.tmx``, ``x.po``…) given to it is refused
    with a hint (exchange files go to ``--tm-file`` where a command reads them, or into a TM with
    ``ctlex tm import``)."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        from ..formats import FORMATS

        lower = (value or "").lower()
        owner = next((fmt.name for fmt in FORMATS.values() if any(lower.endswith(ext) for ext in fmt.extensions)), None)
        if value and owner:
            takes_files = any(o.name == "tm_paths" for o in ctx.command.params)
            where = "give it with --tm-file" if takes_files else "import it first with 'ctlex tm import'"
            raise click.BadParameter(f"{value} is a {owner} exchange file, not a translation memory "
                                     f"(an SQLite file or postgresql:// URL); {where}", ctx, param)
        return value

    def deco(g: Callable[..., Any]) -> Callable[..., Any]:
        return click.option(
            "--tm",
            "tm_path",
            metavar="DB|URL",
            default=None,
            callback=check,
            help=help or "Translation memory: an SQLite file or a postgresql://user@host/db URL. Default: the TM shipped "
            "with ctlex plus your own (under the user data directory, or $CTLEX_TM).",
        )(g)

    return deco(f) if f is not None else deco


def style_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--style",
        "style",
        default=None,
        metavar="NAME",
        help="House style (UN, EU, US-press; see ctlex info): its terms are expected and shown first.",
    )(f)


def emit_json(obj: Any) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _stdin() -> str:
    """Standard input, decoded with the same checks as files (bad bytes → one-line error)."""
    from ..formats._io import decode_text
    from ._render import is_terminal

    if is_terminal(sys.stdin):  # nothing piped in: say what is expected instead of waiting silently
        ctx = click.get_current_context(silent=True)
        cmd = ctx.command_path if ctx is not None else "ctlex"
        click.echo(f"{cmd}: reading text from the terminal; end it with Ctrl-D "
                   f"(or give a FILE, or pipe the text in; see '{cmd} --help')", err=True)
    return decode_text(sys.stdin.buffer.read(), "<stdin>")


def read_text_arg(value: str) -> str:
    """A TEXT argument, or the contents of standard input when it is ``-``."""
    return _stdin() if value == "-" else value


def read_file_arg(value: str) -> str:
    """A FILE argument (``-`` for standard input), decoded with ctlex's checks."""
    if value == "-":
        return _stdin()
    from ..formats._io import read_text

    return read_text(value)


def load_glossary(path: str | None) -> Any:
    from ..glossary import load

    return load(path)
