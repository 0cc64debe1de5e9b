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
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..render.pdf import walk_structure
from .printed import (
    ARTIFACT_MINIMUM_PT,
    TOLERANCE_PT,
    PrintedChar,
    SizeUse,
    TextSizes,
    marked_content,
    min_text_size_problems,
    page_of,
    printed_chars,
    printed_pages,
    size_problems,
    sizes_of,
    text_sizes,
)

# Re-exported: the checks' callers read sizes and characters from here too.
__all__ = [
    "ARTIFACT_MINIMUM_PT",
    "KNOWN_PDFUA_SKIPS",
    "TOLERANCE_PT",
    "PrintedChar",
    "SizeUse",
    "TextSizes",
    "a11y_problems",
    "empty_heading_problems",
    "min_text_size_problems",
    "pdfua_problems",
    "printed_chars",
    "printed_pages",
    "run_pdfua",
    "size_problems",
    "sizes_of",
    "text_sizes",
]

KNOWN_PDFUA_SKIPS = {
    "UA-14-001": (
        "pdfua 0.1.3 calls getattr(kid, 'is_integer', False) on a heading's /K; pikepdf 10 "
        "answers that on an Array with ValueError, not AttributeError, so the rule stops on "
        "any heading whose /K is an array, as WeasyPrint writes them. Covered by "
        "a11y.empty_heading_problems."
    ),
}
"""Rules `pdfua` cannot evaluate on our PDFs, why, and what checks them instead."""


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
            content = [text.get(item, "") for item in marked_content(element, pages, None)]
            if not "".join(content).strip():
                where = f" on page {page}" if (page := page_of(element, pages)) else ""
                problems.append(f"heading {role[1:]}{where} has no text")
    return problems


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
