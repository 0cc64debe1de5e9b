"""Approving: a unit's current wording in, a review record written into its YAML file
out (ruamel's round trip keeps the writer's comments, quotes and key order).

`review approve` records one unit (`approve`) or the units a bulk approval covers
(`units_to_approve`); the file is checked with the loader's reader before it is written,
and the wording the reader saw is kept beside it (`approved.keep`).
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

from ..content.load import Catalog, LoadedLeaflet, PlacedBlock
from ..content.model import Review
from ..content.source import read_yaml
from ..errors import ContentError, Location, UsageError
from ..output import write_atomic
from .fingerprint import fingerprint, leaflet_fingerprint
from .state import ReviewStatus, Unit, leaflet_reviews, leaflet_units

__all__ = ["a_year_on", "approve", "find_block", "units_to_approve"]


def find_block(catalog: Catalog, block_id: str, leaflet_id: str | None) -> PlacedBlock:
    """The one block with this id (in the library, or in a leaflet)."""
    found: dict[Path, PlacedBlock] = {}
    if block_id in catalog.library:
        placed = catalog.library[block_id]
        found[placed.location.path] = placed
    for loaded in catalog.leaflets:
        if leaflet_id is not None and loaded.leaflet.id != leaflet_id:
            continue
        for section in loaded.sections:
            for placed in section:
                if placed.block.id == block_id and placed.location.path == loaded.path:
                    found[placed.location.path] = placed
    if not found:
        raise UsageError(f"no block {block_id!r} in this project")
    if len(found) > 1:
        files = ", ".join(str(path) for path in found)
        raise UsageError(f"block id {block_id!r} is in several files ({files}); add --leaflet ID")
    return next(iter(found.values()))


def approve(
    catalog: Catalog,
    unit_name: str,
    *,
    by: str,
    role: str,
    levels: list[str] | None = None,
    date: dt.date,
    next_review: dt.date | None = None,
    clinical: bool = False,
    leaflet_id: str | None = None,
) -> Review:
    """Record a review of a unit's current wording in its YAML file: a block id, or
    `leaflet:ID` for a leaflet's own text and structure."""
    for level in levels or []:
        if level not in catalog.project.levels:
            raise UsageError(f"unknown level {level!r}")
    if unit_name.startswith("clinic:"):
        if levels:
            raise UsageError("a clinic's text is the same at every level: leave out --level")
        from ..text.clinic_review import approve_clinic

        return approve_clinic(
            catalog,
            unit_name.removeprefix("clinic:"),
            by=by,
            role=role,
            date=date,
            next_review=next_review or a_year_on(date),
            clinical=clinical,
        )
    if unit_name.startswith("leaflet:"):
        wanted = unit_name.removeprefix("leaflet:")
        loaded = next((x for x in catalog.leaflets if x.leaflet.id == wanted), None)
        if loaded is None:
            raise UsageError(f"no leaflet {wanted!r} in this project")
        file_path: Path = loaded.path
        key_path: tuple[str | int, ...] = ()
        digest = leaflet_fingerprint(loaded, catalog, levels)
    else:
        placed = find_block(catalog, unit_name, leaflet_id)
        file_path, key_path = placed.location.path, placed.key_path
        digest = fingerprint(placed.block, levels, catalog.content_dir)
    review = Review(
        by=by,
        role=role,
        date=date,
        next_review=next_review or a_year_on(date),
        clinical=clinical,
        levels=levels,
        fingerprint=digest,
    )
    if review.next_review <= review.date:
        raise UsageError("--next-review must be after the review date")
    from ..content.roundtrip import append_keeping_comments, round_trip  # ruamel: writing only

    path = catalog.root / file_path
    yaml = round_trip()
    document = yaml.load(path.read_text(encoding="utf-8"))
    node = document
    for part in key_path:
        node = node[part]
    record = review.model_dump(mode="json", exclude_defaults=True)
    record["date"], record["next_review"] = review.date, review.next_review
    record["fingerprint"] = review.fingerprint
    # A comment after the unit (a banner before the next section) stays after it, not
    # between its review records (issue 13).
    append_keeping_comments(node, "reviews", record)
    text = StringIO()
    yaml.dump(document, text)
    _check_still_valid(text.getvalue(), path, catalog)
    shown_in = _showing(catalog, unit_name, leaflet_id)
    if shown_in is not None:
        from .approved import read_sidecar, sidecar_path

        read_sidecar(catalog.root, sidecar_path(shown_in[1].location.path))  # broken: refuse
    write_atomic(path, text.getvalue().encode("utf-8"))
    if shown_in is not None:
        from .approved import keep

        keep(catalog, shown_in[0], shown_in[1], digest, levels)
    return review


def _showing(
    catalog: Catalog, unit_name: str, leaflet_id: str | None
) -> tuple[LoadedLeaflet, Unit] | None:
    """A leaflet that shows the unit, and the unit (to keep the wording the reader sees)."""
    wanted = unit_name if unit_name.startswith("leaflet:") else f"block:{unit_name}"
    for loaded in catalog.leaflets:
        if leaflet_id is not None and loaded.leaflet.id != leaflet_id:
            continue
        for unit in leaflet_units(loaded):
            if unit.id == wanted:
                return loaded, unit
    return None


def units_to_approve(
    catalog: Catalog,
    today: dt.date,
    *,
    leaflet_id: str | None = None,
    section_id: str | None = None,
    pending_only: bool = True,
) -> list[tuple[str, str]]:
    """(unit name, leaflet id) of the units a bulk approval covers: a section of a leaflet,
    a whole leaflet, or (no leaflet) every leaflet; pending ones only unless asked."""
    chosen: dict[str, str] = {}
    for loaded in catalog.leaflets:
        if leaflet_id is not None and loaded.leaflet.id != leaflet_id:
            continue
        for state in leaflet_reviews(loaded, today, catalog):
            unit = state.unit
            if section_id is not None and section_id not in unit.sections:
                continue
            if pending_only and state.status is ReviewStatus.REVIEWED:
                continue
            chosen.setdefault(unit.name, loaded.leaflet.id)
    if leaflet_id is not None and not any(x.leaflet.id == leaflet_id for x in catalog.leaflets):
        raise UsageError(f"no leaflet {leaflet_id!r} in this project")
    if leaflet_id is None and section_id is None:  # the clinics' units (clinic_review.py)
        from ..text.clinic_review import clinic_state, clinic_unit

        for loaded_clinic in catalog.clinics:
            _, status, _ = clinic_state(catalog, loaded_clinic, today)
            if not pending_only or status is not ReviewStatus.REVIEWED:
                chosen.setdefault(clinic_unit(loaded_clinic.clinic.id), "")
    return list(chosen.items())


def a_year_on(date: dt.date) -> dt.date:
    try:
        return date.replace(year=date.year + 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year + 1, day=28)


def _check_still_valid(text: str, path: Path, catalog: Catalog) -> None:
    """Never write a file the loader would refuse."""
    probe = path.with_name(f".{path.name}.check")
    try:
        probe.write_text(text, encoding="utf-8")
        document = read_yaml(probe, Location(path).path)
        if document.problems:
            raise ContentError(document.problems)
    finally:
        probe.unlink(missing_ok=True)
