"""A leaflet's translation units in, a gettext PO file for translators out (issue 17).

`export_po` writes one PO file per leaflet and language that translation tools open
(Poedit, Weblate, Lokalize, OmegaT): one entry per segment of every review unit at every
level (`msgctxt` = `UNIT|LEVEL|KEY`, a list item `UNIT|LEVEL|KEY#N`), the English as
`msgid`, the current translation as `msgstr`; a unit whose English changed since it was
translated is `fuzzy` with the English it was made from as the previous `msgid`
(`#| msgid`); the notes for translators (`#.`) give the level's sentence-length target,
the glossary terms (with their translations so far) and the numbers to keep.
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import Catalog, LoadedLeaflet
from ..output import write_atomic
from ..text.grading import targets_for
from ..text.numbers import numbers_in
from ..text.translation_file import (
    LoadedTranslation,
    Wording,
    source_fingerprint,
    source_segments,
    unit_ids,
)
from .translate_io import current_translation, find_leaflet, list_item, translated_levels

__all__ = ["export_po"]


def export_po(catalog: Catalog, language: str, leaflet_id: str, target: Path) -> int:
    """Write the PO file of one leaflet in `language`; returns the number of entries."""
    import polib

    loaded = find_leaflet(catalog, leaflet_id)
    existing = current_translation(catalog, language, leaflet_id)
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
    for level in translated_levels(loaded, existing):
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
                    translated = list_item(entry.text.get(key), index) if entry else None
                    before = list_item(entry.english.get(key), index) if entry else None
                    numbers = ", ".join(numbers_in(text))
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
