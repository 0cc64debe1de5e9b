"""The loaded content's types: `Catalog` (a whole project) and what it holds, and the
names of the project's files and folders. Made by load.py; read by every later stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem
from .model import Block, Clinic, Leaflet, Project, Source
from .source import KeyPath, Positions

PROJECT_FILE = "leaflets.yaml"
CONTENT_DIR = "content"
LEAFLETS_DIR = "leaflets"
BLOCKS_DIR = "blocks"
SOURCES_FILE = "sources.yaml"


@dataclass(frozen=True)
class PlacedBlock:
    """A block as it appears in a leaflet, with the file and line it was written at."""

    block: Block
    location: Location
    key_path: KeyPath = ()
    """Where the block sits inside its file (for `review approve`, which edits it)."""
    image_location: Location | None = None
    """Where the block's image path is written (a picture that fails is reported there)."""
    positions: Positions | None = field(default=None, compare=False, repr=False)
    """Where every value of the block's file starts (for `reader_text` locations)."""


@dataclass(frozen=True)
class LoadedLeaflet:
    """A leaflet that passed validation, with `use:` references resolved."""

    leaflet: Leaflet
    path: Path
    levels: tuple[str, ...]
    language: str
    sections: tuple[tuple[PlacedBlock, ...], ...]
    """Blocks per section, in order, library blocks substituted for `use:` entries."""
    section_locations: tuple[Location, ...] = ()
    summary_location: Location | None = None
    positions: Positions | None = field(default=None, compare=False, repr=False)
    """Where every value of the leaflet file starts (for `reader_text` locations)."""
    sources: dict[str, Source] = field(default_factory=dict)
    """The sources this leaflet may cite: content/sources.yaml plus its own (which win)."""
    translation: Any = field(default=None, compare=False, repr=False)
    """For a translated leaflet (localise.localise): a `localise.Translated` naming the
    source leaflet and the translation file; None for a leaflet as written."""


@dataclass(frozen=True)
class LoadedClinic:
    """A validated clinic file and the folder its logo and templates live in."""

    clinic: Clinic
    folder: Path
    path: Path
    positions: Positions | None = field(default=None, compare=False, repr=False)
    """Where every value of clinic.yaml starts (clinic reader text is located there)."""


@dataclass
class Catalog:
    """Everything under one project folder, validated and cross-checked."""

    root: Path
    project: Project
    sources: dict[str, Source]
    library: dict[str, PlacedBlock]
    source_locations: dict[str, Location] = field(default_factory=dict)
    leaflets: list[LoadedLeaflet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: dict[Path, list[Problem]] = field(default_factory=dict)
    """Leaflet files that could not be loaded, with why."""
    clinics: list[LoadedClinic] = field(default_factory=list)
    partial: bool = False
    """Only some leaflet files were read (paths given): builds must not prune others."""
    project_positions: Positions | None = None
    """Where every value of leaflets.yaml starts (project-level reader text)."""
    translations: Any = field(default=None, compare=False, repr=False)
    """The translation files, loaded once when first asked (translate.translations)."""
    image_checks: dict[str, tuple[str, str] | None] = field(
        default_factory=dict, repr=False, compare=False
    )
    """Picture path -> what is wrong with it (None: nothing), checked once per load."""

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_DIR

    def all_problems(self) -> list[Problem]:
        return self.problems + [p for ps in self.failed.values() for p in ps]


def shown(path: Path, root: Path) -> Path:
    """Paths in messages are relative to the project, as a writer sees them."""
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(root)
        except ValueError:
            continue
    return path


def prints(
    clinic_id: str,
    loaded: LoadedLeaflet,
    project_clinics: Iterable[LoadedClinic],
    given: Iterable[LoadedClinic] | None,
) -> bool:
    """Does this clinic print this leaflet? The leaflet's `clinics:` list wins; else the
    clinic file's `leaflets:` list; else every clinic prints every leaflet (issue 15)."""
    if loaded.leaflet.clinics is not None:
        return clinic_id in loaded.leaflet.clinics
    found = next((c for c in (*(given or ()), *project_clinics) if c.clinic.id == clinic_id), None)
    if found is None or found.clinic.leaflets is None:
        return True
    return loaded.leaflet.id in found.clinic.leaflets
