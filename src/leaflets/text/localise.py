"""The translated leaflet: the English `LoadedLeaflet` and its translation in, the same
model classes with the translated wording out, located in the translation file (issue 17).

`localise` makes the translated `LoadedLeaflet` (and a catalog carrying the translated
project text) for one level. Everything downstream (levels.context_for, reader_text, the
checks, grading, rendering) runs on it unchanged, so the reader's text of a translated
variant IS the translated text. In a draft, a missing unit shows its English wording,
each string marked "[Not translated yet]" in the translation's language (i18n.py; and the
page says the translation is incomplete).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from ..content.load import Catalog, LoadedLeaflet, PlacedBlock
from ..content.model import ALL_LEVELS, Block, Leaflet
from ..content.source import KeyPath, Positions
from ..errors import Location
from .i18n import messages
from .translation_file import (
    LoadedTranslation,
    UnitTranslation,
    Wording,
    leaflet_segments,
    source_segments,
)
from .translation_state import TranslationState, TranslationStatus, translation_states

__all__ = ["Translated", "TranslationView", "localise", "translation_view"]


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
    source = leaflet_segments(loaded, catalog, level)
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
