"""The review packet: one accessible document a clinician can review from.

`LoadedLeaflet` in, a packet (tagged PDF/UA-1 or HTML) out, through the same pipeline as a
leaflet: a sandboxed, autoescaped Jinja template (`review-packet.html.j2`), WeasyPrint,
then the project's own PDF checks (verify.py). It opens with a summary (how many units,
how many changed, which levels), then for each unit that needs review: the words exactly
as the reader sees them at each level (reader_text.py, so any new kind of reader text
appears without changes here), the word diff against the last approval with deletions and
insertions marked in words, its sources, its numbers (frequencies and icon array), its
certainty rating with the written reason, the check findings (check.check_leaflet) and a
sign-off table. Units approved and unchanged are listed compactly at the end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..content.load import Catalog, LoadedLeaflet
from ..errors import ContentError, Location, Problem, UsageError, VerifyError
from ..render.templates import make_environment
from ..review.approved import Kept, LevelDiff, hunks, render_ops, unit_diffs
from ..review.state import BlockReview, ReviewStatus, Unit, leaflet_reviews, leaflet_units

TEMPLATE = "review-packet.html.j2"
DELETED, INSERTED = "[deleted: {}]", "[inserted: {}]"


@dataclass(frozen=True)
class Packet:
    data: bytes
    units: int
    to_review: int
    changed: int
    pages: int = 0


@dataclass
class UnitPart:
    """One unit as the packet shows it."""

    unit: Unit
    states: list[BlockReview]
    words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """level -> (role, text) as the reader sees them."""
    diffs: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    numbers: Any = None
    """The BlockView with frequencies (for the icon array), at the first level shown."""
    numbers_level: str = ""
    certainty: dict[str, str] | None = None
    findings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def what(self) -> str:
        return self.unit.describe()

    @property
    def status(self) -> str:
        by_status: dict[str, list[str]] = {}
        for state in self.states:
            by_status.setdefault(str(state.status), []).append(state.level)
        return "; ".join(f"{status} ({', '.join(levels)})" for status, levels in by_status.items())

    @property
    def last_review(self) -> dict[str, str] | None:
        reviews = [s.review for s in self.states if s.review is not None]
        if not reviews:
            return None
        review = max(reviews, key=lambda r: r.date)
        return {
            "by": review.by,
            "role": review.role,
            "date": review.date.isoformat(),
            "next_review": review.next_review.isoformat(),
            "kind": "clinical sign-off" if review.clinical else "editorial check",
        }

    @property
    def pending(self) -> bool:
        return any(s.status is not ReviewStatus.REVIEWED for s in self.states)


def _marked(diff: LevelDiff) -> list[list[dict[str, str]]]:
    """The changes with a few words either side, as hunks of {op, words}."""
    return [[{"op": op, "words": words} for op, words in hunk] for hunk in hunks(diff.ops)]


def packet_context(
    catalog: Catalog, loaded: LoadedLeaflet, today: dt.date, medium: str
) -> dict[str, Any]:
    """Everything the packet template prints (pure data; no layout)."""
    from ..review.state import summarise
    from ..text.check import check_leaflet
    from ..text.levels import context_for
    from ..text.reader_text import reader_text

    states = leaflet_reviews(loaded, today, catalog)
    kept = Kept(catalog)
    diffs = {d.unit.id: d for d in unit_diffs(catalog, loaded, today, kept=kept)}
    segments = {level: reader_text(loaded, level, catalog) for level in loaded.levels}
    views: dict[str, tuple[str, Any]] = {}
    for level in loaded.levels:
        context = context_for(loaded, level, catalog, review=summarise(states, level))
        for section in context.sections:
            for view in section.blocks:
                views.setdefault(view.id, (level, view))
    problems = [
        p for p in check_leaflet(catalog, loaded, today=today) if not p.message.endswith("[review]")
    ]
    labels = {key: value.label for key, value in catalog.project.levels.items()}
    parts: list[UnitPart] = []
    for unit in leaflet_units(loaded):
        mine = [s for s in states if s.unit.id == unit.id]
        if not mine:
            continue
        part = UnitPart(unit, mine)
        for level in loaded.levels:
            shown = [(s.role, s.plain) for s in segments[level] if s.unit == unit.id]
            if shown:
                part.words[level] = shown
        diff = diffs.get(unit.id)
        for level_diff in diff.changed_levels if diff else []:
            part.diffs.append(
                {
                    "level": level_diff.level,
                    "kept": level_diff.old is not None,
                    "hunks": _marked(level_diff),
                    "text": render_ops(level_diff.ops, DELETED, INSERTED),
                }
            )
        part.sources = _sources(catalog, unit, loaded)
        block = unit.placed.block if unit.placed is not None else None
        if block is not None and block.certainty is not None:
            part.certainty = {"rating": block.certainty.rating, "reason": block.certainty.reason}
        if block is not None and block.id in views and views[block.id][1].frequencies:
            part.numbers_level, part.numbers = views[block.id]
        part.findings = [str(p) for p in problems if _belongs(p, unit, segments)]
        parts.append(part)
    pending = [p for p in parts if p.pending]
    changed = [p for p in pending if any(s.status is ReviewStatus.STALE for s in p.states)]
    pending_levels = sorted(
        {s.level for p in pending for s in p.states if s.status is not ReviewStatus.REVIEWED},
        key=list(loaded.levels).index,
    )
    title = _title(loaded)
    return {
        "medium": medium,
        "language": loaded.language,
        "title": f"Review packet: {title}",
        "leaflet": {"id": loaded.leaflet.id, "title": title, "version": loaded.leaflet.version},
        "today": today,
        "labels": labels,
        "levels": list(loaded.levels),
        "summary": {
            "units": len(parts),
            "to_review": len(pending),
            "changed": len(changed),
            "unreviewed": sum(
                1 for p in pending if any(s.status is ReviewStatus.UNREVIEWED for s in p.states)
            ),
            "expired": sum(
                1 for p in pending if any(s.status is ReviewStatus.EXPIRED for s in p.states)
            ),
            "levels": pending_levels,
        },
        "pending": pending,
        "done": [p for p in parts if not p.pending],
        "deleted_marker": DELETED.format("..."),
        "inserted_marker": INSERTED.format("..."),
    }


def _title(loaded: LoadedLeaflet) -> str:
    titles = loaded.leaflet.title
    for key in ("detailed", "plain", "all", *loaded.levels):
        if key in titles:
            return str(titles[key])
    return loaded.leaflet.id


def _sources(catalog: Catalog, unit: Unit, loaded: LoadedLeaflet) -> list[dict[str, Any]]:
    if unit.placed is not None:
        ids: list[str] = list(unit.placed.block.sources)
    else:
        ids = sorted({s for section in loaded.sections for p in section for s in p.block.sources})
    out = []
    for key in ids:
        source = catalog.sources.get(key)
        if source is not None:
            out.append(
                {
                    "id": key,
                    "organisation": source.organisation,
                    "year": source.year,
                    "title": source.title,
                    "url": source.url or "",
                }
            )
    return out


def _belongs(problem: Problem, unit: Unit, segments: dict[str, list[Any]]) -> bool:
    """A finding belongs to the unit whose reader text is at its location (or named)."""
    if unit.placed is not None:
        if f"block {unit.placed.block.id!r}" in problem.message:
            return True
        places = {
            str(s.location) for level in segments.values() for s in level if s.unit == unit.id
        }
        return str(problem.location) in places and "block '" not in problem.message
    return "block '" not in problem.message


def build_packet(catalog: Catalog, leaflet_id: str, form: str, today: dt.date) -> Packet:
    """The packet for one leaflet as PDF (checked like a leaflet) or HTML bytes."""
    loaded = next((x for x in catalog.leaflets if x.leaflet.id == leaflet_id), None)
    if loaded is None:
        for path, problems in catalog.failed.items():
            if path.stem == leaflet_id:  # the file is there but does not load
                raise ContentError(problems)
        known = ", ".join(x.leaflet.id for x in catalog.leaflets) or "none"
        raise UsageError(f"no leaflet {leaflet_id!r} in this project (leaflets: {known})")
    context = packet_context(catalog, loaded, today, form)
    environment = make_environment(catalog.root)
    html = environment.get_template(TEMPLATE).render(packet=context, page=_Medium(form))
    counts = (
        context["summary"]["units"],
        context["summary"]["to_review"],
        context["summary"]["changed"],
    )
    if form == "html":
        return Packet(html.encode("utf-8"), *counts)
    from ..render.pdf import render_pdf
    from ..verify.contract import verify_pdf

    where = Location(loaded.path)
    roots: tuple[Path, ...] = environment.globals["readable_roots"]  # type: ignore[assignment]
    data = table_scopes(render_pdf(html, catalog.content_dir, roots, where))
    facts = verify_pdf(data, loaded.language, context["title"])
    if facts.problems:
        raise VerifyError(facts.as_problems(where))
    return Packet(data, *counts, pages=facts.pages)


@dataclass(frozen=True)
class _Medium:
    """What the shared template helpers (`resource`) read to inline files in HTML."""

    medium: str


def table_scopes(raw: bytes) -> bytes:
    """Give each table header cell its /Scope (WeasyPrint writes none; PDF/UA 7.5): a
    header in a row of headers labels its column, any other labels its row."""
    import io

    import pikepdf

    from ..render.pdf import walk_structure

    with pikepdf.open(io.BytesIO(raw)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return raw
        for row in walk_structure(tree):
            if str(row.get("/S")) != "/TR":
                continue
            kids = row.get("/K")
            cells = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
            cells = [c for c in cells if isinstance(c, pikepdf.Dictionary) and "/S" in c]
            headers = [c for c in cells if str(c.S) == "/TH"]
            scope = pikepdf.Name.Column if len(headers) == len(cells) else pikepdf.Name.Row
            for cell in headers:
                attribute = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=scope)
                old = cell.get("/A")
                if old is None:
                    cell.A = attribute
                elif isinstance(old, pikepdf.Array):
                    old.append(attribute)
                else:
                    cell.A = pikepdf.Array([old, attribute])
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
