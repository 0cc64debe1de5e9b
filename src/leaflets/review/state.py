"""Review units and their states: a leaflet in, each unit's review state per level out.

A review records a sha256 of the exact wording it covered (`fingerprint.py`); a unit is
reviewed when its newest review's fingerprint is the current wording's and not expired.
Approving (writing a record) is `approve.py`.

The units cover every string a reader sees (reader_text.py): each block in any section
(`block:ID`; its wording at every level, id, levels shown, sources, picture bytes and alt
text), and per leaflet a `leaflet:ID` unit (title, summary, headings, glossary, version and
dates, which blocks each section shows at which levels, the cited sources, and the
project's publisher, feedback, other formats, level labels and certainty phrases).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from ..content.load import Catalog, LoadedLeaflet, PlacedBlock
from ..content.model import Review
from ..errors import Location, Problem
from .fingerprint import unit_fingerprint


class ReviewStatus(StrEnum):
    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    STALE = "stale"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Unit:
    """What one review covers: a block (in any section; a shared block is one unit wherever
    it is used), or a leaflet's own text and structure (`leaflet:ID`)."""

    id: str
    """`block:ID` or `leaflet:ID` (reader_text.Segment.unit)."""
    name: str
    """What `review approve` takes: the block id, or `leaflet:ID`."""
    location: Location
    key_path: tuple[str | int, ...]
    """Where the unit sits in its file (`review approve` writes `reviews:` there)."""
    reviews: tuple[Review, ...]
    placed: PlacedBlock | None = None
    sections: tuple[str, ...] = ()
    """The sections the unit is shown in (none for a leaflet unit)."""

    def describe(self) -> str:
        if self.placed is not None:
            return f"block {self.placed.block.id!r}"
        if self.id.startswith("clinic:"):  # clinic_review.py
            return (
                f"clinic {self.id.removeprefix('clinic:')!r} (name, contact details, "
                "urgent-help routes, logo)"
            )
        return (
            f"leaflet {self.id.removeprefix('leaflet:')!r} (title, summary, headings, "
            "glossary, structure, project text)"
        )


@dataclass(frozen=True)
class BlockReview:
    """The review state of one unit at one level, where a reader would see it."""

    leaflet: str
    level: str
    unit: Unit
    status: ReviewStatus
    review: Review | None

    @property
    def placed(self) -> PlacedBlock | None:
        return self.unit.placed

    def describe(self) -> str:
        what = self.unit.describe()
        if self.status is ReviewStatus.UNREVIEWED:
            return f"{what} ({self.level}): wording not reviewed"
        assert self.review is not None
        when = f"on {self.review.date} by {self.review.by}"
        if self.status is ReviewStatus.STALE:
            return f"{what} ({self.level}): wording changed since the review {when}"
        if self.status is ReviewStatus.EXPIRED:
            return f"{what} ({self.level}): review {when} expired on {self.review.next_review}"
        return f"{what} ({self.level}): reviewed {when}"

    def as_problem(self) -> Problem:
        return Problem(
            self.unit.location,
            self.describe(),
            f"review the wording, then: leaflets review approve {self.unit.name} "
            "--by NAME --role ROLE",
        )


UnitReview = BlockReview


def _newest(reviews: tuple[Review, ...], level: str) -> Review | None:
    covering = [r for r in reviews if r.levels is None or level in r.levels]
    if not covering:
        return None
    # The newest review decides; on the same date, the one recorded last (reviews are kept
    # in the order they were approved).
    return max(reversed(covering), key=lambda r: r.date)


def review_state(
    unit: Unit,
    level: str,
    today: dt.date,
    catalog: Catalog,
    loaded: LoadedLeaflet | None = None,
) -> tuple[ReviewStatus, Review | None]:
    """The newest review covering `level` decides: changed wording, expired, or fine."""
    review = _newest(unit.reviews, level)
    if review is None:
        return ReviewStatus.UNREVIEWED, None
    if review.fingerprint != unit_fingerprint(unit, catalog, loaded, review.levels):
        return ReviewStatus.STALE, review
    if review.next_review < today:
        return ReviewStatus.EXPIRED, review
    return ReviewStatus.REVIEWED, review


def leaflet_units(loaded: LoadedLeaflet) -> list[Unit]:
    """The leaflet unit, then every block in every section, in reading order."""
    leaflet = loaded.leaflet
    units = [
        Unit(
            f"leaflet:{leaflet.id}",
            f"leaflet:{leaflet.id}",
            Location(loaded.path, 1, 1),
            (),
            tuple(leaflet.reviews),
        )
    ]
    for section, placed_blocks in zip(leaflet.sections, loaded.sections, strict=True):
        for placed in placed_blocks:
            block = placed.block
            units.append(
                Unit(
                    f"block:{block.id}",
                    block.id,
                    placed.location,
                    placed.key_path,
                    tuple(block.reviews),
                    placed,
                    (section.id,),
                )
            )
    return units


def leaflet_reviews(loaded: LoadedLeaflet, today: dt.date, catalog: Catalog) -> list[BlockReview]:
    """Review state of every unit of the leaflet at every level it is shown at (of a
    translated leaflet: of the source it was translated from, text/localise.py)."""
    if loaded.translation is not None:
        loaded, catalog = loaded.translation.source, loaded.translation.source_catalog
    states = []
    for unit in leaflet_units(loaded):
        for level in loaded.levels:
            block = unit.placed.block if unit.placed else None
            if block is not None and block.levels is not None and level not in block.levels:
                continue
            status, review = review_state(unit, level, today, catalog, loaded)
            states.append(BlockReview(loaded.leaflet.id, level, unit, status, review))
    return states


# --- what a build needs to know -----------------------------------------------------------


@dataclass(frozen=True)
class ReviewSummary:
    """The review facts one printed leaflet states (at one level)."""

    pending: tuple[BlockReview, ...]
    """Units at this level whose wording is unreviewed, stale or expired."""
    reviewed_on: dt.date | None
    next_review: dt.date | None
    clinical: bool
    """Every reviewed unit at this level has a clinician's sign-off."""
    reviewers: tuple[tuple[str, str, bool], ...] = ()
    """(name, role, clinical) of everyone whose current review covers this level."""


def summarise(states: list[BlockReview], level: str) -> ReviewSummary:
    at_level = [s for s in states if s.level == level]
    done = [s.review for s in at_level if s.status is ReviewStatus.REVIEWED and s.review]
    return ReviewSummary(
        pending=tuple(s for s in at_level if s.status is not ReviewStatus.REVIEWED),
        reviewed_on=max((r.date for r in done), default=None),
        next_review=min((r.next_review for r in done), default=None),
        clinical=bool(done) and all(r.clinical for r in done),
        reviewers=tuple(dict.fromkeys((r.by, r.role, r.clinical) for r in done)),
    )


def release_problems(states: list[BlockReview]) -> list[Problem]:
    """One located line per unit that stops a release build."""
    by_unit: dict[tuple[str, ReviewStatus], list[BlockReview]] = {}
    for state in states:
        if state.status is not ReviewStatus.REVIEWED:
            by_unit.setdefault((state.unit.id, state.status), []).append(state)
    problems = []
    for group in by_unit.values():
        first = group[0]
        levels = ", ".join(s.level for s in group)
        message = first.describe().replace(f"({first.level})", f"({levels})", 1)
        problems.append(Problem(first.unit.location, message, first.as_problem().hint))
    return problems
