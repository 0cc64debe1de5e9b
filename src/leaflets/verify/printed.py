"""Built PDF bytes in, what is printed out: every character with its printed size and
position (pdfminer.six: font size x text matrix x CTM), whether it is an artifact (running
headers and footers), and the marked content each structure element reaches. Read by the
accessibility checks (a11y.py: sizes, empty headings) and the pagination checks.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pikepdf
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.psparser import PSLiteral
from pdfminer.utils import Matrix

from ..render.pdf import walk_structure

ARTIFACT_MINIMUM_PT = 12.0
"""Smallest running header/footer text (LP1; the theme's footer is max(12, body - 2))."""

TOLERANCE_PT = 0.05
"""Sizes are products of floats (18 mm margins, em factors): 11.999 pt is 12 pt."""


# --- characters as printed ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrintedChar:
    page: int
    """1-based page number."""
    text: str
    size: float
    """Printed size in points, rounded to 0.01."""
    artifact: bool
    mcid: int | None
    """The innermost marked-content id, None outside tagged content."""
    x: float = 0.0
    x_end: float = 0.0
    """Where the glyph starts and ends on the page (horizontal text), for word breaks."""
    y: float = 0.0
    """The baseline, in points from the bottom of the page."""
    bottom: float = 0.0
    top: float = 0.0
    """The glyph box (font descent to descent + size), as pdfplumber measures it."""


class _Recorder(PDFTextDevice):
    """A pdfminer device that records each character with its size and marked content."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources)
        self.page = 0
        self.chars: list[PrintedChar] = []
        self.page_sizes: list[tuple[float, float]] = []
        """(width, height) of each page in points, for the pagination checks."""
        self._marks: list[tuple[str, int | None]] = []

    def begin_tag(self, tag: PSLiteral, props: object = None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self._marks.append((str(tag.name), mcid if isinstance(mcid, int) else None))

    def end_tag(self) -> None:
        if self._marks:
            self._marks.pop()

    def render_char(
        self,
        matrix: Matrix,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = ""
        # The printed size is the font size scaled by the length of the text space's
        # y unit vector in user space (rotation-safe; `scaling` is horizontal only).
        _, _, c, d, _, _ = matrix
        size = round(abs(fontsize) * math.hypot(c, d), 2)
        artifact = any(tag == "Artifact" for tag, _ in self._marks)
        mcid = next((m for _, m in reversed(self._marks) if m is not None), None)
        advance = font.char_width(cid) * fontsize * scaling
        a, _, _, _, x, y = matrix
        bottom = y + font.get_descent() * fontsize * d
        self.chars.append(
            PrintedChar(
                self.page, text, size, artifact, mcid, x, x + advance * a, y, bottom, bottom + size
            )
        )
        return advance


def printed_chars(pdf_bytes: bytes) -> list[PrintedChar]:
    """Every character drawn on every page, in content-stream order (form XObjects too)."""
    return printed_pages(pdf_bytes)[0]


def printed_pages(pdf_bytes: bytes) -> tuple[list[PrintedChar], list[tuple[float, float]]]:
    """`printed_chars` and the (width, height) of every page, in points."""
    resources = PDFResourceManager()
    device = _Recorder(resources)
    interpreter = PDFPageInterpreter(resources, device)
    for number, page in enumerate(PDFPage.get_pages(io.BytesIO(pdf_bytes)), start=1):
        device.page = number
        x0, y0, x1, y1 = page.mediabox
        device.page_sizes.append((float(x1 - x0), float(y1 - y0)))
        interpreter.process_page(page)
    return device.chars, device.page_sizes


@dataclass(frozen=True)
class SizeUse:
    """Where one text size is used: how many characters, and the first run of them."""

    size: float
    count: int
    page: int
    sample: str


@dataclass(frozen=True)
class TextSizes:
    body: list[SizeUse] = field(default_factory=list)
    """Sizes of tagged (real) content, smallest first."""
    artifacts: list[SizeUse] = field(default_factory=list)
    """Sizes of artifacts (running headers, footers, page numbers), smallest first."""

    @property
    def body_min(self) -> float | None:
        """The smallest size of any body text character; None for a PDF without text."""
        return self.body[0].size if self.body else None

    @property
    def artifact_min(self) -> float | None:
        return self.artifacts[0].size if self.artifacts else None


def text_sizes(pdf_bytes: bytes) -> TextSizes:
    """The printed sizes of all visible characters, body text and artifacts apart."""
    return sizes_of(printed_chars(pdf_bytes))


def sizes_of(chars: list[PrintedChar]) -> TextSizes:
    """`text_sizes` of characters already read."""
    counts: dict[tuple[bool, float], int] = {}
    first: dict[tuple[bool, float], tuple[int, str]] = {}
    run: list[PrintedChar] = []

    def close_run() -> None:
        if run and (run[0].artifact, run[0].size) not in first:
            words = [run[0].text]
            for before, char in itertools.pairwise(run):
                gap = char.x - before.x_end  # a word space, or a new line (negative)
                space = gap > 0.2 * char.size or gap < -char.size
                words.append((" " if space else "") + char.text)
            first[(run[0].artifact, run[0].size)] = (run[0].page, "".join(words)[:40].strip())

    for char in chars:
        if not char.text.strip():
            continue
        key = (char.artifact, char.size)
        counts[key] = counts.get(key, 0) + 1
        if run and ((run[0].artifact, run[0].size) != key or run[0].page != char.page):
            close_run()
            run = []
        run.append(char)
    close_run()

    def listed(artifact: bool) -> list[SizeUse]:
        return [
            SizeUse(size, counts[(is_artifact, size)], *first[(is_artifact, size)])
            for is_artifact, size in sorted(counts, key=lambda key: key[1])
            if is_artifact == artifact
        ]

    return TextSizes(body=listed(False), artifacts=listed(True))


def min_text_size_problems(
    pdf_bytes: bytes,
    minimum_pt: float,
    artifact_minimum_pt: float | None = ARTIFACT_MINIMUM_PT,
) -> list[str]:
    """Body text below `minimum_pt`, and artifacts below `artifact_minimum_pt` (None: any)."""
    return size_problems(text_sizes(pdf_bytes), minimum_pt, artifact_minimum_pt)


def size_problems(
    sizes: TextSizes,
    minimum_pt: float,
    artifact_minimum_pt: float | None = ARTIFACT_MINIMUM_PT,
) -> list[str]:
    """`min_text_size_problems` of sizes already measured."""
    problems = [
        f"body text at {use.size:g} pt is below the {minimum_pt:g} pt minimum: "
        f"{use.count} character(s), first on page {use.page} ({use.sample!r})"
        for use in sizes.body
        if use.size < minimum_pt - TOLERANCE_PT
    ]
    if artifact_minimum_pt is not None:
        problems.extend(
            f"running header/footer text at {use.size:g} pt is below the "
            f"{artifact_minimum_pt:g} pt minimum: {use.count} character(s), "
            f"first on page {use.page} ({use.sample!r})"
            for use in sizes.artifacts
            if use.size < artifact_minimum_pt - TOLERANCE_PT
        )
    return problems


# --- structure elements and their marked content ----------------------------------------


def page_of(element: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> int | None:
    page = element.get("/Pg")
    return pages.get(page.objgen) if isinstance(page, pikepdf.Dictionary) else None


def marked_content(
    node: object, pages: dict[tuple[int, int], int], page: int | None
) -> Iterator[tuple[int, int]]:
    """(page, MCID) of every content item under a structure element."""
    if isinstance(node, pikepdf.Dictionary):
        if str(node.get("/Type", "")) == "/OBJR":
            return
        page = page_of(node, pages) or page
        if str(node.get("/Type", "")) == "/MCR":
            if page is not None and "/MCID" in node:
                yield page, int(node.MCID)
            return
        yield from marked_content(node.get("/K"), pages, page)
    elif isinstance(node, pikepdf.Array):
        for item in node:
            yield from marked_content(item, pages, page)
    elif isinstance(node, int) and not isinstance(node, bool) and page is not None:
        yield page, node


# --- lines and the page layout (the pagination checks read these) ------------------------


@dataclass
class Line:
    """Characters on one baseline of one page (body text or artifacts)."""

    page: int
    y: float
    chars: list[PrintedChar]
    heading: bool = False

    @property
    def text(self) -> str:
        out = []
        for before, char in zip([None, *self.chars], self.chars, strict=False):
            if before is not None:
                gap = char.x - before.x_end
                if gap > 0.2 * char.size or gap < -char.size:
                    out.append(" ")
            out.append(char.text)
        return re.sub(r"\s+", " ", "".join(out)).strip()

    @property
    def x0(self) -> float:
        return min(c.x for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c.x_end for c in self.chars)


@dataclass(frozen=True)
class Layout:
    """A PDF as the checks see it."""

    sizes: list[tuple[float, float]]
    body: list[Line]
    """Tagged text lines, in page then top-to-bottom order."""
    artifacts: list[Line]
    figure_pages: frozenset[int]
    chars: list[PrintedChar]


def read_layout(
    pdf_bytes: bytes, read: tuple[list[PrintedChar], list[tuple[float, float]]] | None = None
) -> Layout:
    """Lines of body text (headings marked) and of artifacts, and pages with figures."""
    chars, sizes = read if read is not None else printed_pages(pdf_bytes)
    headings, figures = _tagged(pdf_bytes)
    body: dict[tuple[int, float], list[PrintedChar]] = {}
    artifacts: dict[tuple[int, float], list[PrintedChar]] = {}
    for char in chars:
        if not char.text.strip():
            continue
        lines = artifacts if char.artifact else body
        key = (char.page, round(char.y, 0))
        lines.setdefault(key, []).append(char)

    def as_lines(found: dict[tuple[int, float], list[PrintedChar]], tag: bool) -> list[Line]:
        result = []
        for (page, y), line_chars in sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
            line_chars.sort(key=lambda c: c.x)
            if tag:
                line = Line(page, y, line_chars)
                inside = sum((c.page, c.mcid) in headings for c in line_chars)
                line.heading = inside * 2 > len(line_chars)
                result.append(line)
            else:  # running header/footer boxes side by side are separate lines
                result.extend(Line(page, y, part) for part in _segments(line_chars))
        return result

    return Layout(sizes, as_lines(body, True), as_lines(artifacts, False), figures, chars)


def _segments(chars: list[PrintedChar]) -> list[list[PrintedChar]]:
    """Split a baseline's characters where a gap wider than two ems separates them."""
    parts = [[chars[0]]]
    for before, char in itertools.pairwise(chars):
        if char.x - before.x_end > 2 * char.size:
            parts.append([])
        parts[-1].append(char)
    return parts


def _tagged(pdf_bytes: bytes) -> tuple[set[tuple[int, int | None]], frozenset[int]]:
    """(page, MCID) of heading content, and the pages that hold a Figure."""
    headings: set[tuple[int, int | None]] = set()
    figures: set[int] = set()
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return headings, frozenset()
        for element in walk_structure(tree):
            role = str(element.S)
            if re.fullmatch(r"/H[1-6]?", role):
                headings.update(marked_content(element, pages, None))
            elif role == "/Figure":
                figures.update(page for page, _ in marked_content(element, pages, None))
    return headings, frozenset(figures)
