"""The content model: typed, frozen classes for the project, sources, blocks and leaflets.

No I/O here. `load.py` feeds these classes the data from `source.py` and adds the checks
that need the whole catalog (level names, block and source ids). The JSON Schema that
editors use comes from these classes too, so the docstrings are the field help.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .formats import FormatName, Paper
from .urls import bare_urls, url_refusal

#: Safe as a file name on every OS, and in a URL: lower-case words joined by hyphens.
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
#: Names Windows refuses as file names, whatever the extension.
RESERVED_IDS = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{n}" for n in range(1, 10)]
    + [f"lpt{n}" for n in range(1, 10)]
)
VERSION_PATTERN = r"^[0-9]+(\.[0-9]+)*$"
#: The key of a per-level mapping that gives one text for every level.
ALL_LEVELS = "all"


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise ValueError(f"{value!r} is a reserved file name on Windows; choose another id")
    return value


Certainty = Literal["high", "moderate", "low", "very_low"]
CertaintyStyle = Literal["plain", "grade"]


_T = TypeVar("_T")


def pick(texts: Mapping[str, _T], level: str) -> _T:
    """The text (or list items) for `level`: its own, or the `all:` text. The one place
    that chooses per-level wording (levels.py, review.py and so reader_text.py use it)."""
    return texts[level] if level in texts else texts[ALL_LEVELS]


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single line breaks are just spaces."""
    parts = (" ".join(chunk.split()) for chunk in text.strip().split("\n\n"))
    return tuple(part for part in parts if part)


Identifier = Annotated[
    str, Field(pattern=ID_PATTERN, min_length=1, max_length=64), AfterValidator(_not_reserved)
]
Text = Annotated[str, Field(min_length=1)]
#: Text per reading level: `{easy: ..., plain: ..., detailed: ...}` or `{all: ...}`.
PerLevelText = dict[str, Text]
#: List items per reading level, or `{all: [...]}`.
PerLevelItems = dict[str, Annotated[list[Text], Field(min_length=1)]]


class Strict(BaseModel):
    """Unknown keys are errors (a typo like `benfits` must never be ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


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


# --- blocks -----------------------------------------------------------------------------


class Image(Strict):
    """A picture inside the content folder, with the words a screen reader says for it."""

    path: Text = Field(description="Path relative to the content folder, e.g. images/clock.svg.")
    alt: Text | None = Field(
        None,
        description="Text alternative: what the picture shows, in a few words (may be left "
        "out for a pictogram whose folder's alt.yaml gives a default).",
    )


class CertaintyRating(Strict):
    """How sure the evidence is, on the GRADE scale (RK12), and why."""

    rating: Certainty = Field(description="high, moderate, low or very_low (GRADE).")
    reason: Text = Field(description="Why: which evidence, and what limits it.")


class Group(Strict):
    """One arm of a comparison: who, and how many of them had the outcome."""

    label: PerLevelText | None = Field(
        None,
        description="The option, e.g. 'with the esketamine spray' (may be left out when the "
        "block has one group).",
    )
    count: int = Field(ge=0, description="How many out of `out_of` had the outcome.")
    option: Identifier | None = Field(
        None, description="The leaflet option this group stands for (an id from 'options')."
    )


class Frequencies(Strict):
    """Outcome numbers as natural frequencies (IPDAS, RK1-RK10), drawn as an icon array."""

    out_of: Literal[100, 1000] = Field(
        description="The denominator: 100 (or 1000 for rare events), the same across a leaflet."
    )
    who: PerLevelText = Field(description="Who the numbers apply to (reference class, RK2).")
    time: PerLevelText = Field(description="Over what time, e.g. 'after 4 weeks' (RK4).")
    outcome: PerLevelText = Field(description="What happened, e.g. 'felt much better'.")
    outcome_not: PerLevelText | None = Field(
        None, description="The other frame, e.g. 'did not feel much better' (RK8)."
    )
    groups: list[Group] = Field(
        min_length=1,
        max_length=4,
        description="1 group (a single outcome), 2 (with and without) or up to 4 (several "
        "options); one icon array each.",
    )

    @model_validator(mode="after")
    def _counts_fit(self) -> Frequencies:
        for group in self.groups:
            if group.count > self.out_of:
                raise ValueError(f"count {group.count} is more than out_of {self.out_of}")
        if len(self.groups) > 1 and any(group.label is None for group in self.groups):
            raise ValueError("with more than one group, every group needs a 'label'")
        return self


class ReadabilityOverride(Strict):
    """A block allowed past its level's targets, with the reason written down (issue 4)."""

    reason: Text = Field(description="Why this block may read harder than its level's target.")
    smog_max: float | None = Field(None, description="The block's own SMOG limit.")
    sentence_words_max: int | None = Field(None, description="The block's own sentence limit.")


class GlossaryEntry(Strict):
    """A word the leaflet teaches: explained in a box, not flagged as jargon (RL6, ER5)."""

    term: Text = Field(description="The word or phrase, e.g. 'dissociation'.")
    forms: list[Text] = Field(
        default_factory=list, description="Other forms that count, e.g. 'antidepressants'."
    )
    meaning: PerLevelText = Field(description="What it means, per level, in everyday words.")


class Review(Strict):
    """Who checked a unit's wording (a block, or a leaflet's own text and structure), and a
    fingerprint of exactly what they checked."""

    by: Text = Field(description="Name of the reviewer (or team).")
    role: Text = Field(description="Their role, e.g. 'consultant psychiatrist'.")
    date: dt.date = Field(description="Date of the review.")
    next_review: dt.date = Field(description="When the wording must be reviewed again.")
    clinical: bool = Field(
        False, description="True for a clinician's sign-off; false for an editorial check."
    )
    levels: list[Identifier] | None = Field(
        None, description="Levels this review covers (default: all the block's wording)."
    )
    fingerprint: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")] = Field(
        description="sha256 of the reviewed wording; written by `leaflets review approve`."
    )


class Option(Strict):
    """One of the choices a decision aid sets side by side (IPDAS: describe each option)."""

    id: Identifier = Field(description="Option id, used by 'options:' lists and option grids.")
    name: PerLevelText = Field(description="Its name in everyday words, e.g. 'Wait and see'.")
    involves: PerLevelText = Field(description="What it involves: what is done, when, by whom.")
    like: PerLevelText = Field(
        description="What it is like to live with (IPDAS: 'what it is like')."
    )


class GridAnswer(Strict):
    """One cell of an option grid: a short answer, or numbers drawn from a frequencies block."""

    text: PerLevelText | None = Field(None, description="A short answer per level.")
    numbers: Identifier | None = Field(
        None,
        description="Id of a frequencies block in this leaflet: the cell shows its numbers for "
        "the group whose 'option' is this column (numbers are never retyped).",
    )

    @model_validator(mode="after")
    def _one_of(self) -> GridAnswer:
        if (self.text is None) == (self.numbers is None):
            raise ValueError("a grid answer has either 'text' or 'numbers' (a frequencies block)")
        return self


class GridRow(Strict):
    """A question patients ask, answered for every option in the grid."""

    question: PerLevelText = Field(description="The question, e.g. 'How long does it take?'.")
    answers: dict[Identifier, GridAnswer] = Field(
        min_length=1, description="Option id -> its answer; one for every column."
    )


class OptionGrid(Strict):
    """Options side by side as answers to the questions patients ask (Elwyn's Option Grid)."""

    options: list[Identifier] = Field(
        min_length=2, max_length=4, description="Option ids, one column each, in order."
    )
    rows: list[GridRow] = Field(min_length=1, description="The questions, one row each.")


BlockKind = Literal["text", "list", "warning", "frequencies", "decision", "option", "option_grid"]


class Block(Strict):
    """One idea: a paragraph, a list, a warning or outcome numbers, written per reading level."""

    id: Identifier = Field(description="Unique id, used by `use:` and in messages.")
    kind: BlockKind = Field(
        "text",
        description="text: paragraphs; list: bullet items; warning: a boxed caution; "
        "frequencies: outcome numbers with icon arrays; decision: the choice in the patient's "
        "words; option: one option (see 'option'); option_grid: options side by side.",
    )
    text: PerLevelText | None = Field(
        None, description="The words per level, or `all:` (optional for frequencies blocks)."
    )
    intro: PerLevelText | None = Field(
        None,
        description="For list and warning blocks: a lead-in line printed inside the box, "
        "e.g. 'Get help now if:'.",
    )
    items: PerLevelItems | None = Field(
        None, description="For list blocks: the items per level, or `all:`."
    )
    frequencies: Frequencies | None = Field(
        None, description="For frequencies blocks: the numbers, who, when and the comparison."
    )
    option: Option | None = Field(None, description="For option blocks: the option.")
    grid: OptionGrid | None = Field(None, description="For option_grid blocks: the grid.")
    options: list[Identifier] | None = Field(
        None,
        description="Which options this block is about (benefits, harms, uncertainty); "
        "default: the section's 'options'.",
    )
    certainty: CertaintyRating | None = Field(
        None, description="How sure the evidence is; required on frequencies blocks (RK12)."
    )
    levels: list[Identifier] | None = Field(
        None, description="Show this block only at these levels (default: every level)."
    )
    image: Image | None = Field(None, description="Optional picture shown beside the block.")
    sources: list[str] = Field(
        default_factory=list, description="Ids from content/sources.yaml that back this block."
    )
    reviews: list[Review] = Field(
        default_factory=list, description="Reviews of this wording, newest last."
    )
    readability: ReadabilityOverride | None = Field(
        None, description="Let this block exceed its level's targets, with a written reason."
    )

    def wording(self) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
        """Every per-level text of the block, with its key path inside the block."""
        found: list[tuple[tuple[str | int, ...], dict[str, Any]]] = []
        if self.text is not None:
            found.append((("text",), self.text))
        if self.items is not None:
            found.append((("items",), self.items))
        if self.frequencies is not None:
            f = self.frequencies
            for name in ("who", "time", "outcome", "outcome_not"):
                if getattr(f, name) is not None:
                    found.append((("frequencies", name), getattr(f, name)))
            for index, group in enumerate(f.groups):
                if group.label is not None:
                    found.append((("frequencies", "groups", index, "label"), group.label))
        if self.intro is not None:
            found.append((("intro",), self.intro))
        if self.option is not None:
            for name in ("name", "involves", "like"):
                found.append((("option", name), getattr(self.option, name)))
        if self.grid is not None:
            for r_index, row in enumerate(self.grid.rows):
                found.append((("grid", "rows", r_index, "question"), row.question))
                for option_id, answer in row.answers.items():
                    if answer.text is not None:
                        found.append((("grid", "rows", r_index, "answers", option_id), answer.text))
        return found

    @model_validator(mode="after")
    def _body_matches_kind(self) -> Block:
        bodies = {"list": "items", "frequencies": "frequencies", "option": "option"}
        bodies["option_grid"] = "grid"
        needs = bodies.get(self.kind, "text")
        if getattr(self, needs) is None:
            raise ValueError(f"a {self.kind} block needs '{needs}'")
        wanted_kind = {"items": "list", "frequencies": "frequencies", "option": "option"}
        wanted_kind["grid"] = "option_grid"
        for other, wanted in wanted_kind.items():
            if other != needs and getattr(self, other) is not None:
                raise ValueError(
                    f"a {self.kind} block has no '{other}'; did you mean kind: {wanted}?"
                )
        if self.kind in ("list", "option_grid") and self.text is not None:
            raise ValueError(f"a {self.kind} block has '{needs}', not 'text'")
        if self.intro is not None and self.kind not in ("list", "warning"):
            raise ValueError("only list and warning blocks take an 'intro' line")
        if self.kind == "frequencies" and self.certainty is None:
            raise ValueError("a frequencies block needs 'certainty': how sure are the numbers?")
        return self


class BlockLibrary(Strict):
    """A file in `content/blocks/`: blocks that several leaflets reuse with `use:`."""

    blocks: list[Block] = Field(min_length=1)


class BlockUse(Strict):
    """Reuse a block from `content/blocks/` by id."""

    use: Identifier = Field(description="Id of a block in the shared block library.")


def _block_or_use(value: Any) -> str:
    return "use" if isinstance(value, dict) and "use" in value else "block"


BlockEntry = Annotated[
    Annotated[Block, Tag("block")] | Annotated[BlockUse, Tag("use")],
    Discriminator(_block_or_use),
]

SectionKind = Literal[
    "general", "condition", "options", "benefits", "uncertainty", "risks", "urgent_help"
]
#: Sections every treatment and decision leaflet must have (mission; standards SE3, SE4).
REQUIRED_SECTION_KINDS: tuple[SectionKind, ...] = ("benefits", "uncertainty", "risks")
LeafletKind = Literal["decision", "treatment", "information"]


class Section(Strict):
    """A headed part of a leaflet."""

    id: Identifier = Field(description="Unique id within the leaflet.")
    kind: SectionKind = Field(
        "general",
        description="condition, options, benefits, uncertainty, risks (the harms), "
        "urgent_help (required in every leaflet), or general.",
    )
    heading: PerLevelText = Field(description="Heading per level: say what follows.")
    options: list[Identifier] | None = Field(
        None, description="Which options this section's blocks are about (decision aids)."
    )
    blocks: list[BlockEntry] = Field(min_length=1, description="Blocks in reading order.")


class About(Strict):
    """Who made the leaflet and who paid (IPDAS; standards SE6): printed in 'About this leaflet'."""

    authors: list[Text] = Field(min_length=1, description="Who wrote it (people or a team).")
    funding: Text = Field(description="Who paid for it, e.g. 'No external funding.'")
    conflicts: Text = Field(description="Conflicts of interest, e.g. 'The authors declare none.'")
    update_policy: Text = Field(
        description="When and how it is updated, e.g. 'Checked every year, and sooner when "
        "the evidence changes.'"
    )


class Leaflet(Strict):
    """A leaflet file in `content/leaflets/`."""

    id: Identifier = Field(
        description="Leaflet id; also the output file name. Same as the file name."
    )
    version: Annotated[str, Field(pattern=VERSION_PATTERN)] = Field(
        description="Version of the wording, e.g. '1.0' (quote it)."
    )
    language: str | None = Field(None, description="BCP 47 language tag (default: the project's).")
    levels: list[Identifier] | None = Field(
        None,
        min_length=1,
        description="Levels to build (default: every level in leaflets.yaml).",
    )
    kind: LeafletKind = Field(
        "treatment",
        description="decision: a decision aid (IPDAS qualifying criteria enforced); "
        "treatment: about one treatment (benefits, uncertainty, risks required); "
        "information: about a condition or a service.",
    )
    clinics: list[Identifier] | None = Field(
        None,
        description="Clinic ids that print this leaflet (default: the clinics whose "
        "'leaflets:' list names it, or every clinic). This list wins over the clinic file's.",
    )
    about: About | None = Field(
        None, description="Authors, funding, conflicts of interest and update policy (required)."
    )
    sources: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")], Source] = Field(
        default_factory=dict,
        description="This leaflet's own sources; an id here shadows content/sources.yaml "
        "(with a warning).",
    )
    title: PerLevelText = Field(description="Title per level.")
    summary: PerLevelText = Field(description="The main message, first on the page (SE1).")
    evidence_checked: dt.date = Field(description="Date the evidence was last checked (SE6).")
    next_review: dt.date = Field(description="Date of the next planned review (SE6).")
    glossary: list[GlossaryEntry] = Field(
        default_factory=list,
        description="Words the leaflet teaches; shown in a 'words we use' box where they appear.",
    )
    sections: list[Section] = Field(
        min_length=1,
        description="Headed parts in reading order; benefits, uncertainty and risks are required.",
    )
    pagination: PaginationOverride | None = Field(
        None, description="Pagination checks this leaflet may fail, with a written reason."
    )
    reviews: list[Review] = Field(
        default_factory=list,
        description="Reviews of the leaflet unit: title, summary, headings, glossary, which "
        "blocks each section shows at each level, and the project's reader text; newest last.",
    )

    @field_validator("next_review")
    @classmethod
    def _review_after_check(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        checked = info.data.get("evidence_checked")
        if checked is not None and value <= checked:
            raise ValueError("next_review must be later than evidence_checked")
        return value
