"""The project-wide files' model: leaflets.yaml (levels, targets, outputs, pagination),
clinic files and content/sources.yaml; typed, frozen, one docstring per field (no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from ..variants import FormatName, Paper
from .model_base import (
    Certainty,
    CertaintyStyle,
    Identifier,
    Strict,
    Text,
)
from .urls import bare_urls, url_refusal

# --- project file (leaflets.yaml) -------------------------------------------------------


class Targets(Strict):
    """Readability targets a level's text must meet (issue 4; standards RL1, RL3, ER3)."""

    smog_max: float | None = Field(
        None, ge=1, le=20, description="Highest SMOG grade (taught words and figures excepted)."
    )
    fk_max: float | None = Field(None, ge=0, le=20, description="Highest Flesch-Kincaid grade.")
    sentence_words_max: int | None = Field(
        None, ge=5, le=60, description="Longest sentence allowed, in words (ER3: 15 for easy read)."
    )
    inflesz_min: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Spanish text: lowest Szigriszt-Pazos score on the INFLESZ scale (RS2: 55 "
        "'normal', 65 'quite easy'; readability_es.py).",
    )


#: Targets for levels that declare none, by the usual level ids (AMA grade 6, NIH grade 8,
#: UK Easy Read 15 words; SMOG as health guidance prefers, RL3; leaflet-standards §7;
#: Spanish INFLESZ bands, RS2: quite easy, normal, somewhat difficult).
DEFAULT_TARGETS: dict[str, Targets] = {
    "easy": Targets(smog_max=6, sentence_words_max=15, inflesz_min=65),
    "plain": Targets(smog_max=8, sentence_words_max=25, inflesz_min=55),
    "detailed": Targets(smog_max=12, sentence_words_max=30, inflesz_min=40),
}


class Level(Strict):
    """A reading level: who it is for and how it is set in type."""

    label: Text = Field(description="Name shown to readers, e.g. 'Easy read'.")
    description: str = Field("", description="Who this level is for (shown in docs and reports).")
    font_size_pt: float = Field(
        ge=12,
        le=32,
        description="Body text size in points: >= 12 (clear print, LP1), >= 14 easy read (ER2).",
    )
    line_height: float = Field(
        1.5, ge=1.4, le=2.5, description="Line height as a multiple of the font size (>= 1.4, LP3)."
    )
    easy_read: bool = Field(
        False,
        description="Lay blocks out Easy Read style: a picture on the left of each idea (ER1).",
    )
    certainty_style: CertaintyStyle = Field(
        "plain",
        description="How certainty is said: 'plain' (We are fairly sure) or 'grade' "
        "(GRADE informative statements, RK12).",
    )
    targets: Targets | None = Field(
        None, description="Readability targets (default: by level id, see DEFAULT_TARGETS)."
    )
    flag_jargon: bool = Field(
        True, description="Flag medical words not explained in the glossary (RL6, PEMAT)."
    )
    max_pages: int | None = Field(
        None,
        ge=1,
        description="Page budget: warn when a PDF of this level (regular print, A4 or "
        "Letter) runs longer (issue 16).",
    )
    references: bool = Field(
        False,
        description="Print the full reference list (else a short 'where this comes from' line).",
    )

    @model_validator(mode="after")
    def _easy_read_type_size(self) -> Level:
        if self.easy_read and self.font_size_pt < 14:
            raise ValueError("easy read levels need font_size_pt of at least 14 (standard ER2)")
        return self


#: How each certainty rating is said, per style (GRADE guideline 26 informative statements
#: for 'grade'; everyday words for 'plain'). A project may override them in leaflets.yaml.
DEFAULT_CERTAINTY_PHRASES: dict[CertaintyStyle, dict[Certainty, str]] = {
    "plain": {
        "high": "We are sure about this.",
        "moderate": "We are fairly sure about this.",
        "low": "We are not sure about this.",
        "very_low": "We are very unsure about this.",
    },
    "grade": {
        "high": "High-certainty evidence: the effect is as shown.",
        "moderate": "Moderate-certainty evidence: the effect is probably as shown.",
        "low": "Low-certainty evidence: the effect may be as shown.",
        "very_low": "Very low-certainty evidence: it is uncertain whether the effect is as shown.",
    },
}


class Outputs(Strict):
    """What a batch build makes of every leaflet x level (issue 5)."""

    papers: list[Paper] = Field(
        default_factory=lambda: [Paper.A4],
        min_length=1,
        description="Paper sizes to build.",
    )
    large_print: bool = Field(
        False, description="Also build a large-print variant (18 pt and up, LP2) of every level."
    )
    formats: list[FormatName] = Field(
        default_factory=lambda: [FormatName.PDF],
        min_length=1,
        description="pdf, and html for a self-contained accessible web page (the HTML twin).",
    )
    clinics: list[Text] = Field(
        default_factory=list,
        description="Clinic files (clinics/ID/clinic.yaml) to brand a copy of every leaflet for.",
    )
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]] = Field(
        default_factory=list,
        description="Languages to build, BCP 47 (e.g. [en, es, ar]; default: the project's "
        "language). A leaflet is built in another language only where a translation file "
        "content/translations/LANG/LEAFLET.yaml exists (docs/translations.md).",
    )
    booklet: bool = Field(
        False,
        description="Also make each PDF as a folded booklet: A5 pages imposed two to a side "
        "of A4 (half-Letter on Letter) for duplex printing (docs/clinics.md).",
    )


#: The pagination checks (pagination.py), by id.
PaginationCheck = Literal[
    "edge", "orphan-heading", "lonely-page", "short-last-page", "broken-token", "footer-wrap"
]


class Pagination(Strict):
    """How strict the pagination checks on built PDFs are (issue 16, docs/clinics.md)."""

    min_last_page_lines: int = Field(
        6, ge=0, description="A last page with fewer lines than this is a spill page."
    )
    edge_mm: float = Field(
        5.0, ge=0, le=30, description="No text nearer than this to a paper edge (printers)."
    )


class PaginationOverride(Strict):
    """Pagination checks a leaflet may fail, with the reason written down."""

    allow: list[PaginationCheck] = Field(
        min_length=1, description="Check ids to allow, e.g. short-last-page."
    )
    reason: Text = Field(description="Why this leaflet may fail them.")


class Project(Strict):
    """The project file `leaflets.yaml`: who publishes, which levels, which paper."""

    name: Text = Field(description="Name of this content library.")
    publisher: Text = Field(description="Organisation that publishes the leaflets (SE6).")
    language: Text = Field("en-GB", description="Default BCP 47 language tag, e.g. en-GB.")
    paper: Paper = Field(Paper.A4, description="Default paper size (single builds).")
    feedback: Text = Field(
        description="How readers give feedback (SE10), printed on every leaflet."
    )
    other_formats: Text = Field(
        description="Sentence saying which other formats exist and how to ask for them (LP7)."
    )
    levels: dict[Identifier, Level] = Field(
        min_length=1, description="Reading levels in reading order, e.g. easy, plain, detailed."
    )
    certainty_phrases: dict[CertaintyStyle, dict[Certainty, Text]] = Field(
        default_factory=lambda: DEFAULT_CERTAINTY_PHRASES,
        description="Wording for each certainty rating, per style; overrides the defaults.",
    )
    outputs: Outputs = Field(
        default_factory=Outputs, description="Papers, large print, formats and clinics to build."
    )
    pagination: Pagination = Field(
        default_factory=Pagination,
        description="Limits of the pagination checks (`leaflets check --a11y`, releases).",
    )

    @field_validator("feedback")
    @classmethod
    def _printed_addresses(cls, value: str) -> str:
        """An address written in the feedback sentence is printed on every leaflet (issue 12)."""
        for url in bare_urls(value):
            reason = url_refusal(url)
            if reason:
                raise ValueError(f"refused address {url[:200]!r}: {reason}")
        return value


# --- clinic files (clinics/ID/clinic.yaml) -----------------------------------------------


class Logo(Strict):
    path: Text = Field(description="Image file next to clinic.yaml, e.g. logo.svg.")
    alt: Text = Field(description="Text alternative, e.g. 'Riverside Mood Clinic logo'.")


class UrgentRoute(Strict):
    """A local route to urgent help that a clinic adds to its copies (issue 15)."""

    name: Text = Field(description="The service, e.g. 'Riverside crisis line'.")
    phone: Text = Field(description="The number to ring, e.g. '0800 000 0000'.")
    when: Text | None = Field(None, description="When to use it, e.g. 'any time, day or night'.")


class Clinic(Strict):
    """A clinic that prints the leaflets under its own name (issue 5)."""

    id: Identifier = Field(description="Clinic id: the folder name under clinics/.")
    name: Text = Field(description="Name printed on every leaflet.")
    logo: Logo | None = Field(None, description="Logo with its alt text.")
    address: list[Text] = Field(default_factory=list, description="Address lines.")
    phone: Text = Field(description="Phone number for questions about the treatment.")
    opening_hours: Text | None = Field(None, description="When the phone is answered.")
    web: str | None = Field(None, description="The clinic's web address (printed).")
    leaflet_url: str | None = Field(
        None,
        description="Where the clinic publishes its online copy, with {leaflet} and {level} "
        "placeholders; printed beside a QR code.",
    )
    leaflets: list[Identifier] | None = Field(
        None,
        description="Leaflet ids this clinic prints (default: every leaflet). A leaflet's own "
        "'clinics:' list wins over this one.",
    )
    urgent_help: list[UrgentRoute] = Field(
        default_factory=list,
        description="Local routes to urgent help (crisis line, out-of-hours number), printed "
        "first in the urgent-help section of this clinic's copies.",
    )

    @field_validator("web", "leaflet_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http://)")
        if value is not None:
            # Checked as it will be printed and put in the QR code (issue 12).
            printed = value.replace("{leaflet}", "leaflet").replace("{level}", "level")
            reason = url_refusal(printed)
            if reason:
                raise ValueError(f"refused address {printed[:200]!r}: {reason}")
        return value


# --- sources (content/sources.yaml) -----------------------------------------------------


class Source(Strict):
    """A primary source that a number or claim comes from."""

    title: Text = Field(description="Title of the document, article or guidance.")
    organisation: Text = Field(description="Publisher, journal or regulator.")
    year: int | None = Field(
        None, ge=1900, le=2100, description="Year of publication (or give 'accessed')."
    )
    accessed: dt.date | None = Field(
        None, description="For an undated web page: the date it was read (instead of 'year')."
    )
    url: str | None = Field(None, description="Where to read it (printed, never fetched).")
    animal_study: bool = Field(
        False, description="A study in animals: text citing it must say so ('in mice')."
    )

    @model_validator(mode="after")
    def _dated(self) -> Source:
        if self.year is None and self.accessed is None:
            raise ValueError(
                "a source needs 'year' (when it was published) or 'accessed' (when an undated "
                "web page was read)"
            )
        return self

    @field_validator("url")
    @classmethod
    def _printed_address(cls, value: str | None) -> str | None:
        """Printed in the sources list: the same rule as every printed address (issue 12)."""
        if value is not None and (reason := url_refusal(value)):
            raise ValueError(f"refused address {value[:200]!r}: {reason}")
        return value


class SourceList(Strict):
    """The file `content/sources.yaml`."""

    sources: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")], Source]
