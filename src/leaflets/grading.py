"""Rendered HTML of a leaflet at a level in, readability figures and target problems out.

It measures what the reader sees: the HTML the templates make (so generated sentences,
such as natural frequencies and certainty phrases, count), split per block. Sentence
length is judged per sentence, always. Grade formulas are unstable on a few sentences
(readability.py), so they are judged on a block with at least
`readability.MIN_SENTENCES_FOR_GRADE` sentences, on each section with that many, and on
the whole leaflet. Findings are warnings; `--strict` and release builds make them errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import jinja2

from .errors import Location, Problem, Severity
from .levels import context_for
from .load import Catalog, LoadedLeaflet
from .model import DEFAULT_TARGETS, Targets
from .readability import Readability, find_jargon, load_jargon, measure, words
from .render import render_html
from .review import ReviewSummary

SUMMARY = "(summary)"
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _BlockText(HTMLParser):
    """Collect the text of each `<p>` and `<li>` inside each block (and the summary)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, list[str]] = {}
        self._depth = 0
        self._owner: list[tuple[str, int]] = []
        self._svg_depth: int | None = None
        self._buffer: list[str] | None = None
        self._unit_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        self._depth += 1
        attributes = dict(attrs)
        element_id = attributes.get("id") or ""
        if element_id.startswith("block-"):
            self._owner.append((element_id.removeprefix("block-"), self._depth))
        elif "summary" in (attributes.get("class") or "").split():
            self._owner.append((SUMMARY, self._depth))
        if tag == "svg" and self._svg_depth is None:
            self._svg_depth = self._depth
        if tag in ("p", "li") and self._owner and self._svg_depth is None:
            if self._buffer is not None:  # a list inside a list item: close the outer unit
                self._flush()
            self._buffer, self._unit_depth = [], self._depth

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self._buffer is not None and self._depth == self._unit_depth:
            self._flush()
        if self._svg_depth == self._depth:
            self._svg_depth = None
        if self._owner and self._owner[-1][1] == self._depth:
            self._owner.pop()
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._buffer is not None and self._svg_depth is None:
            self._buffer.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._buffer or []).split())
        if text and self._owner:
            self.texts.setdefault(self._owner[-1][0], []).append(text)
        self._buffer = None


def visible_text(html: str) -> dict[str, list[str]]:
    """Block id (or `SUMMARY`) -> its paragraphs and list items, as rendered."""
    parser = _BlockText()
    parser.feed(html)
    parser.close()
    return parser.texts


@dataclass(frozen=True)
class LevelGrade:
    """Readability of one leaflet at one level: the whole, each section, each block."""

    leaflet_id: str
    level: str
    targets: Targets
    whole: Readability
    sections: dict[str, Readability]
    blocks: dict[str, Readability]
    problems: list[Problem] = field(default_factory=list)


def taught_words(loaded: LoadedLeaflet) -> frozenset[str]:
    """Lower-case words of every glossary term and form."""
    found: set[str] = set()
    for entry in loaded.leaflet.glossary:
        for phrase in (entry.term, *entry.forms):
            found.update(word.lower() for word in words(phrase))
    return frozenset(found)


def targets_for(catalog: Catalog, level: str) -> Targets:
    declared = catalog.project.levels[level].targets
    return declared or DEFAULT_TARGETS.get(level, Targets())


def grade_level(
    loaded: LoadedLeaflet,
    level: str,
    catalog: Catalog,
    environment: jinja2.Environment,
) -> LevelGrade:
    """Measure one leaflet at one level and judge it against the level's targets."""
    review = ReviewSummary(pending=(), reviewed_on=None, next_review=None, clinical=True)
    html = render_html(environment, context_for(loaded, level, catalog, review=review))
    texts = visible_text(html)
    taught = taught_words(loaded)
    blocks = {block_id: measure(parts, taught) for block_id, parts in texts.items()}
    sections = {}
    for section, placed in zip(loaded.leaflet.sections, loaded.sections, strict=True):
        parts = [t for p in placed for t in texts.get(p.block.id, [])]
        if parts:
            sections[section.id] = measure(parts, taught)
    whole = measure([t for parts in texts.values() for t in parts], taught)
    grade = LevelGrade(
        loaded.leaflet.id, level, targets_for(catalog, level), whole, sections, blocks
    )
    grade.problems.extend(_target_problems(grade, loaded))
    if catalog.project.levels[level].flag_jargon:
        grade.problems.extend(_jargon_problems(texts, loaded, level, taught))
    return grade


def _summary_location(loaded: LoadedLeaflet) -> Location:
    return loaded.summary_location or Location(loaded.path, 1, 1)


def _worst(figures: Readability) -> str:
    return figures.longest_sentences[0] if figures.longest_sentences else ""


def _target_problems(grade: LevelGrade, loaded: LoadedLeaflet) -> list[Problem]:
    problems = []
    level, targets = grade.level, grade.targets
    placed_blocks = {p.block.id: p for section in loaded.sections for p in section}

    def judge(where: Location, name: str, figures: Readability, smog_max: float | None) -> None:
        if smog_max is not None and figures.reliable and figures.smog_adjusted > smog_max:
            problems.append(
                _problem(
                    where,
                    f"{name} ({level}): SMOG grade "
                    f"{figures.smog_adjusted:.1f}, target {smog_max:g} or lower",
                    figures.hardest_sentence,
                    "sentence with most hard words",
                )
            )
        if (
            targets.fk_max is not None
            and figures.reliable
            and (figures.flesch_kincaid_grade > targets.fk_max)
        ):
            problems.append(
                _problem(
                    where,
                    f"{name} ({level}): Flesch-Kincaid grade "
                    f"{figures.flesch_kincaid_grade:.1f}, target "
                    f"{targets.fk_max:g} or lower",
                    _worst(figures),
                )
            )

    for block_id, figures in grade.blocks.items():
        placed = placed_blocks.get(block_id)
        where = placed.location if placed else _summary_location(loaded)
        override = placed.block.readability if placed else None
        limit = targets.sentence_words_max
        smog_max = targets.smog_max
        if override is not None:
            limit = override.sentence_words_max or limit
            smog_max = override.smog_max or smog_max
        name = f"block {block_id!r}" if placed else "summary"
        if limit is not None and figures.longest_sentence_words > limit:
            over = sum(1 for n in figures.sentence_lengths if n > limit)
            problems.append(
                _problem(
                    where,
                    f"{name} ({level}): {over} sentence(s) longer than {limit} words, the "
                    f"longest {figures.longest_sentence_words}",
                    _worst(figures),
                )
            )
        judge(where, name, figures, smog_max)
    for index, section in enumerate(loaded.leaflet.sections):
        if section.id in grade.sections:
            where = (
                loaded.section_locations[index]
                if loaded.section_locations
                else Location(loaded.path)
            )
            judge(where, f"section {section.id!r}", grade.sections[section.id], targets.smog_max)
    judge(Location(loaded.path, 1, 1), "the whole leaflet", grade.whole, targets.smog_max)
    return problems


def _problem(where: Location, message: str, worst: str, what: str = "longest sentence") -> Problem:
    hint = f'{what}: "{worst[:160]}"' if worst else ""
    return Problem(where, message, hint, Severity.WARNING)


def _jargon_problems(
    texts: dict[str, list[str]], loaded: LoadedLeaflet, level: str, taught: frozenset[str]
) -> list[Problem]:
    terms = load_jargon()
    placed_blocks = {p.block.id: p for section in loaded.sections for p in section}
    problems = []
    for block_id, parts in texts.items():
        hits = {hit.matched.lower(): hit for part in parts for hit in find_jargon(part, terms)}
        for matched, hit in hits.items():
            if all(word.lower() in taught for word in words(matched)):
                continue
            placed = placed_blocks.get(block_id)
            problems.append(
                Problem(
                    placed.location if placed else _summary_location(loaded),
                    f"{'block ' + repr(block_id) if placed else 'summary'} ({level}): "
                    f"{hit.matched!r} is medical jargon",
                    f"say '{hit.plain}', or explain the word in the leaflet's glossary",
                    Severity.WARNING,
                )
            )
    return problems


def grade_catalog(catalog: Catalog) -> list[LevelGrade]:
    """Every loaded leaflet at every level it is built in."""
    from .templates import make_environment

    environment = make_environment(catalog.root)
    return [
        grade_level(loaded, level, catalog, environment)
        for loaded in catalog.leaflets
        for level in loaded.levels
    ]
