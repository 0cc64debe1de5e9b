"""Readability grades in, a report out: a terminal table, JSON for CI, or an HTML page.

The HTML page draws a bar per level and per section against the level's target, so a
writer sees at a glance where a level drifts (issue 4).
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from .grading import LevelGrade
from .readability import Readability


def figures(readability: Readability) -> dict[str, Any]:
    return {
        "sentences": readability.sentences,
        "words": readability.words,
        "flesch_reading_ease": round(readability.flesch_reading_ease, 1),
        "flesch_kincaid_grade": round(readability.flesch_kincaid_grade, 1),
        "smog_grade": round(readability.smog_grade, 1),
        "smog_adjusted": round(readability.smog_adjusted, 1),
        "words_per_sentence": round(readability.words_per_sentence, 1),
        "longest_sentence_words": readability.longest_sentence_words,
        "polysyllable_share": round(readability.polysyllable_share, 3),
        "longest_sentences": list(readability.longest_sentences),
    }


def as_data(grades: list[LevelGrade]) -> list[dict[str, Any]]:
    return [
        {
            "leaflet": grade.leaflet_id,
            "level": grade.level,
            "targets": grade.targets.model_dump(),
            "meets_targets": not grade.problems,
            "problems": [str(problem) for problem in grade.problems],
            "whole": figures(grade.whole),
            "sections": {name: figures(value) for name, value in grade.sections.items()},
            "blocks": {name: figures(value) for name, value in grade.blocks.items()},
        }
        for grade in grades
    ]


def as_json(grades: list[LevelGrade]) -> str:
    return json.dumps({"format": 1, "grades": as_data(grades)}, indent=2, ensure_ascii=False)


def as_table(grades: list[LevelGrade]) -> Any:
    """A rich Table: one row per leaflet x level; figures over target in red."""
    from rich.table import Table

    table = Table(title="Readability (SMOG* = taught words and figures excepted)")
    for column in (
        "leaflet",
        "level",
        "sentences",
        "words/sentence",
        "longest",
        "FK",
        "SMOG",
        "SMOG*",
        "target",
        "problems",
    ):
        table.add_column(column, justify="left" if column in ("leaflet", "level") else "right")
    for grade in grades:
        whole, targets = grade.whole, grade.targets

        def mark(value: float, limit: float | None, text: str) -> str:
            return f"[bold red]{text}[/]" if limit is not None and value > limit else text

        table.add_row(
            grade.leaflet_id,
            grade.level,
            str(whole.sentences),
            f"{whole.words_per_sentence:.1f}",
            mark(
                whole.longest_sentence_words,
                targets.sentence_words_max,
                str(whole.longest_sentence_words),
            ),
            mark(whole.flesch_kincaid_grade, targets.fk_max, f"{whole.flesch_kincaid_grade:.1f}"),
            f"{whole.smog_grade:.1f}",
            mark(whole.smog_adjusted, targets.smog_max, f"{whole.smog_adjusted:.1f}"),
            f"{targets.smog_max:g}" if targets.smog_max is not None else "-",
            mark(len(grade.problems), 0, str(len(grade.problems))),
        )
    return table


class _Row:
    """Rounded figures with attribute access for the page template."""

    def __init__(self, readability: Readability) -> None:
        for key, value in figures(readability).items():
            setattr(self, key, value)


def as_html(grades: list[LevelGrade], environment: jinja2.Environment) -> str:
    by_leaflet: dict[str, list[dict[str, Any]]] = {}
    for grade in grades:
        by_leaflet.setdefault(grade.leaflet_id, []).append(
            {
                "level": grade.level,
                "targets": grade.targets,
                "whole": _Row(grade.whole),
                "sections": {name: _Row(value) for name, value in grade.sections.items()},
                "problems": [str(p) for p in grade.problems],
            }
        )
    return environment.get_template("readability-report.html.j2").render(by_leaflet=by_leaflet)
