"""`LoadedLeaflet` x level in, `LevelContext` out: the words one reader will see.

Pure functions: choose each text for the level (or its `all:` text), drop blocks not shown
at the level, split paragraphs, number the cited sources. No layout decisions here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import Location
from .load import Catalog, LoadedClinic, LoadedLeaflet, PlacedBlock
from .model import (
    DEFAULT_CERTAINTY_PHRASES,
    Block,
    Frequencies,
    Level,
    Source,
    paragraphs,
    pick,
)
from .review import ReviewSummary, leaflet_reviews, summarise


@dataclass(frozen=True)
class ImageView:
    src: str
    """A `file:` URL inside the content folder (the fetcher checks it again)."""
    alt: str
    where: Location | None = None
    """Where the image path is written in the YAML."""


@dataclass(frozen=True)
class GroupView:
    label: str
    count: int
    rest: int
    """How many did not have the outcome (the other frame, RK8)."""
    sentence: str = ""
    """The list item printed for this group ("about 69 felt much better with ...")."""
    alt: str = ""
    """What a screen reader says for the icon array (its <title>, the figure's Alt)."""
    caption: str = ""
    """The caption under the icon array ("With esketamine: 69 filled, 31 empty")."""


@dataclass(frozen=True)
class FrequencyView:
    out_of: int
    who: str
    time: str
    outcome: str
    outcome_not: str | None
    groups: tuple[GroupView, ...]
    lead: str = ""
    """The sentence before the groups ("Out of 100 adults ..., after 4 weeks:")."""


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


@dataclass(frozen=True)
class SectionView:
    id: str
    kind: str
    heading: str
    blocks: tuple[BlockView, ...]


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
    )


def shown_at(block: Block, level: str) -> bool:
    return block.levels is None or level in block.levels


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
    numbers: dict[str, int] = {}
    sections = []
    for section, placed_blocks in zip(leaflet.sections, loaded.sections, strict=True):
        blocks = []
        for placed in placed_blocks:
            block = placed.block
            if not shown_at(block, level_id):
                continue
            for source_id in block.sources:
                numbers.setdefault(source_id, len(numbers) + 1)
            blocks.append(_block_view(placed, level_id, catalog, numbers))
        sections.append(
            SectionView(section.id, section.kind, pick(section.heading, level_id), tuple(blocks))
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
            SourceView(number, source_id, catalog.sources[source_id])
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
    )


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
        forms = (entry.term, *entry.forms)
        if any(re.search(rf"\b{re.escape(form)}\b", text, re.IGNORECASE) for form in forms):
            found.append((entry.term, " ".join(pick(entry.meaning, level).split())))
    return tuple(found)


def _block_view(
    placed: PlacedBlock, level: str, catalog: Catalog, numbers: dict[str, int]
) -> BlockView:
    block = placed.block
    image = None
    if block.image is not None:
        path = (catalog.content_dir / block.image.path).resolve()
        image = ImageView(path.as_uri(), block.image.alt, placed.image_location)
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
        frequencies=_frequency_view(block.frequencies, level) if block.frequencies else None,
        certainty=_certainty_phrase(block, level, catalog),
    )


def _frequency_view(frequencies: Frequencies, level: str) -> FrequencyView:
    def words(texts: dict[str, str]) -> str:
        return " ".join(pick(texts, level).split())

    out_of = frequencies.out_of
    outcome = words(frequencies.outcome)
    outcome_not = words(frequencies.outcome_not) if frequencies.outcome_not else None
    groups = []
    for group in frequencies.groups:
        label, count, rest = words(group.label), group.count, out_of - group.count
        # The sentences the templates print are made here, once, so the checks read them
        # (reader_text.py) exactly as printed.
        sentence = f"about {count} {outcome} {label}"
        if outcome_not:
            sentence += f", and about {rest} {outcome_not}"
        groups.append(
            GroupView(
                label,
                count,
                rest,
                sentence=sentence,
                alt=f"{count} out of {out_of:,} {outcome} {label}; {rest} out of {out_of:,} "
                "did not.",
                caption=f"{label[:1].upper() + label[1:]}: {count} filled, {rest} empty",
            )
        )
    who, time = words(frequencies.who), words(frequencies.time)
    return FrequencyView(
        out_of=out_of,
        who=who,
        time=time,
        outcome=outcome,
        outcome_not=outcome_not,
        groups=tuple(groups),
        lead=f"Out of {out_of:,} {who}, {time}:",
    )


def _certainty_phrase(block: Block, level: str, catalog: Catalog) -> str | None:
    if block.certainty is None:
        return None
    style = catalog.project.levels[level].certainty_style
    rating = block.certainty.rating
    configured = catalog.project.certainty_phrases.get(style, {})
    return configured.get(rating) or DEFAULT_CERTAINTY_PHRASES[style][rating]
