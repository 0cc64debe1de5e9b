"""Reviews bound to wording: review units, their fingerprints and states, and approving.

A review records a sha256 of the exact wording it covered. Editing one character makes the
fingerprint differ, so the review is stale at once; nobody has to remember to reset it.

The units cover every string a reader sees (reader_text.py): each block in any section
(`block:ID`; its wording at every level, id, levels shown, sources, picture bytes and alt
text), and per leaflet a `leaflet:ID` unit (title, summary, headings, glossary, version and
dates, which blocks each section shows at which levels, the cited sources, and the
project's publisher, feedback, other formats, level labels and certainty phrases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from io import StringIO
from pathlib import Path
from typing import Any

from ..content.load import Catalog, LoadedLeaflet, PlacedBlock
from ..content.model import ALL_LEVELS, DEFAULT_CERTAINTY_PHRASES, Block, Review, paragraphs, pick
from ..content.source import read_yaml
from ..errors import ContentError, Location, Problem, UsageError
from ..output import write_atomic


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


# --- approving: write the record into the YAML, keeping comments and key order ---------


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
            next_review=next_review or _a_year_on(date),
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
        next_review=next_review or _a_year_on(date),
        clinical=clinical,
        levels=levels,
        fingerprint=digest,
    )
    if review.next_review <= review.date:
        raise UsageError("--next-review must be after the review date")
    from ruamel.yaml import YAML  # only `review approve` writes YAML

    path = catalog.root / file_path
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a writer's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(path.read_text(encoding="utf-8"))
    node = document
    for part in key_path:
        node = node[part]
    record = review.model_dump(mode="json", exclude_defaults=True)
    record["date"], record["next_review"] = review.date, review.next_review
    record["fingerprint"] = review.fingerprint
    if "reviews" not in node:
        node["reviews"] = []
    node["reviews"].append(record)
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


def _a_year_on(date: dt.date) -> dt.date:
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
