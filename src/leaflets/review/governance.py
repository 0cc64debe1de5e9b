"""The governance record: every approval recorded in a project, and reviews due soon.

`leaflets review log` lists each review record (who, role, clinical or editorial, date,
next review, the levels and the fingerprint) once per unit, with its state today;
`leaflets review status --due-within 60d` lists the reviews that expire within that many
days (and those already expired), so a clinic can plan them. "Today" is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..content.load import Catalog
from ..content.model import Review
from .fingerprint import unit_fingerprint
from .state import ReviewStatus, Unit, leaflet_reviews, leaflet_units

LOG_FIELDS = (
    "leaflet",
    "unit",
    "levels",
    "by",
    "role",
    "kind",
    "date",
    "next_review",
    "fingerprint",
    "state",
    "file",
)


@dataclass(frozen=True)
class Approval:
    leaflets: tuple[str, ...]
    unit: Unit
    review: Review
    state: str
    """current (the wording is still what was approved), superseded (a newer review
    decides), changed, or expired."""

    def as_dict(self) -> dict[str, str]:
        review = self.review
        return {
            "leaflet": " ".join(self.leaflets),
            "unit": self.unit.name,
            "levels": " ".join(review.levels) if review.levels else "all",
            "by": review.by,
            "role": review.role,
            "kind": "clinical" if review.clinical else "editorial",
            "date": review.date.isoformat(),
            "next_review": review.next_review.isoformat(),
            "fingerprint": review.fingerprint,
            "state": self.state,
            "file": str(self.unit.location.path),
        }


def approvals(catalog: Catalog, today: dt.date) -> list[Approval]:
    """Every review record of every unit a leaflet shows, oldest first per unit; a shared
    block's records are listed once, naming every leaflet that shows it."""
    seen: dict[str, tuple[list[str], Unit]] = {}
    deciding: dict[str, set[int]] = {}
    loaded_of = {}
    for loaded in catalog.leaflets:
        for unit in leaflet_units(loaded):
            if unit.id in seen:
                seen[unit.id][0].append(loaded.leaflet.id)
                continue
            seen[unit.id] = ([loaded.leaflet.id], unit)
            loaded_of[unit.id] = loaded
        for state in leaflet_reviews(loaded, today, catalog):
            if state.review is not None:
                deciding.setdefault(state.unit.id, set()).add(id(state.review))
    rows = []
    for unit_id, (leaflets, unit) in seen.items():
        for review in unit.reviews:
            if review.fingerprint != unit_fingerprint(
                unit, catalog, loaded_of[unit_id], review.levels
            ):
                verdict = "changed"
            elif id(review) not in deciding.get(unit_id, set()):
                verdict = "superseded"
            elif review.next_review < today:
                verdict = "expired"
            else:
                verdict = "current"
            rows.append(Approval(tuple(leaflets), unit, review, verdict))
    return rows + _clinic_approvals(catalog, today)


def _clinic_approvals(catalog: Catalog, today: dt.date) -> list[Approval]:
    """The review records of each clinic's unit (clinic_review.py)."""
    from ..content.catalog import prints
    from ..text.clinic_review import clinic_fingerprint, clinic_state

    rows = []
    for loaded_clinic in catalog.clinics:
        unit, _, deciding = clinic_state(catalog, loaded_clinic, today)
        digest = clinic_fingerprint(loaded_clinic)
        leaflets = tuple(
            x.leaflet.id
            for x in catalog.leaflets
            if prints(loaded_clinic.clinic.id, x, catalog.clinics, None)
        )
        for review in unit.reviews:
            if review.fingerprint != digest:
                verdict = "changed"
            elif review is not deciding:
                verdict = "superseded"
            elif review.next_review < today:
                verdict = "expired"
            else:
                verdict = "current"
            rows.append(Approval(leaflets, unit, review, verdict))
    return rows


@dataclass(frozen=True)
class Due:
    leaflet: str
    unit: Unit
    review: Review
    levels: str
    when: str
    """`expired` or `due`."""


def due_within(catalog: Catalog, today: dt.date, days: int) -> list[Due]:
    """Reviews that decide a unit's state and expire by `today + days` (or already have),
    soonest first."""
    until = today + dt.timedelta(days=days)
    found: dict[tuple[str, int], tuple[str, Unit, Review, list[str], str]] = {}
    for loaded in catalog.leaflets:
        for state in leaflet_reviews(loaded, today, catalog):
            review = state.review
            if review is None or state.status not in (ReviewStatus.REVIEWED, ReviewStatus.EXPIRED):
                continue
            if review.next_review > until:
                continue
            when = "expired" if state.status is ReviewStatus.EXPIRED else "due"
            key = (state.unit.id, id(review))
            entry = found.setdefault(key, (loaded.leaflet.id, state.unit, review, [], when))
            if state.level not in entry[3]:
                entry[3].append(state.level)
    items = [
        Due(leaflet, unit, review, ", ".join(levels), when)
        for leaflet, unit, review, levels, when in found.values()
    ]
    return sorted(items, key=lambda d: (d.review.next_review, d.leaflet, d.unit.name))
