"""The command line's shared pieces: option parsers every command takes alike, and printing.

Every command module (build_cli, review_cli, writer_cli, and later e.g. translate_cli) has a
`register(commands)` function that adds its sub-parsers, builds them from these parent
parsers and sets `handler=` with `set_defaults`; cli.py only assembles them and runs the
chosen handler. So `--project`, `--out`, `--level`, `--lang`, `--quiet` and `--json` mean the
same in every command that takes them:

- `--project DIR`: the project folder (default: the project around the current folder);
- `--out DIR`: an output *folder* (never a file; each command names its files inside);
- `--level LEVEL`: a reading level, repeatable;
- `--lang LANG`: a language of the leaflets, repeatable (issue 17 attaches it);
- `--quiet`/`-q`: print only problems and the summary;
- `--json`: machine-readable output on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

from ..errors import Location, Problem, UsageError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""What `set_defaults(handler=...)` holds: (arguments, stdout, stderr) -> exit code."""


class Commands(Protocol):
    """The `add_subparsers()` object a command module registers on."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


def project_option() -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="project folder (default: the project around the current folder)",
    )
    return parent


def paths_option() -> argparse.ArgumentParser:
    """Leaflet files or folders to limit a command to (with --project: inside it)."""
    parent = _parent()
    parent.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="leaflet files or folders, or the project folder "
        "(default: the project around the current folder)",
    )
    return parent


def out_option(default: str) -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--out", type=Path, metavar="DIR", help=f"output folder (default: {default})"
    )
    return parent


def level_option(what: str = "only this reading level") -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument("--level", action="append", metavar="LEVEL", help=f"{what} (repeatable)")
    return parent


def language_argument(text: str) -> str:
    """`--lang` values: a BCP 47 tag (whether the project builds it is checked later)."""
    from ..errors import LeafletError
    from ..text.translate import language_code

    try:
        return language_code(text)
    except LeafletError as exc:
        raise argparse.ArgumentTypeError(str(exc.problems[0].message)) from None


def lang_option(what: str = "only this language") -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--lang",
        action="append",
        type=language_argument,
        metavar="LANG",
        help=f"{what}, BCP 47, e.g. es (repeatable; default: every language in outputs: languages)",
    )
    return parent


def quiet_option() -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument(
        "--quiet", "-q", action="store_true", help="print only problems and the summary"
    )
    return parent


def json_option(what: str = "machine-readable JSON output") -> argparse.ArgumentParser:
    parent = _parent()
    parent.add_argument("--json", action="store_true", help=what)
    return parent


def today_option(*, shown: bool = False) -> argparse.ArgumentParser:
    """`--today DATE`, the date reviews are counted from; hidden (for tests and reruns of a
    past day's report) unless `shown`."""
    parent = _parent()
    parent.add_argument(
        "--today",
        type=date,
        metavar="DATE",
        help="the date to count from (default: today)" if shown else argparse.SUPPRESS,
    )
    return parent


def out_folder(chosen: Path | None, default: Path) -> Path:
    """The `--out` folder (made if missing); a file there is a usage error."""
    folder = (chosen if chosen is not None else default).resolve()
    try:
        a_file = folder.exists() and not folder.is_dir()
    except OSError:  # e.g. a name too long: the library reports it where it writes
        return folder
    if a_file:
        raise UsageError(
            Problem(
                Location(folder),
                "cannot write into it: a file exists there, and --out names a folder",
                "name a folder (new or existing)",
            )
        )
    return folder


def date(text: str) -> dt.date:
    """argparse type: an ISO date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-24") from None


def print_problems(problems: list[Problem], err: TextIO) -> None:
    for problem in problems:
        print(problem, file=err)
