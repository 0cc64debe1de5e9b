"""Reviews bound to wording: fingerprints, the review state of each block, and approving.

A review records a sha256 of the exact wording it covered. Editing one character makes the
fingerprint differ, so the review is stale at once; nobody has to remember to reset it.
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

from .errors import ContentError, Location, Problem, UsageError
from .load import Catalog, LoadedLeaflet, PlacedBlock
from .model import (
    ALL_LEVELS,
    REVIEWED_BLOCK_KINDS,
    REVIEWED_SECTION_KINDS,
    Block,
    Review,
    paragraphs,
)
from .output import write_atomic
from .source import read_yaml


class ReviewStatus(StrEnum):
    REVIEWED = "reviewed"
    UNREVIEWED = "unreviewed"
    STALE = "stale"
    EXPIRED = "expired"


@dataclass(frozen=True)
class BlockReview:
    """The review state of one block at one level, where a reader would see it."""

    leaflet: str
    level: str
    placed: PlacedBlock
    status: ReviewStatus
    review: Review | None

    def describe(self) -> str:
        block = self.placed.block.id
        if self.status is ReviewStatus.UNREVIEWED:
            return f"block {block!r} ({self.level}): wording not reviewed"
        assert self.review is not None
        when = f"on {self.review.date} by {self.review.by}"
        if self.status is ReviewStatus.STALE:
            return f"block {block!r} ({self.level}): wording changed since the review {when}"
        if self.status is ReviewStatus.EXPIRED:
            return (
                f"block {block!r} ({self.level}): review {when} expired on "
                f"{self.review.next_review}"
            )
        return f"block {block!r} ({self.level}): reviewed {when}"

    def as_problem(self) -> Problem:
        return Problem(
            self.placed.location,
            self.describe(),
            f"review the wording, then: leaflets review approve {self.placed.block.id} "
            "--by NAME --role ROLE",
        )


def _normal(value: Any) -> Any:
    """Wording with layout whitespace removed, so re-wrapping a line is not a change."""
    if isinstance(value, str):
        return "\n\n".join(paragraphs(value))
    if isinstance(value, list):
        return [_normal(item) for item in value]
    return value


def wording_at(block: Block, level: str | None) -> dict[str, Any]:
    """Everything a reader sees of `block` (at `level`, or as written for all levels)."""
    words: dict[str, Any] = {}
    for key_path, texts in block.wording():
        name = ".".join(str(part) for part in key_path)
        if level is None:
            words[name] = {key: _normal(text) for key, text in sorted(texts.items())}
        elif level in texts or ALL_LEVELS in texts:
            words[name] = _normal(texts.get(level, texts.get(ALL_LEVELS)))
    if block.frequencies is not None:
        words["numbers"] = [block.frequencies.out_of, [g.count for g in block.frequencies.groups]]
    if block.certainty is not None:
        words["certainty"] = block.certainty.rating
    words["kind"] = block.kind
    # What backs the words and what a screen reader says are part of what was checked.
    words["sources"] = list(block.sources)
    if block.image is not None:
        words["image"] = [block.image.path, block.image.alt]
    return words


def fingerprint(block: Block, levels: list[str] | None = None) -> str:
    """sha256 of the block's wording at `levels` (all of it when None)."""
    if levels is None:
        data: Any = wording_at(block, None)
    else:
        data = {level: wording_at(block, level) for level in sorted(levels)}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def review_state(block: Block, level: str, today: dt.date) -> tuple[ReviewStatus, Review | None]:
    """The newest review covering `level` decides: changed wording, expired, or fine."""
    covering = [r for r in block.reviews if r.levels is None or level in r.levels]
    if not covering:
        return ReviewStatus.UNREVIEWED, None
    # The newest review decides; on the same date, the one recorded last (reviews are kept
    # in the order they were approved).
    review = max(reversed(covering), key=lambda r: r.date)
    if review.fingerprint != fingerprint(block, review.levels):
        return ReviewStatus.STALE, review
    if review.next_review < today:
        return ReviewStatus.EXPIRED, review
    return ReviewStatus.REVIEWED, review


def leaflet_reviews(loaded: LoadedLeaflet, today: dt.date) -> list[BlockReview]:
    """Review state of every block that must be reviewed, at every level shown: the
    condition, options, benefits, uncertainty, risks and urgent-help sections, and every
    decision, option, option grid and frequencies block wherever it stands."""
    states = []
    for section, placed_blocks in zip(loaded.leaflet.sections, loaded.sections, strict=True):
        for placed in placed_blocks:
            if (
                section.kind not in REVIEWED_SECTION_KINDS
                and placed.block.kind not in REVIEWED_BLOCK_KINDS
            ):
                continue
            for level in loaded.levels:
                if placed.block.levels is not None and level not in placed.block.levels:
                    continue
                status, review = review_state(placed.block, level, today)
                states.append(BlockReview(loaded.leaflet.id, level, placed, status, review))
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
    block_id: str,
    *,
    by: str,
    role: str,
    levels: list[str] | None = None,
    date: dt.date,
    next_review: dt.date | None = None,
    clinical: bool = False,
    leaflet_id: str | None = None,
) -> Review:
    """Record a review of the block's current wording in its YAML file."""
    placed = find_block(catalog, block_id, leaflet_id)
    for level in levels or []:
        if level not in catalog.project.levels:
            raise UsageError(f"unknown level {level!r}")
    review = Review(
        by=by,
        role=role,
        date=date,
        next_review=next_review or _a_year_on(date),
        clinical=clinical,
        levels=levels,
        fingerprint=fingerprint(placed.block, levels),
    )
    if review.next_review <= review.date:
        raise UsageError("--next-review must be after the review date")
    from ruamel.yaml import YAML  # only `review approve` writes YAML

    path = catalog.root / placed.location.path
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a writer's lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    document = yaml.load(path.read_text(encoding="utf-8"))
    node = document
    for part in placed.key_path:
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
    write_atomic(path, text.getvalue().encode("utf-8"))
    return review


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
    """Blocks at this level whose wording is unreviewed, stale or expired."""
    reviewed_on: dt.date | None
    next_review: dt.date | None
    clinical: bool
    """Every reviewed block at this level has a clinician's sign-off."""
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
    """One located line per block that stops a release build."""
    by_block: dict[tuple[str, ReviewStatus], list[BlockReview]] = {}
    for state in states:
        if state.status is not ReviewStatus.REVIEWED:
            by_block.setdefault((state.placed.block.id, state.status), []).append(state)
    problems = []
    for group in by_block.values():
        first = group[0]
        levels = ", ".join(s.level for s in group)
        message = first.describe().replace(f"({first.level})", f"({levels})", 1)
        problems.append(Problem(first.placed.location, message, first.as_problem().hint))
    return problems
