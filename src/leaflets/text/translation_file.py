"""A translation file: its model, the source wording it is bound to, and loading it.

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
`project.feedback`...): `source_segments` lists them. Whether a unit's translation is
current and reviewed is `translation_state.py`'s question.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from ..content.load import CONTENT_DIR, Catalog, LoadedLeaflet, PlacedBlock, _validate
from ..content.model import ALL_LEVELS, Block, Identifier, Strict, paragraphs, pick
from ..content.source import KeyPath, Positions, read_yaml
from ..errors import ContentError, Location, Problem, did_you_mean
from ..review.state import leaflet_units

__all__ = [
    "LANGUAGE_PATTERN",
    "TRANSLATIONS_DIR",
    "LoadedTranslation",
    "Method",
    "TranslationFile",
    "TranslationReview",
    "UnitTranslation",
    "Wording",
    "digest",
    "leaflet_segments",
    "load_translation",
    "source_fingerprint",
    "source_segments",
    "translation_fingerprint",
    "translation_path",
    "translations_for",
    "unit_ids",
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


def leaflet_segments(loaded: LoadedLeaflet, catalog: Catalog, level: str) -> dict[str, Wording]:
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
        return leaflet_segments(loaded, catalog, level)
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
