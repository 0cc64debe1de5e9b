"""A leaflet at its easy-read levels in, Easy Read `Problem`s out (issue 15; ER1, ER3).

Easy Read (DH/Mencap guidance, standards ER1-ER5) puts one idea on each line and a picture
beside every idea. Two checks follow from that, at every level marked `easy_read: true`:

- one idea per line: a paragraph or list item with more than one statement is flagged
  [easy-read-one-idea] (a question followed by its answer counts as one idea);
- a picture beside every idea group: a block (or the summary) with more than
  `LINES_PER_PICTURE` lines and no picture is flagged [easy-read-picture].

Hard words are explained where they are used: at easy-read levels the template prints the
glossary meaning inside the block where the word first appears (levels.py), so that part
needs no check. The page budget belongs to the pagination checks on built PDFs (issue 16).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..content.load import Catalog, LoadedLeaflet
from ..content.model import ALL_LEVELS, paragraphs, pick
from ..errors import Problem, Severity

#: More lines than this in one block without a picture is flagged (ER1: "a picture for
#: every idea"; we allow a short group of lines about one idea to share one picture).
LINES_PER_PICTURE = 3


def _sentences(text: str) -> list[str]:
    from .readability import split_sentences

    return split_sentences(" ".join(text.split()))


def easy_read_problems(
    loaded: LoadedLeaflet, catalog: Catalog, levels: Iterable[str] | None = None
) -> list[Problem]:
    """Warnings for every easy-read level this leaflet is built at (or of `levels`)."""
    problems: list[Problem] = []
    for level in loaded.levels if levels is None else levels:
        if not catalog.project.levels[level].easy_read:
            continue
        summary = list(paragraphs(pick(loaded.leaflet.summary, level)))
        if loaded.summary_location is not None:
            problems += _lines(summary, "the summary", loaded.summary_location, level)
        for section in loaded.sections:
            for placed in section:
                block = placed.block
                if block.levels is not None and level not in block.levels:
                    continue
                lines = _block_lines(block.model_dump(), level)
                what = f"block {block.id!r}"
                problems += _lines(lines, what, placed.location, level)
                if block.image is None and len(lines) > LINES_PER_PICTURE:
                    problems.append(
                        Problem(
                            placed.location,
                            f"{what} ({level}): {len(lines)} lines with no picture "
                            "[easy-read-picture]",
                            "Easy Read puts a picture beside every idea (ER1): add "
                            "'image:', or split the block",
                            Severity.WARNING,
                        )
                    )
    return problems


def _block_lines(data: dict[str, object], level: str) -> list[str]:
    """The lines a reader sees in a block at `level`: paragraphs and list items."""
    lines: list[str] = []
    for key in ("intro", "text"):
        texts = data.get(key)
        if isinstance(texts, dict):
            value = texts.get(level, texts.get(ALL_LEVELS))
            if isinstance(value, str):
                lines += paragraphs(value)
    items = data.get("items")
    if isinstance(items, dict):
        chosen = items.get(level, items.get(ALL_LEVELS))
        if isinstance(chosen, list):
            lines += [" ".join(str(item).split()) for item in chosen]
    option = data.get("option")
    if isinstance(option, dict):
        for key in ("involves", "like"):
            texts = option.get(key)
            if isinstance(texts, dict):
                value = texts.get(level, texts.get(ALL_LEVELS))
                if isinstance(value, str):
                    lines += paragraphs(value)
    return lines


def _lines(lines: list[str], what: str, where: object, level: str) -> list[Problem]:
    found = []
    for line in lines:
        # A question and its answer are one idea ("Need advice? Call NHS 111."): count
        # the statements.
        count = len([s for s in _sentences(line) if not s.rstrip().endswith("?")])
        if count > 1:
            found.append(
                Problem(
                    where,  # type: ignore[arg-type]
                    f"{what} ({level}): {count} sentences on one line [easy-read-one-idea]: "
                    f'"{line[:80]}"',
                    "Easy Read has one idea per line: put each sentence in its own paragraph "
                    "(a blank line between them) or its own list item",
                    Severity.WARNING,
                )
            )
    return found
