"""axe-core on the leaflet HTML, in headless Chromium: no violations at any level (issue 5).

Runs Debian's /usr/bin/chromium through playwright, never a downloaded browser
(`playwright install` is not used). `sh scripts/browser-deps.sh` installs both; the test
skips, saying why, only when Chromium is missing or playwright cannot be imported.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from leaflets import load_project
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.text.levels import context_for

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


def describe(violations: list[dict[str, Any]]) -> str:
    """One paragraph per violated rule: id, impact, help, and the HTML of each node."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append(f"      {' '.join(node['failureSummary'].split())}")
    return "\n".join(lines)


@pytest.mark.parametrize("medium", ["pdf", "html"])
@pytest.mark.parametrize("level", ["easy", "plain"])
def test_minimal_html_has_no_axe_violations(
    browser: Any, level: str, medium: str, tmp_path: Path
) -> None:
    """The HTML WeasyPrint prints (`pdf`) and the self-contained HTML twin (`html`)."""
    from axe_playwright_python.sync_playwright import Axe

    catalog = load_project(FIXTURE)
    [loaded] = catalog.leaflets
    assert level in loaded.levels
    context = context_for(loaded, level, catalog, medium=medium)
    assert context.medium == medium
    html = render_html(make_environment(FIXTURE), context)
    page_file = tmp_path / f"mini.{level}.{medium}.html"
    page_file.write_text(html, encoding="utf-8")

    started = time.perf_counter()
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        results = Axe().run(page)
    finally:
        page.close()
    violations = results.response["violations"]
    seconds = time.perf_counter() - started
    # Shown with `pytest -s`: how long axe took and what it found (the brief asks for both).
    print(f"axe on mini [{level}, {medium}]: {len(violations)} violation(s) in {seconds:.2f} s")  # noqa: T201
    if violations:
        print(describe(violations))  # noqa: T201
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    ("project", "level"), [("es", "easy"), ("es", "detailed"), ("ar", "plain")]
)
def test_other_languages_html_twins_have_no_axe_violations(
    browser: Any, project: str, level: str, tmp_path: Path
) -> None:
    """Spanish and Arabic (dir="rtl", a marked English word) HTML twins (issue 17)."""
    from axe_playwright_python.sync_playwright import Axe

    root = Path(__file__).parent / "fixtures" / project
    catalog = load_project(root)
    [loaded] = catalog.leaflets
    html = render_html(make_environment(root), context_for(loaded, level, catalog, medium="html"))
    assert f'<html lang="{project}"' in html
    assert ('dir="rtl"' in html) == (project == "ar")
    assert '<span lang="en" dir="ltr">Testamol</span>' in html
    page_file = tmp_path / f"{project}.{level}.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        violations = Axe().run(page).response["violations"]
    finally:
        page.close()
    assert violations == [], describe(violations)
