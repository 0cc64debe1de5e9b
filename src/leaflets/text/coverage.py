"""A rendered page in, the words on it that no review covers out.

Every word a reader meets on a page (text nodes, `alt` attributes, `<title>` elements: the
document's and the SVG figures') must be either reader text (a `Segment` of
reader_text.py, in some review unit) or the fixed wording of the built-in templates in the
page's language (`reader_text.template_wording`, made from the message catalogs).
`uncovered_words` is that one test: clinic_review.py runs it on a page made by a clinic's
own (untrusted) templates, and tests/test_reader_text.py runs it on every rendered page of
the sample and the fixtures.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from html.parser import HTMLParser

from .reader_text import Segment, template_wording

__all__ = ["TextNodes", "fixed_wording", "uncovered_words"]

#: Punctuation the templates put between reader-text pieces on their own.
_SEPARATORS = r"[·()]"


class TextNodes(HTMLParser):
    """The text nodes and alt texts of a page, in document order, as a reader meets them
    (style sheets and scripts are not read; titles are)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script")
        self.nodes.extend(value for name, value in attrs if name == "alt" and value)

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(data)


@functools.cache
def fixed_wording(language: str) -> re.Pattern[str]:
    """One pattern for the templates' own words in `language` (compiled once per language)."""
    return re.compile("|".join(f"(?:{p})" for p in (*template_wording(language), _SEPARATORS)))


def uncovered_words(html: str, segments: Iterable[Segment], language: str) -> list[str]:
    """The pieces of text on a rendered page (in `language`) that are neither the built-in
    templates' fixed wording in that language nor inside any of `segments`."""
    parser = TextNodes()
    parser.feed(html)
    printed = [s.plain for s in segments]
    fixed = fixed_wording(language)
    missing = []
    for node in parser.nodes:
        for fragment in fixed.split(" ".join(node.split())):
            fragment = fragment.strip(" .,:;")
            if fragment and not any(fragment in text for text in printed):
                missing.append(fragment)
    return missing
