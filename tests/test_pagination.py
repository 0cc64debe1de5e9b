"""Pagination checks on built PDFs (issue 16): each defect found on the theme as it was
(tests/fixtures/old-theme), none on the fixed sample in any variant, release builds refuse
them unless the leaflet allows them with a reason."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO
from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport
from leaflets.verify.pagination import PageFault, page_faults, url_broken, word_broken
from test_review import TODAY, approve_all

OLD_THEME = FIXTURES / "old-theme"
STEM = "ketamine-esketamine-depression/ketamine-esketamine-depression"


# --- tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tail", "head"),
    [
        ("h", "ttps://www.scottishmedicines.org.uk/"),
        ("ht", "tps://www.intechopen.com/chapters/71389"),
        ("https", "://pmc.ncbi.nlm.nih.gov/articles/PMC6551577"),
        ("https:", "//pmc.ncbi.nlm.nih.gov/articles/PMC4350513"),
        ("https://", "example.org/leaflets/feedback."),
        ("example.org/riverside/leaflets/ketamine-", "esketamine-depression/plain"),
        ("doi.org/10.1002/mh", "w.32471"),
    ],
)
def test_url_cut_inside_a_token(tail: str, head: str) -> None:
    assert url_broken(tail, head)


@pytest.mark.parametrize(
    ("tail", "head"),
    [
        ("example.org/riverside/", "leaflets/ketamine"),  # after a "/" of the path
        ("https://www.nice.org.uk/guidance/ta854", "2."),  # the next list item
        ("https://example.org/riverside", "This"),  # a new sentence
        ("the", "leaflet"),
    ],
)
def test_url_breaks_that_are_fine(tail: str, head: str) -> None:
    assert not url_broken(tail, head)


def test_word_broken_without_hyphen() -> None:
    assert word_broken("depres", "sion")
    assert not word_broken("the", "depression")
    assert not word_broken("Page", "2")


# --- the theme before issue 16 ------------------------------------------------------------


@pytest.fixture(scope="session")
def old_theme_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The sample built with the theme as it was (a project `templates/` override); once
    per session, on the worker of its xdist group (conftest.py)."""
    root = tmp_path_factory.mktemp("old-theme") / "project"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(".venv", "output", ".git", "tests", "templates"),
    )
    shutil.copytree(OLD_THEME, root / "templates")
    options = BuildOptions(
        levels=("plain", "detailed"), formats=("pdf",), jobs=2, languages=("en",)
    )
    report = build_catalog(load_project(root), root / "output", options)
    assert report.ok, report.failed
    return root / "output", report


@functools.cache
def _faults(out: Path, relative: str) -> list[PageFault]:
    """The faults of one built file, read once: the old-theme tests ask about the same
    sixteen files again and again (a PDF's layout takes seconds to read)."""
    return page_faults((out / relative).read_bytes())


def _messages(faults: list[PageFault], check: str) -> str:
    return "\n".join(f.message for f in faults if f.check == check)


def test_old_theme_large_print_footer_runs_past_the_paper(
    old_theme_build: tuple[Path, BuildReport],
) -> None:
    out, _ = old_theme_build
    for paper in ("a4", "letter"):
        faults = _faults(out, f"{STEM}.detailed.large.{paper}.pdf")
        assert "past the bottom edge: '24 Nov 2027'" in _messages(faults, "edge")
        assert "the footer wraps" in _messages(faults, "footer-wrap")


def test_old_theme_clinic_footer_within_printers_margin(
    old_theme_build: tuple[Path, BuildReport],
) -> None:
    out, _ = old_theme_build
    faults = _faults(out, f"example-clinic/{STEM}.plain.a4.pdf")
    edge = _messages(faults, "edge")
    assert "mm from the bottom edge: '" in edge
    assert "Clinic (example), 01234 567890'" in edge  # the footer's third line


def _all_messages(build: tuple[Path, BuildReport], check: str) -> str:
    out, report = build
    return "\n".join(_messages(_faults(out, e.path), check) for e in report.built)


def test_old_theme_headings_left_alone(old_theme_build: tuple[Path, BuildReport]) -> None:
    # Pinned across every old-theme file: the sample's wording changes (issues 11, 15) move
    # which heading falls where, never whether the old theme leaves headings alone.
    orphans = _all_messages(old_theme_build, "orphan-heading")
    assert "has 0 line(s) under it" in orphans  # a heading alone at a page foot
    assert "has 1 line(s) under it" in orphans  # a heading and its lead-in, list over
    lonely = _all_messages(old_theme_build, "lonely-page")
    assert "holds only a heading" in lonely
    assert "holds only a picture" in lonely


def test_old_theme_urls_and_page_numbers_broken(
    old_theme_build: tuple[Path, BuildReport],
) -> None:
    out, _ = old_theme_build
    detailed = _messages(_faults(out, f"{STEM}.detailed.a4.pdf"), "broken-token")
    assert "'h' | 'ttps://" in detailed
    every = "\n".join(
        _messages(_faults(out, e.path), "broken-token")
        for e in old_theme_build[1].built
        if "plain" in e.path or "detailed" in e.path
    )
    # A break right after "https://" (the issue saw it in the feedback line, whose wording
    # has changed since; test_url_cut_inside_a_token keeps that exact case).
    assert "'https://' | '" in every
    footer = _messages(_faults(out, f"{STEM}.plain.large.a4.pdf"), "footer-wrap")
    assert "'Page " in footer
    assert " of'" in footer


def test_old_theme_leaves_a_spill_page(old_theme_build: tuple[Path, BuildReport]) -> None:
    assert "the last page holds" in _all_messages(old_theme_build, "short-last-page")


# --- the fixed theme ----------------------------------------------------------------------


def test_sample_passes_every_pagination_check(sample_build: tuple[Path, BuildReport]) -> None:
    out, report = sample_build
    pdfs = [e for e in report.built + report.skipped if e.format == "pdf"]
    # every leaflet (both sample topics) x level x 2 papers x 2 sizes x (unbranded, clinic)
    assert {e.leaflet for e in pdfs} == {
        loaded.leaflet.id for loaded in load_project(REPO).leaflets
    }
    assert len(pdfs) >= 24
    found = {e.path: page_faults((out / e.path).read_bytes()) for e in pdfs}
    assert {path: faults for path, faults in found.items() if faults} == {}


# --- release builds -----------------------------------------------------------------------

EDGE_CSS = "\n@page { margin: 2mm; }\n"


def _tight_margins(root: Path) -> None:
    """A project theme override whose page margin puts text on the printer's edge."""
    (root / "templates").mkdir()
    css = (REPO / "templates" / "leaflet.css").read_text() + EDGE_CSS
    (root / "templates" / "leaflet.css").write_text(css)


def test_release_refuses_a_pagination_fault(minimal: Path) -> None:
    approve_all(minimal)
    _tight_margins(minimal)
    options = BuildOptions(levels=("plain",), formats=("pdf",), release=True, today=TODAY)
    report = build_catalog(load_project(minimal), minimal / "output", options)
    [(name, problems)] = report.failed.items()
    assert "plain" in name
    assert any("[edge]" in p.message and "page 1:" in p.message for p in problems)
    assert all(str(p.location.path).endswith("mini.yaml") for p in problems)
    assert "allow the check" in problems[0].hint
    draft = build_catalog(
        load_project(minimal), minimal / "draft", BuildOptions(levels=("plain",), today=TODAY)
    )
    assert draft.ok  # drafts are built; `check --a11y` reports them


def test_release_accepts_an_allowed_fault_with_a_reason(minimal: Path) -> None:
    approve_all(minimal)
    _tight_margins(minimal)
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    leaflet.write_text(
        leaflet.read_text()
        + "pagination:\n  allow: [edge]\n  reason: Printed on an edge-to-edge press.\n"
    )
    options = BuildOptions(levels=("plain",), formats=("pdf",), release=True, today=TODAY)
    report = build_catalog(load_project(minimal), minimal / "output", options)
    assert report.ok, report.failed


# --- page budget --------------------------------------------------------------------------


def test_page_budget_warns_per_variant_and_the_report_lists_pages(minimal: Path) -> None:
    from leaflets.build.progress import pages_table
    from leaflets.errors import Severity

    project = minimal / "leaflets.yaml"
    project.write_text(
        project.read_text().replace(
            "    font_size_pt: 12\n", "    font_size_pt: 12\n    max_pages: 1\n"
        )
    )
    options = BuildOptions(papers=("a4",), formats=("pdf",), large_print=None)
    report = build_catalog(load_project(minimal), minimal / "output", options)
    assert report.ok, report.failed
    pages = {e.path: e.pages for e in report.built}
    over = [w for w in report.warnings if "budget" in w.message]
    assert pages["mini/mini.plain.a4.pdf"] > 1  # the fixture runs past the budget
    [warning] = over  # the easy level has no budget
    assert warning.severity is Severity.WARNING
    assert "mini/mini.plain.a4.pdf has" in warning.message
    assert str(warning.location.path).endswith("mini.yaml")
    table = pages_table(report.built)
    assert f"mini plain: a4 {pages['mini/mini.plain.a4.pdf']}" in table
    assert f"mini easy: a4 {pages['mini/mini.easy.a4.pdf']}" in table
