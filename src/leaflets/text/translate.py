"""Translations bound to the English they came from (issue 17): files, states, numbers.

A translation file `content/translations/LANG/LEAFLET.yaml` holds, for each review unit of
the leaflet (review.py: `block:ID` and `leaflet:ID`) and each level, the translated wording
of the unit's segments, the wording of the source it was made from and that source's
fingerprint, and the translation's review records:

    leaflet: ketamine-esketamine-depression
    language: es
    levels: [easy, plain, detailed]        # optional: the levels built in this language
    units:
      block:what-it-is:
        plain:
          source: sha256:...               # fingerprint of the English it was made from
          english: {text: "..."}           # that English (for the translator's diff)
          text: {text: "..."}              # the translation, one value per segment key
          reviews:
            - {translator: ..., reviewer: ..., role: ..., date: 2026-11-27,
               method: [forward, cultural], fingerprint: sha256:...}

A segment key names the field of the source unit it translates (`text`, `items`,
`intro`, `frequencies.who`, `image.alt`, `title`, `sections.ID.heading`,
`project.feedback`...): `source_segments` lists them. A unit at a level is in one state:

* missing -- no entry, or the entry lacks a segment the source has;
* stale -- the source wording changed since the translation was made (fingerprint);
* unreviewed -- no review record covers the current translation (its own fingerprint);
* reviewed.

`localise` makes the translated `LoadedLeaflet` (and a catalog carrying the translated
project text) for one level: the same model classes with the translated wording, located
in the translation file. Everything downstream (levels.context_for, reader_text, the
checks, grading, rendering) runs on it unchanged, so the reader's text of a translated
variant IS the translated text. In a draft, a missing unit shows its English wording,
each string marked "[Not translated yet]" in the translation's language (i18n.py; and the
page says the translation is incomplete);
`build --release` refuses missing, stale and unreviewed units (`translation_problems`).

Numbers survive translation: every segment's numbers (digits in any script, and the
number words of `numbers.NUMBER_WORDS`) must equal its source's (`number_problems`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from ..content.load import CONTENT_DIR, Catalog, LoadedLeaflet, PlacedBlock, _validate
from ..content.model import ALL_LEVELS, Block, Identifier, Leaflet, Strict, paragraphs, pick
from ..content.source import KeyPath, Positions, read_yaml
from ..errors import ContentError, Location, Problem, Severity, UsageError, did_you_mean
from ..review.state import leaflet_units
from .i18n import messages
from .numbers import numbers_in

__all__ = [
    "TRANSLATIONS_DIR",
    "LoadedTranslation",
    "Translated",
    "TranslationFile",
    "TranslationReview",
    "TranslationState",
    "TranslationStatus",
    "TranslationView",
    "UnitTranslation",
    "languages_of",
    "load_translation",
    "localise",
    "number_problems",
    "source_segments",
    "translation_problems",
    "translation_states",
    "translations_for",
]

TRANSLATIONS_DIR = "translations"
#: A BCP 47 language tag: a primary subtag and optional subtags (es, es-419, ar, pt-BR).
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

Sha256 = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
Wording = str | list[str]
Method = Literal["forward", "back", "cultural"]


class TranslationReview(Strict):
    """Who translated and who checked one unit's translation, how, and of exactly what."""

    translator: str = Field(min_length=1, description="Who made the translation.")
    reviewer: str = Field(min_length=1, description="Who checked it.")
    role: str = Field(min_length=1, description="The reviewer's role, e.g. 'editor'.")
    date: dt.date = Field(description="Date of the check.")
    method: list[Method] = Field(
        min_length=1,
        description="forward (checked against the source), back (translated back and "
        "compared) and/or cultural (checked for cultural appropriateness).",
    )
    certified: bool = Field(False, description="True only for a certified translator's check.")
    clinical: bool = Field(False, description="True only for a clinician's review.")
    fingerprint: Sha256 = Field(description="sha256 of the checked translation and its source.")


class UnitTranslation(Strict):
    """One unit at one level: the translation, the source it came from, its reviews."""

    source: Sha256 = Field(description="Fingerprint of the source wording it was made from.")
    english: dict[str, Wording] = Field(
        default_factory=dict, description="The source wording it was made from, per segment."
    )
    text: dict[str, Wording] = Field(description="The translated wording, per segment key.")
    reviews: list[TranslationReview] = Field(default_factory=list)


class TranslationFile(Strict):
    """The file `content/translations/LANG/LEAFLET.yaml`."""

    leaflet: Identifier = Field(description="The leaflet id (the file name).")
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = Field(
        description="BCP 47 language tag (the folder name)."
    )
    levels: list[Identifier] | None = Field(
        None, min_length=1, description="Levels built in this language (default: all)."
    )
    units: dict[str, dict[Identifier, UnitTranslation]] = Field(default_factory=dict)


@dataclass(frozen=True)
class LoadedTranslation:
    file: TranslationFile
    path: Path
    """As shown in messages (relative to the project)."""
    positions: Positions
    levels: tuple[str, ...]
    """The levels of the leaflet this translation is built at."""

    @property
    def language(self) -> str:
        return self.file.language

    def entry(self, unit: str, level: str) -> UnitTranslation | None:
        return self.file.units.get(unit, {}).get(level)

    def where(self, unit: str, level: str, key: str | None = None) -> Location:
        """The line of a unit's entry (or of one of its segments) in the file."""
        path: KeyPath = ("units", unit, level, *(("text", key) if key else ()))
        if unit not in self.file.units:
            path = ("units",)
        return self.positions.of(path)


# --- the source side: segments and fingerprints ------------------------------------------


def _normal(value: Any) -> Wording:
    if isinstance(value, list):
        return [" ".join(str(item).split()) for item in value]
    return "\n\n".join(paragraphs(str(value)))


def digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _key(path: KeyPath) -> str:
    return ".".join(str(part) for part in path)


def _block_segments(block: Block, level: str) -> dict[str, Wording]:
    found: dict[str, Wording] = {}
    for key_path, texts in block.wording():
        if level in texts or ALL_LEVELS in texts:
            found[_key(key_path)] = _normal(pick(texts, level))
    if block.image is not None and block.image.alt:
        found["image.alt"] = _normal(block.image.alt)
    return found


def _leaflet_segments(loaded: LoadedLeaflet, catalog: Catalog, level: str) -> dict[str, Wording]:
    leaflet, project = loaded.leaflet, catalog.project
    found: dict[str, Wording] = {
        "title": _normal(pick(leaflet.title, level)),
        "summary": _normal(pick(leaflet.summary, level)),
    }
    for section in leaflet.sections:
        found[f"sections.{section.id}.heading"] = _normal(pick(section.heading, level))
    for index, entry in enumerate(leaflet.glossary):
        found[f"glossary.{index}.term"] = _normal(entry.term)
        if entry.forms:
            found[f"glossary.{index}.forms"] = _normal(entry.forms)
        if level in entry.meaning or ALL_LEVELS in entry.meaning:
            found[f"glossary.{index}.meaning"] = _normal(pick(entry.meaning, level))
    if leaflet.about is not None:
        found["about.authors"] = _normal(leaflet.about.authors)
        for name in ("funding", "conflicts", "update_policy"):
            found[f"about.{name}"] = _normal(getattr(leaflet.about, name))
    found["project.publisher"] = _normal(project.publisher)
    found["project.feedback"] = _normal(project.feedback)
    found["project.other_formats"] = _normal(project.other_formats)
    for level_id in loaded.levels:
        found[f"project.levels.{level_id}.label"] = _normal(project.levels[level_id].label)
    return found


def source_segments(
    loaded: LoadedLeaflet, catalog: Catalog, unit: str, level: str
) -> dict[str, Wording] | None:
    """The source wording of `unit` at `level`, per segment key (None: not shown there)."""
    if unit == f"leaflet:{loaded.leaflet.id}":
        return _leaflet_segments(loaded, catalog, level)
    for placed in _placed(loaded):
        if f"block:{placed.block.id}" == unit:
            block = placed.block
            if block.levels is not None and level not in block.levels:
                return None
            return _block_segments(block, level)
    return None


def source_fingerprint(segments: dict[str, Wording]) -> str:
    return digest({"segments": segments})


def translation_fingerprint(language: str, unit: str, level: str, entry: UnitTranslation) -> str:
    """What a translation review covers: the translation and the source it came from."""
    text = {key: _normal(value) for key, value in entry.text.items()}
    return digest([language, unit, level, entry.source, text])


def _placed(loaded: LoadedLeaflet) -> list[PlacedBlock]:
    return [p for section in loaded.sections for p in section]


def unit_ids(loaded: LoadedLeaflet) -> list[str]:
    """The review units of the leaflet, in reading order (review.leaflet_units)."""
    return list(dict.fromkeys(unit.id for unit in leaflet_units(loaded)))


# --- loading -------------------------------------------------------------------------------


def translation_path(root: Path, language: str, leaflet_id: str) -> Path:
    return root / CONTENT_DIR / TRANSLATIONS_DIR / language / f"{leaflet_id}.yaml"


def languages_of(catalog: Catalog) -> list[str]:
    """The languages the project builds (outputs.languages; default: its own language)."""
    return list(catalog.project.outputs.languages) or [catalog.project.language]


def is_source_language(catalog: Catalog, language: str) -> bool:
    """`en` names the project's own language when that is `en-GB` (the source)."""
    own = catalog.project.language.lower()
    wanted = language.lower()
    return wanted == own or wanted == own.split("-")[0]


def load_translation(
    catalog: Catalog, loaded: LoadedLeaflet, path: Path, language: str
) -> LoadedTranslation:
    """Read and validate one translation file; raise `ContentError` with every problem."""
    shown = path.relative_to(catalog.root) if path.is_relative_to(catalog.root) else path
    document = read_yaml(path, shown)
    file = _validate(document, TranslationFile)
    positions = document.positions
    problems = []
    if file.leaflet != loaded.leaflet.id:
        problems.append(
            Problem(
                positions.of(("leaflet",)),
                f"translation of {file.leaflet!r} in the file of {loaded.leaflet.id!r}",
                f"a translation file is named after its leaflet: {file.leaflet}.yaml",
            )
        )
    if file.language != language:
        problems.append(
            Problem(
                positions.of(("language",)),
                f"language {file.language!r} in the folder of {language!r}",
                f"put it in {TRANSLATIONS_DIR}/{file.language}/ or write language: {language}",
            )
        )
    levels = tuple(loaded.levels)
    for index, level in enumerate(file.levels or ()):
        if level not in loaded.levels:
            problems.append(
                Problem(
                    positions.of(("levels", index)),
                    f"the leaflet is not built at level {level!r}",
                    did_you_mean(level, loaded.levels, f"levels: {', '.join(loaded.levels)}"),
                )
            )
    if file.levels:
        levels = tuple(level for level in loaded.levels if level in file.levels)
    known = unit_ids(loaded)
    for unit, per_level in file.units.items():
        if unit not in known:
            problems.append(
                Problem(
                    positions.of(("units", unit), key=True),
                    f"no review unit {unit!r} in leaflet {loaded.leaflet.id!r}",
                    did_you_mean(unit, known, "units are block:ID and leaflet:ID"),
                )
            )
            continue
        for level, entry in per_level.items():
            known_level = level in loaded.levels
            source = source_segments(loaded, catalog, unit, level) if known_level else None
            if source is None:
                problems.append(
                    Problem(
                        positions.of(("units", unit, level), key=True),
                        f"{unit} is not shown at level {level!r}",
                        did_you_mean(level, loaded.levels, "remove this entry"),
                    )
                )
                continue
            for key, value in entry.text.items():
                where = positions.of(("units", unit, level, "text", key), key=True)
                if key not in source:
                    problems.append(
                        Problem(
                            where,
                            f"{unit} ({level}) has no segment {key!r}",
                            did_you_mean(key, source, f"segments: {', '.join(source)}"),
                        )
                    )
                elif isinstance(value, list) != isinstance(source[key], list):
                    shape = "a list of items" if isinstance(source[key], list) else "one text"
                    problems.append(Problem(where, f"{unit} ({level}) {key}: expected {shape}"))
    if problems:
        raise ContentError(problems)
    return LoadedTranslation(file, shown, positions, levels)


def translations_for(
    catalog: Catalog, language: str
) -> tuple[dict[str, LoadedTranslation], list[Problem]]:
    """The leaflets translated into `language` (a file exists), and the files' problems.

    A leaflet without a translation file in a language is not built in that language."""
    found: dict[str, LoadedTranslation] = {}
    problems: list[Problem] = []
    folder = catalog.root / CONTENT_DIR / TRANSLATIONS_DIR / language
    if not folder.is_dir():
        return found, problems
    leaflets = {loaded.leaflet.id: loaded for loaded in catalog.leaflets}
    failed = {path.stem for path in catalog.failed}
    for path in sorted(folder.glob("*.yaml")):
        loaded = leaflets.get(path.stem)
        if loaded is None:
            if path.stem not in failed and not catalog.partial:
                problems.append(
                    Problem(
                        Location(path.relative_to(catalog.root)),
                        f"translation of an unknown leaflet {path.stem!r}",
                        did_you_mean(path.stem, leaflets, "name the file after a leaflet id"),
                    )
                )
            continue
        try:
            found[loaded.leaflet.id] = load_translation(catalog, loaded, path, language)
        except ContentError as exc:
            problems += exc.problems
    return found, problems


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


# --- the translated leaflet ----------------------------------------------------------------


@dataclass(frozen=True)
class TranslationView:
    """What a translated leaflet says about its translation (LevelContext.translation)."""

    language: str
    complete: bool
    """Every unit at this level translated, current and reviewed."""
    missing: int = 0
    stale: int = 0
    unreviewed: int = 0
    reviewers: tuple[tuple[str, str, str, str], ...] = ()
    """(translator, reviewer, role, methods) of the current reviews at this level."""
    certified: bool = False
    """Every current review is a certified translator's."""
    clinical: bool = False
    """Every current review is a clinician's."""


@dataclass(frozen=True)
class Translated:
    """Where a translated `LoadedLeaflet` came from (LoadedLeaflet.translation)."""

    source: LoadedLeaflet
    source_catalog: Catalog
    translation: LoadedTranslation
    level: str
    states: tuple[TranslationState, ...]
    """Of every level the translation is built at (the checks report them once)."""
    view: TranslationView
    """Of this level (what the page says)."""


def translation_view(language: str, states: list[TranslationState]) -> TranslationView:
    counts = Counter(state.status for state in states)
    done = [s.review for s in states if s.review is not None]
    return TranslationView(
        language=language,
        complete=all(s.status is TranslationStatus.REVIEWED for s in states),
        missing=counts[TranslationStatus.MISSING],
        stale=counts[TranslationStatus.STALE],
        unreviewed=counts[TranslationStatus.UNREVIEWED],
        reviewers=tuple(
            dict.fromkeys((r.translator, r.reviewer, r.role, ", ".join(r.method)) for r in done)
        ),
        certified=bool(done) and all(r.certified for r in done),
        clinical=bool(done) and all(r.clinical for r in done),
    )


def _split(key: str) -> KeyPath:
    return tuple(int(part) if part.isdigit() else part for part in key.split("."))


def _set(data: Any, path: KeyPath, value: Any) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _wording_for(
    source: dict[str, Wording], entry: UnitTranslation | None, mark: str
) -> dict[str, Wording]:
    """The text shown: the translation; in a draft, a missing segment's English, marked
    (`mark`: "[Not translated yet]" in the translation's language, i18n.py)."""
    shown: dict[str, Wording] = {}
    for key, english in source.items():
        if entry is not None and key in entry.text:  # current, or stale (said on the page)
            shown[key] = entry.text[key]
        elif isinstance(english, list):
            shown[key] = [f"{mark} {item}" for item in english]
        elif key.endswith(".term") or key.endswith(".forms"):
            shown[key] = english
        else:
            shown[key] = "\n\n".join(f"{mark} {p}" for p in english.split("\n\n"))
    return shown


def _translated_block(placed: PlacedBlock, shown: dict[str, Wording]) -> Block:
    data = placed.block.model_dump(mode="python")
    for key, value in shown.items():
        path = _split(key)
        if path == ("image", "alt"):
            data["image"]["alt"] = value
            continue
        if path[:2] == ("grid", "rows") and len(path) == 5 and path[3] == "answers":
            path = (*path, "text")
        _set(data, path, {ALL_LEVELS: value})
    return Block.model_validate(data)


def localise(
    catalog: Catalog, loaded: LoadedLeaflet, translation: LoadedTranslation, level: str
) -> tuple[Catalog, LoadedLeaflet]:
    """The translated leaflet at `level` and a catalog with the translated project text.

    Its strings are located in the translation file, its `language` is the translation's,
    and `translation` (a `Translated`) tells the checks where it came from."""
    language = translation.language
    path = translation.path
    mark = messages(language).not_translated()  # before English a draft still shows
    leaflet_unit = f"leaflet:{loaded.leaflet.id}"

    def where(unit: str, key: str | None = None) -> Location:
        return translation.where(unit, level, key)

    # blocks
    sections = []
    for placed_blocks in loaded.sections:
        new_placed = []
        for placed in placed_blocks:
            unit = f"block:{placed.block.id}"
            source = source_segments(loaded, catalog, unit, level)
            if source is None:  # not shown at this level: kept as it is
                new_placed.append(placed)
                continue
            entry = translation.entry(unit, level)
            shown = _wording_for(source, entry, mark)
            values: dict[KeyPath, Location] = {placed.key_path: where(unit)}  # block
            for key in shown:
                sub = _split(key)
                values[(*placed.key_path, *sub)] = where(unit, key)
                values[(*placed.key_path, *sub, ALL_LEVELS)] = where(unit, key)
            new_placed.append(
                replace(
                    placed,
                    block=_translated_block(placed, shown),
                    location=where(unit),
                    positions=Positions(path, values),
                )
            )
        sections.append(tuple(new_placed))
    # the leaflet's own text
    source = _leaflet_segments(loaded, catalog, level)
    shown = _wording_for(source, translation.entry(leaflet_unit, level), mark)
    leaflet = _translated_leaflet(loaded.leaflet, shown)
    values = {(): where(leaflet_unit)}
    project_values: dict[KeyPath, Location] = {(): where(leaflet_unit)}
    for key in shown:
        if key.startswith("project."):
            project_values[_split(key.removeprefix("project."))] = where(leaflet_unit, key)
            continue
        english_path = _english_path(loaded.leaflet, key)
        values[english_path] = where(leaflet_unit, key)
        values[(*english_path, ALL_LEVELS)] = where(leaflet_unit, key)
    project = catalog.project.model_copy(
        update={
            "publisher": shown["project.publisher"],
            "feedback": shown["project.feedback"],
            "other_formats": shown["project.other_formats"],
            "levels": {
                level_id: (
                    definition.model_copy(update={"label": shown[label_key(level_id)]})
                    if label_key(level_id) in shown
                    else definition
                )
                for level_id, definition in catalog.project.levels.items()
            },
        }
    )  # fmt: skip
    translated_catalog = replace(
        catalog, project=project, project_positions=Positions(path, project_values)
    )
    all_states = translation_states(catalog, loaded, translation)
    here = [state for state in all_states if state.level == level]
    translated = replace(
        loaded,
        leaflet=leaflet,
        path=path,
        language=language,
        sections=tuple(sections),
        section_locations=tuple(
            where(leaflet_unit, f"sections.{s.id}.heading") for s in leaflet.sections
        ),
        summary_location=where(leaflet_unit, "summary"),
        positions=Positions(path, values),
        translation=Translated(
            loaded,
            catalog,
            translation,
            level,
            tuple(all_states),
            translation_view(language, here),
        ),
    )
    return translated_catalog, translated


def label_key(level_id: str) -> str:
    return f"project.levels.{level_id}.label"


def _english_path(leaflet: Leaflet, key: str) -> KeyPath:
    parts = _split(key)
    if parts[0] == "sections":
        index = next(i for i, s in enumerate(leaflet.sections) if s.id == parts[1])
        return ("sections", index, *parts[2:])
    return parts


def _translated_leaflet(leaflet: Leaflet, shown: dict[str, Wording]) -> Leaflet:
    def text(key: str) -> dict[str, str]:
        value = shown[key]
        assert isinstance(value, str)
        return {ALL_LEVELS: value}

    sections = [
        section.model_copy(update={"heading": text(f"sections.{section.id}.heading")})
        for section in leaflet.sections
    ]
    glossary = []
    for index, entry in enumerate(leaflet.glossary):
        update: dict[str, Any] = {"term": shown[f"glossary.{index}.term"]}
        if f"glossary.{index}.forms" in shown:
            update["forms"] = list(shown[f"glossary.{index}.forms"])
        if f"glossary.{index}.meaning" in shown:
            update["meaning"] = text(f"glossary.{index}.meaning")
        glossary.append(entry.model_copy(update=update))
    about = leaflet.about
    if about is not None:
        about = about.model_copy(
            update={
                "authors": list(shown["about.authors"]),
                "funding": shown["about.funding"],
                "conflicts": shown["about.conflicts"],
                "update_policy": shown["about.update_policy"],
            }
        )
    return leaflet.model_copy(
        update={
            "title": text("title"),
            "summary": text("summary"),
            "sections": sections,
            "glossary": glossary,
            "about": about,
        }
    )


# --- cached per catalog --------------------------------------------------------------------


class Translations:
    """The translation files of a catalog, per language, loaded once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.loaded: dict[str, tuple[dict[str, LoadedTranslation], list[Problem]]] = {}
        self.localised: dict[tuple[str, str, str], tuple[Catalog, LoadedLeaflet]] = {}

    def of(self, language: str) -> tuple[dict[str, LoadedTranslation], list[Problem]]:
        if language not in self.loaded:
            self.loaded[language] = translations_for(self.catalog, language)
        return self.loaded[language]

    def localise(
        self, loaded: LoadedLeaflet, language: str, level: str
    ) -> tuple[Catalog, LoadedLeaflet]:
        key = (loaded.leaflet.id, language, level)
        if key not in self.localised:
            translation = self.of(language)[0][loaded.leaflet.id]
            self.localised[key] = localise(self.catalog, loaded, translation, level)
        return self.localised[key]


def translations(catalog: Catalog) -> Translations:
    """The catalog's translation files (loaded once, kept on the catalog)."""
    cached = catalog.translations
    if not isinstance(cached, Translations) or cached.catalog is not catalog:
        catalog.translations = Translations(catalog)
    assert isinstance(catalog.translations, Translations)
    return catalog.translations


def plan_languages(catalog: Catalog, wanted: tuple[str, ...] | None) -> list[str | None]:
    """The languages to build: None for the source language, then each translation's."""
    chosen = [check_language(language, catalog) for language in wanted or languages_of(catalog)]
    return list(dict.fromkeys(None if is_source_language(catalog, x) else x for x in chosen))


def check_language(language: str, catalog: Catalog) -> str:
    """A language the project builds, or a usage error naming the ones it does."""
    known = languages_of(catalog)
    if language in known or is_source_language(catalog, language):
        return language
    raise UsageError(
        Problem(
            Location(Path("leaflets.yaml")),
            f"the project does not build language {language!r}",
            did_you_mean(language, known, f"outputs: languages: {', '.join(known)}"),
        )
    )


def language_code(text: str) -> str:
    if not re.fullmatch(LANGUAGE_PATTERN, text):
        raise UsageError(f"{text!r} is not a language tag like es or pt-BR")
    return text


def check_translations(
    catalog: Catalog, languages: list[str], today: dt.date | None = None
) -> list[Problem]:
    """`leaflets check` for translations: each file's problems, then the one check
    pipeline (check.check_leaflet) on every translated leaflet at every level it is
    built at; a problem found at several levels is reported once."""
    from .check import check_leaflet

    found: dict[tuple[str, str], Problem] = {}
    cache = translations(catalog)
    for language in languages:
        files, problems = cache.of(language)
        for problem in problems:
            found.setdefault((str(problem.location), problem.message), problem)
        for loaded in catalog.leaflets:
            translation = files.get(loaded.leaflet.id)
            if translation is None:
                continue
            for level in translation.levels:
                leaflet_catalog, translated = cache.localise(loaded, language, level)
                for problem in check_leaflet(leaflet_catalog, translated, today=today):
                    found.setdefault((str(problem.location), problem.message), problem)
    return list(found.values())
