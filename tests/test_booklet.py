"""Folded booklets (issue 16): A5 reading-order PDF checked like any PDF, and its pages
imposed two to a sheet side in folding order, read back from the imposed file."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from conftest import FIXTURES
from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.build.formats import BOOKLET_FORMATS
from leaflets.render.booklet import impose, side_order
from leaflets.verify.contract import verify_pdf
from leaflets.verify.pagination import page_faults


def test_side_order_for_eight_and_twelve_pages() -> None:
    assert side_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert side_order(12)[:2] == [(12, 1), (2, 11)]
    with pytest.raises(ValueError, match="multiple of 4"):
        side_order(6)


def _numbered_pdf(pages: int) -> bytes:
    """An A5 PDF whose pages say "PAGE n" (drawn with WeasyPrint, as leaflets are)."""
    from weasyprint import HTML

    body = "".join(f'<p style="break-after: page">PAGE {n}</p>' for n in range(1, pages + 1))
    return HTML(string=f"<style>@page {{ size: A5 }}</style>{body}").write_pdf()


def _sheet_text(data: bytes) -> list[list[int]]:
    """The page numbers printed on each sheet side, left to right."""
    sides = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            words = sorted(page.extract_words(), key=lambda w: w["x0"])
            sides.append([int(w["text"]) for w in words if re.fullmatch(r"\d+", w["text"])])
    return sides


def test_imposed_sheets_read_in_folding_order() -> None:
    data, sides = impose(_numbered_pdf(8))
    assert sides == 4
    assert _sheet_text(data) == [[8, 1], [2, 7], [6, 3], [4, 5]]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        width, height = pdf.pages[0].width, pdf.pages[0].height
    assert (round(width), round(height)) == (842, 595)  # A4 landscape


def test_pages_padded_to_four_with_notes_pages() -> None:
    data, sides = impose(_numbered_pdf(6))
    assert sides == 4
    # pages 7 and 8 are ruled notes pages: no words
    assert _sheet_text(data) == [[1], [2], [6, 3], [4, 5]]


def test_booklet_build_lists_both_files_and_the_a5_passes_the_checks(tmp_path: Path) -> None:
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    options = BuildOptions(levels=("plain",), papers=("a4", "letter"), booklet=True)
    report = build_catalog(load_project(root), root / "output", options)
    assert report.ok, report.failed
    paths = sorted(e.path for e in report.built)
    assert paths == [
        "mini/mini.plain.a4.booklet.pdf",
        "mini/mini.plain.a4.pdf",
        "mini/mini.plain.a5.pdf",
        "mini/mini.plain.half-letter.pdf",
        "mini/mini.plain.letter.booklet.pdf",
        "mini/mini.plain.letter.pdf",
    ]
    by_path = {e.path: e for e in report.built}
    a5 = (root / "output" / "mini/mini.plain.a5.pdf").read_bytes()
    facts = verify_pdf(a5, "en-GB", None)
    assert not facts.problems
    # the tiny fixture may end on a short page; nothing else may be wrong
    assert [f for f in page_faults(a5) if f.check != "short-last-page"] == []
    with pdfplumber.open(io.BytesIO(a5)) as pdf:
        assert round(pdf.pages[0].width) == 420  # A5
    booklet = by_path["mini/mini.plain.a4.booklet.pdf"]
    assert booklet.pages * 2 == -(-facts.pages // 4) * 4
    with pdfplumber.open(root / "output" / "mini/mini.plain.letter.booklet.pdf") as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (792, 612)


def _footer_pages(pdf_path: Path) -> list[tuple[int | None, int | None]]:
    """The "Page N of" number printed on the left and right half of every sheet side."""
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        for sheet in pdf.pages:
            halves = []
            for x0, x1 in ((0, sheet.width / 2), (sheet.width / 2, sheet.width)):
                text = sheet.crop((x0, 0, x1, sheet.height)).extract_text() or ""
                match = re.search(r"Page (\d+) of \d+", text)
                halves.append(int(match.group(1)) if match else None)
            found.append((halves[0], halves[1]))
    return found


def test_sample_booklets_for_every_topic_in_folding_order(tmp_path: Path) -> None:
    from conftest import REPO

    catalog = load_project(REPO)
    options = BuildOptions(  # the booklets and their reading-order pages only (no large print)
        levels=("plain",),
        papers=("a4", "letter"),
        formats=BOOKLET_FORMATS,
        booklet=True,
        large_print=False,
        jobs=2,
    )
    report = build_catalog(catalog, tmp_path / "out", options)
    assert report.ok, report.failed
    by_path = {e.path: e for e in report.built}
    for loaded in catalog.leaflets:
        stem = f"{loaded.leaflet.id}/{loaded.leaflet.id}.plain"
        for paper, pages_name in (("a4", "a5"), ("letter", "half-letter")):
            reading = by_path[f"{stem}.{pages_name}.pdf"]
            booklet = tmp_path / "out" / f"{stem}.{paper}.booklet.pdf"
            total = -(-reading.pages // 4) * 4
            expected = [
                tuple(n if n <= reading.pages else None for n in side) for side in side_order(total)
            ]
            assert _footer_pages(booklet) == expected, booklet.name
            a5 = (tmp_path / "out" / f"{stem}.{pages_name}.pdf").read_bytes()
            faults = [f for f in page_faults(a5) if f.check != "short-last-page"]
            assert faults == [], pages_name  # a short last page costs no paper here
