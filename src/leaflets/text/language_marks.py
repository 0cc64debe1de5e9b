"""Words in another script carry their own language: the reader's text in, unmarked runs out.

A leaflet in a language not written in Latin letters (Arabic, Hebrew, Greek, Russian...)
may still print Latin words: a brand name, a drug's international name, an English
abbreviation. A screen reader reads them in the page's voice unless they are marked
`[Spravato]{lang=en}` (WCAG 3.1.2; docs/translations.md, Words in another language), and
only the writer knows their language, so nothing is guessed: `unmarked_latin` finds each
run of Latin words outside a `{lang=...}` span, and `leaflets check` warns about it
(`[language-mark]`; an error under `--strict` and in releases).

Left out: web and e-mail addresses (read letter by letter in any language), the sources
a leaflet cites (printed as published), a clinic's own words (the clinic's file), and the
English a draft translation still shows, marked "[Not translated yet]" in the page's
language (its unit is reported missing instead).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .i18n import catalog_for, messages, script_of
from .inline import unmarked_text
from .number_rules import Findings
from .reader_text import Segment

__all__ = ["language_mark_problems", "unmarked_latin", "unmarked_runs"]

#: A word in Latin letters (ASCII, Latin-1, Latin Extended-A/B), with inner apostrophes.
_WORD = r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+(?:['’][A-Za-z\u00c0-\u024f]+)*"
#: Latin words next to each other (spaces, hyphens, slashes or digits between) are one run.
_RUN = re.compile(rf"{_WORD}(?:[\s\-/&+.]*\d*[\s\-/&+.]*{_WORD})*")
_ADDRESS = re.compile(r"\S*(?:://|www\.|@)\S*")
#: Roles whose words are not the page language's to mark.
_NOT_TRANSLATED = frozenset({"reference"})
#: Roles the templates print with inline markup (`| inline`), where a mark works.
MARKABLE = frozenset(
    {
        "summary", "text", "warning", "decision", "intro", "item", "option-name",
        "option-involves", "option-like", "grid-answer", "glossary-term", "glossary-meaning",
        "publisher", "authors", "funding", "conflicts", "update-policy",
    }
)  # fmt: skip
HINT = (
    "mark it with its language, e.g. [Spravato]{lang=en}, so screen readers switch voice "
    "and the PDF tags it (WCAG 3.1.2)"
)
PLAIN_HINT = (
    "this field is printed without markup (a title, heading, label or alt text), so it "
    "cannot be marked: write the word in the page's script, or move it into the text"
)


def unmarked_latin(raw: str) -> list[str]:
    """The runs of Latin words in `raw` (inline Markdown) outside any `{lang=...}` span."""
    text = _ADDRESS.sub(" ", unmarked_text(raw))
    return [match.group(0) for match in _RUN.finditer(text)]


def unmarked_runs(segments: Iterable[Segment], language: str) -> list[tuple[Segment, str]]:
    """(segment, run) for each unmarked Latin run in a leaflet whose language is written in
    another script; nothing for a language in Latin letters (or one Babel does not know)."""
    if script_of(language) in (None, "Latn"):
        return []
    untranslated = messages(language).not_translated() if catalog_for(language) else None
    return [
        (segment, run)
        for segment in segments
        if segment.role not in _NOT_TRANSLATED and not segment.role.startswith("clinic")
        if not (untranslated and segment.plain.startswith(untranslated))
        for run in unmarked_latin(segment.raw)
    ]


def language_mark_problems(segments: Iterable[Segment], language: str, findings: Findings) -> None:
    """`[language-mark]` warnings (errors under --strict and in releases) for `check`."""
    for segment, run in unmarked_runs(segments, language):
        markable = segment.role in MARKABLE
        findings.add(
            segment,
            f"{run!r} is in Latin letters but not marked with its language "
            f"(the page is {language!r}) [language-mark]",
            HINT if markable else PLAIN_HINT,
        )
