"""Readability grades in, a report out: a terminal table, JSON for CI, or an HTML page.

The HTML page draws a bar per level and per section against the level's target, so a
writer sees at a glance where a level drifts (issue 4).
"""

from __future__ import annotations

import json
from typing import Any

import jinja2

from ..content.load import Catalog
from .grading import LevelGrade, grade_catalog, grade_level
from .readability import Readability


def grades_in(catalog: Catalog, languages: list[str] | None) -> list[LevelGrade]:
    """The grades `report readability` shows: every leaflet as written, or (`--lang`) the
    text in those languages: leaflets written in them and translations into them."""
    if not languages:
        return grade_catalog(catalog)
    from .translate import translations

    cache = translations(catalog)
    found = []
    for language in languages:
        primary = language.split("-")[0].lower()
        for loaded in catalog.leaflets:
            if loaded.language.split("-")[0].lower() == primary:
                found += [grade_level(loaded, level, catalog) for level in loaded.levels]
        files, _ = cache.of(language)
        for loaded in catalog.leaflets:
            translation = files.get(loaded.leaflet.id)
            for level in translation.levels if translation is not None else ():
                leaflet_catalog, translated = cache.localise(loaded, language, level)
                found.append(grade_level(translated, level, leaflet_catalog))
    return found


#: Figures from the English formulas, left out for text in another language.
_ENGLISH_ONLY = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "smog_grade",
    "smog_adjusted",
    "polysyllable_share",
)


def figures(readability: Readability, *, english: bool = True) -> dict[str, Any]:
    found = _figures(readability)
    return found if english else {k: v for k, v in found.items() if k not in _ENGLISH_ONLY}


def _figures(readability: Readability) -> dict[str, Any]:
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
            "whole": figures(grade.whole, english=grade.formulas == "en"),
            "sections": {
                name: figures(value, english=grade.formulas == "en")
                for name, value in grade.sections.items()
            },
            "blocks": {
                name: figures(value, english=grade.formulas == "en")
                for name, value in grade.blocks.items()
            },
            **_language_figures(grade),
        }
        for grade in grades
    ]


def formula_note(grade: LevelGrade) -> str:
    """What the figures of a grade are, in words, when they are not the English formulas."""
    if grade.formulas == "es":
        return "Spanish: Fernández-Huerta and Szigriszt-Pazos (INFLESZ scale)"
    if grade.formulas == "":
        return (
            f"no validated readability formula for {grade.language!r}: sentence length and "
            "long-word share only"
        )
    return ""


def _language_figures(grade: LevelGrade) -> dict[str, Any]:
    """For text not in English: which formulas apply, and their figures (issue 17)."""
    if grade.formulas == "en":
        return {}
    found: dict[str, Any] = {
        "language": grade.language,
        "formulas": grade.formulas or None,
        "note": formula_note(grade),
        "long_word_share": round(grade.long_words or 0.0, 3),
    }
    if grade.spanish is not None:
        found["fernandez_huerta"] = round(grade.spanish.fernandez_huerta, 1)
        found["szigriszt_pazos"] = round(grade.spanish.szigriszt_pazos, 1)
        found["inflesz"] = grade.spanish.inflesz
    return found


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
    if any(grade.formulas != "en" for grade in grades):
        return _other_language_table(grades)
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


def _other_language_table(grades: list[LevelGrade]) -> Any:
    """Text not in English: the language's own formulas (Spanish), else sentence length and
    long-word share only; never an English grade (issue 17)."""
    from rich.table import Table

    notes = sorted({formula_note(g) for g in grades if formula_note(g)})
    table = Table(title="Readability", caption="; ".join(notes))
    for column in (
        "leaflet",
        "level",
        "language",
        "sentences",
        "words/sentence",
        "longest",
        "long words",
        "Fernández-Huerta",
        "Szigriszt-Pazos",
        "INFLESZ",
        "target",
        "problems",
    ):
        table.add_column(column, justify="left" if column in ("leaflet", "level") else "right")
    for grade in grades:
        whole, targets, spanish = grade.whole, grade.targets, grade.spanish
        longest = str(whole.longest_sentence_words)
        limit = targets.sentence_words_max
        if limit is not None and whole.longest_sentence_words > limit:
            longest = f"[bold red]{longest}[/]"
        score = "-"
        if spanish is not None:
            score = f"{spanish.szigriszt_pazos:.1f}"
            if targets.inflesz_min is not None and spanish.szigriszt_pazos < targets.inflesz_min:
                score = f"[bold red]{score}[/]"
        table.add_row(
            grade.leaflet_id,
            grade.level,
            grade.language if grade.formulas != "en" else "en",
            str(whole.sentences),
            f"{whole.words_per_sentence:.1f}",
            longest,
            f"{(grade.long_words or 0.0):.0%}",
            f"{spanish.fernandez_huerta:.1f}" if spanish else "-",
            score,
            spanish.inflesz if spanish else "-",
            f"{targets.inflesz_min:g}" if spanish and targets.inflesz_min is not None else "-",
            str(len(grade.problems)),
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
                "note": formula_note(grade),
                "spanish": _language_figures(grade) if grade.spanish else None,
            }
        )
    return environment.get_template("readability-report.html.j2").render(by_leaflet=by_leaflet)
