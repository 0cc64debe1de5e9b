"""Paths and ids from YAML: nothing is read from outside content/, nothing written outside
output/ (guarantees 3 and 4 of docs/security.md). Every refusal is exact and located."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_kit import (
    LEAFLET,
    Project,
    assert_failed_cleanly,
    assert_nothing_built,
    unlocated,
)

OUTSIDE_HINT = "    hint: images live inside content/, e.g. images/clock.svg"
ID_HINT = "    hint: ids are lower-case letters and digits joined by hyphens, e.g. 'treatment-day'"


def image_line(project: Project) -> str:
    """`file:line:col` of the image path in the minimal leaflet."""
    return f"{LEAFLET}:{project.line_of('images/dot.svg')}:23"


# --- image paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message", "hint"),
    [
        (
            "../../etc/passwd",
            "image path '../../etc/passwd' points outside the content folder",
            OUTSIDE_HINT,
        ),
        (
            "images/../../../../../../etc/passwd",
            "image path 'images/../../../../../../etc/passwd' points outside the content folder",
            OUTSIDE_HINT,
        ),
        ("/etc/passwd", "image path '/etc/passwd' points outside the content folder", OUTSIDE_HINT),
        (
            "https://example.org/pixel.png",
            "image 'https://example.org/pixel.png' not found",
            "    hint: looked for content/https:/example.org/pixel.png",
        ),
        (
            "file:///etc/passwd",
            "image 'file:///etc/passwd' not found",
            "    hint: looked for content/file:/etc/passwd",
        ),
        (
            "javascript:alert(1)",
            "image 'javascript:alert(1)' not found",
            "    hint: looked for content/javascript:alert(1)",
        ),
        ("images/missing.svg", "image 'images/missing.svg' not found", None),
        ("images", "image 'images' not found", "    hint: looked for content/images"),
        ("~/.ssh/id_rsa", "image '~/.ssh/id_rsa' not found", None),
        ('"images/\\0dot.svg"', "image path 'images/\\x00dot.svg' is not a usable file name", None),
    ],
    ids=[
        "dot-dot",
        "dot-dot-inside-a-folder",
        "absolute",
        "http-url",
        "file-url",
        "javascript-url",
        "missing",
        "a-folder",
        "home-tilde",
        "nul-byte",
    ],
)
def test_image_path_is_refused_at_its_line(
    tmp_path: Path, path: str, message: str, hint: str | None
) -> None:
    project = Project(tmp_path / "p")
    where = image_line(project)
    project.edit("path: images/dot.svg", f"path: {path}")
    result = project.build()
    assert_failed_cleanly(
        result, [f"{where}: {message}", *([hint] if hint else [])], failed="mini.yaml"
    )
    assert unlocated(result) == []
    assert_nothing_built(project.output)


def test_symlinked_image_pointing_outside_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    secret = project.write("secret.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    project.path("content/images/dot.svg").unlink()
    project.path("content/images/dot.svg").symlink_to(secret)
    where = image_line(project)
    result = project.build()
    assert_failed_cleanly(
        result,
        [f"{where}: image path 'images/dot.svg' points outside the content folder", OUTSIDE_HINT],
        failed="mini.yaml",
    )
    assert_nothing_built(project.output)


def test_symlinked_image_folder_pointing_outside_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    project.path("content/images").rename(elsewhere)
    project.path("content/images").symlink_to(elsewhere, target_is_directory=True)
    where = image_line(project)
    result = project.build()
    assert_failed_cleanly(
        result,
        [f"{where}: image path 'images/dot.svg' points outside the content folder"],
        failed="mini.yaml",
    )
    assert_nothing_built(project.output)


# --- ids that would become file names -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("id: mini", "id: ../x", [f"{LEAFLET}:1:5: id: '../x' has the wrong form", ID_HINT]),
        ("id: mini", "id: /tmp/x", [f"{LEAFLET}:1:5: id: '/tmp/x' has the wrong form"]),
        ("id: mini", "id: mini/../../x", [f"{LEAFLET}:1:5: id: 'mini/../../x' has the wrong form"]),
        ("id: mini", "id: mini.", [f"{LEAFLET}:1:5: id: 'mini.' has the wrong form"]),
        ("id: mini", "id: ''", [f"{LEAFLET}:1:5: id: String should have at least 1 character"]),
        (
            "id: mini",
            "id: con",
            [f"{LEAFLET}:1:5: id: 'con' is a reserved file name on Windows; choose another id"],
        ),
        ("id: mini", "id: COM1", [f"{LEAFLET}:1:5: id: 'COM1' has the wrong form"]),
        (
            "id: mini",
            "id: lpt9",
            [f"{LEAFLET}:1:5: id: 'lpt9' is a reserved file name on Windows; choose another id"],
        ),
        (
            "id: mini",
            "id: other",
            [
                f"{LEAFLET}:1:5: leaflet id 'other' differs from the file name 'mini.yaml'",
                "    hint: rename the file to other.yaml or change the id",
            ],
        ),
        (
            "- id: helps",
            "- id: nul",
            [
                f"{LEAFLET}:16:13: sections[0].blocks[0].id: 'nul' is a reserved file name "
                "on Windows; choose another id"
            ],
        ),
        (
            "- id: risks",
            "- id: ../risks",
            [f"{LEAFLET}:30:9: sections[2].id: '../risks' has the wrong form", ID_HINT],
        ),
    ],
    ids=[
        "dot-dot",
        "absolute",
        "nested-dot-dot",
        "trailing-dot",
        "empty",
        "con",
        "upper-case-com1",
        "lpt9",
        "differs-from-file-name",
        "block-id-nul",
        "section-id-dot-dot",
    ],
)
def test_id_that_could_escape_or_clash_is_refused(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    project = Project(tmp_path / "p")
    project.edit(old, new)
    result = project.build()
    assert_failed_cleanly(result, expected, failed="mini.yaml")
    assert unlocated(result) == []
    assert_nothing_built(project.output)
    assert not (tmp_path / "x").exists()
    assert not list(tmp_path.glob("**/*.pdf"))


def test_reserved_file_name_as_leaflet_file(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.path().rename(project.path("content/leaflets/con.yaml"))
    project.edit("id: mini", "id: con", "content/leaflets/con.yaml")
    result = project.build()
    assert_failed_cleanly(
        result,
        [
            "content/leaflets/con.yaml:1:5: id: 'con' is a reserved file name on Windows; "
            "choose another id"
        ],
        failed="con.yaml",
    )
    assert_nothing_built(project.output)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  S1:",
            "  ../S1:",
            "content/sources.yaml:3:5: sources.../S1.[key]: '../S1' has the wrong form",
        ),
        (
            "  plain:\n",
            "  /abs:\n",
            "leaflets.yaml:13:5: levels./abs.[key]: '/abs' has the wrong form",
        ),
        (
            "  plain:\n",
            "  aux:\n",
            "leaflets.yaml:13:5: levels.aux.[key]: 'aux' is a reserved file name on Windows; "
            "choose another id",
        ),
    ],
    ids=["source-id", "level-id-absolute", "level-id-reserved"],
)
def test_ids_in_shared_files_are_refused_before_building(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    project = Project(tmp_path / "p")
    relative = "content/sources.yaml" if "S1" in old else "leaflets.yaml"
    project.edit(old, new, relative)
    result = project.build()
    assert_failed_cleanly(result, [expected])
    assert not project.output.exists()


# --- known bugs -------------------------------------------------------------------------------


def test_symlinked_leaflet_file_pointing_outside_is_not_read(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    secret = tmp_path / "secret.yaml"
    secret.write_text("top-secret-token: hunter2\n")
    project.path("content/leaflets/evil.yaml").symlink_to(secret)
    result = project.build("--level", "easy")
    assert result.code == 1
    assert "top-secret-token" not in result.err + result.out
    assert any(line.startswith("content/leaflets/evil.yaml") for line in result.lines)


def test_two_leaflets_with_one_id_are_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.write("content/leaflets/sub/mini.yaml", project.text().replace("Test medicine", "X"))
    result = project.build("--level", "easy")
    assert result.code == 1
    assert any("'mini'" in line and "content/leaflets/" in line for line in result.lines[1:])
