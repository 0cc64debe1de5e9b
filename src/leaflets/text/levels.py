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
    DEFAULT_CERTAINTY_PHRASES,
    Block,
    Frequencies,
    Level,
    Source,
    paragraphs,
    pick,
)
from ..errors import Location
from ..review.state import ReviewSummary, leaflet_reviews, summarise
from .i18n import Messages, messages
from .inline import plain_text
from .translate import TranslationView


@dataclass(frozen=True)
class ImageView:
    src: str
    """A `file:` URL inside the content folder (the fetcher checks it again)."""
    alt: str
    where: Location | None = None
    """Where the image path is written in the YAML."""


@dataclass(frozen=True)
class GroupView:
    label: str | None
    """The option this group had; None for a single-outcome block."""
    count: int
    rest: int
    """How many did not have the outcome (the other frame, RK8)."""
    sentence: str = ""
    """The list item printed for this group ("about 69 felt much better with ...")."""
    alt: str = ""
    """What a screen reader says for the icon array (its <title>, the figure's Alt), in the
    writer's own outcome words (issue 15)."""
    caption: str = ""
    """The caption under the icon array, in words: "With esketamine: 69 got much better,
    31 did not" (never "69 filled")."""
    option: str | None = None


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
    key: str = ""
    """What a filled and an outline figure mean, in the writer's outcome words."""


@dataclass(frozen=True)
class OptionView:
    id: str
    name: str
    involves: tuple[str, ...]
    like: tuple[str, ...]


@dataclass(frozen=True)
class GridView:
    """An option grid: questions as rows, options as columns (Elwyn's Option Grid)."""

    options: tuple[str, ...]
    """Option names, one per column, in order."""
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(question, one answer per column)."""


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
    words = messages(loaded.language)
    numbers: dict[str, int] = {}
    sections = []
    names = _option_names(loaded, level_id)
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
                grid = _grid_view(block, level_id, names, frequencies, words)
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
            _frequency_view(block.frequencies, level, words) if block.frequencies else None
        ),
        certainty=_certainty_phrase(block, level, catalog, words),
        intro=_words(block.intro, level) if block.intro else None,
        option=_option_view(block, level) if block.option else None,
    )


def _words(texts: dict[str, str], level: str) -> str:
    return " ".join(pick(texts, level).split())


def _frequency_view(frequencies: Frequencies, level: str, words: Messages) -> FrequencyView:
    """Numbers with captions and alt text in the writer's own outcome words (RK8, UA5).

    Without `outcome_not` the other frame is 'did not'; with it, the writer's words are
    used as written, so tense and polarity stay theirs. The sentences the templates print
    are made here, once, so the checks read them (reader_text.py) exactly as printed. The
    sentence frames come from the leaflet language's catalog (i18n.py), with the writer's
    words and the locale's numbers put in their places."""
    out_of = frequencies.out_of
    who = _words(frequencies.who, level)
    time = _words(frequencies.time, level)
    outcome = _words(frequencies.outcome, level)
    outcome_not = _words(frequencies.outcome_not, level) if frequencies.outcome_not else None
    other = outcome_not or words.gettext("did not")
    total = words.number(out_of)
    groups = []
    for group in frequencies.groups:
        label = _words(group.label, level) if group.label else None
        count, rest = words.number(group.count), words.number(out_of - group.count)
        if label:
            sentence = words.gettext(
                "about %(count)s %(outcome)s %(option)s", count=count, outcome=outcome,
                option=label,
            )  # fmt: skip
        else:
            sentence = words.gettext("about %(count)s %(outcome)s", count=count, outcome=outcome)
        if outcome_not:
            sentence += words.gettext(
                ", and about %(rest)s %(outcome_not)s", rest=rest, outcome_not=outcome_not
            )
        facts = dict(count=count, total=total, who=who, outcome=outcome, rest=rest, other=other)
        facts["time"] = time
        if label:
            alt = words.gettext(
                "Icon array, %(option)s: %(count)s out of %(total)s %(who)s %(outcome)s, and "
                "%(rest)s %(other)s, %(time)s. Filled figures: %(outcome)s. Outline figures: "
                "%(other)s.",
                option=label, **facts,
            )  # fmt: skip
            caption = words.gettext(
                "%(option)s: %(count)s %(outcome)s, %(rest)s %(other)s",
                option=label[:1].upper() + label[1:], **facts,
            )  # fmt: skip
        else:
            alt = words.gettext(
                "Icon array: %(count)s out of %(total)s %(who)s %(outcome)s, and %(rest)s "
                "%(other)s, %(time)s. Filled figures: %(outcome)s. Outline figures: %(other)s.",
                **facts,
            )
            caption = words.gettext("%(count)s %(outcome)s, %(rest)s %(other)s", **facts)
        groups.append(
            GroupView(
                label, group.count, out_of - group.count, sentence, alt, caption, group.option
            )
        )
    return FrequencyView(
        out_of=out_of,
        who=who,
        time=time,
        outcome=outcome,
        outcome_not=outcome_not,
        groups=tuple(groups),
        lead=words.gettext("Out of %(total)s %(who)s, %(time)s:", total=total, who=who, time=time),
        key=words.gettext(
            "A filled figure is one person who %(outcome)s. An outline figure is one who "
            "%(other)s.",
            outcome=outcome,
            other=other,
        ),
    )


def _option_view(block: Block, level: str) -> OptionView:
    assert block.option is not None
    option = block.option
    return OptionView(
        option.id,
        _words(option.name, level),
        paragraphs(pick(option.involves, level)),
        paragraphs(pick(option.like, level)),
    )


def _option_names(loaded: LoadedLeaflet, level: str) -> dict[str, str]:
    return {
        p.block.option.id: _words(p.block.option.name, level)
        for placed_blocks in loaded.sections
        for p in placed_blocks
        if p.block.option is not None and shown_at(p.block, level)
    }


def _grid_view(
    block: Block,
    level: str,
    names: dict[str, str],
    frequencies: dict[str, Frequencies],
    words: Messages,
) -> GridView:
    """Answers per level; number cells drawn from their frequencies block (never retyped)."""
    assert block.grid is not None
    rows = []
    for row in block.grid.rows:
        answers = []
        for option_id in block.grid.options:
            answer = row.answers[option_id]
            if answer.text is not None:
                answers.append(_words(answer.text, level))
                continue
            source = frequencies[answer.numbers or ""]
            group = next(g for g in source.groups if g.option == option_id)
            answers.append(
                words.gettext(
                    "About %(count)s out of %(total)s %(outcome)s (%(time)s)",
                    count=words.number(group.count),
                    total=words.number(source.out_of),
                    outcome=_words(source.outcome, level),
                    time=_words(source.time, level),
                )
            )
        rows.append((_words(row.question, level), tuple(answers)))
    return GridView(tuple(names.get(o, o) for o in block.grid.options), tuple(rows))


def _certainty_phrase(block: Block, level: str, catalog: Catalog, words: Messages) -> str | None:
    """The project's own phrase for the rating, as written (in the project's language);
    else the built-in phrase (model.DEFAULT_CERTAINTY_PHRASES) from the leaflet language's
    catalog."""
    if block.certainty is None:
        return None
    style = catalog.project.levels[level].certainty_style
    rating = block.certainty.rating
    configured = catalog.project.certainty_phrases.get(style, {})
    if rating in configured and configured[rating] != DEFAULT_CERTAINTY_PHRASES[style][rating]:
        return configured[rating]
    return words.gettext(DEFAULT_CERTAINTY_PHRASES[style][rating])
