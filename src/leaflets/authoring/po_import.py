"""A translator's PO file in, validated, the translation file out (issue 17).

`import_po` reads it back with full validation (every problem located at the PO file's
line) and writes the translation file; nothing is written when anything is wrong. Fuzzy
and empty entries are not imported (gettext's own rule): the unit stays stale or missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..content.load import Catalog, LoadedLeaflet
from ..errors import ContentError, Location, Problem, Severity, did_you_mean
from ..text.normalise import invisible
from ..text.translate import check_language
from ..text.translation_file import (
    LoadedTranslation,
    TranslationFile,
    UnitTranslation,
    Wording,
    source_fingerprint,
    source_segments,
    unit_ids,
)
from ..text.translation_state import number_mismatch
from .translate_io import (
    current_translation,
    find_leaflet,
    list_item,
    translated_levels,
    write_translation,
)

__all__ = ["ImportResult", "import_po"]

_CONTEXT = re.compile(r"^(?P<unit>[^|]+)\|(?P<level>[^|]+)\|(?P<key>[^|#]+)(?:#(?P<item>\d+))?$")


@dataclass
class ImportResult:
    path: Path
    """The translation file written."""
    imported: int
    skipped_fuzzy: int
    skipped_empty: int
    warnings: list[Problem]


def import_po(catalog: Catalog, po_path: Path) -> ImportResult:
    """Validate a PO file and write its translations into the translation file."""
    import polib

    shown = Path(po_path)
    try:
        po = polib.pofile(str(po_path), encoding="utf-8", check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        where = Location(shown, int(match.group(1)) if match else 0)
        raise ContentError(Problem(where, f"not a valid PO file: {exc}")) from None
    language = po.metadata.get("Language", "").strip()
    leaflet_id = po.metadata.get("X-Leaflet", "").strip()
    if not language or not leaflet_id:
        raise ContentError(
            Problem(
                Location(shown, 1),
                "the PO header needs 'Language' and 'X-Leaflet'",
                "import a file written by `leaflets translate export`",
            )
        )
    check_language(language, catalog)
    loaded = find_leaflet(catalog, leaflet_id)
    existing = current_translation(catalog, language, leaflet_id)
    levels = translated_levels(loaded, existing)
    known_units = unit_ids(loaded)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    got: dict[tuple[str, str], dict[str, dict[int | None, str]]] = {}
    fuzzy = empty = 0
    seen: set[str] = set()
    for po_entry in po:
        if po_entry.obsolete:
            continue
        where = Location(shown, po_entry.linenum)
        context = po_entry.msgctxt or ""
        match = _CONTEXT.match(context)
        if match is None:
            problems.append(
                Problem(where, f"msgctxt {context!r} is not UNIT|LEVEL|KEY", "export again")
            )
            continue
        if context in seen:
            problems.append(Problem(where, f"msgctxt {context!r} appears twice"))
            continue
        seen.add(context)
        unit, level, key = match.group("unit"), match.group("level"), match.group("key")
        index = int(match.group("item")) if match.group("item") is not None else None
        if unit not in known_units:
            problems.append(
                Problem(
                    where,
                    f"no review unit {unit!r} in leaflet {leaflet_id!r}",
                    did_you_mean(unit, known_units, "export again"),
                )
            )
            continue
        if level not in levels:
            problems.append(
                Problem(
                    where,
                    f"level {level!r} is not built in {language}",
                    did_you_mean(level, levels, f"levels: {', '.join(levels)}"),
                )
            )
            continue
        source = source_segments(loaded, catalog, unit, level)
        if source is None or key not in source:
            problems.append(
                Problem(
                    where,
                    f"{unit} ({level}) has no segment {key!r}",
                    did_you_mean(key, source or {}, "export again"),
                )
            )
            continue
        english = list_item(source[key], index)
        if english is None:
            problems.append(Problem(where, f"{unit} ({level}) {key} has no item {index}"))
            continue
        if po_entry.msgid != english:
            problems.append(
                Problem(
                    where,
                    f"{unit} ({level}) {key}: the English (msgid) is not the current source",
                    "the leaflet changed since this file was exported: export again (your "
                    "translations are kept) and translate the fuzzy entries",
                )
            )
            continue
        if "fuzzy" in po_entry.flags:
            fuzzy += 1
            warnings.append(
                Problem(
                    where,
                    f"{unit} ({level}) {key}: fuzzy, not imported",
                    "check the translation against the new English, then remove the fuzzy flag",
                    Severity.WARNING,
                )
            )
            continue
        text = " ".join(po_entry.msgstr.split("\n\n")[0].split()) if index is not None else (
            "\n\n".join(" ".join(p.split()) for p in po_entry.msgstr.split("\n\n") if p.strip())
        )  # fmt: skip
        if not text:
            empty += 1
            continue
        for _offset, name in invisible(po_entry.msgstr):
            problems.append(Problem(where, f"invisible character {name} in the translation"))
        why = number_mismatch(english, text, language)
        if why is not None:
            problems.append(
                Problem(
                    where,
                    f"{unit} ({level}) {key}: the numbers differ from the source: {why} "
                    "[translation-numbers]",
                    "every count, denominator, duration, dose and phone number must be the "
                    "same as in the source",
                )
            )
            continue
        got.setdefault((unit, level), {}).setdefault(key, {})[index] = text
    if problems:
        raise ContentError(problems)
    imported = sum(len(items) for keys in got.values() for items in keys.values())
    file = _merged(catalog, loaded, language, existing, got, problems)
    if problems:
        raise ContentError(problems)
    path = write_translation(catalog, loaded, file)
    return ImportResult(path, imported, fuzzy, empty, warnings)


def _merged(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    language: str,
    existing: LoadedTranslation | None,
    got: dict[tuple[str, str], dict[str, dict[int | None, str]]],
    problems: list[Problem],
) -> TranslationFile:
    """The translation file after the import: imported segments, plus earlier ones whose
    English has not changed; every written unit records the current English."""
    units: dict[str, dict[str, UnitTranslation]] = {}
    for unit in unit_ids(loaded):
        for level in translated_levels(loaded, existing):
            source = source_segments(loaded, catalog, unit, level)
            if source is None:
                continue
            old = existing.entry(unit, level) if existing else None
            new = got.get((unit, level), {})
            text: dict[str, Wording] = {}
            for key, english in source.items():
                kept = _kept(old, key, english)
                if key in new and isinstance(english, list):
                    earlier = kept if isinstance(kept, list) else [None] * len(english)
                    items = [new[key].get(i) or earlier[i] for i in range(len(english))]
                    if all(items):  # a list is translated whole, or not at all
                        text[key] = [item for item in items if item]
                elif key in new:
                    text[key] = new[key][None]
                elif kept is not None:
                    text[key] = kept
            if not text:
                continue
            reviews = list(old.reviews) if old else []
            units.setdefault(unit, {})[level] = UnitTranslation(
                source=source_fingerprint(source),
                english=source,
                text=text,
                reviews=reviews,
            )
    levels = existing.file.levels if existing else None
    return TranslationFile(leaflet=loaded.leaflet.id, language=language, levels=levels, units=units)


def _kept(old: UnitTranslation | None, key: str, english: Wording) -> Wording | None:
    """An earlier translation of a segment whose English is unchanged since."""
    if old is None or key not in old.text or old.english.get(key) != english:
        return None
    return old.text[key]
