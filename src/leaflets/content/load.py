"""Content tree in, validated `Catalog` out: schema checks, `use:` references, source ids.

The stages of loading live in their own modules: catalog.py (the types), validation.py
(schema checks, pydantic's messages rewritten), crossrefs.py (checks that need the whole
project); this module reads the files and puts the `Catalog` together.

Every problem is collected with its `file:line:column`, so a writer sees all of them in
one run. A broken leaflet is recorded, not raised: the others can still be built.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ContentError, Location, Problem, Severity, did_you_mean, errors_only
from .catalog import (
    BLOCKS_DIR,
    CONTENT_DIR,
    LEAFLETS_DIR,
    PROJECT_FILE,
    SOURCES_FILE,
    Catalog,
    LoadedClinic,
    LoadedLeaflet,
    PlacedBlock,
    shown,
)
from .crossrefs import ALT_FILE, LeafletChecker, with_default_alt
from .limits import image_problem, text_size_problems
from .model import BlockLibrary, Clinic, Leaflet, Project, Source, SourceList
from .source import SourceDocument
from .validation import validate as _validate

# Re-exported: the rest of the package imports the loaded types from here.
__all__ = [
    "ALT_FILE",
    "BLOCKS_DIR",
    "CONTENT_DIR",
    "LEAFLETS_DIR",
    "PROJECT_FILE",
    "SOURCES_FILE",
    "Catalog",
    "LoadedClinic",
    "LoadedLeaflet",
    "PlacedBlock",
    "_validate",  # approved.py validates its sidecar files the same way
    "find_project_root",
    "load_clinic",
    "load_project",
    "with_default_alt",
]


def find_project_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `leaflets.yaml`."""
    start = start.resolve()
    for folder in [start, *start.parents] if start.is_dir() else list(start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ContentError(
        Problem(
            Location(start),
            f"no {PROJECT_FILE} found here or in any parent folder",
            "run the command inside a leaflets project, or create one with a leaflets.yaml",
        )
    )


def load_project(root: Path, only: Iterable[Path] | None = None) -> Catalog:
    """Load and validate the project at `root`; `only` limits which leaflet files are read.

    Raises `ContentError` when the project file, sources or block library are broken
    (every leaflet depends on them); problems in single leaflets land in `Catalog.failed`.
    """
    root = root.resolve()
    project_document = _read(root / PROJECT_FILE, root)
    project = _validate(project_document, Project)
    shared_problems: list[Problem] = []
    sources, source_locations = _load_sources(root, shared_problems)
    library = _load_library(root, shared_problems)
    if errors_only(shared_problems):
        raise ContentError(shared_problems)
    catalog = Catalog(
        root,
        project,
        sources,
        library,
        source_locations,
        problems=shared_problems,
        partial=only is not None,
        project_positions=project_document.positions,
    )
    leaflet_dir = root / CONTENT_DIR / LEAFLETS_DIR
    paths = sorted(leaflet_dir.rglob("*.yaml")) if only is None else sorted(only)
    if only is None and not paths:
        catalog.problems.append(
            Problem(Location(shown(leaflet_dir, root)), "no leaflet files (*.yaml) found")
        )
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            _inside_project(path, root)
            loaded = _load_leaflet(path, catalog)
            first = seen.setdefault(loaded.leaflet.id, loaded.path)
            if first != loaded.path:
                raise ContentError(
                    Problem(
                        Location(loaded.path, 1, 1),
                        f"leaflet id {loaded.leaflet.id!r} is already used by {first}",
                        "leaflet ids name the output files: each must be unique",
                    )
                )
        except ContentError as exc:
            catalog.failed[path] = exc.problems
        else:
            catalog.leaflets.append(loaded)
    catalog.problems.extend(_unused_sources(catalog))
    clinic_problems: list[Problem] = []
    for index, relative in enumerate(project.outputs.clinics):
        try:
            where = project_document.positions.of(("outputs", "clinics", index))
            catalog.clinics.append(load_clinic(root / relative, root, where))
        except ContentError as exc:
            clinic_problems.extend(exc.problems)
    if clinic_problems:
        raise ContentError(clinic_problems)
    catalog.problems.extend(_unknown_clinics(catalog))
    return catalog


def _unknown_clinics(catalog: Catalog) -> list[Problem]:
    """A leaflet's `clinics:` naming a clinic the project does not build is a warning."""
    known = {c.clinic.id for c in catalog.clinics}
    problems = []
    for loaded in catalog.leaflets:
        for clinic_id in loaded.leaflet.clinics or ():
            if clinic_id not in known:
                problems.append(
                    problem := Problem(
                        Location(loaded.path),
                        f"leaflet {loaded.leaflet.id!r} names clinic {clinic_id!r}, which "
                        "leaflets.yaml does not list (outputs.clinics)",
                        did_you_mean(clinic_id, known) or "check the clinic id",
                        Severity.WARNING,
                    )
                )
                catalog.file_problems.setdefault(str(loaded.path), []).append(problem)
    return problems


def _inside_project(path: Path, root: Path) -> None:
    """Content is read only from inside the project, also through symlinks."""
    if not path.resolve().is_relative_to(root):
        raise ContentError(
            Problem(
                Location(shown(path, root)),
                "this file lies outside the project folder",
                "content files must be inside the project (a symlink points elsewhere)",
            )
        )


def load_clinic(path: Path, root: Path, named_at: Location | None = None) -> LoadedClinic:
    """Read `clinics/ID/clinic.yaml`; its logo must sit in the same folder.

    A clinic file is untrusted input (docs/security.md): it, its folder and its templates
    must lie inside the project, links followed; `named_at` is where it was named."""
    where = named_at or Location(shown(path, root))
    try:
        real = path.resolve()
        inside = real.is_relative_to(root)
    except (OSError, ValueError):
        inside = False
    if not inside:
        raise ContentError(
            Problem(
                where,
                f"clinic file {str(path)[:200]!r} is outside the project folder",
                "clinic files live in the project, in clinics/ID/clinic.yaml",
            )
        )
    document = _read(path, root)
    clinic = _validate(document, Clinic)
    folder = real.parent
    problems = []
    templates = folder / "templates"
    if templates.exists() and not templates.resolve().is_relative_to(folder):
        problems.append(
            Problem(
                Location(shown(templates, root)),
                "the clinic's templates folder leads outside the clinic folder",
                "keep the clinic's templates in clinics/ID/templates, not a link elsewhere",
            )
        )
    if clinic.id != folder.name:
        problems.append(
            Problem(
                document.positions.of(("id",)),
                f"clinic id {clinic.id!r} differs from its folder {folder.name!r}",
                f"put the file in clinics/{clinic.id}/clinic.yaml",
            )
        )
    if clinic.logo is not None:
        try:
            logo = (folder / clinic.logo.path).resolve()
            usable = logo.is_relative_to(folder) and logo.is_file()
        except (OSError, ValueError):
            usable = False
        if not usable:
            problems.append(
                Problem(
                    document.positions.of(("logo", "path")),
                    f"logo {clinic.logo.path!r} not found in {shown(folder, root)}",
                    "the logo file lives next to clinic.yaml",
                )
            )
        elif reason := image_problem(logo):
            problems.append(
                Problem(
                    document.positions.of(("logo", "path")),
                    f"logo {clinic.logo.path!r}: {reason}",
                    "save it smaller: a logo prints a few centimetres wide",
                )
            )
    if problems:
        raise ContentError(problems)
    return LoadedClinic(clinic, folder, document.path, document.positions)


# --- reading and schema validation ------------------------------------------------------


def _read(path: Path, root: Path) -> SourceDocument:
    from .cache import read_yaml_cached  # unchanged files are not parsed again

    document = read_yaml_cached(path, shown(path, root))
    too_long = text_size_problems(document)  # bounded work for every later check (issue 12)
    if too_long:
        raise ContentError(too_long)
    return document


# --- sources and shared blocks ----------------------------------------------------------


def _load_sources(
    root: Path, problems: list[Problem]
) -> tuple[dict[str, Source], dict[str, Location]]:
    path = root / CONTENT_DIR / SOURCES_FILE
    if not path.exists():
        return {}, {}
    try:
        document = _read(path, root)
        sources = dict(_validate(document, SourceList).sources)
    except ContentError as exc:
        problems.extend(exc.problems)
        return {}, {}
    return sources, {key: document.positions.of(("sources", key), key=True) for key in sources}


def _load_library(root: Path, problems: list[Problem]) -> dict[str, PlacedBlock]:
    library: dict[str, PlacedBlock] = {}
    for path in sorted((root / CONTENT_DIR / BLOCKS_DIR).rglob("*.yaml")):
        try:
            document = _read(path, root)
            blocks = _validate(document, BlockLibrary).blocks
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        for index, block in enumerate(blocks):
            location = document.positions.of(("blocks", index))
            if block.id in library:
                problems.append(
                    Problem(
                        location,
                        f"block id {block.id!r} is already used at {library[block.id].location}",
                        "block ids must be unique across content/blocks/",
                    )
                )
                continue
            image_at = document.positions.of(("blocks", index, "image", "path"))
            block = with_default_alt(block, root, location, problems)
            library[block.id] = PlacedBlock(
                block,
                location,
                ("blocks", index),
                image_at if block.image else None,
                document.positions,
            )
    return library


def _unused_sources(catalog: Catalog) -> list[Problem]:
    """Warn about listed sources no block cites (only when every leaflet was read)."""
    if catalog.failed or catalog.partial:
        return []
    cited = {source for loaded in catalog.leaflets for source in cited_sources(loaded)}
    own = [frozenset(loaded.leaflet.sources) for loaded in catalog.leaflets]
    return unused_sources(catalog, cited, own)


def cited_sources(loaded: LoadedLeaflet) -> set[str]:
    """The source ids the leaflet's blocks cite."""
    return {
        source
        for section in loaded.sections
        for placed in section
        for source in placed.block.sources
    }


def unused_sources(catalog: Catalog, cited: set[str], own: list[frozenset[str]]) -> list[Problem]:
    """The warnings for sources no leaflet cites, from what every leaflet cites and lists
    as its own (`own`, one set per leaflet): also for a build that loaded only some."""
    return [
        Problem(
            catalog.source_locations.get(source_id, Location(Path(CONTENT_DIR) / SOURCES_FILE)),
            f"source {source_id!r} is not cited by any block",
            "cite it from the block it supports, or remove it",
            Severity.WARNING,
        )
        for source_id in catalog.sources
        if source_id not in cited and own and not all(source_id in sources for sources in own)
    ]


# --- one leaflet ------------------------------------------------------------------------


def _load_leaflet(path: Path, catalog: Catalog) -> LoadedLeaflet:
    document = _read(path, catalog.root)
    leaflet = _validate(document, Leaflet)
    checker = LeafletChecker(document, leaflet, catalog)
    loaded = checker.run()
    if errors_only(checker.problems):
        raise ContentError(checker.problems)
    catalog.problems.extend(checker.problems)
    if checker.problems:
        catalog.file_problems[str(loaded.path)] = list(checker.problems)
    return loaded
