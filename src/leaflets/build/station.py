"""The manifest in, `output/index.html` out: the print station for clinic staff.

One self-contained page (no network, no server: it works from a shared drive through
`file://`) listing every leaflet with its levels, papers, large print, booklets, HTML
twins, languages and clinic copies, with version, review date and page counts from the
manifest, a search box (a small inline script of our own template; every manifest value
is escaped by Jinja's autoescape) and a short note on how to print. Its words are tool
interface for clinic staff, not patient text, so they are not part of the reader's text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..content.load import Catalog
from ..output import write_atomic
from .manifest import ManifestEntry

STATION_NAME = "index.html"
TEMPLATE = "print-station.html.j2"


@dataclass
class StationFile:
    path: str
    label: str
    """e.g. "A4", "Letter, large print", "A4 booklet", "Web page"."""
    pages: int


@dataclass
class StationLevel:
    level: str
    label: str
    files: list[StationFile] = field(default_factory=list)


@dataclass
class StationRow:
    """One leaflet, unbranded or one clinic's copy."""

    leaflet: str
    title: str
    clinic: str
    language: str
    version: str
    next_review: str
    levels: list[StationLevel] = field(default_factory=list)

    @property
    def search_text(self) -> str:
        levels = " ".join(f"{lv.label} {' '.join(f.label for f in lv.files)}" for lv in self.levels)
        return " ".join([self.title, self.leaflet, self.clinic, self.language, levels]).lower()


def _label(entry: ManifestEntry) -> str:
    paper = {"a4": "A4", "letter": "Letter"}.get(entry.paper, entry.paper)
    if entry.format == "html":
        text = "Web page"
    elif entry.format == "booklet":
        text = f"{paper} booklet (folded A5)" if entry.paper == "a4" else f"{paper} booklet"
    elif entry.format == "a5":
        text = "A5 pages" if entry.paper == "a4" else "Half-Letter pages"
    else:
        text = paper
    return f"{text}, large print" if entry.large_print else text


_ORDER = {"pdf": 0, "booklet": 1, "a5": 2, "html": 3}


def station_rows(catalog: Catalog, entries: list[ManifestEntry]) -> list[StationRow]:
    """Manifest entries grouped by leaflet and clinic, levels in the project's order."""
    level_order = list(catalog.project.levels)
    clinic_names = {c.clinic.id: c.clinic.name for c in catalog.clinics}
    rows: dict[tuple[str, str], StationRow] = {}
    for entry in sorted(
        entries,
        key=lambda e: (e.large_print, _ORDER.get(e.format, 9), e.paper, e.path),
    ):
        clinic = clinic_names.get(entry.clinic, entry.clinic) if entry.clinic else ""
        row = rows.get((entry.leaflet, clinic))
        if row is None:
            row = rows[(entry.leaflet, clinic)] = StationRow(
                entry.leaflet,
                entry.title or entry.leaflet,
                clinic,
                entry.language,
                entry.version,
                entry.next_review,
            )
        level = next((lv for lv in row.levels if lv.level == entry.level), None)
        if level is None:
            known = catalog.project.levels.get(entry.level)
            level = StationLevel(entry.level, known.label if known else entry.level)
            row.levels.append(level)
        if level_order and entry.level == level_order[0] and entry.title:
            row.title = entry.title
        pages = entry.pages if entry.format != "html" else 0
        level.files.append(StationFile(entry.path, _label(entry), pages))
    for row in rows.values():
        row.levels.sort(
            key=lambda lv: level_order.index(lv.level) if lv.level in level_order else 99
        )
    return sorted(rows.values(), key=lambda r: (r.title.lower(), r.clinic))


def render_station(catalog: Catalog, entries: list[ManifestEntry]) -> str:
    from ..render.templates import make_environment

    environment = make_environment(catalog.root)
    template = environment.get_template(TEMPLATE)
    return template.render(
        project=catalog.project,
        rows=station_rows(catalog, entries),
        language=catalog.project.language,
        review_date=_review_date,
    )


def _review_date(iso: str) -> str:
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


MARK = b'<meta name="generator" content="leaflets print station">'
"""How a station page says it is ours: a page without it is never replaced or removed."""


class ForeignStation(Exception):
    """An `index.html` this builder did not write is in the output folder."""


def _ours(path: Path) -> bool:
    try:
        if path.is_symlink():
            return False
        with path.open("rb") as handle:
            return MARK in handle.read(4096)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def write_station(catalog: Catalog, out_dir: Path, entries: list[ManifestEntry]) -> Path:
    """Write `out_dir/index.html` atomically; with nothing built there is no station (and
    an earlier one of ours goes). A file of that name this builder did not write is left
    alone (`ForeignStation`). Returns its path."""
    path = out_dir / STATION_NAME
    if not _ours(path):
        raise ForeignStation(str(path))
    if not entries:
        path.unlink(missing_ok=True)
        return path
    write_atomic(path, render_station(catalog, entries).encode("utf-8"))
    return path
