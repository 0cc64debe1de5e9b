"""Easy Read checks at easy-read levels (issue 15; ER1, ER5): one idea per line, a picture
beside every idea group, hard words explained where they are used."""

from __future__ import annotations

from pathlib import Path

from leaflets import load_project
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.text.check import check_leaflet
from leaflets.text.levels import context_for

LEAFLET = Path("content/leaflets/mini.yaml")


def edit(root: Path, old: str, new: str) -> None:
    path = root / LEAFLET
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def easy_read_warnings(root: Path) -> list[str]:
    catalog = load_project(root)
    [loaded] = catalog.leaflets
    return [str(p) for p in check_leaflet(catalog, loaded) if "easy-read" in p.message]


def test_minimal_easy_read_is_clean(minimal: Path) -> None:
    assert easy_read_warnings(minimal) == []


def test_two_statements_on_one_line_are_flagged_at_easy_read_only(minimal: Path) -> None:
    edit(
        minimal,
        "          easy: About 60 out of 100 people felt better.",
        "          easy: About 60 out of 100 people felt better. It works fast.",
    )
    [warning] = easy_read_warnings(minimal)
    assert warning.startswith(f"{LEAFLET}:16:9: warning: block 'helps' (easy): 2 sentences")
    assert "[easy-read-one-idea]" in warning


def test_a_question_and_its_answer_are_one_idea(minimal: Path) -> None:
    edit(
        minimal,
        "          easy: About 60 out of 100 people felt better.",
        "          easy: Does it help? About 60 out of 100 people felt better.",
    )
    assert easy_read_warnings(minimal) == []


def test_more_than_three_lines_without_a_picture_are_flagged(minimal: Path) -> None:
    edit(
        minimal,
        "          all: We do not know the long-term effects.",
        "          easy: |\n            One.\n\n            Two.\n\n            Three.\n\n"
        "            Four.\n          plain: We do not know the long-term effects.",
    )
    [warning] = easy_read_warnings(minimal)
    assert "block 'unknown' (easy): 4 lines with no picture [easy-read-picture]" in warning


def test_hard_words_are_explained_in_the_block_that_uses_them(minimal: Path) -> None:
    text = (minimal / LEAFLET).read_text(encoding="utf-8")
    text = text.replace(
        "sections:",
        "glossary:\n  - term: long-term\n    meaning: {all: For many years.}\nsections:",
        1,
    )
    (minimal / LEAFLET).write_text(text, encoding="utf-8")
    catalog = load_project(minimal)
    [loaded] = catalog.leaflets
    env = make_environment(minimal)
    easy = render_html(env, context_for(loaded, "easy", catalog))
    block = easy[easy.index('id="block-unknown"') :]
    block = block[: block.index('<div class="block ', 10)]
    assert '<p class="explain"><strong>long-term</strong> means: For many years.</p>' in block
    plain = render_html(env, context_for(loaded, "plain", catalog))
    assert 'class="explain"' not in plain  # only at easy-read levels
