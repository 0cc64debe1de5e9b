"""A leaflet file's model: blocks (text, lists, frequencies, decisions, option grids),
sections and the leaflet itself, plus the shared block library (no I/O)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .model_base import (
    VERSION_PATTERN,
    Certainty,
    Identifier,
    PerLevelItems,
    PerLevelText,
    Strict,
    Text,
)
from .model_project import (
    PaginationOverride,
    Source,
)

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
