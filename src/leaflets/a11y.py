"""Built PDF bytes in, accessibility messages out: the checks `verify.py` does not make.

- Text size (LP1, LP2, ER2): the size of every character as printed, read from the PDF
  (font size x text matrix x CTM, through pdfminer.six), split into body text and
  artifacts (running headers and footers, which `pdf.mark_margin_artifacts` marks
  `/Artifact`). Body text is held to the level's minimum. Artifacts are held to their own
  floor, 12 pt by default (LP1: no text below 12 pt): the theme sets the footer to the
  level's size minus 2, never below 12 pt, so an Easy Read footer at 14 pt is correct
  under a 16 pt body and must not fail the body check.
- Empty headings (UA-14-001, PDF/UA-1 7.4): every H1-H6 structure element must reach
  marked content with visible text. Done here because `pdfua` 0.1.3 cannot evaluate
  that rule on WeasyPrint output (see `KNOWN_PDFUA_SKIPS`).
- The `pdfua` package (pikepdf-based, the machine-checkable subset of PDF/UA-1 and
  WCAG 2.1): every finding is a message; a rule it could not evaluate is a message too,
  unless it is a known, documented gap covered by a check of ours.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdfdevice import PDFTextDevice
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFGraphicState, PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.psparser import PSLiteral
from pdfminer.utils import Matrix

from .errors import Location, Problem
from .formats import output_format
from .load import Catalog
from .pdf import walk_structure

ARTIFACT_MINIMUM_PT = 12.0
"""Smallest running header/footer text (LP1; the theme's footer is max(12, body - 2))."""

TOLERANCE_PT = 0.05
"""Sizes are products of floats (18 mm margins, em factors): 11.999 pt is 12 pt."""

KNOWN_PDFUA_SKIPS = {
    "UA-14-001": (
        "pdfua 0.1.3 calls getattr(kid, 'is_integer', False) on a heading's /K; pikepdf 10 "
        "answers that on an Array with ValueError, not AttributeError, so the rule stops on "
        "any heading whose /K is an array, as WeasyPrint writes them. Covered by "
        "a11y.empty_heading_problems."
    ),
}
"""Rules `pdfua` cannot evaluate on our PDFs, why, and what checks them instead."""


# --- what is printed ---------------------------------------------------------------------


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


# --- headings ----------------------------------------------------------------------------


def empty_heading_problems(pdf_bytes: bytes, chars: list[PrintedChar] | None = None) -> list[str]:
    """Every H1-H6 reaches marked content that prints visible text (PDF/UA-1 7.4, UA6).

    `chars` are the PDF's `printed_chars`, when already read.
    """
    text: dict[tuple[int, int], str] = {}
    for char in printed_chars(pdf_bytes) if chars is None else chars:
        if char.mcid is not None and not char.artifact:
            key = (char.page, char.mcid)
            text[key] = text.get(key, "") + char.text
    problems = []
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return ["no structure tree"]
        for element in walk_structure(tree):
            role = str(element.S)
            if not re.fullmatch(r"/H[1-6]?", role):
                continue
            content = [text.get(item, "") for item in _marked_content(element, pages, None)]
            if not "".join(content).strip():
                where = f" on page {page}" if (page := _page_of(element, pages)) else ""
                problems.append(f"heading {role[1:]}{where} has no text")
    return problems


def _page_of(element: pikepdf.Dictionary, pages: dict[tuple[int, int], int]) -> int | None:
    page = element.get("/Pg")
    return pages.get(page.objgen) if isinstance(page, pikepdf.Dictionary) else None


def _marked_content(
    node: object, pages: dict[tuple[int, int], int], page: int | None
) -> Iterator[tuple[int, int]]:
    """(page, MCID) of every content item under a structure element."""
    if isinstance(node, pikepdf.Dictionary):
        if str(node.get("/Type", "")) == "/OBJR":
            return
        page = _page_of(node, pages) or page
        if str(node.get("/Type", "")) == "/MCR":
            if page is not None and "/MCID" in node:
                yield page, int(node.MCID)
            return
        yield from _marked_content(node.get("/K"), pages, page)
    elif isinstance(node, pikepdf.Array):
        for item in node:
            yield from _marked_content(item, pages, page)
    elif isinstance(node, int) and not isinstance(node, bool) and page is not None:
        yield page, node


# --- pdfua -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfuaResult:
    findings: list[str]
    """Every finding, as `RULE severity (confidence) at LOCATION: message`."""
    skipped: list[str]
    """Rules that could not run, as `RULE: reason`, known gaps included."""
    rules_run: int

    @property
    def problems(self) -> list[str]:
        """Findings, and skipped rules that are not known, covered gaps."""
        unknown = [s for s in self.skipped if s.split(":", 1)[0] not in KNOWN_PDFUA_SKIPS]
        return self.findings + [f"pdfua could not check {s}" for s in unknown]


def run_pdfua(pdf_bytes: bytes) -> PdfuaResult:
    """Run every rule of the `pdfua` package on the PDF."""
    from pdfua import validate

    with tempfile.TemporaryDirectory(prefix="leaflets-pdfua-") as folder:
        path = Path(folder) / "leaflet.pdf"
        path.write_bytes(pdf_bytes)
        report = validate(str(path))
    findings = [
        f"{f.rule_id} {f.severity.name.lower()} ({f.confidence.value}) at "
        f"{f.location.describe()}: {f.message}"
        for f in report.findings
    ]
    skipped = [f"{o.rule_id}: {o.skipped_reason}" for o in report.skipped]
    return PdfuaResult(findings, skipped, len(report.outcomes) - len(skipped))


def pdfua_problems(pdf_bytes: bytes) -> list[str]:
    """The `pdfua` package's findings, plus any rule it could not evaluate unexpectedly."""
    return run_pdfua(pdf_bytes).problems


# --- all of them -------------------------------------------------------------------------


def a11y_problems(
    pdf_bytes: bytes,
    minimum_pt: float,
    artifact_minimum_pt: float | None = ARTIFACT_MINIMUM_PT,
    chars: list[PrintedChar] | None = None,
) -> list[str]:
    """Every check of this module on one PDF, the page content read once (about 1 s for a
    15-page leaflet): text sizes, empty headings, then `pdfua`."""
    chars = printed_chars(pdf_bytes) if chars is None else chars
    return (
        size_problems(sizes_of(chars), minimum_pt, artifact_minimum_pt)
        + empty_heading_problems(pdf_bytes, chars)
        + pdfua_problems(pdf_bytes)
    )


# --- a whole output folder (`leaflets check --a11y`) -------------------------------------


def check_outputs(catalog: Catalog, out_dir: Path) -> list[Problem]:
    """The accessibility checks on every built file listed in `out_dir/manifest.json`,
    and the theme's colours: what `leaflets check --a11y` runs."""
    from .contrast import check_contrast, check_graphics, contrast_problems
    from .manifest import load_manifest, read_built
    from .pagination import pagination_problems, rules_for
    from .templates import template_dirs
    from .verify import verify_pdf

    problems: list[Problem] = []
    for folder in template_dirs(catalog.root):
        for css in sorted(folder.glob("*.css")):
            where = Location(css)
            problems += [
                Problem(where, m) for m in contrast_problems(check_contrast(css.read_text()))
            ]
        for template in sorted(folder.glob("*.j2")):
            found = contrast_problems(check_graphics(template.read_text()))
            problems += [Problem(Location(template), m) for m in found]
    leaflets = {loaded.leaflet.id: loaded.leaflet for loaded in catalog.leaflets}
    # Only files the build made, exactly as it made them (issue 12): the manifest is
    # validated, and a listed file is read without following links, if it still matches.
    manifest = load_manifest(out_dir)
    problems += manifest.problems
    entries = manifest.entries
    if not entries:
        problems.append(
            Problem(
                Location(out_dir),
                "no built files to check",
                "run `leaflets build` first (or give --out)",
            )
        )
    for entry in entries.values():
        where = Location(Path(entry.path))
        if output_format(entry.format).shows_pages and not output_format(entry.format).tagged:
            continue  # the imposed booklet is for printing only; its A5 twin is checked
        built = read_built(out_dir, entry)
        if built is None:
            problems.append(
                Problem(
                    Location(out_dir / entry.path),
                    "not checked: the file is missing or changed since the build wrote it",
                    "run `leaflets build` again, then check",
                )
            )
            continue
        data = built
        if not output_format(entry.format).shows_pages:  # the PDF checks read paged files
            text = data.decode("utf-8", errors="replace")
            if f'lang="{entry.language}"' not in text or "<title>" not in text:
                problems.append(Problem(where, "HTML twin lacks its language or title"))
            continue
        level = catalog.project.levels.get(entry.level)
        minimum = 18.0 if entry.large_print else (level.font_size_pt if level else 12.0)
        report = verify_pdf(data, entry.language, None)
        problems += report.as_problems(where)
        read = printed_pages(data)
        problems += [Problem(where, m) for m in a11y_problems(data, minimum, chars=read[0])]
        rules = rules_for(catalog.project, leaflets.get(entry.leaflet), entry.format)
        problems += pagination_problems(data, where, rules, read)
    return problems
