"""`LoadedLeaflet` x level in, `LevelContext` out: the words one reader will see.

Pure functions: choose each text for the level (or its `all:` text), drop blocks not shown
at the level, split paragraphs, number the cited sources. No layout decisions here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.load import Catalog, LoadedClinic, LoadedLeaflet, PlacedBlock
from ..content.model import (
    Level,
    Source,
    paragraphs,
    pick,
)
from ..errors import Location
from ..review.state import ReviewSummary, leaflet_reviews, summarise
from .generated import (
    FrequencyView,
    GridView,
    OptionView,
    certainty_phrase,
    frequency_view,
    grid_view,
    option_names,
    option_view,
    shown_at,
    words_at,
)
from .i18n import Messages, messages
from .inline import plain_text
from .localise import TranslationView


@dataclass(frozen=True)
class ImageView:
    src: str
    """A `file:` URL inside the content folder (the fetcher checks it again)."""
    alt: str
    where: Location | None = None
    """Where the image path is written in the YAML."""


@dataclass(frozen=True)
class BlockView:
    id: str
    kind: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...]
    image: ImageView | None
    sources: tuple[int, ...]
    """Reference numbers (1-based, in order of first citation)."""
    frequencies: FrequencyView | None = None
    certainty: str | None = None
    """The certainty phrase for this level (RK12), e.g. 'We are fairly sure about this.'"""
    intro: str | None = None
    """Lead-in line printed inside a list or warning box."""
    explains: tuple[tuple[str, str], ...] = ()
    """At easy-read levels: (term, meaning) of glossary words first used in this block,
    explained where they are used (ER5; issue 15)."""
    option: OptionView | None = None
    grid: GridView | None = None


@dataclass(frozen=True)
class SectionView:
    id: str
    kind: str
    heading: str
    blocks: tuple[BlockView, ...]
    routes: tuple[RouteView, ...] = ()
    """For urgent-help sections of a clinic's copy: the clinic's own routes, printed first."""


@dataclass(frozen=True)
class RouteView:
    name: str
    phone: str
    when: str | None


@dataclass(frozen=True)
class AboutView:
    """Who made the leaflet (IPDAS; SE6): printed in 'About this leaflet'."""

    authors: tuple[str, ...]
    funding: str
    conflicts: str
    update_policy: str


@dataclass(frozen=True)
class SourceView:
    number: int
    id: str
    source: Source


@dataclass(frozen=True)
class LevelContext:
    """Everything a template needs to lay out one leaflet at one reading level."""

    leaflet_id: str
    level_id: str
    level: Level
    language: str
    title: str
    summary: tuple[str, ...]
    version: str
    evidence_checked: dt.date
    next_review: dt.date
    publisher: str
    feedback: str
    other_formats: str
    paper: str
    sections: tuple[SectionView, ...]
    sources: tuple[SourceView, ...]
    other_levels: tuple[str, ...]
    """Labels of the other levels this leaflet comes in."""
    review: ReviewSummary
    """Reviewed on, next review, clinical sign-off, and blocks still pending (draft)."""
    glossary: tuple[tuple[str, str], ...] = ()
    """(term, meaning) for the glossary words that appear in this level's text."""
    large_print: bool = False
    """The large-print variant: 18 pt and up (LP2); the templates size it."""
    medium: str = "pdf"
    """'pdf' for print, 'html' for the self-contained HTML twin."""
    clinic: ClinicView | None = None
    """The clinic this copy is branded for."""
    kind: str = "treatment"
    """decision, treatment or information."""
    about: AboutView | None = None
    translation: TranslationView | None = None
    """A translated leaflet: its language, whether every unit is translated, current and
    reviewed (draft notice otherwise), and who checked it (translate.py, issue 17)."""


@dataclass(frozen=True)
class ClinicView:
    id: str
    name: str
    logo: ImageView | None
    address: tuple[str, ...]
    phone: str
    opening_hours: str | None
    web: str | None
    leaflet_url: str | None
    """The clinic's online copy of this leaflet at this level (printed beside a QR code)."""
    urgent_help: tuple[RouteView, ...] = ()


def clinic_view(loaded_clinic: LoadedClinic, leaflet_id: str, level: str) -> ClinicView:
    clinic = loaded_clinic.clinic
    logo = None
    if clinic.logo is not None:
        logo = ImageView(
            (loaded_clinic.folder / clinic.logo.path).resolve().as_uri(), clinic.logo.alt
        )
    url = None
    if clinic.leaflet_url is not None:
        url = clinic.leaflet_url.replace("{leaflet}", leaflet_id).replace("{level}", level)
    return ClinicView(
        id=clinic.id,
        name=clinic.name,
        logo=logo,
        address=tuple(clinic.address),
        phone=clinic.phone,
        opening_hours=clinic.opening_hours,
        web=clinic.web,
        leaflet_url=url,
        urgent_help=tuple(RouteView(r.name, r.phone, r.when) for r in clinic.urgent_help),
    )


def context_for(
    loaded: LoadedLeaflet,
    level_id: str,
    catalog: Catalog,
    paper: str | None = None,
    review: ReviewSummary | None = None,
    *,
    large_print: bool = False,
    medium: str = "pdf",
    clinic: LoadedClinic | None = None,
) -> LevelContext:
    """Build the render context of one leaflet at one level (and variant)."""
    leaflet = loaded.leaflet
    project = catalog.project
    words = messages(loaded.language)
    numbers: dict[str, int] = {}
    sections = []
    names = option_names(loaded, level_id)
    frequencies = {
        p.block.id: p.block.frequencies
        for placed_blocks in loaded.sections
        for p in placed_blocks
        if p.block.frequencies is not None
    }
    clinic_routes = clinic_view(clinic, leaflet.id, level_id).urgent_help if clinic else ()
    for section, placed_blocks in zip(leaflet.sections, loaded.sections, strict=True):
        blocks = []
        for placed in placed_blocks:
            block = placed.block
            if not shown_at(block, level_id):
                continue
            for source_id in block.sources:
                numbers.setdefault(source_id, len(numbers) + 1)
            view = _block_view(placed, level_id, catalog, numbers, words)
            if block.grid is not None:
                grid = grid_view(block, level_id, names, frequencies, words)
                view = replace(view, grid=grid)
            blocks.append(view)
        sections.append(
            SectionView(
                section.id,
                section.kind,
                pick(section.heading, level_id),
                tuple(blocks),
                clinic_routes if section.kind == "urgent_help" else (),
            )
        )
    if project.levels[level_id].easy_read:
        sections = _explain_where_used(loaded, level_id, sections)
    about = None
    if leaflet.about is not None:
        about = AboutView(
            tuple(leaflet.about.authors),
            leaflet.about.funding,
            leaflet.about.conflicts,
            leaflet.about.update_policy,
        )
    return LevelContext(
        leaflet_id=leaflet.id,
        level_id=level_id,
        level=project.levels[level_id],
        language=loaded.language,
        title=pick(leaflet.title, level_id),
        summary=paragraphs(pick(leaflet.summary, level_id)),
        version=leaflet.version,
        evidence_checked=leaflet.evidence_checked,
        next_review=leaflet.next_review,
        publisher=project.publisher,
        feedback=project.feedback,
        other_formats=project.other_formats,
        paper=paper or project.paper,
        sections=tuple(sections),
        sources=tuple(
            SourceView(number, source_id, (loaded.sources or catalog.sources)[source_id])
            for source_id, number in numbers.items()
        ),
        other_levels=tuple(
            project.levels[other].label for other in loaded.levels if other != level_id
        ),
        review=review or summarise(leaflet_reviews(loaded, dt.date.today(), catalog), level_id),
        glossary=_glossary(loaded, level_id, sections),
        large_print=large_print,
        medium=medium,
        clinic=clinic_view(clinic, leaflet.id, level_id) if clinic else None,
        kind=leaflet.kind,
        about=about,
        translation=loaded.translation.view if loaded.translation is not None else None,
    )


def _explain_where_used(
    loaded: LoadedLeaflet, level: str, sections: list[SectionView]
) -> list[SectionView]:
    """Put each glossary word's meaning in the first block that uses it (Easy Read, ER5)."""
    done: set[str] = set()
    result = []
    for section in sections:
        blocks = []
        for block in section.blocks:
            text = " ".join((*block.paragraphs, *block.items, block.intro or ""))
            found = []
            for entry in loaded.leaflet.glossary:
                if entry.term in done:
                    continue
                forms = (plain_text(entry.term), *entry.forms)  # a term may be marked {lang=}
                if any(re.search(rf"\b{re.escape(f)}\b", text, re.IGNORECASE) for f in forms):
                    done.add(entry.term)
                    found.append((entry.term, " ".join(pick(entry.meaning, level).split())))
            blocks.append(replace(block, explains=tuple(found)) if found else block)
        result.append(replace(section, blocks=tuple(blocks)))
    return result


def _glossary(
    loaded: LoadedLeaflet, level: str, sections: list[SectionView]
) -> tuple[tuple[str, str], ...]:
    """Glossary entries whose term (or a form of it) the reader meets at this level."""
    text = " ".join(
        part
        for section in sections
        for block in section.blocks
        for part in (*block.paragraphs, *block.items)
    )
    found = []
    for entry in loaded.leaflet.glossary:
        forms = (plain_text(entry.term), *entry.forms)
        if any(re.search(rf"\b{re.escape(form)}\b", text, re.IGNORECASE) for form in forms):
            found.append((entry.term, " ".join(pick(entry.meaning, level).split())))
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _file_uri(folder: Path, relative: str) -> str:
    """The `file:` URL of a picture; resolving paths was half of planning a large library
    (issue 18). `build` clears this at the start of every plan, so a moved link is seen."""
    return (folder / relative).resolve().as_uri()


def _block_view(
    placed: PlacedBlock, level: str, catalog: Catalog, numbers: dict[str, int], words: Messages
) -> BlockView:
    block = placed.block
    image = None
    if block.image is not None:
        uri = _file_uri(catalog.content_dir, block.image.path)
        image = ImageView(uri, block.image.alt or "", placed.image_location)
    items: tuple[str, ...] = ()
    if block.items is not None:
        items = tuple(" ".join(item.split()) for item in pick(block.items, level))
    return BlockView(
        id=block.id,
        kind=block.kind,
        paragraphs=paragraphs(pick(block.text, level)) if block.text is not None else (),
        items=items,
        image=image,
        sources=tuple(numbers[source_id] for source_id in block.sources),
        frequencies=(
            frequency_view(block.frequencies, level, words) if block.frequencies else None
        ),
        certainty=certainty_phrase(block, level, catalog, words),
        intro=words_at(block.intro, level) if block.intro else None,
        option=option_view(block, level) if block.option else None,
    )
