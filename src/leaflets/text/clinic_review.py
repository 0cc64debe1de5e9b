"""Clinic text is reader text: a clinic file's words, located, and its own review unit.

A clinic file (clinics/ID/clinic.yaml) puts words on every branded copy: the clinic's name,
logo alt text, address, phone, opening hours, web addresses and its local urgent-help
routes. They are untrusted input, so they go through the same pipeline as a leaflet's
words:

* `clinic_segments` lists them as `reader_text.Segment`s (unit `clinic:ID`, located at
  their `file:line:col` in clinic.yaml) for each leaflet and level a clinic prints, so the
  wording rules, the invisible-character and look-alike checks and the number rules of
  check.py read them (`check.check_clinic`);
* the unit `clinic:ID` fingerprints every printed clinic string and the logo's bytes;
  a review of it is recorded by the project (not the clinic) in
  `content/reviews/clinics/ID.yaml`, with the wording it covered kept beside the record
  (the same `unit`/`fingerprint`/`wording` form as the leaflet sidecars, approved.py).
  States are those of every unit: unreviewed, stale, expired, reviewed (review.py).

docs/clinics.md (Reviewing a clinic's text) is the workflow.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from ..content.load import CONTENT_DIR, Catalog, LoadedClinic, LoadedLeaflet
from ..content.model import Review
from ..content.source import KeyPath
from ..errors import ContentError, Location, Problem, Severity, UsageError
from ..review.approved import (
    KeptFile,
    KeptWording,
    read_kept,
    unit_pattern,
    with_record,
    write_kept,
)
from ..review.state import BlockReview, ReviewStatus, Unit
from .inline import plain_text
from .reader_text import Segment

if TYPE_CHECKING:
    from .levels import LevelContext

__all__ = [
    "approve_clinic",
    "clinic_fingerprint",
    "clinic_review_path",
    "clinic_segments",
    "clinic_states",
    "clinic_unit",
    "dropped_urgent_help",
    "read_review_file",
]

#: The masthead's "NAME, PHONE": reader text (coverage), not checked again (check_clinic).
NAME_AND_PHONE = "clinic-name-phone"
#: Every level: a clinic's words are the same at each level (the kept wording's key).
KEPT_KEY = "all"
_HEADER = (
    "# The review of a clinic's printed text (name, contact details, urgent-help routes,\n"
    "# logo): who approved which wording, and that wording as the reader saw it.\n"
    "# Written by `leaflets review approve --clinic ID`; do not edit by hand\n"
    "# (docs/clinics.md, Reviewing a clinic's text).\n"
)


class KeptClinicWording(KeptWording):
    """The wording one review of a clinic covered (key `all`: the same at every level)."""

    unit: Annotated[str, Field(pattern=unit_pattern("clinic"))]


class ClinicReviews(KeptFile[KeptClinicWording]):
    """content/reviews/clinics/ID.yaml: the review records and the wording they covered
    (the kept wording in the same form as a leaflet's sidecar, approved.py)."""

    reviews: list[Review] = Field(default_factory=list)


def clinic_unit(clinic_id: str) -> str:
    return f"clinic:{clinic_id}"


def clinic_review_path(clinic_id: str) -> Path:
    """The review file of a clinic, relative to the project root."""
    return Path(CONTENT_DIR) / "reviews" / "clinics" / f"{clinic_id}.yaml"


def read_clinic_reviews(root: Path, clinic_id: str) -> ClinicReviews:
    """The clinic's review file (empty if none); `ContentError` (located) if broken."""
    return read_review_file(root, clinic_review_path(clinic_id))


def read_review_file(root: Path, shown: Path) -> ClinicReviews:
    """A clinic review file at `root / shown` (empty if none); `ContentError` if broken."""
    return read_kept(root, shown, ClinicReviews)


# --- the reader's text of a clinic ----------------------------------------------------------


def clinic_segments(loaded_clinic: LoadedClinic, leaflet_id: str, level: str) -> list[Segment]:
    """Every string the clinic puts on its copy of `leaflet_id` at `level`, as printed
    (the templates print these values: templates/leaflet.html.j2)."""
    from .levels import clinic_view

    view = clinic_view(loaded_clinic, leaflet_id, level)
    unit = clinic_unit(view.id)
    positions = loaded_clinic.positions
    out: list[Segment] = []

    def add(role: str, key_path: KeyPath, text: str) -> None:
        where = positions.of(key_path) if positions else Location(loaded_clinic.path)
        out.append(Segment(unit, role, level, where, " ".join(text.split())))

    if view.logo is not None:
        add("clinic-logo-alt", ("logo", "alt"), view.logo.alt)
    add("clinic-name", ("name",), view.name)
    add("clinic-phone", ("phone",), view.phone)
    # the masthead prints both in one line; its parts are checked as the two above
    add(NAME_AND_PHONE, ("name",), f"{view.name}, {view.phone}")
    for index, route in enumerate(view.urgent_help):
        add("clinic-route-name", ("urgent_help", index, "name"), route.name)
        add("clinic-route-phone", ("urgent_help", index, "phone"), route.phone)
        if route.when:
            add("clinic-route-when", ("urgent_help", index, "when"), route.when)
    if view.address:
        add("clinic-address", ("address",), ", ".join(view.address))
    if view.opening_hours:
        add("clinic-hours", ("opening_hours",), view.opening_hours)
    if view.web:
        add("clinic-web", ("web",), view.web)
    if view.leaflet_url:
        add("clinic-url", ("leaflet_url",), view.leaflet_url)
    return out


# --- the review unit --------------------------------------------------------------------------


def clinic_wording(loaded_clinic: LoadedClinic) -> dict[str, Any]:
    """Everything printed from the clinic file (the online address as its pattern)."""
    clinic = loaded_clinic.clinic
    return {
        "id": clinic.id,
        "name": clinic.name,
        "logo": None if clinic.logo is None else [clinic.logo.path, clinic.logo.alt],
        "address": list(clinic.address),
        "phone": clinic.phone,
        "opening_hours": clinic.opening_hours,
        "web": clinic.web,
        "leaflet_url": clinic.leaflet_url,
        "urgent_help": [[r.name, r.phone, r.when] for r in clinic.urgent_help],
    }


def _logo_bytes(loaded_clinic: LoadedClinic) -> str:
    logo = loaded_clinic.clinic.logo
    if logo is None:
        return ""
    try:
        return hashlib.sha256((loaded_clinic.folder / logo.path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def clinic_fingerprint(loaded_clinic: LoadedClinic) -> str:
    """sha256 of every printed clinic string and of the logo's bytes."""
    data = {"clinic": clinic_wording(loaded_clinic), "logo": _logo_bytes(loaded_clinic)}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _unit(catalog: Catalog, loaded_clinic: LoadedClinic) -> Unit:
    clinic_id = loaded_clinic.clinic.id
    try:
        records = read_clinic_reviews(catalog.root, clinic_id)
    except ContentError:  # reported, located, by approved.sidecar_problems (`check`)
        records = ClinicReviews()
    return Unit(
        clinic_unit(clinic_id),
        clinic_unit(clinic_id),
        Location(loaded_clinic.path, 1, 1),
        (),
        tuple(records.reviews),
    )


def clinic_state(
    catalog: Catalog, loaded_clinic: LoadedClinic, today: dt.date
) -> tuple[Unit, ReviewStatus, Review | None]:
    """The newest review decides (a clinic review covers every level)."""
    unit = _unit(catalog, loaded_clinic)
    if not unit.reviews:
        return unit, ReviewStatus.UNREVIEWED, None
    review = max(reversed(unit.reviews), key=lambda r: r.date)
    if review.fingerprint != clinic_fingerprint(loaded_clinic):
        return unit, ReviewStatus.STALE, review
    if review.next_review < today:
        return unit, ReviewStatus.EXPIRED, review
    return unit, ReviewStatus.REVIEWED, review


def clinic_states(
    catalog: Catalog,
    loaded_clinic: LoadedClinic,
    leaflet_id: str,
    levels: tuple[str, ...],
    today: dt.date,
) -> list[BlockReview]:
    """The clinic unit's state at each level of a branded copy of `leaflet_id`."""
    unit, status, review = clinic_state(catalog, loaded_clinic, today)
    return [BlockReview(leaflet_id, level, unit, status, review) for level in levels]


def find_clinic(catalog: Catalog, clinic_id: str) -> LoadedClinic:
    found = next((c for c in catalog.clinics if c.clinic.id == clinic_id), None)
    if found is None:
        known = ", ".join(c.clinic.id for c in catalog.clinics) or "none"
        raise UsageError(
            f"no clinic {clinic_id!r} in this project (leaflets.yaml outputs.clinics: {known})"
        )
    return found


def approve_clinic(
    catalog: Catalog,
    clinic_id: str,
    *,
    by: str,
    role: str,
    date: dt.date,
    next_review: dt.date,
    clinical: bool = False,
) -> Review:
    """Record a review of the clinic's printed text as it is now, and keep that text."""
    loaded_clinic = find_clinic(catalog, clinic_id)
    digest = clinic_fingerprint(loaded_clinic)
    review = Review(
        by=by, role=role, date=date, next_review=next_review, clinical=clinical, fingerprint=digest
    )
    if review.next_review <= review.date:
        raise UsageError("--next-review must be after the review date")
    existing = read_clinic_reviews(catalog.root, clinic_id)  # broken: refuse, located
    segments = clinic_segments(loaded_clinic, "{leaflet}", "{level}")
    shown = [s.plain for s in segments if s.role != NAME_AND_PHONE]
    unit = clinic_unit(clinic_id)
    now = KeptClinicWording(unit=unit, fingerprint=digest, wording={KEPT_KEY: shown})
    kept = with_record(existing.approved, now)
    records = []
    for old in [*existing.reviews, review]:
        record = old.model_dump(mode="json", exclude_defaults=True)
        record["date"], record["next_review"] = old.date, old.next_review
        record["fingerprint"] = old.fingerprint
        records.append(record)
    data = {"reviews": records, "approved": [k.model_dump(mode="json") for k in kept]}
    write_kept(catalog.root, clinic_review_path(clinic_id), _HEADER, data)
    return review


# --- a clinic's copy keeps the leaflet's urgent help -------------------------------------------


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._skip += tag in ("style", "script", "title")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script", "title") and self._skip > 0

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def dropped_urgent_help(html: str, context: LevelContext) -> list[str]:
    """The leaflet's own urgent-help wording (each paragraph and item of its urgent-help
    sections) that a branded page does not print: a clinic adds routes, it never removes
    or replaces the leaflet's (whatever its templates do)."""
    parser = _Text()
    parser.feed(html)
    printed = " ".join("".join(parser.parts).split())
    missing = []
    for section in context.sections:
        if section.kind != "urgent_help":
            continue
        for block in section.blocks:
            for raw in (*block.paragraphs, *block.items):
                words = " ".join(plain_text(raw).split())
                if words and words not in printed:
                    missing.append(words)
    return missing


# --- words a clinic's own templates add -----------------------------------------------------


def template_problems(
    catalog: Catalog, loaded: LoadedLeaflet, clinic: LoadedClinic, level: str, today: dt.date
) -> list[Problem]:
    """A clinic's own templates (clinics/ID/templates) are untrusted: the page they make is
    rendered and every word on it must be reader text or the built-in fixed wording."""
    from ..errors import LeafletError
    from ..render.render import render_html
    from ..render.templates import make_environment
    from ..review.state import leaflet_reviews, summarise
    from .coverage import uncovered_words
    from .levels import context_for
    from .reader_text import reader_text

    folder = clinic.folder / "templates"
    if not folder.is_dir():
        return []
    try:
        shown = folder.relative_to(catalog.root.resolve())
    except ValueError:
        shown = folder
    states = leaflet_reviews(loaded, today, catalog)
    states += clinic_states(catalog, clinic, loaded.leaflet.id, (level,), today)
    context = context_for(loaded, level, catalog, review=summarise(states, level), clinic=clinic)
    try:
        html = render_html(make_environment(catalog.root, (folder,)), context)
    except LeafletError as exc:
        return list(exc.problems)
    segments = reader_text(loaded, level, catalog, context, clinic=clinic)
    words = uncovered_words(html, segments, context.language)
    return [
        Problem(
            Location(shown),
            f"the clinic's templates print words no review covers ({level}): {word[:80]!r} "
            "[clinic-template]",
            "put the words in clinic.yaml (reviewed as clinic:ID) or in the content, not "
            "in a template",
            Severity.ERROR,
        )
        for word in dict.fromkeys(words)
    ]
