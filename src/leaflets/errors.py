"""Problems and exceptions: every user-facing failure is a located `Problem`.

The library raises `LeafletError` subclasses carrying one or more problems; the CLI
turns them into `path:line:col: message` lines and the exit code on the class.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import ClassVar


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True, slots=True)
class Location:
    """A place in a file; `line` and `column` are 1-based (0 means unknown). Slotted: a
    loaded library holds one for every YAML value and key (issue 18: memory)."""

    path: Path
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if str(self.path) == "." and not self.line:
            return ""
        text = str(self.path)
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, with where it is and what to do about it."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        where = str(self.location)
        text = f"{where}: {prefix}{self.message}" if where else f"leaflets: {prefix}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class LeafletError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ClassVar[int] = 1

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(Location(Path()), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ContentError(LeafletError):
    """The YAML content (project, leaflet, block or source files) is wrong."""


class RenderError(LeafletError):
    """A leaflet could not be turned into a correct PDF (refused fetch, engine error)."""


class VerifyError(LeafletError):
    """A built PDF failed the accessibility contract checks."""


class UsageError(LeafletError):
    """The command line was wrong (unknown level, missing path)."""

    exit_code = 2


class OutputError(LeafletError):
    """The output folder could not be written or read: no space left, read-only,
    no permission, a name too long (issue 12). Not the content's fault: exit 2."""

    exit_code = 2


def errors_only(problems: list[Problem]) -> list[Problem]:
    """The problems that fail a run (warnings are reported but pass)."""
    return [p for p in problems if p.severity is Severity.ERROR]


def did_you_mean(word: str, choices: Iterable[str], otherwise: str = "") -> str:
    """The one "did you mean" of every message: the closest choice, or `otherwise`."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else otherwise


class Interrupted(BaseException):
    """SIGINT or SIGTERM stopped the command (raised by the CLI's signal handlers).

    A BaseException, like KeyboardInterrupt, so no `except Exception` swallows it; the
    build cleans up on its way out and fills in what it left behind (issue 12)."""

    def __init__(self, signal_number: int) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.built = 0
        """Files this run wrote before it stopped."""
        self.listed: int | None = None
        """Intact files the manifest lists after the stop (None: no build was running)."""

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number
