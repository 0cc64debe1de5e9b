"""PDF checks beyond verify.py, on real built PDFs: printed text sizes, empty headings, pdfua."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from leaflets.build.builder import BuildReport
from leaflets.render.pdf import mark_margin_artifacts, walk_structure
from leaflets.verify.a11y import (
    KNOWN_PDFUA_SKIPS,
    a11y_problems,
    empty_heading_problems,
    min_text_size_problems,
    pdfua_problems,
    run_pdfua,
    text_sizes,
)


def built(minimal_build: tuple[Path, BuildReport], level: str) -> bytes:
    out, report = minimal_build
    assert report.ok, report.failed
    [path] = sorted(out.rglob(f"mini.{level}.*.pdf"))
    return path.read_bytes()


def weasyprint_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return mark_margin_artifacts(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))


def test_easy_read_body_text_is_at_least_16pt(minimal_build: tuple[Path, BuildReport]) -> None:
    data = built(minimal_build, "easy")
    sizes = text_sizes(data)
    assert sizes.body_min == 16.0  # the level's size (ER2 asks >= 14 pt)
    assert sizes.artifact_min == 14.0  # the running footer: max(12, 16 - 2)
    assert all(use.sample and use.count > 0 for use in sizes.body + sizes.artifacts)
    assert min_text_size_problems(data, 16) == []


def test_plain_body_text_is_at_least_12pt(minimal_build: tuple[Path, BuildReport]) -> None:
    data = built(minimal_build, "plain")
    sizes = text_sizes(data)
    assert sizes.body_min is not None
    assert sizes.body_min >= 12.0  # LP1
    assert sizes.artifact_min is not None
    assert sizes.artifact_min >= 12.0
    assert min_text_size_problems(data, 12) == []
    assert min_text_size_problems(data, 14) != []  # the check does look


def test_small_body_text_and_small_footer_are_reported() -> None:
    data = weasyprint_pdf(
        """<!DOCTYPE html><html lang="en-GB"><head><title>Sizes</title><style>
        @page { @bottom-right { content: "Page " counter(page); font-size: 8pt } }
        body { font-size: 12pt }</style></head>
        <body><h1>Sizes</h1><p>Readable words <small style="font-size: 9pt">tiny words</small>
        </p></body></html>"""
    )
    sizes = text_sizes(data)
    assert sizes.artifact_min == 8.0
    assert [use.sample for use in sizes.artifacts] == ["Page 1"]
    assert sizes.body_min == 9.0
    problems = min_text_size_problems(data, 12)
    assert problems == [
        "body text at 9 pt is below the 12 pt minimum: 9 character(s), first on page 1 "
        "('tiny words')",
        "running header/footer text at 8 pt is below the 12 pt minimum: 5 character(s), "
        "first on page 1 ('Page 1')",
    ]
    assert min_text_size_problems(data, 9, artifact_minimum_pt=None) == []


def test_headings_have_text(minimal_build: tuple[Path, BuildReport]) -> None:
    for level in ("easy", "plain"):
        assert empty_heading_problems(built(minimal_build, level)) == []


def test_an_emptied_heading_is_reported(minimal_build: tuple[Path, BuildReport]) -> None:
    with pikepdf.open(io.BytesIO(built(minimal_build, "plain"))) as pdf:
        [heading] = [e for e in walk_structure(pdf.Root.StructTreeRoot) if str(e.S) == "/H2"][:1]
        heading.K = pikepdf.Array([9999])  # a marked-content id no page has
        out = io.BytesIO()
        pdf.save(out)
    assert empty_heading_problems(out.getvalue()) == ["heading H2 on page 1 has no text"]


def test_pdfua_finds_nothing_on_built_leaflets(minimal_build: tuple[Path, BuildReport]) -> None:
    for level in ("easy", "plain"):
        data = built(minimal_build, level)
        result = run_pdfua(data)
        assert result.findings == [], level
        assert result.rules_run >= 11
        # Rules pdfua could not run are known gaps, each covered by a check of ours.
        assert {s.split(":", 1)[0] for s in result.skipped} <= set(KNOWN_PDFUA_SKIPS)
        assert pdfua_problems(data) == []


def test_pdfua_reports_a_missing_language(minimal_build: tuple[Path, BuildReport]) -> None:
    with pikepdf.open(io.BytesIO(built(minimal_build, "easy"))) as pdf:
        del pdf.Root["/Lang"]
        out = io.BytesIO()
        pdf.save(out)
    problems = pdfua_problems(out.getvalue())
    assert any(p.startswith("UA-06-001 error (certain)") for p in problems), problems


@pytest.mark.parametrize("rule", sorted(KNOWN_PDFUA_SKIPS))
def test_known_pdfua_skips_are_explained(rule: str) -> None:
    assert "a11y." in KNOWN_PDFUA_SKIPS[rule]  # names the check that covers the gap


def test_all_checks_at_once(minimal_build: tuple[Path, BuildReport]) -> None:
    assert a11y_problems(built(minimal_build, "easy"), 16) == []
    problems = a11y_problems(built(minimal_build, "plain"), 14)
    assert problems
    assert all(p.startswith("body text at 12 pt is below the 14 pt minimum") for p in problems)
