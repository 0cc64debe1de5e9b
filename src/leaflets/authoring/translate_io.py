"""The translation file written, and translation reviews recorded (issue 17).

`write_translation` writes `content/translations/LANG/LEAFLET.yaml` after reading it back
with the loader (nothing is written when anything is wrong); `approve` records a
translation review on every current, unreviewed unit chosen. The exchange with
translators in gettext PO files is `po_export.py` (out) and `po_import.py` (in), which
share the look-ups here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from ..content.load import Catalog, LoadedLeaflet
from ..errors import ContentError, Location, Problem, UsageError, did_you_mean
from ..output import write_atomic
from ..text.translate import translations
from ..text.translation_file import (
    TRANSLATIONS_DIR,
    LoadedTranslation,
    Method,
    TranslationFile,
    TranslationReview,
    Wording,
    translation_fingerprint,
    translation_path,
    unit_ids,
)
from ..text.translation_state import TranslationStatus, translation_states

__all__ = [
    "approve",
    "current_translation",
    "find_leaflet",
    "list_item",
    "translated_levels",
    "write_translation",
]

_HEADER = (
    "# A translation of one leaflet, bound to the English it came from (docs/translations.md).\n"
    "# Written by `leaflets translate import` and `translate approve`; translators work in\n"
    "# the PO file from `leaflets translate export`.\n"
)


def find_leaflet(catalog: Catalog, leaflet_id: str) -> LoadedLeaflet:
    """The leaflet with this id, or a usage error with "did you mean"."""
    for loaded in catalog.leaflets:
        if loaded.leaflet.id == leaflet_id:
            return loaded
    ids = [loaded.leaflet.id for loaded in catalog.leaflets]
    raise UsageError(f"no leaflet {leaflet_id!r}; {did_you_mean(leaflet_id, ids, '')}".strip())


def current_translation(
    catalog: Catalog, language: str, leaflet_id: str
) -> LoadedTranslation | None:
    """The leaflet's translation file in `language` (None: not started); its problems raised."""
    found, problems = translations(catalog).of(language)
    mine = [p for p in problems if Path(p.location.path).stem == leaflet_id]
    if mine:
        raise ContentError(mine)
    return found.get(leaflet_id)


def translated_levels(loaded: LoadedLeaflet, existing: LoadedTranslation | None) -> tuple[str, ...]:
    """The levels translated: the file's `levels:`, else every level of the leaflet."""
    return existing.levels if existing is not None else loaded.levels


def list_item(value: Wording | None, index: int | None) -> str | None:
    """One segment's text (index None) or one item of a list segment; None if absent."""
    if value is None:
        return None
    if index is None:
        return value if isinstance(value, str) else None
    if isinstance(value, list) and index < len(value):
        return value[index]
    return None


def write_translation(catalog: Catalog, loaded: LoadedLeaflet, file: TranslationFile) -> Path:
    """Write the translation file (validated by reading it back before it replaces the old)."""
    from ..text.translation_file import load_translation

    data: dict[str, Any] = {"leaflet": file.leaflet, "language": file.language}
    if file.levels:
        data["levels"] = list(file.levels)
    data["units"] = {
        unit: {
            level: {
                key: value
                for key, value in entry.model_dump(mode="json").items()
                if key != "reviews" or value
            }
            for level, entry in per_level.items()
        }
        for unit, per_level in file.units.items()
    }
    text = _HEADER + yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    path = translation_path(catalog.root, file.language, file.leaflet)
    probe = path.with_name(f".{path.name}.check")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        probe.write_text(text, encoding="utf-8")
        load_translation(catalog, loaded, probe, file.language)  # never write what fails
    except ContentError as exc:
        raise ContentError(
            [Problem(Location(path), f"not written: {p.message}", p.hint) for p in exc.problems]
        ) from None
    finally:
        probe.unlink(missing_ok=True)
    write_atomic(path, text.encode("utf-8"))
    catalog.translations = None  # read again when next asked
    return path


class _Dumper(yaml.SafeDumper):
    """Paragraphs as literal blocks (`|-`), so the file reads like the content files."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


# --- approve -------------------------------------------------------------------------------


def approve(
    catalog: Catalog,
    language: str,
    leaflet_id: str,
    *,
    translator: str,
    reviewer: str,
    role: str,
    method: list[Method],
    date: dt.date,
    units: list[str] | None = None,
    levels: list[str] | None = None,
    certified: bool = False,
    clinical: bool = False,
) -> list[tuple[str, str]]:
    """Record a review on every current, unreviewed unit chosen; returns (unit, level)s.
    Missing and stale units cannot be approved: they must be translated first."""
    loaded = find_leaflet(catalog, leaflet_id)
    existing = current_translation(catalog, language, leaflet_id)
    if existing is None:
        raise UsageError(
            f"no translation of {leaflet_id!r} into {language!r}: "
            f"{TRANSLATIONS_DIR}/{language}/{leaflet_id}.yaml"
        )
    known = unit_ids(loaded)
    for unit in units or []:
        if unit not in known:
            raise UsageError(f"no unit {unit!r}; {did_you_mean(unit, known, '')}".strip())
    file = existing.file
    done = []
    new_units = {unit: dict(per_level) for unit, per_level in file.units.items()}
    for state in translation_states(catalog, loaded, existing):
        if state.status is not TranslationStatus.UNREVIEWED:
            continue
        if (units and state.unit not in units) or (levels and state.level not in levels):
            continue
        entry = new_units[state.unit][state.level]
        review = TranslationReview(
            translator=translator,
            reviewer=reviewer,
            role=role,
            date=date,
            method=method,
            certified=certified,
            clinical=clinical,
            fingerprint=translation_fingerprint(language, state.unit, state.level, entry),
        )
        new_units[state.unit][state.level] = entry.model_copy(
            update={"reviews": [*entry.reviews, review]}
        )
        done.append((state.unit, state.level))
    if done:
        write_translation(catalog, loaded, file.model_copy(update={"units": new_units}))
    return done
