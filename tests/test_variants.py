"""Issue 5: every variant of the sample (A4, Letter, large print, clinic, HTML) is built and
passes the checks; large print is large; clinic copies carry the clinic."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leaflets import load_project
from leaflets.build.builder import BuildReport
from leaflets.verify.a11y import a11y_problems, text_sizes
from leaflets.verify.contract import verify_pdf

REPO = Path(__file__).resolve().parents[1]
LEVELS = ("easy", "plain", "detailed")


def test_every_variant_is_built(sample_build: tuple[Path, BuildReport]) -> None:
    _, report = sample_build
    assert report.ok, report.failed
    built = {
        (e.level, e.paper, e.large_print, e.clinic, e.format)
        for e in report.built
        if e.leaflet == "ketamine-esketamine-depression"
    }
    for level in LEVELS:
        for clinic in (None, "example-clinic"):
            for large in (False, True):
                assert (level, "a4", large, clinic, "html") in built
                for paper in ("a4", "letter"):
                    assert (level, paper, large, clinic, "pdf") in built
    # levels x clinics x sizes x (2 papers + html); the example clinic prints only the
    # ketamine leaflet (its `leaflets:` list, issue 15), so glue ear has no clinic copies.
    assert len(report.built) == 3 * 2 * 2 * 3 + 3 * 1 * 2 * 3
    assert not any(e.clinic for e in report.built if e.leaflet == "glue-ear-children")


def test_every_pdf_passes_the_contract(
    sample_build: tuple[Path, BuildReport], expected_title: Callable[[Path, str, str], str]
) -> None:
    out, report = sample_build
    pdfs = [entry for entry in report.built if entry.format == "pdf"]
    assert len(pdfs) == 3 * 2 * 2 * 2 + 3 * 1 * 2 * 2
    for entry in pdfs:
        title = expected_title(REPO, entry.leaflet, entry.level)
        assert verify_pdf((out / entry.path).read_bytes(), "en-GB", title).problems == []


@pytest.mark.parametrize("level", LEVELS)
def test_large_print_clinic_letter_copies_pass_the_deeper_checks(
    sample_build: tuple[Path, BuildReport], level: str
) -> None:
    out, _ = sample_build
    path = out / "example-clinic" / "ketamine-esketamine-depression"
    data = (path / f"ketamine-esketamine-depression.{level}.large.letter.pdf").read_bytes()
    assert a11y_problems(data, minimum_pt=18) == []
    sizes = text_sizes(data)
    assert sizes.body_min >= 18
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert [round(float(v)) for v in pdf.pages[0].MediaBox] == [0, 0, 612, 792]


def test_clinic_copy_carries_name_phone_logo_and_qr(
    sample_build: tuple[Path, BuildReport],
) -> None:
    out, _ = sample_build
    path = out / "example-clinic/ketamine-esketamine-depression/ketamine-esketamine-depression"
    with pdfplumber.open(f"{path}.plain.a4.pdf") as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    # Name and phone head the first page; the footer stays two lines for any clinic name
    # (issue 16), so the contact box carries them again at the end.
    assert "Riverside Mood Clinic (example), 01234 567890" in " ".join(pages[0].split())
    text = re.sub(r"([/-])\s+", r"\1", " ".join(" ".join(pages).split()))  # URL line breaks
    assert "Contact Riverside Mood Clinic (example)" in text
    assert "Phone: 01234 567890" in text
    # printed without "https://", breaking only after a "/" (the QR code has it whole)
    assert "example.org/riverside/leaflets/ketamine-esketamine-depression/plain" in text
    with pikepdf.open(f"{path}.plain.a4.pdf") as pdf:
        from leaflets.render.pdf import walk_structure

        alts = [str(e.get("/Alt", "")) for e in walk_structure(pdf.Root.StructTreeRoot)]
    assert "Riverside Mood Clinic logo" in alts
    assert any(alt.startswith("QR code for https://example.org/riverside/") for alt in alts)


def test_html_twin_is_self_contained(sample_build: tuple[Path, BuildReport]) -> None:
    out, report = sample_build
    for entry in report.built:
        if entry.format != "html":
            continue
        html = (out / entry.path).read_text()
        assert html.startswith("<!DOCTYPE html>")
        assert '<html lang="en-GB">' in html
        assert "<main>" in html
        # Nothing is fetched from outside the file: styles, fonts and pictures are inlined.
        # Web addresses are links the reader may follow (issue 16), never resources.
        assert not re.search(r'src="(file|https?):', html), entry.path
        assert not re.search(r'<link[^>]*href="(file|https?):', html), entry.path
        for link in re.findall(r'<a [^>]*href="(?:file|https?):[^>]*>', html):
            assert 'class="url"' in link, link
        assert "file:" not in " ".join(re.findall(r'href="[^"]*"', html)), entry.path
        assert 'url("file:' not in html
        assert "data:font/ttf;base64," in html or "data:application/octet-stream" in html


def test_every_page_carries_title_version_dates_and_page_numbers(
    sample_build: tuple[Path, BuildReport],
) -> None:
    out, _ = sample_build
    catalog = load_project(REPO)
    [leaflet] = [x.leaflet for x in catalog.leaflets if x.leaflet.id.startswith("ketamine")]
    path = out / "ketamine-esketamine-depression/ketamine-esketamine-depression.detailed.a4.pdf"
    with pdfplumber.open(path) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            text = " ".join(page.extract_text().split())
            assert f"Page {number} of {total}" in text
            assert f"Version {leaflet.version}" in text
            assert "Checked " in text
            assert f"Review by {leaflet.next_review.day} {leaflet.next_review:%b %Y}" in text
