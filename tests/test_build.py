"""Orchestrator: variants, manifest, failure isolation, atomic and reproducible output."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport, plan_variants
from leaflets.errors import UsageError


def test_manifest_lists_every_file(minimal_build: tuple[Path, BuildReport]) -> None:
    out, report = minimal_build
    assert report.ok
    manifest = json.loads((out / "manifest.json").read_text())
    files = manifest["files"]
    assert [(f["leaflet"], f["level"], f["paper"]) for f in files] == [
        ("mini", "easy", "a4"),
        ("mini", "plain", "a4"),
    ]
    for entry in files:
        data = (out / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["bytes"] == len(data)
        assert entry["language"] == "en-GB"
        assert entry["pages"] >= 1


def test_same_input_gives_same_bytes(minimal: Path, tmp_path: Path) -> None:
    first = build_catalog(load_project(minimal), tmp_path / "one")
    second = build_catalog(load_project(minimal), tmp_path / "two")
    assert first.built, "nothing was built: equal empty lists prove nothing"
    assert [e.sha256 for e in first.built] == [e.sha256 for e in second.built]


def test_broken_leaflet_is_reported_and_others_still_build(minimal: Path) -> None:
    broken = minimal / "content" / "leaflets" / "broken.yaml"
    broken.write_text("id: broken\nversion: '1.0'\ntitel: {all: x}\n")
    report = build_catalog(load_project(minimal), minimal / "output")
    assert not report.ok
    assert "broken.yaml" in report.failed
    assert [e.leaflet for e in report.built] == ["mini", "mini"]
    assert not (minimal / "output" / "broken").exists()


def test_render_failure_leaves_no_file(minimal: Path) -> None:
    """A refused fetch at render time fails that variant and writes nothing for it."""
    templates = minimal / "templates"
    templates.mkdir()
    (templates / "level-plain.html.j2").write_text(
        '{% extends "!base/leaflet.html.j2" %}'
        '{% block about %}<img src="file:///etc/passwd" alt="x">{% endblock %}'
    )
    report = build_catalog(load_project(minimal), minimal / "output")
    assert list(report.failed) == ["mini [plain, a4]"]
    assert "refused to fetch 'file:///etc/passwd'" in str(report.failed["mini [plain, a4]"][0])
    assert (minimal / "output" / "mini" / "mini.easy.a4.pdf").is_file()
    assert not (minimal / "output" / "mini" / "mini.plain.a4.pdf").exists()
    leftovers = [p.name for p in (minimal / "output").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_level_and_paper_selection(minimal: Path) -> None:
    catalog = load_project(minimal)
    variants = plan_variants(catalog, BuildOptions(levels=("plain",), papers=("letter",)))
    assert [(v.level, v.paper, v.relative_path) for v in variants] == [
        ("plain", "letter", "mini/mini.plain.letter.pdf")
    ]
    with pytest.raises(UsageError, match="unknown level 'medium'"):
        plan_variants(catalog, BuildOptions(levels=("medium",)))


def test_letter_paper_size(minimal: Path) -> None:
    import pikepdf

    report = build_catalog(
        load_project(minimal),
        minimal / "output",
        BuildOptions(levels=("plain",), papers=("letter",)),
    )
    with pikepdf.open(minimal / "output" / report.built[0].path) as pdf:
        box = [round(float(v)) for v in pdf.pages[0].MediaBox]
    assert box == [0, 0, 612, 792]


def test_partial_build_keeps_other_manifest_entries(minimal: Path) -> None:
    out = minimal / "output"
    build_catalog(load_project(minimal), out)
    build_catalog(load_project(minimal), out, BuildOptions(levels=("easy",)))
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert len(files) == 2
    shutil.rmtree(out / "mini")
    build_catalog(load_project(minimal), out, BuildOptions(levels=("easy",)))
    files = json.loads((out / "manifest.json").read_text())["files"]
    assert [f["level"] for f in files] == ["easy"]


def test_an_empty_clinic_choice_is_a_usage_error_not_an_empty_build(minimal: Path) -> None:
    """Regression (issue 13): BuildOptions(clinics=()) used to build nothing and succeed."""
    with pytest.raises(UsageError, match="no clinic chosen"):
        plan_variants(load_project(minimal), BuildOptions(clinics=()))
