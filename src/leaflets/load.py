"""Content tree in, validated `Catalog` out: schema checks, `use:` references, source ids.

Every problem is collected with its `file:line:column`, so a writer sees all of them in
one run. A broken leaflet is recorded, not raised: the others can still be built.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError, Location, Problem, Severity, did_you_mean, errors_only
from .limits import image_problem, text_size_problems
from .model import (
    ALL_LEVELS,
    ID_PATTERN,
    VERSION_PATTERN,
    Block,
    BlockLibrary,
    BlockUse,
    Clinic,
    Leaflet,
    Project,
    Source,
    SourceList,
)
from .source import KeyPath, Positions, SourceDocument, read_yaml
from .structure import check_structure

PROJECT_FILE = "leaflets.yaml"
CONTENT_DIR = "content"
LEAFLETS_DIR = "leaflets"
BLOCKS_DIR = "blocks"
SOURCES_FILE = "sources.yaml"

M = TypeVar("M", bound=BaseModel)


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

    @property
    def content_dir(self) -> Path:
        return self.root / CONTENT_DIR

    def all_problems(self) -> list[Problem]:
        return self.problems + [p for ps in self.failed.values() for p in ps]


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
            Problem(Location(_shown(leaflet_dir, root)), "no leaflet files (*.yaml) found")
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
                    Problem(
                        Location(loaded.path),
                        f"leaflet {loaded.leaflet.id!r} names clinic {clinic_id!r}, which "
                        "leaflets.yaml does not list (outputs.clinics)",
                        did_you_mean(clinic_id, known) or "check the clinic id",
                        Severity.WARNING,
                    )
                )
    return problems


def _inside_project(path: Path, root: Path) -> None:
    """Content is read only from inside the project, also through symlinks."""
    if not path.resolve().is_relative_to(root):
        raise ContentError(
            Problem(
                Location(_shown(path, root)),
                "this file lies outside the project folder",
                "content files must be inside the project (a symlink points elsewhere)",
            )
        )


def load_clinic(path: Path, root: Path, named_at: Location | None = None) -> LoadedClinic:
    """Read `clinics/ID/clinic.yaml`; its logo must sit in the same folder.

    A clinic file is untrusted input (docs/security.md): it, its folder and its templates
    must lie inside the project, links followed; `named_at` is where it was named."""
    where = named_at or Location(_shown(path, root))
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
                Location(_shown(templates, root)),
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
                    f"logo {clinic.logo.path!r} not found in {_shown(folder, root)}",
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


def _shown(path: Path, root: Path) -> Path:
    """Paths in messages are relative to the project, as a writer sees them."""
    for candidate in (path, path.resolve()):
        try:
            return candidate.relative_to(root)
        except ValueError:
            continue
    return path


def _read(path: Path, root: Path) -> SourceDocument:
    from .content_cache import read_yaml_cached  # unchanged files are not parsed again

    document = read_yaml_cached(path, _shown(path, root))
    too_long = text_size_problems(document)  # bounded work for every later check (issue 12)
    if too_long:
        raise ContentError(too_long)
    return document


def _validate(document: SourceDocument, model: type[M]) -> M:
    if not isinstance(document.data, dict):
        raise ContentError(
            Problem(
                document.positions.of(()),
                f"expected a mapping of keys (e.g. '{next(iter(model.model_fields))}: ...')",
            )
        )
    try:
        validated = model.model_validate(document.data)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(e, document.positions, model) for e in exc.errors()]
        # A value the reader already refused (2027-02-30) needs no second message.
        refused = {p.location for p in document.problems}
        problems = [p for p in problems if p.location not in refused]
        raise ContentError(sorted(document.problems + problems, key=_line)) from None
    if document.problems:
        raise ContentError(document.problems)
    return validated


def _line(problem: Problem) -> tuple[int, int]:
    return (problem.location.line, problem.location.column)


_PATTERN_HINTS = {
    ID_PATTERN: "ids are lower-case letters and digits joined by hyphens, e.g. 'treatment-day'",
    VERSION_PATTERN: 'a version is numbers joined by dots, in quotes, e.g. "1.0"',
}
_TAGS = {"block", "use"}  # discriminator tags pydantic puts in error paths (model.BlockEntry)


def _is_tag(raw: tuple[Any, ...], index: int) -> bool:
    """Is `raw[index]` the discriminator tag pydantic puts right after `blocks[i]`?"""
    return (
        raw[index] in _TAGS
        and index >= 2
        and isinstance(raw[index - 1], int)
        and raw[index - 2] == "blocks"
    )


def _without_tags(raw: tuple[Any, ...]) -> KeyPath:
    return tuple(part for index, part in enumerate(raw) if not _is_tag(raw, index))


def _problem_from_pydantic(error: Any, positions: Positions, model: type[BaseModel]) -> Problem:
    """Rewrite one pydantic error in a writer's words, at the right line."""
    loc = _without_tags(error["loc"])
    kind = error["type"]
    where = _dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(model, loc[:-1], error["loc"])
        return Problem(
            positions.of(loc, key=True),
            f"unknown key {key!r}" + (f" in {_dotted(loc[:-1])}" if loc[:-1] else ""),
            did_you_mean(key, allowed) or f"allowed keys: {', '.join(sorted(allowed))}",
        )
    if kind == "missing":
        return Problem(
            positions.of(loc[:-1]),
            f"missing required key {str(loc[-1])!r}"
            + (f" in {_dotted(loc[:-1])}" if loc[:-1] else ""),
            "see docs/content.md for what this part needs",
        )
    if kind == "string_type":
        return Problem(
            positions.of(loc),
            f"{where}: expected text, got {error['input']!r}",
            'put the value in quotes, e.g. "1.0"',
        )
    if kind in ("literal_error", "enum"):  # Literal[...] and StrEnum fields read the same
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip(" '")]
        return Problem(
            positions.of(loc),
            f"{where}: {error['input']!r} is not one of {expected}",
            did_you_mean(str(error["input"]), choices),
        )
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        return Problem(
            positions.of(loc),
            f"{where}: {error['input']!r} has the wrong form",
            _PATTERN_HINTS.get(pattern, f"expected the pattern {pattern}"),
        )
    if kind.startswith("date"):
        return Problem(positions.of(loc), f"{where}: expected a date like 2026-11-24")
    message = error["msg"].removeprefix("Value error, ")
    return Problem(positions.of(loc), f"{where}: {message}" if where else message)


def _dotted(loc: KeyPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _allowed_keys(model: type[BaseModel], loc: KeyPath, raw_loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at `loc` (for "did you mean")."""
    current: Any = model
    tags = [
        p for i, p in enumerate(raw_loc) if p in _TAGS and len(_without_tags(raw_loc[: i + 1])) == i
    ]
    for part in loc:
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            if part not in current.model_fields:
                return []
            current = _inner_model(current.model_fields[part].annotation, tags)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any, tags: list[str]) -> Any:
    """Dig the model class out of list[...], X | None, Annotated[...], dict[..., X]."""
    models = [a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    if BlockUse in models and Block in models:
        return BlockUse if tags and tags[-1] == "use" else Block
    return models[0] if models else None


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation]
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        args = args[:1]
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated or args:
        return [leaf for arg in args for leaf in _flatten(arg)]
    return [annotation]


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
    cited = {
        source
        for loaded in catalog.leaflets
        for section in loaded.sections
        for placed in section
        for source in placed.block.sources
    }
    return [
        Problem(
            catalog.source_locations.get(source_id, Location(Path(CONTENT_DIR) / SOURCES_FILE)),
            f"source {source_id!r} is not cited by any block",
            "cite it from the block it supports, or remove it",
            Severity.WARNING,
        )
        for source_id in catalog.sources
        if source_id not in cited
        and catalog.leaflets
        and not all(source_id in loaded.leaflet.sources for loaded in catalog.leaflets)
    ]


# --- default alt text for pictograms (issue 15) --------------------------------------------

ALT_FILE = "alt.yaml"


def with_default_alt(block: Block, root: Path, where: Location, problems: list[Problem]) -> Block:
    """Fill a missing `image.alt` from the `alt.yaml` next to the picture, or report it."""
    image = block.image
    if image is None or image.alt is not None:
        return block
    folder = (root / CONTENT_DIR / image.path).parent
    defaults: dict[str, Any] = {}
    alt_file = folder / ALT_FILE
    try:
        inside_content = alt_file.resolve().is_relative_to((root / CONTENT_DIR).resolve())
        if inside_content and alt_file.is_file():
            data = read_yaml(alt_file, _shown(alt_file, root)).data
            defaults = data if isinstance(data, dict) else {}
    except (ContentError, OSError, ValueError):
        defaults = {}
    alt = defaults.get(Path(image.path).name)
    if not isinstance(alt, str) or not alt.strip():
        problems.append(
            Problem(
                where,
                f"block {block.id!r}: image {image.path!r} has no 'alt' and no default in "
                f"{ALT_FILE} beside it",
                "write what the picture shows, e.g. alt: A clock (UA5)",
            )
        )
        return block
    return block.model_copy(update={"image": image.model_copy(update={"alt": alt})})


# --- one leaflet ------------------------------------------------------------------------


def _load_leaflet(path: Path, catalog: Catalog) -> LoadedLeaflet:
    document = _read(path, catalog.root)
    leaflet = _validate(document, Leaflet)
    checker = _LeafletChecker(document, leaflet, catalog)
    loaded = checker.run()
    if errors_only(checker.problems):
        raise ContentError(checker.problems)
    catalog.problems.extend(checker.problems)
    return loaded


class _LeafletChecker:
    """The checks that need the project (levels), the sources and the block library."""

    def __init__(self, document: SourceDocument, leaflet: Leaflet, catalog: Catalog) -> None:
        self.positions = document.positions
        self.path = document.path
        self.leaflet = leaflet
        self.catalog = catalog
        self.problems: list[Problem] = []
        self.project_levels = list(catalog.project.levels)
        self.sources = {**catalog.sources, **leaflet.sources}

    def problem(self, loc: KeyPath, message: str, hint: str = "", *, key: bool = False) -> None:
        self.problems.append(Problem(self.positions.of(loc, key=key), message, hint))

    def run(self) -> LoadedLeaflet:
        leaflet = self.leaflet
        if leaflet.id != self.path.stem:
            self.problem(
                ("id",),
                f"leaflet id {leaflet.id!r} differs from the file name {self.path.name!r}",
                f"rename the file to {leaflet.id}.yaml or change the id",
            )
        levels = self._levels()
        self._per_level(("title",), leaflet.title, levels)
        self._per_level(("summary",), leaflet.summary, levels)
        sections = []
        seen_sections: set[str] = set()
        seen_blocks: dict[str, KeyPath] = {}
        for s_index, section in enumerate(leaflet.sections):
            s_loc: KeyPath = ("sections", s_index)
            if section.id in seen_sections:
                self.problem((*s_loc, "id"), f"section id {section.id!r} is used twice")
            seen_sections.add(section.id)
            self._per_level((*s_loc, "heading"), section.heading, levels)
            placed_blocks = []
            for b_index, entry in enumerate(section.blocks):
                b_loc: KeyPath = (*s_loc, "blocks", b_index)
                placed = self._resolve(entry, b_loc)
                if placed is None:
                    continue
                block = placed.block
                if block.id in seen_blocks:
                    self.problem(b_loc, f"block {block.id!r} appears twice in this leaflet")
                seen_blocks[block.id] = b_loc
                placed_blocks.append(placed)
                if isinstance(entry, Block):  # library blocks were checked where they live
                    self._check_block(block, b_loc, levels)
                else:
                    self._check_library_block(block, b_loc, levels)
            self._every_level_has_blocks(s_loc, placed_blocks, levels)
            sections.append(tuple(placed_blocks))
        self._own_sources()
        check_structure(leaflet, sections, levels, self.problem)
        self._same_denominator(sections)
        if not any(p.block.sources for section in sections for p in section):
            self.problem(
                ("sections",),
                "the leaflet cites no sources",
                "every number and claim comes from a source in content/sources.yaml (SE6)",
            )
        for index, term in enumerate(leaflet.glossary):
            self._per_level(("glossary", index, "meaning"), term.meaning, levels)
        return LoadedLeaflet(
            leaflet,
            self.path,
            tuple(levels),
            leaflet.language or self.catalog.project.language,
            tuple(sections),
            tuple(self.positions.of(("sections", i)) for i in range(len(leaflet.sections))),
            self.positions.of(("summary",)),
            self.positions,
            self.sources,
        )

    def _levels(self) -> list[str]:
        if self.leaflet.levels is None:
            return self.project_levels
        for index, level in enumerate(self.leaflet.levels):
            if level not in self.project_levels:
                self.problem(
                    ("levels", index),
                    f"unknown level {level!r}",
                    did_you_mean(level, self.project_levels)
                    or f"levels in leaflets.yaml: {', '.join(self.project_levels)}",
                )
        return [level for level in self.project_levels if level in self.leaflet.levels]

    def _per_level(self, loc: KeyPath, texts: dict[str, Any], levels: list[str]) -> None:
        """Every level the text appears at has words; `all:` stands alone."""
        if ALL_LEVELS in texts:
            if len(texts) > 1:
                self.problem(
                    loc,
                    f"{_dotted(loc)}: 'all' gives one text for every level, so it stands alone",
                    "remove 'all' or the per-level keys",
                )
            return
        for key in texts:
            if key not in self.project_levels:
                self.problem(
                    (*loc, key),
                    f"unknown level {key!r} in {_dotted(loc)}",
                    did_you_mean(key, [*self.project_levels, ALL_LEVELS])
                    or f"levels: {', '.join(self.project_levels)} (or 'all')",
                    key=True,
                )
        missing = [level for level in levels if level not in texts]
        if missing:
            self.problem(
                loc,
                f"{_dotted(loc)}: no text for level {', '.join(map(repr, missing))}",
                "write the text for each level, or use 'all:' when one text suits every level",
            )

    def _resolve(self, entry: Block | BlockUse, loc: KeyPath) -> PlacedBlock | None:
        if isinstance(entry, Block):
            entry = with_default_alt(
                entry, self.catalog.root, self.positions.of(loc), self.problems
            )
            image_at = self.positions.of((*loc, "image", "path")) if entry.image else None
            return PlacedBlock(entry, self.positions.of(loc), loc, image_at, self.positions)
        placed = self.catalog.library.get(entry.use)
        if placed is None:
            self.problem(
                (*loc, "use"),
                f"unknown block {entry.use!r}",
                did_you_mean(entry.use, self.catalog.library)
                or "shared blocks live in content/blocks/*.yaml",
            )
        return placed

    def _check_block(self, block: Block, loc: KeyPath, levels: list[str]) -> None:
        shown_at = self._block_levels(block, loc, levels)
        for sub_path, texts in block.wording():
            self._per_level((*loc, *sub_path), texts, shown_at)
        for index, source_id in enumerate(block.sources):
            if source_id not in self.sources:
                self.problem(
                    (*loc, "sources", index),
                    f"unknown source {source_id!r}",
                    did_you_mean(source_id, self.sources)
                    or "sources are listed in content/sources.yaml",
                )
        if block.image is not None:
            self._check_image(block.image.path, (*loc, "image", "path"))

    def _check_library_block(self, block: Block, loc: KeyPath, levels: list[str]) -> None:
        """A shared block must have text for every level this leaflet shows it at."""
        shown_at = self._block_levels(block, loc, levels)
        for sub_path, texts in block.wording():
            missing = [level for level in shown_at if level not in texts]
            if missing and ALL_LEVELS not in texts:
                self.problem(
                    loc,
                    f"shared block {block.id!r} has no {_dotted(sub_path)} for level "
                    f"{', '.join(map(repr, missing))}, which this leaflet builds",
                    "add the level to the block in content/blocks/, or limit it with 'levels:'",
                )
        for source_id in block.sources:
            if source_id not in self.sources:
                self.problem(loc, f"shared block {block.id!r} cites unknown source {source_id!r}")
        if block.image is not None:
            self._check_image(block.image.path, loc)

    def _block_levels(self, block: Block, loc: KeyPath, levels: list[str]) -> list[str]:
        if block.levels is None:
            return levels
        for index, level in enumerate(block.levels):
            if level not in self.project_levels:
                self.problem(
                    (*loc, "levels", index),
                    f"unknown level {level!r}",
                    did_you_mean(level, self.project_levels),
                )
        return [level for level in levels if level in block.levels]

    def _check_image(self, relative: str, loc: KeyPath) -> None:
        content = self.catalog.content_dir.resolve()
        try:
            target = (content / relative).resolve()
            exists = target.is_file()
        except (ValueError, OSError):
            self.problem(loc, f"image path {relative[:80]!r} is not a usable file name")
            return
        if Path(relative).is_absolute() or not target.is_relative_to(content):
            self.problem(
                loc,
                f"image path {relative!r} points outside the content folder",
                "images live inside content/, e.g. images/clock.svg",
            )
        elif not exists:
            self.problem(
                loc,
                f"image {relative!r} not found",
                f"looked for {_shown(target, self.catalog.root)}",
            )
        elif reason := image_problem(target):
            self.problem(
                loc,
                f"image {relative!r}: {reason}",
                "save it smaller: print needs about 300 pixels per inch of printed width",
            )

    def _every_level_has_blocks(
        self, loc: KeyPath, placed: list[PlacedBlock], levels: list[str]
    ) -> None:
        for level in levels:
            if placed and not any(
                p.block.levels is None or level in p.block.levels for p in placed
            ):
                self.problem(
                    loc,
                    f"section {_dotted(loc)} has no block at level {level!r}",
                    "every section needs at least one block at each level it is built in",
                )

    def _same_denominator(self, sections: list[tuple[PlacedBlock, ...]]) -> None:
        """Every comparison in a leaflet uses the same denominator (IPDAS, RK5)."""
        seen: dict[int, PlacedBlock] = {}
        for placed in (p for section in sections for p in section):
            if placed.block.frequencies is not None:
                seen.setdefault(placed.block.frequencies.out_of, placed)
        if len(seen) > 1:
            (first_out_of, first), *others = seen.items()
            for out_of, placed in others:
                self.problems.append(
                    Problem(
                        placed.location,
                        f"block {placed.block.id!r} counts out of {out_of}, but "
                        f"{first.block.id!r} at {first.location} counts out of {first_out_of}",
                        "use the same denominator for every number in a leaflet (RK5)",
                    )
                )

    def _own_sources(self) -> None:
        """A leaflet's own source id that is also in content/sources.yaml is a clash."""
        for source_id in self.leaflet.sources:
            if source_id in self.catalog.sources:
                self.problems.append(
                    Problem(
                        self.positions.of(("sources", source_id), key=True),
                        f"source id {source_id!r} is also in content/sources.yaml "
                        f"({self.catalog.source_locations.get(source_id, '')}); this leaflet "
                        "uses its own",
                        "give the leaflet's source its own id, e.g. prefixed with the topic "
                        f"('{self.leaflet.id.split('-')[0]}-{source_id}')",
                        Severity.WARNING,
                    )
                )
