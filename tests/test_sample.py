"""The shipped sample leaflet, built from the real content: the words a reader gets."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest

from leaflets import load_project
from leaflets.build.builder import BuildReport
from leaflets.verify.contract import verify_pdf

REPO = Path(__file__).resolve().parents[1]
LEAFLET = "ketamine-esketamine-depression"
LEVELS = ("easy", "plain", "detailed")
HYPE = re.compile(
    r"\b(cure[sd]?|repairs?|rewires?|magic|game[- ]changer|breakthrough|miracle|revolutionary)\b",
    re.IGNORECASE,
)


def pdf_text(out: Path, level: str) -> str:
    path = out / LEAFLET / f"{LEAFLET}.{level}.a4.pdf"
    with pdfplumber.open(io.BytesIO(path.read_bytes())) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_sample_content_is_valid() -> None:
    catalog = load_project(REPO)
    assert catalog.failed == {}
    assert [p for p in catalog.problems if p.severity == "error"] == []
    # Two topics (issue 15): a treatment leaflet and a decision aid.
    assert sorted(loaded.leaflet.id for loaded in catalog.leaflets) == [
        "glue-ear-children",
        LEAFLET,
    ]


def test_three_levels_built_and_checked(
    sample_build: tuple[Path, BuildReport], expected_title: Callable[[Path, str, str], str]
) -> None:
    out, report = sample_build
    assert report.ok, report.failed
    plain_a4 = [
        e
        for e in report.built
        if e.paper == "a4" and e.format == "pdf" and not e.large_print and e.clinic is None
    ]
    assert sorted(e.level for e in plain_a4) == sorted(LEVELS * 2)  # both topics
    for entry in plain_a4:
        title = expected_title(REPO, entry.leaflet, entry.level)
        facts = verify_pdf((out / entry.path).read_bytes(), "en-GB", title)
        assert facts.problems == []
        assert facts.figures >= 1


@pytest.mark.parametrize("level", LEVELS)
def test_benefits_uncertainty_and_risks_in_every_level(
    sample_build: tuple[Path, BuildReport], level: str
) -> None:
    out, _ = sample_build
    text = pdf_text(out, level)
    flat = " ".join(text.split())
    # Benefits as natural frequencies with the comparison (TRANSFORM-2, S11).
    assert re.search(r"Out of 100 [^.]*about 69 ", flat)
    assert re.search(r"about 52 [^.]*(dummy|placebo) spray", flat)
    # Risks with rates: dissociation 41 vs 9 in 100 (S5).
    assert "41 out of 100" in flat
    # Uncertainty: the mouse studies, said as such.
    assert "mice" in flat.lower()
    # Treatment day: watched for at least 2 hours, no driving until the next day.
    assert "2 hours" in flat
    assert re.search(r"drive", flat, re.IGNORECASE)
    # Every page carries title, version and page X of Y.
    assert "Version 1.0" in flat
    assert HYPE.search(flat) is None, HYPE.search(flat)


def test_detailed_level_names_trials_and_lists_sources(
    sample_build: tuple[Path, BuildReport],
) -> None:
    out, _ = sample_build
    detailed = " ".join(pdf_text(out, "detailed").split())
    assert "TRANSFORM-2" in detailed
    assert "Sources" in detailed
    easy = " ".join(pdf_text(out, "easy").split())
    assert "TRANSFORM" not in easy
    assert "%" not in easy


def test_icon_arrays_are_figures_with_the_numbers_as_alt(
    sample_build: tuple[Path, BuildReport],
) -> None:
    import pikepdf

    from leaflets.render.pdf import walk_structure

    out, _ = sample_build
    for level in LEVELS:
        path = out / LEAFLET / f"{LEAFLET}.{level}.a4.pdf"
        with pikepdf.open(path) as pdf:
            alts = [
                str(e.get("/Alt", ""))
                for e in walk_structure(pdf.Root.StructTreeRoot)
                if str(e.S) == "/Figure"
            ]
        arrays = [alt for alt in alts if "out of 100" in alt]
        # A benefit (69 vs 52) and a side effect (41 vs 9), two groups each, in the
        # writer's own outcome words (issue 15).
        benefit = [alt for alt in arrays if ": 69 out of 100 " in alt]
        assert any("Filled figures: " in alt for alt in benefit), arrays
        assert any(": 52 out of 100 " in alt for alt in arrays)
        assert any(": 41 out of 100 " in alt for alt in arrays)
        assert any(": 9 out of 100 " in alt for alt in arrays)
