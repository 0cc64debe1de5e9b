"""The output folder after a failure (guarantees 5 and 6 of docs/security.md): no temporary
files, no half-written PDF, no traceback, and an earlier good build left as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pikepdf
import pytest
from hostile_kit import (
    HOSTILE,
    LEAFLET,
    Project,
    assert_nothing_built,
    output_files,
    run,
)


@pytest.fixture(scope="module")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of a good build of the minimal project (built once)."""
    project = Project(tmp_path_factory.mktemp("good") / "p")
    result = project.build("--jobs", "1")
    assert result.code == 0, result.err
    return project.output


def seeded(tmp_path: Path, good_output: Path) -> Project:
    """A project whose output folder already holds a good build."""
    project = Project(tmp_path / "p")
    shutil.copytree(good_output, project.output)
    return project


def break_at_load(project: Project) -> None:
    project.edit("id: mini", "id: ../mini")


def break_at_render(project: Project) -> None:
    # Fails at draw time in every variant, so the image cache cannot hide it.
    project.write("content/images/e.svg", (HOSTILE / "external-image.svg").read_bytes())
    project.edit("path: images/dot.svg", "path: images/e.svg")


def test_a_failed_build_into_an_empty_folder_leaves_no_output(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    break_at_render(project)
    result = project.build("--jobs", "1")
    assert result.code == 1
    assert_nothing_built(project.output)
    assert not list(project.output.rglob("*.tmp"))


def test_temporary_files_of_a_crashed_build_are_removed(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    stray = project.write(
        "output/mini/.mini.easy.a4.pdf.leaflets-99999-0123abcd.tmp", b"%PDF-1.7 half a file"
    )
    break_at_load(project)
    project.build()
    assert not stray.exists()
    assert_nothing_built(project.output)


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(
            break_at_load,
            id="leaflet-fails-to-load",
        ),
        pytest.param(
            break_at_render,
            id="leaflet-fails-to-render",
        ),
    ],
)
def test_a_failed_rebuild_leaves_the_previous_build_untouched(
    tmp_path: Path, good_output: Path, breakage: object
) -> None:
    project = seeded(tmp_path, good_output)
    before = output_files(project.output)
    assert "manifest.json" in before
    assert len(before) == 4  # the manifest, index.html (print station) and two PDFs
    breakage(project)  # type: ignore[operator]
    result = project.build("--jobs", "1")
    assert result.code == 1
    assert output_files(project.output) == before


def test_output_path_taken_by_a_folder_is_a_located_error(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    (project.output / "mini" / "mini.easy.a4.pdf").mkdir(parents=True)
    result = project.build("--level", "easy", "--jobs", "1")
    assert not list(project.output.rglob("*.tmp"))
    assert result.code == 1
    assert "internal error" not in result.err


@pytest.fixture
def crashing_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unexpected bug inside every variant: the footer fix, run inside the engine's
    `write_pdf` on every PDF, raises (and so would a second reading with pikepdf)."""
    import leaflets.render.pdf

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(leaflets.render.pdf, "finish", crash)
    monkeypatch.setattr(pikepdf, "open", crash)


@pytest.mark.usefixtures("crashing_engine")
def test_a_crash_inside_a_variant_leaves_no_file(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    result = project.build("--level", "easy")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines == [
        "FAILED mini [easy, a4]",
        f"{LEAFLET}: internal error while building: RuntimeError: simulated crash",
        "    hint: please report it",
    ]
    assert_nothing_built(project.output)
    assert not list(project.output.rglob("*.tmp"))


@pytest.mark.usefixtures("crashing_engine")
def test_debug_shows_the_traceback_of_a_crash_inside_a_variant(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    result = run("--debug", "build", str(project.root), "--quiet", "--level", "easy")
    assert "Traceback" in result.err


def test_disk_full_leaves_no_half_written_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write = os.write

    def disk_full(fd: int, data: bytes) -> int:
        if ".pdf.leaflets-" in str(Path(f"/proc/self/fd/{fd}").readlink()):
            write(fd, bytes(data)[: len(data) // 2])
            raise OSError(28, "No space left on device")
        return write(fd, data)

    monkeypatch.setattr(os, "write", disk_full)
    project = Project(tmp_path / "p")
    result = project.build("--level", "easy", "--jobs", "1")
    assert result.code == 1
    assert "Traceback" not in result.err
    assert not list(project.output.rglob("*.tmp"))
    assert_nothing_built(project.output)
