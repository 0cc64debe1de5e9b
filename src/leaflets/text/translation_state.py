"""The state of a translation, unit by unit, and the numbers it must keep (issue 17).

A translation file (`translation_file.py`) and the English it was made from in, per unit
and level, one of:

* missing -- no entry, or the entry lacks a segment the source has;
* stale -- the source wording changed since the translation was made (fingerprint);
* unreviewed -- no review record covers the current translation (its own fingerprint);
* reviewed.

`build --release` refuses missing, stale and unreviewed units (`translation_problems`).
Numbers survive translation: every segment's numbers (digits in any script, and the
number words of `numbers.NUMBER_WORDS`) must equal its source's (`number_problems`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..content.load import Catalog, LoadedLeaflet
from ..errors import Location, Problem, Severity
from .numbers import numbers_in
from .translation_file import (
    LoadedTranslation,
    TranslationReview,
    Wording,
    source_fingerprint,
    source_segments,
    translation_fingerprint,
    unit_ids,
)

__all__ = [
    "TranslationState",
    "TranslationStatus",
    "number_mismatch",
    "number_problems",
    "translation_problems",
    "translation_states",
]


# --- states --------------------------------------------------------------------------------


class TranslationStatus(StrEnum):
    MISSING = "missing"
    STALE = "stale"
    UNREVIEWED = "unreviewed"
    REVIEWED = "reviewed"


@dataclass(frozen=True)
class TranslationState:
    leaflet: str
    language: str
    level: str
    unit: str
    status: TranslationStatus
    location: Location
    review: TranslationReview | None = None
    missing_keys: tuple[str, ...] = ()

    def describe(self) -> str:
        what = f"{self.unit} ({self.level}, {self.language})"
        if self.status is TranslationStatus.MISSING:
            if self.missing_keys:
                return f"{what}: translation missing for {', '.join(self.missing_keys)}"
            return f"{what}: not translated"
        if self.status is TranslationStatus.STALE:
            return f"{what}: the source wording changed since it was translated"
        if self.status is TranslationStatus.UNREVIEWED:
            return f"{what}: translation not reviewed"
        assert self.review is not None
        return f"{what}: reviewed on {self.review.date} by {self.review.reviewer}"

    def hint(self) -> str:
        if self.status is TranslationStatus.UNREVIEWED:
            return (
                f"check the translation, then: leaflets translate approve --lang "
                f"{self.language} {self.leaflet} --translator NAME --reviewer NAME --role ROLE"
            )
        return (
            f"leaflets translate export --lang {self.language} {self.leaflet}, translate "
            "(or update) the unit, then: leaflets translate import FILE.po"
        )


def translation_states(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    translation: LoadedTranslation,
    levels: tuple[str, ...] | None = None,
) -> list[TranslationState]:
    """The state of every unit at every level the translation is built at."""
    states = []
    language = translation.language
    for level in translation.levels:
        if levels is not None and level not in levels:
            continue
        for unit in unit_ids(loaded):
            source = source_segments(loaded, catalog, unit, level)
            if source is None:
                continue
            states.append(_state(loaded, translation, unit, level, source, language))
    return states


def _state(
    loaded: LoadedLeaflet,
    translation: LoadedTranslation,
    unit: str,
    level: str,
    source: dict[str, Wording],
    language: str,
) -> TranslationState:
    entry = translation.entry(unit, level)
    where = translation.where(unit, level)

    def state(status: TranslationStatus, **extra: Any) -> TranslationState:
        return TranslationState(loaded.leaflet.id, language, level, unit, status, where, **extra)

    if entry is None:
        return state(TranslationStatus.MISSING)
    if entry.source != source_fingerprint(source):
        return state(TranslationStatus.STALE)
    lacking = tuple(key for key in source if key not in entry.text)
    if lacking:
        return state(TranslationStatus.MISSING, missing_keys=lacking)
    wanted = translation_fingerprint(language, unit, level, entry)
    current = [r for r in entry.reviews if r.fingerprint == wanted]
    if not current:
        return state(TranslationStatus.UNREVIEWED)
    return state(TranslationStatus.REVIEWED, review=max(current, key=lambda r: r.date))


def translation_problems(states: list[TranslationState]) -> list[Problem]:
    """One located warning per unit not released: missing, stale or unreviewed (the
    release gate makes them errors), levels merged."""
    grouped: dict[tuple[str, TranslationStatus, tuple[str, ...]], list[TranslationState]] = {}
    for state in states:
        if state.status is not TranslationStatus.REVIEWED:
            grouped.setdefault((state.unit, state.status, state.missing_keys), []).append(state)
    problems = []
    for group in grouped.values():
        first = group[0]
        levels = ", ".join(s.level for s in group)
        message = first.describe().replace(f"({first.level},", f"({levels},", 1)
        problems.append(
            Problem(first.location, f"{message} [translation]", first.hint(), Severity.WARNING)
        )
    return problems


# --- numbers survive translation -----------------------------------------------------------


def _numbers(value: Wording, language: str) -> Counter[str]:
    texts = value if isinstance(value, list) else [value]
    found: Counter[str] = Counter()
    for text in texts:
        found.update(numbers_in(text, language))
    return found


def _shown(numbers: Counter[str]) -> str:
    return ", ".join(sorted(numbers.elements(), key=lambda n: (len(n), n)))


def number_mismatch(
    source: Wording, translated: Wording, language: str, source_language: str = "en"
) -> str | None:
    """Why the numbers of `translated` differ from those of `source` (None: they agree)."""
    wanted, got = _numbers(source, source_language), _numbers(translated, language)
    if wanted == got:
        return None
    parts = []
    if wanted - got:
        parts.append(f"missing {_shown(wanted - got)}")
    if got - wanted:
        parts.append(f"not in the source {_shown(got - wanted)}")
    return "; ".join(parts)


def number_problems(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    translation: LoadedTranslation,
    levels: tuple[str, ...] | None = None,
) -> list[Problem]:
    """Every translated segment whose numbers differ from its source's: an error located
    at the segment's line in the translation file."""
    problems = []
    for unit, per_level in translation.file.units.items():
        for level, entry in per_level.items():
            if levels is not None and level not in levels:
                continue
            source = source_segments(loaded, catalog, unit, level)
            if source is None:
                continue
            stale = entry.source != source_fingerprint(source)
            for key, value in entry.text.items():
                # a stale unit is compared with the wording it was made from
                original = entry.english.get(key) if stale else source.get(key)
                if original is None:
                    continue
                why = number_mismatch(original, value, translation.language)
                if why is not None:
                    problems.append(
                        Problem(
                            translation.where(unit, level, key),
                            f"{unit} ({level}) {key}: the numbers differ from the source: "
                            f"{why} [translation-numbers]",
                            "every count, denominator, duration, dose and phone number must "
                            "be the same as in the source",
                        )
                    )
    return problems
