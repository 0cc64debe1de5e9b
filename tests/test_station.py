"""The print station, output/index.html (issue 16): every file of the manifest listed with
its version, review date and pages, escaped, self-contained, axe clean in Chromium, and a
search box that works from file:// with the keyboard alone."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES
from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport
from leaflets.build.manifest import read_manifest
from test_axe import describe


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = tmp_path_factory.mktemp("station") / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    report = build_catalog(
        load_project(root), root / "output", BuildOptions(formats=("pdf", "html"), booklet=True)
    )
    assert report.ok, report.failed
    return root / "output", report


def test_station_lists_every_file_with_pages_version_and_review(
    station: tuple[Path, BuildReport],
) -> None:
    out, _ = station
    html = (out / "index.html").read_text(encoding="utf-8")
    entries = read_manifest(out)
    assert entries
    for entry in entries.values():
        assert f'href="{entry.path}"' in html
        assert (out / entry.path).is_file()
        if entry.format != "html":
            assert f"({entry.pages} page" in html
    [version] = {e.version for e in entries.values()}
    assert f"<td>{version}</td>" in html
    assert "booklet" in html
    assert "Web page" in html
    assert "flip on the short edge" in html
    # self-contained: nothing fetched from anywhere
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html


def test_station_escapes_manifest_values(tmp_path: Path) -> None:
    from leaflets.build.manifest import ManifestEntry
    from leaflets.build.station import render_station

    catalog = load_project(FIXTURES / "minimal")
    entry = ManifestEntry(
        "mini",
        "plain",
        "a4",
        "en-GB",
        'mini/x".pdf',
        2,
        "0" * 64,
        1,
        title="<script>alert(1)</script>",
        version="1.0",
        next_review="2027-01-02",
    )
    html = render_station(catalog, [entry])
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="mini/x&#34;.pdf"' in html
    assert "2 January 2027" in html


def test_station_is_axe_clean_and_searchable_by_keyboard(
    browser: Any, station: tuple[Path, BuildReport]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    out, _ = station
    page = browser.new_page()
    try:
        page.goto((out / "index.html").as_uri(), wait_until="load")
        violations = Axe().run(page).response["violations"]
        assert violations == [], describe(violations)
        rows = page.locator("tbody tr")
        total = rows.count()
        assert total >= 1
        # keyboard only: Tab to the search box, type, the list and the count follow
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "search":
                break
        assert page.evaluate("document.activeElement.id") == "search"
        page.keyboard.type("no such leaflet")
        assert page.locator("tbody tr:not([hidden])").count() == 0
        assert page.locator("#search-count").inner_text() == f"0 of {total} shown"
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.type("plain")
        assert page.locator("tbody tr:not([hidden])").count() == total
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "A"
    finally:
        page.close()


def test_a_foreign_index_html_is_left_alone(minimal: Path) -> None:
    out = minimal / "output"
    out.mkdir()
    (out / "index.html").write_text("<p>the clinic's own page</p>")
    report = build_catalog(load_project(minimal), out, BuildOptions(formats=("pdf",)))
    assert report.ok, report.failed
    assert (out / "index.html").read_text() == "<p>the clinic's own page</p>"
    assert any("index.html this builder did not write" in w.message for w in report.warnings)
