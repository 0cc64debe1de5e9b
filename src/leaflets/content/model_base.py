"""The content model's shared pieces: id and version patterns, per-level text types,
`pick`/`paragraphs` helpers and the strict pydantic base class (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
)

#: Safe as a file name on every OS, and in a URL: lower-case words joined by hyphens.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: Names Windows refuses as file names, whatever the extension.
RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{n}" for n in range(1, 10)]
    + [f"lpt{n}" for n in range(1, 10)]
)
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+)*$"
#: The key of a per-level mapping that gives one text for every level.
ALL_LEVELS = "all"


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(f"{value!r} is a reserved file name on Windows; choose another id")
    return value


Certainty = Literal["high", "moderate", "low", "very_low"]
CertaintyStyle = Literal["plain", "grade"]


_T = TypeVar("_T")


def pick(texts: Mapping[str, _T], level: str) -> _T:
    """The text (or list items) for `level`: its own, or the `all:` text. The one place
    that chooses per-level wording (levels.py, review.py and so reader_text.py use it)."""
    return texts[level] if level in texts else texts[ALL_LEVELS]


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single line breaks are just spaces."""
    parts = (" ".join(chunk.split()) for chunk in text.strip().split("\n\n"))
    return tuple(part for part in parts if part)


Identifier = Annotated[
    str, Field(pattern=ID_PATTERN, min_length=1, max_length=64), AfterValidator(_not_reserved)
]
Text = Annotated[str, Field(min_length=1)]
#: Text per reading level: `{easy: ..., plain: ..., detailed: ...}` or `{all: ...}`.
PerLevelText = dict[str, Text]
#: List items per reading level, or `{all: [...]}`.
PerLevelItems = dict[str, Annotated[list[Text], Field(min_length=1)]]


class Strict(BaseModel):
    """Unknown keys are errors (a typo like `benfits` must never be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
