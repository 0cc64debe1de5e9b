"""What a review covers: a unit's wording in, its sha256 fingerprint out.

A review records the fingerprint of the exact wording it covered. Editing one character
makes the fingerprint differ, so the review is stale at once (`state.review_state`);
nobody has to remember to reset it. Layout whitespace is not wording: re-wrapping a line
keeps the fingerprint. `make mutation` mutates every function here (docs/testing.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.load import Catalog, LoadedLeaflet
from ..content.model import ALL_LEVELS, DEFAULT_CERTAINTY_PHRASES, Block, paragraphs, pick

if TYPE_CHECKING:
    from .state import Unit

__all__ = [
    "fingerprint",
    "leaflet_fingerprint",
    "leaflet_wording",
    "unit_fingerprint",
    "wording_at",
]


def _normal(value: Any) -> Any:
    """Wording with layout whitespace removed, so re-wrapping a line is not a change."""
    if isinstance(value, str):
        return "\n\n".join(paragraphs(value))
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def _per_level(texts: dict[str, Any], level: str | None) -> Any:
    if level is None:
        return {key: _normal(text) for key, text in sorted(texts.items())}
    if level in texts or ALL_LEVELS in texts:
        return _normal(pick(texts, level))
    return None


def wording_at(block: Block, level: str | None) -> dict[str, Any]:
    """Everything a reader sees of `block` (at `level`, or as written for all levels)."""
    words: dict[str, Any] = {}
    for key_path, texts in block.wording():
        name = ".".join(str(part) for part in key_path)
        value = _per_level(texts, level)
        if value is not None:
            words[name] = value
    if block.frequencies is not None:
        words["numbers"] = [block.frequencies.out_of, [g.count for g in block.frequencies.groups]]
    if block.certainty is not None:
        words["certainty"] = block.certainty.rating
    words["kind"] = block.kind
    # Bound to its id and where it is shown: a copied record or a hidden block is stale.
    words["id"] = block.id
    words["levels"] = block.levels
    # What backs the words and what a screen reader says are part of what was checked.
    words["sources"] = list(block.sources)
    if block.image is not None:
        words["image"] = [block.image.path, block.image.alt]
    return words


def _digest(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _image_bytes(block: Block, content_dir: Path | None) -> str:
    if block.image is None or content_dir is None:
        return ""
    try:
        return hashlib.sha256((content_dir / block.image.path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def fingerprint(
    block: Block, levels: list[str] | None = None, content_dir: Path | None = None
) -> str:
    """sha256 of the block's wording at `levels` (all of it when None), its id, where it
    is shown, and the bytes of its picture (read from `content_dir`)."""
    if levels is None:
        data: Any = wording_at(block, None)
    else:
        data = {level: wording_at(block, level) for level in sorted(levels)}
    return _digest({"block": data, "picture": _image_bytes(block, content_dir)})


def leaflet_wording(loaded: LoadedLeaflet, catalog: Catalog, level: str | None) -> dict[str, Any]:
    """What a leaflet unit covers: its own text, its structure, the sources it cites and
    the project's reader text (publisher, feedback, other formats, certainty phrases)."""
    leaflet, project = loaded.leaflet, catalog.project
    cited = sorted({s for section in loaded.sections for p in section for s in p.block.sources})
    return {
        "id": leaflet.id,
        "version": leaflet.version,
        "dates": [str(leaflet.evidence_checked), str(leaflet.next_review)],
        "levels": list(loaded.levels),
        "title": _per_level(leaflet.title, level),
        "summary": _per_level(leaflet.summary, level),
        "glossary": [
            [entry.term, entry.forms, _per_level(entry.meaning, level)]
            for entry in leaflet.glossary
        ],
        "sections": [
            {
                "id": section.id,
                "kind": section.kind,
                "heading": _per_level(section.heading, level),
                "blocks": [[p.block.id, p.block.levels] for p in placed],
            }
            for section, placed in zip(leaflet.sections, loaded.sections, strict=True)
        ],
        "sources": {
            key: catalog.sources[key].model_dump(mode="json")
            for key in cited
            if key in catalog.sources
        },
        "project": {
            "publisher": project.publisher,
            "feedback": " ".join(project.feedback.split()),
            "other_formats": " ".join(project.other_formats.split()),
            "labels": {key: value.label for key, value in project.levels.items()},
            "certainty_styles": {
                key: value.certainty_style for key, value in project.levels.items()
            },
            "certainty_phrases": {
                style: {
                    rating: project.certainty_phrases.get(style, {}).get(rating) or phrase
                    for rating, phrase in phrases.items()
                }
                for style, phrases in DEFAULT_CERTAINTY_PHRASES.items()
            },
        },
    }


def leaflet_fingerprint(
    loaded: LoadedLeaflet, catalog: Catalog, levels: list[str] | None = None
) -> str:
    """sha256 of the leaflet unit (all levels when None)."""
    if levels is None:
        return _digest(leaflet_wording(loaded, catalog, None))
    return _digest({level: leaflet_wording(loaded, catalog, level) for level in sorted(levels)})


def unit_fingerprint(
    unit: Unit, catalog: Catalog, loaded: LoadedLeaflet | None, levels: list[str] | None
) -> str:
    if unit.placed is not None:
        return fingerprint(unit.placed.block, levels, catalog.content_dir)
    assert loaded is not None
    return leaflet_fingerprint(loaded, catalog, levels)
