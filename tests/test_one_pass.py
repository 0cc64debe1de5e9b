"""The footer fix and the accessibility checks in one open of each PDF (issue 18): the
checks made on the document as it is finished say what a second open of the saved bytes
says, reading the document changes nothing in it, and the byte-level reading of marked
content agrees with parsing every operator (and falls back to parsing when unsure)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from leaflets.render.pdf import mark_margin_artifacts
from leaflets.verify.contract import (
    PdfReport,
    _marked_ids,
    _parsed_marked_ids,
    check_pdf,
    orphan_problems,
    verify_pdf,
)

FOOTER_HTML = """<!DOCTYPE html><html lang="en-GB"><head><title>Footer test</title>
<style>@page { @bottom-right { content: "Page " counter(page) " of " counter(pages) } }
p { break-after: page }</style></head>
<body><h1>Footer test</h1><p>One</p>
<img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='9' height='9'/>">
<p>Two</p></body></html>"""


def raw_weasyprint(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


@pytest.fixture(scope="module")
def raw() -> bytes:
    return raw_weasyprint(FOOTER_HTML)


def test_checks_in_the_same_open_say_what_a_second_open_says(raw: bytes) -> None:
    seen: list[PdfReport] = []
    fixed = mark_margin_artifacts(raw, lambda pdf: seen.append(check_pdf(pdf, "en-GB", None)))
    (inline,) = seen
    again = verify_pdf(fixed, "en-GB", None)
    assert (inline.pages, inline.headings, inline.figures, inline.problems) == (
        again.pages,
        again.headings,
        again.figures,
        again.problems,
    )
    assert inline.problems == [x for x in inline.problems if "alt text" in x]  # the bare img


def test_checking_leaves_the_document_as_it_was(raw: bytes) -> None:
    plain = mark_margin_artifacts(raw)
    checked = mark_margin_artifacts(raw, lambda pdf: check_pdf(pdf, "en-GB", "Footer test"))
    assert checked == plain  # no metadata stamp, no date: byte-identical


def test_wrong_facts_are_still_found_in_the_same_open(raw: bytes) -> None:
    seen: list[PdfReport] = []
    mark_margin_artifacts(raw, lambda pdf: seen.append(check_pdf(pdf, "fr-FR", "Autre")))
    problems = " ".join(seen[0].problems)
    assert "document language is 'en-GB', expected 'fr-FR'" in problems
    assert "title in metadata does not contain 'Autre'" in problems


def test_reading_marked_content_from_bytes_agrees_with_parsing(raw: bytes) -> None:
    for data in (raw, mark_margin_artifacts(raw)):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                assert _marked_ids(page) == _parsed_marked_ids(page)


def test_unfixed_footers_are_still_orphans(raw: bytes) -> None:
    from leaflets.render.pdf import walk_structure

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        elements = {e.objgen for e in walk_structure(pdf.Root.StructTreeRoot)}
        assert orphan_problems(pdf, elements)


@pytest.mark.parametrize(
    "content",
    [
        b"/Span /P0 BDC (x) Tj EMC",  # a named property list: not read from bytes
        b"/Span <</MCID 0 /A <</O /X>> >> BDC EMC",  # a nested dictionary
        b"(a BDC in a string) Tj /Span <</MCID 0>> BDC EMC",  # a BDC we cannot place
        b"% BDC in a comment\n/Span <</MCID 0>> BDC EMC",
    ],
)
def test_content_the_byte_reading_is_unsure_of_is_parsed(content: bytes, tmp_path: Path) -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    assert _marked_ids(page) is None
    assert _parsed_marked_ids(page) is not None


def test_inline_marked_content_is_read_from_bytes() -> None:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(
        b"/P <</MCID 0>> BDC EMC /Artifact <</Type /Pagination>> BDC EMC /Span<< >>BDC EMC"
    )
    assert _marked_ids(page) == [0, -1] == _parsed_marked_ids(page)
