"""Fingerprints from the inputs' bytes (issue 18): every input a file is made from, when it
changes, rebuilds the file; nothing else does."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.build.fingerprints import InputDigests, fingerprint
from leaflets.review.state import ReviewSummary


def two_leaflets(root: Path) -> None:
    """A second leaflet that does not use the shared block (as in test_batch.py)."""
    first = root / "content" / "leaflets" / "mini.yaml"
    (root / "content" / "leaflets" / "other.yaml").write_text(
        first.read_text()
        .replace("id: mini", "id: other")
        .replace(
            "      - use: ask-questions\n",
            "      - id: own-question\n        text: {all: Who can I call?}\n",
        )
    )


ALL = 4  # two leaflets x two levels x A4


@pytest.fixture
def built(minimal: Path) -> Path:
    two_leaflets(minimal)
    out = minimal / "output"
    assert len(build_catalog(load_project(minimal), out).built) == ALL
    return minimal


def rebuilt(root: Path, options: BuildOptions | None = None) -> list[str]:
    report = build_catalog(load_project(root), root / "output", options)
    assert report.ok, report.failed
    return sorted(entry.path for entry in report.built)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_nothing_changed_nothing_rebuilt(built: Path) -> None:
    assert rebuilt(built) == []


def test_the_leaflet_file_rebuilds_its_own_files_only(built: Path) -> None:
    edit(built / "content" / "leaflets" / "other.yaml", "Who can I call?", "Who do I call?")
    assert rebuilt(built) == ["other/other.easy.a4.pdf", "other/other.plain.a4.pdf"]


def test_a_comment_in_a_leaflet_file_rebuilds_it_bytes_not_meaning(built: Path) -> None:
    path = built / "content" / "leaflets" / "mini.yaml"
    path.write_text(path.read_text() + "# a note\n")
    assert rebuilt(built) == ["mini/mini.easy.a4.pdf", "mini/mini.plain.a4.pdf"]


def test_a_picture_rebuilds_the_leaflets_that_show_it(built: Path) -> None:
    edit(built / "content" / "images" / "dot.svg", "#003366", "#003367")
    assert rebuilt(built) == [
        "mini/mini.easy.a4.pdf",
        "mini/mini.plain.a4.pdf",
        "other/other.easy.a4.pdf",
        "other/other.plain.a4.pdf",
    ]


def test_the_sources_and_other_content_files_rebuild_everything(built: Path) -> None:
    edit(built / "content" / "sources.yaml", "A trial of", "A study of")
    assert len(rebuilt(built)) == ALL
    (built / "content" / "images" / "alt.yaml").write_text("dot.svg: A dot\n")
    assert len(rebuilt(built)) == ALL


def test_templates_and_the_project_file_rebuild_everything(built: Path) -> None:
    project = built / "leaflets.yaml"
    project.write_text(project.read_text() + "# a note\n")
    assert len(rebuilt(built)) == ALL


def test_release_and_variant_parameters_are_in_the_fingerprint(built: Path) -> None:
    catalog = load_project(built)
    digests = InputDigests(catalog, ())
    loaded = catalog.leaflets[0]
    review = ReviewSummary(pending=(), reviewed_on=None, next_review=None, clinical=False)
    base = fingerprint(digests, loaded, ("mini", "easy", "a4"), review, False)
    assert base == fingerprint(digests, loaded, ("mini", "easy", "a4"), review, False)
    assert base != fingerprint(digests, loaded, ("mini", "easy", "a4"), review, True)
    assert base != fingerprint(digests, loaded, ("mini", "plain", "a4"), review, False)
    due = ReviewSummary(
        pending=(), reviewed_on=dt.date(2026, 1, 1), next_review=None, clinical=False
    )
    assert base != fingerprint(digests, loaded, ("mini", "easy", "a4"), due, False)


def test_the_project_folder_is_in_the_fingerprint(built: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    one, two = load_project(built), load_project(moved)
    review = ReviewSummary(pending=(), reviewed_on=None, next_review=None, clinical=False)
    assert fingerprint(InputDigests(one, ()), one.leaflets[0], "v", review, False) != (
        fingerprint(InputDigests(two, ()), two.leaflets[0], "v", review, False)
    )
