"""The fetcher is the security boundary: only project files and data: URLs get through."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets.errors import Location, RenderError
from leaflets.render.fetch import ProjectFetcher, RefusedFetch
from leaflets.render.pdf import render_pdf


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "ok.txt").write_text("fine")
    (tmp_path / "secret.txt").write_text("top secret")
    (tmp_path / "content" / "link.txt").symlink_to(tmp_path / "secret.txt")
    return tmp_path


def test_serves_files_inside_roots(project: Path) -> None:
    fetcher = ProjectFetcher([project / "content"])
    response = fetcher.fetch((project / "content" / "ok.txt").as_uri())
    assert response.read() == b"fine"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9/x.png", "only files inside the project"),
        ("https://example.org/logo.png", "only files inside the project"),
        ("ftp://example.org/x", "only files inside the project"),
        ("file:///etc/passwd", "outside the project"),
        ("file://remote-host/share/x.png", "remote file URLs"),
    ],
)
def test_refuses_outside_urls(project: Path, url: str, reason: str) -> None:
    with pytest.raises(RefusedFetch) as caught:
        ProjectFetcher([project / "content"]).fetch(url)
    assert reason in str(caught.value)


def test_refuses_dot_dot_and_symlink_escapes(project: Path) -> None:
    fetcher = ProjectFetcher([project / "content"])
    with pytest.raises(RefusedFetch):
        fetcher.fetch((project / "content").as_uri() + "/../secret.txt")
    with pytest.raises(RefusedFetch, match="outside"):
        fetcher.fetch((project / "content" / "link.txt").as_uri())


def test_data_urls_are_allowed(project: Path) -> None:
    response = ProjectFetcher([project]).fetch("data:text/plain;base64,aGk=")
    assert response.read() == b"hi"


@pytest.mark.parametrize(
    "element",
    [
        '<link rel="attachment" href="file:///etc/passwd">',
        '<img src="file:///etc/passwd" alt="x">',
        '<img src="http://127.0.0.1:9/x.png" alt="x">',
        "<style>@import url(file:///etc/hostname);</style>",
    ],
)
def test_render_fails_on_refused_fetch(project: Path, element: str) -> None:
    html = f'<html lang="en"><head><title>t</title></head><body>{element}<p>x</p></body></html>'
    with pytest.raises(RenderError) as caught:
        render_pdf(html, project / "content", (project / "content",), Location(Path("l.yaml")))
    assert "refused to fetch" in str(caught.value)
    assert str(caught.value).startswith("l.yaml: ")
