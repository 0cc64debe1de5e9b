"""The reader's text of a leaflet at a level in, readability figures and target problems out.

It measures what the reader sees: the reader's text (reader_text.py: the values the
templates print, so generated sentences such as natural frequencies and certainty phrases
count, and so do the summary, title, headings, glossary meanings and the project's
feedback and other-formats lines), normalised, per block or group. Sentence
length is judged per sentence, always. Grade formulas are unstable on a few sentences
(readability.py), so they are judged on a block with at least
`readability.MIN_SENTENCES_FOR_GRADE` sentences, on each section with that many, and on
the whole leaflet. Findings are warnings; `--strict` and release builds make them errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..content.load import Catalog, LoadedLeaflet
from ..content.model import DEFAULT_TARGETS, ReadabilityOverride, Targets
from ..errors import Location, Problem, Severity
from .readability import Readability, find_jargon, formulas_for, load_jargon, measure, words
from .readability_es import SpanishReadability, long_word_share, measure_es

if TYPE_CHECKING:
    from .reader_text import Segment

SUMMARY = "(summary)"
HEADINGS = "(title and headings)"
GLOSSARY = "(glossary)"
ABOUT = "(about this leaflet)"
#: Reader text that is graded, by role, and the group it is graded in (blocks: their id).
_GROUPS = {
    "title": HEADINGS,
    "heading": HEADINGS,
    "summary": SUMMARY,
    "glossary-meaning": GLOSSARY,
    "other-formats": ABOUT,
    "feedback": ABOUT,
}
#: Roles not graded: names, dates, references and what only a screen reader says.
_NOT_GRADED = frozenset(
    {"alt", "icon-alt", "reference", "version", "date", "level-label", "publisher", "glossary-term"}
)


def group_texts(segments: list[Segment]) -> dict[str, list[Segment]]:
    """Graded reader text per group: block id, or SUMMARY, HEADINGS, GLOSSARY, ABOUT."""
    groups: dict[str, list[Segment]] = {}
    for segment in segments:
        if segment.role in _NOT_GRADED:
            continue
        key = segment.block.block.id if segment.block else _GROUPS.get(segment.role)
        if key is not None:
            groups.setdefault(key, []).append(segment)
    return groups


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
    formulas: str = "en"
    """Which validated formulas apply (readability.formulas_for): `en`, `es`, or "" (none:
    sentence length and long-word share only, and the report says so)."""
    spanish: SpanishReadability | None = None
    """Fernández-Huerta and Szigriszt-Pazos (INFLESZ) of the whole, for Spanish text."""
    language: str = "en"
    long_words: float | None = None
    """Share of words over six letters (LIX), for text without English formulas."""


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


def block_limits(
    targets: Targets, override: ReadabilityOverride | None
) -> tuple[float | None, int | None]:
    """(SMOG limit, longest-sentence limit) for a block: its own override, else the level's."""
    smog_max, sentence_words_max = targets.smog_max, targets.sentence_words_max
    if override is not None:
        smog_max = override.smog_max or smog_max
        sentence_words_max = override.sentence_words_max or sentence_words_max
    return smog_max, sentence_words_max


def grade_level(
    loaded: LoadedLeaflet,
    level: str,
    catalog: Catalog,
    environment: object = None,
) -> LevelGrade:
    """Measure one leaflet at one level and judge it against the level's targets.

    `environment` is accepted for callers of the earlier HTML-based grading and unused:
    the grade is taken from the reader's text (reader_text.py), not from rendered HTML."""
    from .reader_text import reader_text

    return grade_segments(loaded, level, catalog, reader_text(loaded, level, catalog))


def grade_segments(
    loaded: LoadedLeaflet, level: str, catalog: Catalog, segments: list[Segment]
) -> LevelGrade:
    """Readability of the reader's text at one level: per block and group, per section
    (its heading and blocks), and the whole."""
    groups = group_texts(segments)
    texts = {key: [s.text for s in group] for key, group in groups.items()}
    taught = taught_words(loaded)
    blocks = {key: measure(parts, taught) for key, parts in texts.items()}
    sections = {}
    for section in loaded.leaflet.sections:
        parts = [
            s.text
            for s in segments
            if s.section == section.id and s.role not in _NOT_GRADED and s.block is not None
        ]
        if parts:
            sections[section.id] = measure(parts, taught)
    whole = measure([t for parts in texts.values() for t in parts], taught)
    grade = LevelGrade(
        loaded.leaflet.id, level, targets_for(catalog, level), whole, sections, blocks
    )
    where = {key: group[0].location for key, group in groups.items()}
    family = formulas_for(loaded.language)
    if family != "en":
        # SMOG and Flesch-Kincaid are English formulas and the jargon list is English:
        # other text is judged on sentence length, and Spanish on its own formulas too.
        every = [t for p in texts.values() for t in p]
        grade = replace(
            grade,
            formulas=family,
            problems=[],
            language=loaded.language,
            long_words=long_word_share(every),
        )
        grade.problems.extend(_target_problems(grade, loaded, where, formulas=False))
        if family == "es":
            grade = replace(grade, spanish=measure_es(every))
            grade.problems.extend(_spanish_problems(grade, loaded))
        return grade
    grade.problems.extend(_target_problems(grade, loaded, where))
    if catalog.project.levels[level].flag_jargon:
        grade.problems.extend(_jargon_problems(texts, loaded, level, taught, where))
    return grade


def english_formulas(language: str) -> bool:
    """Do the English grade formulas and jargon list apply to text in `language`?"""
    return language.split("-")[0].lower() == "en"


def _spanish_problems(grade: LevelGrade, loaded: LoadedLeaflet) -> list[Problem]:
    """The whole leaflet's Szigriszt-Pazos score against the level's INFLESZ target (RS2),
    when the text is long enough for a score to mean something."""
    spanish, target = grade.spanish, grade.targets.inflesz_min
    if spanish is None or target is None or not grade.whole.reliable:
        return []
    if spanish.szigriszt_pazos >= target:
        return []
    return [
        _problem(
            Location(loaded.path, 1, 1),
            f"the whole leaflet ({grade.level}): Szigriszt-Pazos {spanish.szigriszt_pazos:.1f} "
            f"('{spanish.inflesz}' on the INFLESZ scale), target {target:g} or higher",
            _worst(grade.whole),
        )
    ]


def _summary_location(loaded: LoadedLeaflet) -> Location:
    return loaded.summary_location or Location(loaded.path, 1, 1)


def _worst(figures: Readability) -> str:
    return figures.longest_sentences[0] if figures.longest_sentences else ""


def _target_problems(
    grade: LevelGrade,
    loaded: LoadedLeaflet,
    located: dict[str, Location],
    *,
    formulas: bool = True,
) -> list[Problem]:
    problems = []
    level, targets = grade.level, grade.targets
    placed_blocks = {p.block.id: p for section in loaded.sections for p in section}

    def judge(where: Location, name: str, figures: Readability, smog_max: float | None) -> None:
        if not formulas:
            return
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
        where = placed.location if placed else located.get(block_id, _summary_location(loaded))
        smog_max, limit = block_limits(targets, placed.block.readability if placed else None)
        name = f"block {block_id!r}" if placed else block_id.strip("()")
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
        if placed is not None:  # the summary, headings, glossary: pooled into the whole
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
    texts: dict[str, list[str]],
    loaded: LoadedLeaflet,
    level: str,
    taught: frozenset[str],
    located: dict[str, Location],
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
                    placed.location if placed else located[block_id],
                    f"{'block ' + repr(block_id) if placed else block_id.strip('()')} ({level}): "
                    f"{hit.matched!r} is medical jargon",
                    f"say '{hit.plain}', or explain the word in the leaflet's glossary",
                    Severity.WARNING,
                )
            )
    return problems


def grade_catalog(catalog: Catalog) -> list[LevelGrade]:
    """Every loaded leaflet at every level it is built in."""
    return [
        grade_level(loaded, level, catalog)
        for loaded in catalog.leaflets
        for level in loaded.levels
    ]
