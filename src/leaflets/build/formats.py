"""The output formats and paper sizes a build can make: one table, declared once.

A format says how one variant becomes bytes: its file name, whether it comes in one file
per paper size, what the templates are told (`medium`), how it is produced and checked,
and whether progress shows its page count. Adding a format (a booklet, an EPUB) is a new
row here, a template branch on `medium` where its layout differs, and its test
(docs/architecture.md shows a worked example).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..variants import HALF_PAPER, FormatName, Paper

if TYPE_CHECKING:
    from .jobs import Job

__all__ = [
    "BOOKLET_FORMATS",
    "FORMATS",
    "HALF_PAPER",
    "FormatName",
    "OutputFormat",
    "Paper",
    "output_format",
]


Produce = Callable[[str, "Job"], tuple[bytes, int]]
"""(rendered HTML, job) -> (file bytes, page count); raises a LeafletError when refused."""


@dataclass(frozen=True)
class OutputFormat:
    name: FormatName
    extension: str
    paged: bool
    """One file per paper size (and the paper in the file name), or one file in all."""
    medium: str
    """What the templates see as `medium`: 'pdf' (print layout) or 'html' (web twin)."""
    produce: Produce
    shows_pages: bool
    """Progress and reports give its page count."""
    half_size: bool = False
    """Pages laid out on half the paper (A5 for A4): the booklet formats (issue 16)."""
    tagged: bool = True
    """The file keeps the tagged structure, so the PDF/UA and pagination checks apply
    (not to the imposed booklet, which is for printing only)."""

    def page_paper(self, paper: str) -> str:
        """The paper the templates lay the pages out on (`page.paper`)."""
        return HALF_PAPER[paper] if self.half_size else paper

    def file_name(self, stem: str, paper: str) -> str:
        if self.name is FormatName.A5:
            paper = HALF_PAPER[paper]
        return f"{stem}.{paper}{self.extension}" if self.paged else f"{stem}{self.extension}"

    def label(self, paper: str) -> str:
        """How a variant of this format is named in progress lines and messages."""
        if self.name is FormatName.A5:
            return HALF_PAPER[paper]
        if self.name is FormatName.BOOKLET:
            return f"{paper} booklet"
        return paper if self.paged else self.name.value


def _produce_pdf(html: str, job: Job) -> tuple[bytes, int]:
    """WeasyPrint PDF/UA-1, then the accessibility contract checked before it is kept:
    on the document as it is built (verify/built.py), and in a release also on the saved
    bytes, parsed again by pikepdf (verify/contract.py), before the pagination checks."""
    from ..errors import Location, VerifyError
    from ..render.pdf import render_pdf
    from ..verify.built import check_built
    from ..verify.contract import PdfReport

    where = Location(job.source)
    images = {
        block.image.src: block.image.where
        for section in job.context.sections
        for block in section.blocks
        if block.image is not None and block.image.where is not None
    }
    checked: list[PdfReport] = []
    data = render_pdf(
        html,
        job.content_dir,
        job.roots,
        where,
        images,
        # Checked as it is built, without a second parse of the file (issue 18).
        inspect=lambda built: checked.append(
            check_built(built, job.context.language, job.context.title)
        ),
    )
    (facts,) = checked
    if facts.problems:
        raise VerifyError(facts.as_problems(where))
    if job.pagination is not None:  # a release: the saved bytes, parsed independently
        from ..verify.contract import verify_pdf

        saved = verify_pdf(data, job.context.language, job.context.title)
        if saved.problems:
            raise VerifyError(saved.as_problems(where))
        _check_pagination(data, job)
    return data, facts.pages


def _check_pagination(data: bytes, job: Job) -> None:
    """A release refuses a PDF that fails a pagination check the leaflet does not allow."""
    from pathlib import Path

    from ..errors import Location, Problem, VerifyError
    from ..verify.pagination import pagination_problems

    assert job.pagination is not None
    found = pagination_problems(data, Location(Path(job.variant.relative_path)), job.pagination)
    if found:
        hint = (
            "fix the layout, or allow the check in the leaflet with a reason "
            "(pagination: {allow: [...], reason: ...}, docs/clinics.md)"
        )
        raise VerifyError([Problem(Location(job.source), p.message, hint) for p in found])


def _produce_booklet(html: str, job: Job) -> tuple[bytes, int]:
    """The A5 pages (checked as any PDF), imposed on sheets; the count is sheet sides."""
    from ..render.booklet import impose

    data, _ = _produce_pdf(html, job)
    return impose(data)


def _produce_html(html: str, job: Job) -> tuple[bytes, int]:
    """The self-contained HTML twin: the template inlines styles, font and pictures."""
    return html.encode("utf-8"), 0


FORMATS: dict[FormatName, OutputFormat] = {
    FormatName.PDF: OutputFormat(FormatName.PDF, ".pdf", True, "pdf", _produce_pdf, True),
    FormatName.HTML: OutputFormat(FormatName.HTML, ".html", False, "html", _produce_html, False),
    FormatName.A5: OutputFormat(
        FormatName.A5, ".pdf", True, "pdf", _produce_pdf, True, half_size=True
    ),
    FormatName.BOOKLET: OutputFormat(
        FormatName.BOOKLET,
        ".booklet.pdf",
        True,
        "pdf",
        _produce_booklet,
        True,
        half_size=True,
        tagged=False,
    ),
}
#: What `outputs: booklet: true` (`--booklet`) adds to each regular-print PDF.
BOOKLET_FORMATS = (FormatName.A5.value, FormatName.BOOKLET.value)


def output_format(name: str) -> OutputFormat:
    return FORMATS[FormatName(name)]
