"""What was approved, kept: the wording each review covered, as the reader saw it, and a
word-level diff of a stale unit against it.

`review approve` records a fingerprint in the content file (review.py) and, beside it, the
reviewed wording in a sidecar under `content/reviews/` that mirrors the content file's
path (`content/leaflets/x.yaml` -> `content/reviews/leaflets/x.yaml`,
`content/blocks/y.yaml` -> `content/reviews/blocks/y.yaml`). The sidecar is data: it is
read with the same safe, located YAML reader and validated like all content; a broken
sidecar gives `file:line:col` problems, never a traceback. It holds, per (unit,
fingerprint), the plain text of each level the review covered, one string per thing the
reader sees (reader_text.Segment.plain), so a later diff compares words, not YAML.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field

from ..content.load import CONTENT_DIR, Catalog, LoadedLeaflet, _validate
from ..content.source import read_yaml
from ..errors import ContentError, Problem
from ..output import write_atomic
from .state import BlockReview, ReviewStatus, Unit, leaflet_reviews, leaflet_units

REVIEWS_DIR = "reviews"
_HEADER = (
    "# The wording each review approved, as the reader saw it, one list per level.\n"
    "# Written by `leaflets review approve`; read by `leaflets review diff` and\n"
    "# `leaflets review packet`. Do not edit by hand (docs/evidence.md, For reviewers).\n"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def unit_pattern(*kinds: str) -> str:
    """The names of review units of the given kinds (`block:ID`, `clinic:ID`...)."""
    return rf"^(?:{'|'.join(kinds)}):[A-Za-z0-9][A-Za-z0-9_.-]*$"


class KeptWording(_Strict):
    """The wording one review covered: the one shape of every kept-wording record (a
    file's records narrow `unit` to the unit kinds it may hold)."""

    unit: str
    fingerprint: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]
    wording: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")], list[str]]
    """Per level (or `all`): the strings the reader saw, in reading order."""


class ApprovedWording(KeptWording):
    """The wording one review of a block or leaflet unit covered."""

    unit: Annotated[str, Field(pattern=unit_pattern("block", "leaflet"))]


Kind = TypeVar("Kind", bound=KeptWording)


class KeptFile(_Strict, Generic[Kind]):
    """A file of kept wording under content/reviews/ (a sidecar, a clinic's review file)."""

    approved: list[Kind] = Field(default_factory=list)


class ApprovedFile(KeptFile[ApprovedWording]):
    """A leaflet's or shared block's sidecar."""


File = TypeVar("File", bound=KeptFile[Any])


def read_kept(root: Path, shown: Path, model: type[File]) -> File:
    """The file at `root / shown` as `model` (empty when there is none); `ContentError`
    (located) if broken."""
    path = root / shown
    if not path.is_file():
        return model()
    document = read_yaml(path, shown)
    if document.data is None:
        return model()
    return _validate(document, model)


def with_record(records: list[Kind], record: Kind) -> list[Kind]:
    """`records` with `record` in place of any earlier one for the same unit and fingerprint."""
    key = (record.unit, record.fingerprint)
    return [*(r for r in records if (r.unit, r.fingerprint) != key), record]


def write_kept(root: Path, shown: Path, header: str, data: dict[str, Any]) -> None:
    """Write a file of kept wording (YAML under its header comment), atomically."""
    text = header + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )
    write_atomic(root / shown, text.encode("utf-8"))


def sidecar_path(content_file: Path) -> Path:
    """The sidecar (relative to the project root) for a content file (relative too)."""
    parts = content_file.parts
    inner = Path(*parts[1:]) if parts and parts[0] == CONTENT_DIR else Path(content_file.name)
    return Path(CONTENT_DIR) / REVIEWS_DIR / inner


def read_sidecar(root: Path, shown: Path) -> ApprovedFile:
    """The sidecar at `root / shown` (empty when there is none); `ContentError` if broken."""
    return read_kept(root, shown, ApprovedFile)


def sidecar_problems(catalog: Catalog) -> list[Problem]:
    """Located problems of every sidecar under content/reviews/ (for `leaflets check`)."""
    folder = catalog.root / CONTENT_DIR / REVIEWS_DIR
    problems: list[Problem] = []
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else []:
        shown = path.relative_to(catalog.root)
        try:
            if shown.parts[:3] == (CONTENT_DIR, REVIEWS_DIR, "clinics"):
                from ..text.clinic_review import read_review_file  # a clinic's review records

                read_review_file(catalog.root, shown)
            else:
                read_sidecar(catalog.root, shown)
        except ContentError as exc:
            problems += exc.problems
    return problems


class Kept:
    """The approved wording of a project, read from its sidecars on first use."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._files: dict[Path, dict[tuple[str, str], ApprovedWording]] = {}

    def _file(self, content_file: Path) -> dict[tuple[str, str], ApprovedWording]:
        shown = sidecar_path(content_file)
        if shown not in self._files:
            data = read_sidecar(self.catalog.root, shown)
            self._files[shown] = {(r.unit, r.fingerprint): r for r in data.approved}
        return self._files[shown]

    def wording(self, unit: Unit, fingerprint: str) -> dict[str, list[str]] | None:
        record = self._file(unit.location.path).get((unit.id, fingerprint))
        return None if record is None else record.wording


def current_wording(
    catalog: Catalog, loaded: LoadedLeaflet, levels: tuple[str, ...] | None = None
) -> dict[str, dict[str, list[str]]]:
    """unit id -> level -> the strings a reader sees now (reader_text, plain)."""
    from ..text.reader_text import reader_text

    out: dict[str, dict[str, list[str]]] = {}
    for level in levels or loaded.levels:
        for segment in reader_text(loaded, level, catalog):
            out.setdefault(segment.unit, {}).setdefault(level, []).append(segment.plain)
    return out


def keep(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    unit: Unit,
    fingerprint: str,
    levels: list[str] | None,
) -> Path:
    """Store the wording `unit` shows now (at `levels`, or every level) under `fingerprint`
    in its sidecar; return the sidecar's path (relative to the project root)."""
    now = current_wording(catalog, loaded, tuple(levels) if levels else None)
    wording = now.get(unit.id, {})
    shown = sidecar_path(unit.location.path)
    existing = read_sidecar(catalog.root, shown)
    record = ApprovedWording(unit=unit.id, fingerprint=fingerprint, wording=wording)
    write_sidecar(catalog.root, shown, with_record(existing.approved, record))
    return shown


def write_sidecar(root: Path, shown: Path, records: list[ApprovedWording]) -> None:
    write_kept(root, shown, _HEADER, {"approved": [r.model_dump(mode="json") for r in records]})


def keep_current(catalog: Catalog, today: dt.date, leaflet_id: str | None = None) -> int:
    """Store the wording of every review whose fingerprint still matches (so the wording
    now IS what was approved): for reviews recorded before wording was kept. Returns how
    many records were added."""
    kept = Kept(catalog)
    added = 0
    done: set[tuple[str, str]] = set()
    for loaded in catalog.leaflets:
        if leaflet_id is not None and loaded.leaflet.id != leaflet_id:
            continue
        for state in leaflet_reviews(loaded, today, catalog):
            review = state.review
            if review is None or state.status not in (
                ReviewStatus.REVIEWED,
                ReviewStatus.EXPIRED,
            ):
                continue
            key = (state.unit.id, review.fingerprint)
            if key in done or kept.wording(state.unit, review.fingerprint) is not None:
                continue
            done.add(key)
            keep(catalog, loaded, state.unit, review.fingerprint, review.levels)
            kept = Kept(catalog)
            added += 1
    return added


# --- word-level diff ----------------------------------------------------------------------

PARAGRAPH = "¶"
"""Between two strings the reader sees (paragraphs, items, captions) in a diff."""


@dataclass(frozen=True)
class LevelDiff:
    level: str
    old: list[str] | None
    """The approved wording at this level; None when it was not kept."""
    new: list[str]
    ops: list[tuple[str, str]] = field(default_factory=list)
    """(equal | delete | insert, words), in order."""

    @property
    def changed(self) -> bool:
        return self.old is None or any(op != "equal" for op, _ in self.ops)

    def marked(self) -> str:
        """Plain text with [-deleted-] and {+inserted+} markers."""
        return render_ops(self.ops, "[-{}-]", "{{+{}+}}")

    def as_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "kept": self.old is not None,
            "approved": self.old,
            "current": self.new,
            "diff": [[op, words] for op, words in self.ops],
            "marked": self.marked(),
        }


@dataclass(frozen=True)
class UnitDiff:
    leaflet: str
    unit: Unit
    state: BlockReview
    levels: list[LevelDiff]

    @property
    def changed_levels(self) -> list[LevelDiff]:
        return [d for d in self.levels if d.changed]

    def as_json(self) -> dict[str, Any]:
        review = self.state.review
        return {
            "leaflet": self.leaflet,
            "unit": self.unit.name,
            "location": str(self.unit.location),
            "status": str(self.state.status),
            "approved": None
            if review is None
            else {"by": review.by, "role": review.role, "date": str(review.date)},
            "levels": [d.as_json() for d in self.changed_levels],
            "note": "" if self.changed_levels else OTHER_CHANGE,
        }


OTHER_CHANGE = (
    "no word the reader sees changed at these levels: what changed is something else the "
    "review covers (sources, picture, structure, levels shown, or a level not built)"
)


def _words(strings: list[str]) -> list[str]:
    words: list[str] = []
    for index, string in enumerate(strings):
        if index:
            words.append(PARAGRAPH)
        words.extend(string.split())
    return words


def word_diff(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """difflib on words; a replacement is a deletion then an insertion."""
    a, b = _words(old), _words(new)
    ops: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            ops.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", " ".join(b[j1:j2])))
    return ops


def render_ops(ops: list[tuple[str, str]], deleted: str, inserted: str) -> str:
    parts = []
    for op, words in ops:
        if op == "delete":
            parts.append(deleted.format(words))
        elif op == "insert":
            parts.append(inserted.format(words))
        else:
            parts.append(words)
    return " ".join(parts)


def hunks(ops: list[tuple[str, str]], context: int = 4) -> list[list[tuple[str, str]]]:
    """Each run of changes with up to `context` unchanged words either side (changes with
    at most twice that between them are one hunk): a change without the whole text."""
    groups: list[list[int]] = []
    for index, (op, _words) in enumerate(ops):
        if op == "equal":
            continue
        near = groups and all(
            ops[i][0] != "equal" or len(ops[i][1].split()) <= 2 * context
            for i in range(groups[-1][-1] + 1, index)
        )
        if near:
            groups[-1].append(index)
        else:
            groups.append([index])
    out = []
    for group in groups:
        first, last = group[0], group[-1]
        hunk = list(ops[first : last + 1])
        if first > 0:
            hunk.insert(0, ("equal", " ".join(ops[first - 1][1].split()[-context:])))
        if last + 1 < len(ops):
            hunk.append(("equal", " ".join(ops[last + 1][1].split()[:context])))
        out.append(hunk)
    return out


def unit_diffs(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    today: dt.date,
    *,
    levels: tuple[str, ...] | None = None,
    kept: Kept | None = None,
    stale_only: bool = True,
) -> list[UnitDiff]:
    """For each stale unit of `loaded` (each pending one unless `stale_only`), the diff of
    its approved wording against the current one, per level."""
    kept = kept or Kept(catalog)
    wanted = levels or loaded.levels
    now = current_wording(catalog, loaded, tuple(x for x in loaded.levels if x in wanted))
    states = leaflet_reviews(loaded, today, catalog)
    out: list[UnitDiff] = []
    for unit in leaflet_units(loaded):
        mine = [s for s in states if s.unit.id == unit.id and s.level in wanted]
        if not mine:
            continue
        if stale_only and not any(s.status is ReviewStatus.STALE for s in mine):
            continue
        per_level = []
        for state in mine:
            if stale_only and state.status is not ReviewStatus.STALE:
                continue
            new = now.get(unit.id, {}).get(state.level, [])
            old = None
            if state.review is not None:
                approved = kept.wording(unit, state.review.fingerprint)
                old = None if approved is None else approved.get(state.level, [])
            ops = word_diff(old, new) if old is not None else [("insert", " ".join(new))]
            per_level.append(LevelDiff(state.level, old, new, ops))
        first = next(s for s in mine if not stale_only or s.status is ReviewStatus.STALE)
        out.append(UnitDiff(loaded.leaflet.id, unit, first, per_level))
    return out
