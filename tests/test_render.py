"""Render stage: inline formatting writers may use, escaped everything else."""

from __future__ import annotations

from pathlib import Path

from leaflets import load_project
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.text.check import check_catalog
from leaflets.text.levels import context_for

LEAFLET = Path("content") / "leaflets" / "mini.yaml"


def html_with_plain_text(root: Path, text: str) -> str:
    path = root / LEAFLET
    old = (
        "          plain: Out of 100 people, about 60 felt better with the medicine and "
        "about 40 without it.\n"
    )
    path.write_text(path.read_text().replace(old, f"          plain: '{text}'\n"))
    catalog = load_project(root)
    return render_html(make_environment(root), context_for(catalog.leaflets[0], "plain", catalog))


def test_bold_emphasis_and_safe_links_render(minimal: Path) -> None:
    html = html_with_plain_text(
        minimal, "About 60 out of 100 felt **much** better. See [the trial](https://example.org/t)."
    )
    assert "<strong>much</strong>" in html
    assert '<a href="https://example.org/t">the trial</a>' in html


def test_unsafe_links_and_markup_stay_text(minimal: Path) -> None:
    html = html_with_plain_text(
        minimal, "About 60 out of 100. [Click](javascript:alert(1)) <b>x</b> {{ 7*7 }}"
    )
    assert "javascript:" not in html.split("<body", 1)[1].split("[Click]")[0]
    assert 'href="javascript' not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "{{ 7*7 }}" in html
    messages = [p.message for p in check_catalog(load_project(minimal))]
    assert any(m.endswith("[unsafe-link]") for m in messages), messages
