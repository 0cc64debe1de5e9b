"""Colour contrast measured from the CSS (WCAG SC 1.4.3, 1.4.11; CC1-CC3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflets import load_project
from leaflets.render.render import render_html
from leaflets.render.templates import builtin_templates_dir, make_environment
from leaflets.text.levels import context_for
from leaflets.verify.contrast import (
    check_contrast,
    check_graphics,
    contrast_problems,
    contrast_ratio,
    parse_colour,
    parse_css,
    style_blocks,
)

THEME = builtin_templates_dir()
REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("#777", "#fff", 4.48),  # the classic near miss
        ("#777777", "white", 4.48),
        ("black", "white", 21.0),
        ("#000", "rgb(255, 255, 255)", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#1a1a1a", "#ffffff", 17.40),  # the theme's body text (CC1)
        ("#003366", "#ffffff", 12.61),  # headings
        ("#0000ff", "#ffffff", 8.59),
        ("rgb(255 0 0)", "#ffffff", 4.0),
    ],
)
def test_known_wcag_ratios(fg: str, bg: str, expected: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.005)
    assert contrast_ratio(bg, fg) == pytest.approx(expected, abs=0.005)  # symmetric


def test_colour_forms() -> None:
    assert parse_colour("#ABC").hex == "#aabbcc"
    assert parse_colour(" White ").hex == "#ffffff"
    assert parse_colour("rgba(0, 0, 0, 0.5)").alpha == 0.5
    assert parse_colour("rgb(100%, 0%, 0%)").hex == "#ff0000"
    # Half-transparent black over white is mid-grey (127.5): composited before measuring.
    assert contrast_ratio("rgba(0,0,0,0.5)", "#fff") == pytest.approx(
        contrast_ratio("#808080", "#fff"), abs=0.05
    )
    # tinycss2 reads every CSS Color 4 form (issue 13: no hand-made colour reader).
    assert parse_colour("hsl(0, 0%, 50%)").hex == "#808080"
    assert parse_colour("rebeccapurple").hex == "#663399"
    with pytest.raises(ValueError, match="cannot read colour"):
        parse_colour("not-a-colour")
    with pytest.raises(ValueError, match="cannot read colour"):
        parse_colour("currentColor")


def test_grey_777_fails_normal_text_but_passes_large() -> None:
    [result] = check_contrast("p { color: #777; }")
    assert (result.selector, result.fg, result.bg) == ("p", "#777777", "#ffffff")
    assert result.ratio == pytest.approx(4.48, abs=0.005)
    assert (result.required, result.passed, result.standard) == (4.5, False, "CC1")
    [large] = check_contrast("p { color: #777; }", large_text=True)
    assert (large.required, large.passed, large.standard) == (3.0, True, "CC2")
    # Large by its own size: >= 18 pt, or >= 14 pt bold (24 px = 18 pt).
    for css in ("h1 { color: #777; font-size: 18pt }", "h1 { color:#777; font-size:24px }"):
        assert check_contrast(css)[0].passed, css
    assert check_contrast("b { color: #777; font-size: 14pt; font-weight: 700 }")[0].passed
    assert not check_contrast("b { color: #777; font-size: 14pt }")[0].passed


def test_failing_pair_is_reported_with_its_selector() -> None:
    css = """
    html { color: #1a1a1a; background: #ffffff; }
    .note, .aside { color: #999999; }      /* 2.85:1 on the page */
    .tint { background: url("x.png") #5a5a5a no-repeat; }  /* page text on a dark tint */
    """
    results = check_contrast(css)
    problems = contrast_problems(results)
    assert len(problems) == 2, problems
    assert problems[0].startswith(".note, .aside: text #999999 on #ffffff is 2.85:1, fails 4.5:1")
    assert problems[1].startswith(".tint: text #1a1a1a on #5a5a5a is")
    assert [r.selector for r in results if r.passed] == ["html"]


def test_background_of_the_rule_else_of_the_page() -> None:
    css = """
    html { color: black; background-color: #003366; }
    .own { color: #ffffff; background-color: #1a1a1a !important; }
    .page { color: #ffffff; }
    """
    by_selector = {r.selector: r for r in check_contrast(css)}
    assert by_selector[".own"].bg == "#1a1a1a"
    assert by_selector[".page"].bg == "#003366"
    assert not by_selector["html"].passed  # black on dark blue: 2.0:1


def test_nested_at_rules_custom_properties_and_unreadable_colours() -> None:
    css = """
    :root { --ink: #333333; --tint: #fff4e5; }
    @page { margin: 1cm; @bottom-right { content: "Page " counter(page); color: var(--ink); } }
    @media print { .box { background: var(--tint); } }
    .odd { color: mystery-grey; }
    .hsl { color: hsl(0, 0%, 50%); }
    .inherits { color: inherit; }
    """
    rules = {r.selector: r.declarations for r in parse_css(css)}
    assert rules["@page @bottom-right"]["content"] == '"Page " counter(page)'
    results = {r.selector: r for r in check_contrast(css)}
    assert results["@page @bottom-right"].fg == "#333333"
    assert results["@media print .box"].bg == "#fff4e5"
    odd = results[".odd"]
    assert not odd.passed
    assert "cannot read colour" in odd.note  # fails closed, never passes unread
    grey = results[".hsl"]  # hsl() is read and measured: mid-grey on white is 3.95:1
    assert not grey.passed
    assert grey.ratio == pytest.approx(3.95, abs=0.05)
    assert ".inherits" not in results


def test_borders_that_carry_meaning_are_graphics() -> None:
    css = ".warning { border: 3px solid #cccccc; background: #fff4e5; }"
    borders = [r for r in check_contrast(css) if r.kind == "graphic"]
    assert {r.bg for r in borders} == {"#ffffff", "#fff4e5"}  # outside and inside the box
    assert all(r.required == 3.0 and not r.passed and r.standard == "CC3" for r in borders)


def test_theme_css_passes() -> None:
    results = check_contrast((THEME / "leaflet.css").read_text(encoding="utf-8"))
    assert contrast_problems(results) == []
    by_selector = {r.selector: r for r in results}
    assert by_selector["html"].ratio == pytest.approx(17.40, abs=0.01)  # #1a1a1a (CC1)
    assert by_selector["h1, h2"].ratio == pytest.approx(12.61, abs=0.01)  # #003366
    assert by_selector[".warning"].fg == "#1a1a1a"
    assert by_selector[".warning"].bg == "#fff4e5"
    assert by_selector[".warning"].ratio >= 15
    assert any(s.startswith("@page @bottom") for s in by_selector)  # the running footer


def test_styles_of_a_rendered_page_pass() -> None:
    """The theme and the page's own <style> (DRAFT stamp, sizes) in cascade order."""
    catalog = load_project(FIXTURE)
    html = render_html(make_environment(FIXTURE), context_for(catalog.leaflets[0], "easy", catalog))
    css = "\n".join([(THEME / "leaflet.css").read_text(encoding="utf-8"), *style_blocks(html)])
    results = check_contrast(css)
    assert contrast_problems(results) == []
    assert len(results) >= 5


def test_icon_array_fills_pass_cc3() -> None:
    """Filled figures #003366 on white; empty ones are white with a #003366 outline."""
    results = check_graphics((THEME / "_icon_array.html.j2").read_text(encoding="utf-8"))
    assert [(r.fg, r.bg, r.passed, r.required) for r in results] == [
        ("#003366", "#ffffff", True, 3.0)
    ]
    assert results[0].ratio == pytest.approx(12.61, abs=0.01)


def test_light_fill_fails_cc3() -> None:
    svg = '<svg><rect fill="#cccccc" stroke="none"/><circle style="fill: #003366"/></svg>'
    results = check_graphics(svg)
    assert [(r.selector, r.passed) for r in results] == [
        ('fill="#cccccc"', False),
        ('fill="#003366"', True),
    ]
    assert check_graphics('<rect fill="#ffffff" stroke="#777"/>', background="#ffffff")[0].passed


@pytest.mark.parametrize(
    "svg",
    sorted((REPO / "content" / "images").glob("*.svg")),
    ids=lambda path: path.name,
)
def test_shipped_pictograms_pass_cc3(svg: Path) -> None:
    assert contrast_problems(check_graphics(svg.read_text(encoding="utf-8"))) == []
