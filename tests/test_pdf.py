"""PDF stage: real PDFs opened with pikepdf and pdfplumber (tags, language, fonts, artifacts)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leaflets.errors import Location, RenderError
from leaflets.output import write_atomic
from leaflets.render.pdf import mark_margin_artifacts, render_pdf, walk_structure
from leaflets.verify.contract import heading_problems, orphan_problems, verify_pdf

FOOTER_HTML = """<!DOCTYPE html><html lang="en-GB"><head><title>Footer test</title>
<style>@page { @bottom-right { content: "Page " counter(page) " of " counter(pages) } }
p { break-after: page }</style></head>
<body><h1>Footer test</h1><p>One</p><p>Two</p></body></html>"""


def raw_weasyprint(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def test_raw_weasyprint_footer_is_orphaned_and_we_fix_it() -> None:
    """WeasyPrint #1836: margin-box text is neither tagged nor an artifact; our pass fixes it."""
    raw = raw_weasyprint(FOOTER_HTML)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        elements = {e.objgen for e in walk_structure(pdf.Root.StructTreeRoot)}
        assert orphan_problems(pdf, elements), "the engine bug this pass works around is gone"
    fixed = mark_margin_artifacts(raw)
    report = verify_pdf(fixed, "en-GB", "Footer test")
    assert report.problems == []
    assert report.pages == 2
    with pdfplumber.open(io.BytesIO(fixed)) as pdf:
        assert "Page 2 of 2" in pdf.pages[1].extract_text()


def test_built_leaflets_pass_every_check(
    minimal_build: tuple[Path, object], expected_title: Callable[[Path, str, str], str]
) -> None:
    out, _ = minimal_build
    pdfs = sorted(out.rglob("*.pdf"))
    assert pdfs
    for pdf_path in pdfs:
        leaflet, level = pdf_path.name.split(".")[:2]
        title = expected_title(out.parent, leaflet, level)
        report = verify_pdf(pdf_path.read_bytes(), "en-GB", title)
        assert report.problems == [], pdf_path
        assert report.headings[0] == "H1"
        assert report.figures >= 1  # the pictogram, with its alt text


def test_catalog_language_title_and_viewer_title(minimal_build: tuple[Path, object]) -> None:
    out, _ = minimal_build
    with pikepdf.open(out / "mini" / "mini.easy.a4.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        assert bool(pdf.Root.MarkInfo.Marked)
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == "Test medicine (Easy read)"
            assert xmp["pdfuaid:part"] == "1"
        assert str(pdf.docinfo["/Title"]) == "Test medicine (Easy read)"


def test_fonts_embedded_and_readable_size(minimal_build: tuple[Path, object]) -> None:
    out, _ = minimal_build
    with pdfplumber.open(out / "mini" / "mini.easy.a4.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
        fonts = {c["fontname"].split("+")[-1] for c in chars}
        assert fonts <= {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"}
        body = [c for c in chars if c["text"].strip()]
        # Easy read body is 16 pt (ER2); the footer is never below 12 pt.
        assert min(round(c["size"], 1) for c in body) >= 12
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
        body_word = next(w for w in words if w["text"] == "felt")
        assert round(body_word["size"]) == 16
    with pikepdf.open(out / "mini" / "mini.easy.a4.pdf") as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor


def test_footer_on_every_page(minimal_build: tuple[Path, object]) -> None:
    out, _ = minimal_build
    with pdfplumber.open(out / "mini" / "mini.easy.a4.pdf") as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text()
            assert f"Page {number} of {total}" in text
            assert "Test medicine" in text
            assert "Version 1.0" in text


def test_heading_order_rules() -> None:
    assert heading_problems(["H1", "H2", "H3", "H2"]) == []
    assert heading_problems(["H1", "H3"]) == ["heading order skips a level (H1 -> H3)"]
    assert heading_problems(["H2"])[0] == "the first heading is not H1"


def test_engine_warning_fails_the_render(tmp_path: Path) -> None:
    html = (
        '<html lang="en"><head><title>x</title></head><body><img src="missing.png"></body></html>'
    )
    with pytest.raises(RenderError) as caught:
        render_pdf(html, tmp_path, (tmp_path,), Location(Path("x.yaml")))
    assert "missing.png" in str(caught.value)


def test_write_atomic_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.pdf"
    write_atomic(target, b"%PDF")
    assert target.read_bytes() == b"%PDF"
    assert [p.name for p in target.parent.iterdir()] == ["b.pdf"]
