"""Readability gate on the rendered text: per-sentence limits, grades, jargon, overrides."""

from __future__ import annotations

import io
import json
from pathlib import Path

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.cli.main import main
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.text.grading import grade_catalog, group_texts
from leaflets.text.levels import context_for
from leaflets.text.reader_text import reader_text

LEAFLET = Path("content") / "leaflets" / "mini.yaml"
HARD = (
    "Considerable administrative complications occasionally necessitate additional documentation."
)


def set_text(root: Path, level: str, text: str, extra: str = "") -> None:
    path = root / LEAFLET
    old = {
        "easy": "          easy: About 60 out of 100 people felt better.\n",
        "plain": "          plain: Out of 100 people, about 60 felt better with the medicine and "
        "about 40 without it.\n",
    }[level]
    content = path.read_text()
    assert old in content
    path.write_text(content.replace(old, f"          {level}: {text}\n{extra}"))


def messages(root: Path) -> list[str]:
    return [
        f"{p.location}: {p.message}" for g in grade_catalog(load_project(root)) for p in g.problems
    ]


def test_graded_text_is_the_readers_text(minimal: Path) -> None:
    """Regression test for #11: graded from the reader's text, summary and headings too."""
    catalog = load_project(minimal)
    groups = group_texts(reader_text(catalog.leaflets[0], "easy", catalog))
    texts = {key: [s.text for s in group] for key, group in groups.items()}
    assert texts["(summary)"] == ["This leaflet tells you about the test medicine."]
    assert texts["helps"] == ["About 60 out of 100 people felt better."]
    assert texts["side-effects"] == ["About 10 out of 100 people felt sick."]
    assert texts["ask-questions"] == ["What will happen?", "Who can I call?"]
    assert "(title and headings)" in texts


def test_long_easy_sentence_is_reported_with_location_and_sentence(minimal: Path) -> None:
    sentence = (
        "About 60 out of 100 people who took the medicine every day felt a lot better after "
        "a month."
    )
    set_text(minimal, "easy", sentence)
    problems = [p for g in grade_catalog(load_project(minimal)) for p in g.problems]
    [problem] = [p for p in problems if "block" in p.message]
    assert str(problem.location) == "content/leaflets/mini.yaml:16:9"
    assert problem.message == (
        "block 'helps' (easy): 1 sentence(s) longer than 15 words, the longest 19"
    )
    assert sentence in problem.hint


def test_override_with_reason_lifts_the_limit(minimal: Path) -> None:
    sentence = (
        "About 60 out of 100 people who took the medicine every day felt a lot better after "
        "a month."
    )
    set_text(
        minimal,
        "easy",
        sentence,
        "        readability:\n          reason: The trial's wording.\n"
        "          sentence_words_max: 20\n",
    )
    assert messages(minimal) == []


def test_smog_is_judged_on_reliable_blocks_and_names_the_hardest_sentence(minimal: Path) -> None:
    text = " ".join(["We can help you."] * 8 + [HARD, HARD])
    set_text(minimal, "plain", f'"{text}"')
    found = messages(minimal)
    assert any(
        m.startswith("content/leaflets/mini.yaml:16:9: block 'helps' (plain): SMOG grade")
        and m.endswith("target 8 or lower")
        for m in found
    ), found
    [problem] = [
        p
        for g in grade_catalog(load_project(minimal))
        for p in g.problems
        if "block 'helps' (plain): SMOG" in p.message
    ]
    assert HARD in problem.hint


def test_taught_words_and_figures_do_not_count_as_hard(minimal: Path) -> None:
    text = " ".join(["Esketamine helped 100 people."] * 10)
    set_text(minimal, "plain", f'"{text}"')
    assert any("SMOG" in m for m in messages(minimal))
    path = minimal / LEAFLET
    path.write_text(
        path.read_text().replace(
            "sections:\n",
            "glossary:\n  - term: esketamine\n    meaning: {all: A medicine.}\nsections:\n",
            1,
        )
    )
    assert not any("SMOG" in m for m in messages(minimal))


def test_jargon_is_flagged_unless_the_glossary_explains_it(minimal: Path) -> None:
    set_text(minimal, "easy", "About 60 out of 100 had no adverse effects.")
    assert (
        "content/leaflets/mini.yaml:16:9: block 'helps' (easy): 'adverse effects' is medical jargon"
        in messages(minimal)
    )
    path = minimal / LEAFLET
    path.write_text(
        path.read_text().replace(
            "sections:\n",
            "glossary:\n  - term: adverse effects\n    meaning: {all: Harm.}\nsections:\n",
            1,
        )
    )
    assert messages(minimal) == []


def test_glossary_box_lists_terms_met_at_the_level(minimal: Path) -> None:
    path = minimal / LEAFLET
    path.write_text(
        path.read_text().replace(
            "sections:\n",
            "glossary:\n  - term: medicine\n"
            "    meaning: {easy: Something that helps., plain: A drug.}\n"
            "  - term: unicorn\n    meaning: {all: Not in the text.}\nsections:\n",
            1,
        )
    )
    catalog = load_project(minimal)
    html = render_html(
        make_environment(minimal), context_for(catalog.leaflets[0], "plain", catalog)
    )
    assert "<h2>Words we use</h2>" in html
    assert "<strong>medicine</strong>: A drug." in html
    assert "unicorn" not in html


def test_strict_check_and_release_build_fail_on_targets(minimal: Path) -> None:
    set_text(
        minimal,
        "easy",
        "About 60 out of 100 people who took the medicine every day felt a lot better after "
        "a month.",
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(minimal)], stdout=out, stderr=err) == 0
    assert main(["check", "--strict", str(minimal)], stdout=out, stderr=err) == 1
    report = build_catalog(load_project(minimal), minimal / "output", BuildOptions(release=True))
    assert "mini (release)" in report.failed


def test_report_formats(minimal: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["report", "readability", str(minimal), "--format", "json"], stdout=out) == 0
    data = json.loads(out.getvalue())
    assert [g["level"] for g in data["grades"]] == ["easy", "plain"]
    # title, headings, summary, about and urgent help
    assert data["grades"][0]["whole"]["sentences"] == 15
    out = io.StringIO()
    assert main(["report", "readability", str(minimal)], stdout=out) == 0
    assert "mini" in out.getvalue()
    assert "SMOG*" in out.getvalue()
    page = tmp_path / "readability.html"  # --out names a folder (issue 13)
    assert (
        main(
            ["report", "readability", str(minimal), "--format", "html", "--out", str(tmp_path)],
            stdout=io.StringIO(),
        )
        == 0
    )
    html = page.read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html
    assert "<title>SMOG* per section at the easy level, target 6.0</title>" in html


def test_sample_levels_are_measurably_different() -> None:
    """Issue 4: easy < plain < detailed on grade and sentence length."""
    grades = {g.level: g.whole for g in grade_catalog(load_project(Path(__file__).parents[1]))}
    easy, plain, detailed = grades["easy"], grades["plain"], grades["detailed"]
    assert easy.flesch_kincaid_grade < plain.flesch_kincaid_grade < detailed.flesch_kincaid_grade
    assert easy.smog_adjusted < plain.smog_adjusted < detailed.smog_adjusted

    # Sentence length: the detailed level allows the longer sentences (upper quartile and
    # longest). Mean length is about equal for plain and detailed (12.5 vs 12.4 words):
    # detailed mixes long sentences with short list items.
    def upper_quartile(lengths: tuple[int, ...]) -> int:
        return sorted(lengths)[len(lengths) * 3 // 4]

    assert easy.words_per_sentence < plain.words_per_sentence
    assert (
        upper_quartile(easy.sentence_lengths)
        < upper_quartile(plain.sentence_lengths)
        < upper_quartile(detailed.sentence_lengths)
    )
    assert easy.longest_sentence_words < plain.longest_sentence_words
    assert plain.longest_sentence_words < detailed.longest_sentence_words
    assert easy.longest_sentence_words <= 15
