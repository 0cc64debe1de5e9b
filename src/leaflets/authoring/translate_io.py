"""Exchange with translators (issue 17): gettext PO out and in, review records, the file.

`export_po` writes one PO file per leaflet and language that translation tools open
(Poedit, Weblate, Lokalize, OmegaT): one entry per segment of every review unit at every
level (`msgctxt` = `UNIT|LEVEL|KEY`, a list item `UNIT|LEVEL|KEY#N`), the English as
`msgid`, the current translation as `msgstr`; a unit whose English changed since it was
translated is `fuzzy` with the English it was made from as the previous `msgid`
(`#| msgid`); the notes for translators (`#.`) give the level's sentence-length target,
the glossary terms (with their translations so far) and the numbers to keep.

`import_po` reads it back with full validation (every problem located at the PO file's
line) and writes the translation file; nothing is written when anything is wrong. Fuzzy
and empty entries are not imported (gettext's own rule): the unit stays stale or missing.

`approve` records a translation review on every current, unreviewed unit chosen.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..content.load import Catalog, LoadedLeaflet
from ..errors import ContentError, Location, Problem, Severity, UsageError, did_you_mean
from ..output import write_atomic
from ..text.grading import targets_for
from ..text.normalise import invisible
from ..text.translate import translations
from ..text.translation_file import (
    TRANSLATIONS_DIR,
    LoadedTranslation,
    Method,
    TranslationFile,
    TranslationReview,
    UnitTranslation,
    Wording,
    source_fingerprint,
    source_segments,
    translation_fingerprint,
    translation_path,
    unit_ids,
)
from ..text.translation_state import TranslationStatus, number_mismatch, translation_states

__all__ = ["approve", "export_po", "import_po", "write_translation"]

_HEADER = (
    "# A translation of one leaflet, bound to the English it came from (docs/translations.md).\n"
    "# Written by `leaflets translate import` and `translate approve`; translators work in\n"
    "# the PO file from `leaflets translate export`.\n"
)
_CONTEXT = re.compile(r"^(?P<unit>[^|]+)\|(?P<level>[^|]+)\|(?P<key>[^|#]+)(?:#(?P<item>\d+))?$")


def _leaflet(catalog: Catalog, leaflet_id: str) -> LoadedLeaflet:
    for loaded in catalog.leaflets:
        if loaded.leaflet.id == leaflet_id:
            return loaded
    ids = [loaded.leaflet.id for loaded in catalog.leaflets]
    raise UsageError(f"no leaflet {leaflet_id!r}; {did_you_mean(leaflet_id, ids, '')}".strip())


def _existing(catalog: Catalog, language: str, leaflet_id: str) -> LoadedTranslation | None:
    found, problems = translations(catalog).of(language)
    mine = [p for p in problems if Path(p.location.path).stem == leaflet_id]
    if mine:
        raise ContentError(mine)
    return found.get(leaflet_id)


def _levels(loaded: LoadedLeaflet, existing: LoadedTranslation | None) -> tuple[str, ...]:
    return existing.levels if existing is not None else loaded.levels


# --- export --------------------------------------------------------------------------------


def export_po(catalog: Catalog, language: str, leaflet_id: str, target: Path) -> int:
    """Write the PO file of one leaflet in `language`; returns the number of entries."""
    import polib

    loaded = _leaflet(catalog, leaflet_id)
    existing = _existing(catalog, language, leaflet_id)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"{leaflet_id} {loaded.leaflet.version}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Leaflet": leaflet_id,
        "X-Source-Language": catalog.project.language,
    }
    glossary = _glossary_note(loaded, existing)
    for level in _levels(loaded, existing):
        target_words = targets_for(catalog, level).sentence_words_max
        level_note = f"Level {level} ({catalog.project.levels[level].label})"
        if target_words:
            level_note += f": sentences of at most {target_words} words"
        for unit in unit_ids(loaded):
            source = source_segments(loaded, catalog, unit, level)
            if source is None:
                continue
            entry = existing.entry(unit, level) if existing else None
            stale = entry is not None and entry.source != source_fingerprint(source)
            for key, english in source.items():
                for index, text in _items(english):
                    context = f"{unit}|{level}|{key}" + (f"#{index}" if index is not None else "")
                    translated = _item(entry.text.get(key), index) if entry else None
                    before = _item(entry.english.get(key), index) if entry else None
                    numbers = ", ".join(_numbers_of(text))
                    notes = [level_note]
                    if glossary:
                        notes.append(glossary)
                    if numbers:
                        notes.append(f"Keep these numbers exactly: {numbers}")
                    po_entry = polib.POEntry(
                        msgctxt=context,
                        msgid=text,
                        msgstr=translated or "",
                        comment="\n".join(notes),
                    )
                    if stale and translated and before != text:
                        po_entry.flags.append("fuzzy")
                        if before:
                            po_entry.previous_msgid = before
                    po.append(po_entry)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, po.__unicode__().encode("utf-8"))
    return len(po)


def _items(value: Wording) -> list[tuple[int | None, str]]:
    if isinstance(value, list):
        return list(enumerate(value))
    return [(None, value)]


def _item(value: Wording | None, index: int | None) -> str | None:
    if value is None:
        return None
    if index is None:
        return value if isinstance(value, str) else None
    if isinstance(value, list) and index < len(value):
        return value[index]
    return None


def _numbers_of(text: str) -> list[str]:
    from ..text.numbers import numbers_in

    return numbers_in(text)


def _glossary_note(loaded: LoadedLeaflet, existing: LoadedTranslation | None) -> str:
    terms = []
    unit = f"leaflet:{loaded.leaflet.id}"
    for index, entry in enumerate(loaded.leaflet.glossary):
        done = None
        if existing is not None:
            for level in existing.levels:
                found = existing.entry(unit, level)
                if found is not None and isinstance(found.text.get(f"glossary.{index}.term"), str):
                    done = found.text[f"glossary.{index}.term"]
                    break
        terms.append(f"{entry.term} = {done}" if done else entry.term)
    return f"Glossary terms: {'; '.join(terms)}" if terms else ""


# --- import --------------------------------------------------------------------------------


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
    from ..text.translate import check_language

    check_language(language, catalog)
    loaded = _leaflet(catalog, leaflet_id)
    existing = _existing(catalog, language, leaflet_id)
    levels = _levels(loaded, existing)
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
        english = _item(source[key], index)
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
        for level in _levels(loaded, existing):
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
    loaded = _leaflet(catalog, leaflet_id)
    existing = _existing(catalog, language, leaflet_id)
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
