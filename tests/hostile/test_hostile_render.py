"""Hostile and broken images: a corrupt file, and SVGs that reach for other files or the
network. The fetcher refuses (guarantee 3 of docs/security.md), the leaflet fails with a
message naming its file, exit 1, and nothing is written (guarantee 6).

Builds one level, so the variant renders in this process and the fetcher can be watched.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hostile_kit import (
    HOSTILE,
    LEAFLET,
    Project,
    assert_failed_cleanly,
    assert_nothing_built,
    output_files,
    pdf_dangers,
    unlocated,
)

from leaflets.render import fetch
from leaflets.render.fetch import ProjectFetcher

#: Bytes that are no image format: the same every run.
NOISE = random.Random(7).randbytes(512)
SECRET_URLS = ("file:///etc/passwd", "file:///etc/hostname", "http://127.0.0.1:9/")


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every URL the project fetcher is asked for, and those it refused."""
    seen: dict[str, list[str]] = {"asked": [], "refused": []}
    original = ProjectFetcher.fetch

    def spy(self: ProjectFetcher, url: str, headers: object = None) -> object:
        seen["asked"].append(url)
        try:
            return original(self, url, headers)
        except fetch.RefusedFetch:
            seen["refused"].append(url)
            raise

    monkeypatch.setattr(ProjectFetcher, "fetch", spy)
    return seen


def with_image(project: Project, name: str, content: bytes) -> str:
    """Put `content` in content/images/NAME, point the leaflet's image at it; its URL."""
    path = project.write(f"content/images/{name}", content)
    project.edit("path: images/dot.svg", f"path: images/{name}")
    return path.resolve().as_uri()


def engine(message: str, where: str = "") -> str:
    """An engine message, at the image path's line:column when given."""
    return f"{LEAFLET}{where}: rendering engine: {message}"


@pytest.mark.parametrize(
    ("name", "content", "message", "refused"),
    [
        ("x.png", NOISE, "Failed to load image at '{url}': ", None),
        ("empty.svg", b"", "Failed to load image at '{url}': ", None),
        ("x.svg", b"\x89PNG\r\n\x1a\n" + NOISE[:64], "Failed to load image at '{url}': ", None),
        (
            "external-image.svg",
            (HOSTILE / "external-image.svg").read_bytes(),
            "Failed to render SVG image {url}",
            "file:///etc/passwd",
        ),
        (
            "remote-xlink.svg",
            (HOSTILE / "remote-xlink.svg").read_bytes(),
            "Failed to render SVG image {url}",
            "http://127.0.0.1:9/pixel.png",
        ),
        (
            "relative-escape.svg",
            (HOSTILE / "relative-escape.svg").read_bytes(),
            "Failed to render SVG image {url}",
            "file:///etc/passwd",
        ),
        ("xxe.svg", (HOSTILE / "xxe.svg").read_bytes(), "Failed to load image at '{url}': ", None),
        (
            "entity-bomb.svg",
            (HOSTILE / "entity-bomb.svg").read_bytes(),
            "Failed to load image at '{url}': ",
            None,
        ),
        (
            "css-import.svg",
            (HOSTILE / "css-import.svg").read_bytes(),
            "Failed to load image at '{url}': ",
            None,
        ),
    ],
    ids=[
        "corrupt-png",
        "empty-svg",
        "png-bytes-named-svg",
        "svg-image-file-url",
        "svg-xlink-http",
        "svg-image-dot-dot",
        "svg-xxe-entity",
        "svg-entity-bomb",
        "svg-css-import",
    ],
)
def test_bad_image_fails_the_leaflet_and_reads_nothing_outside(
    tmp_path: Path,
    fetched: dict[str, list[str]],
    name: str,
    content: bytes,
    message: str,
    refused: str | None,
) -> None:
    project = Project(tmp_path / "p")
    line = project.line_of("images/dot.svg")
    url = with_image(project, name, content)
    result = project.build("--level", "easy")
    expected = engine(message.format(url=url), f":{line}:23")
    assert_failed_cleanly(result, [expected], failed="mini [easy, a4]")
    assert unlocated(result) == []
    assert_nothing_built(project.output)
    if refused is not None:
        assert fetched["refused"] == [refused]
    outside = [u for u in fetched["asked"] if u.startswith(SECRET_URLS)]
    assert outside == fetched["refused"]  # asked for only what was then refused


def test_a_leaflet_file_used_as_an_image_fails(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    line = project.line_of("images/dot.svg")
    project.edit("path: images/dot.svg", "path: leaflets/mini.yaml")
    url = project.path().resolve().as_uri()
    result = project.build("--level", "easy")
    assert_failed_cleanly(
        result,
        [engine(f"Failed to load image at '{url}': ", f":{line}:23")],
        failed="mini [easy, a4]",
    )
    assert_nothing_built(project.output)


def test_svg_use_of_another_file_is_ignored_without_reading_it(
    tmp_path: Path, fetched: dict[str, list[str]]
) -> None:
    # WeasyPrint draws <use> only from the same document: the reference is dropped, the
    # file is never asked for, and the leaflet builds (a blank, but nothing leaks).
    project = Project(tmp_path / "p")
    with_image(
        project,
        "use.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><title>A dot</title>'
        b'<circle cx="32" cy="32" r="20"/><use href="file:///etc/passwd#x"/></svg>',
    )
    result = project.build("--level", "easy")
    assert result.code == 0, result.err
    assert not [u for u in fetched["asked"] if "/etc/" in u]
    [pdf] = [p for p in output_files(project.output) if p.endswith(".pdf")]
    assert pdf_dangers(project.output / pdf) == []


# --- known bugs -------------------------------------------------------------------------------


def test_corrupt_image_fails_every_variant(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    with_image(project, "x.png", NOISE)
    result = project.build("--jobs", "1")
    assert result.code == 1
    assert "FAILED mini [easy, a4]" in result.lines
    assert "FAILED mini [plain, a4]" in result.lines
    assert_nothing_built(project.output)


def test_refusal_inside_an_svg_names_the_refused_url_at_the_image_line(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    line = project.line_of("images/dot.svg")
    with_image(project, "external-image.svg", (HOSTILE / "external-image.svg").read_bytes())
    result = project.build("--level", "easy")
    assert result.code == 1
    assert [
        entry
        for entry in result.lines
        if entry.startswith(f"{LEAFLET}:{line}:")
        and "refused to fetch 'file:///etc/passwd'" in entry
    ], result.err
