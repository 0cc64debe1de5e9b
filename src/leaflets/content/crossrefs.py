"""A validated leaflet and its project in, the `LoadedLeaflet` with its cross-reference
problems out: levels the project declares, `use:` blocks from the library, source ids,
pictures inside the project (with default alt text), structure and denominators.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from ..errors import ContentError, Location, Problem, Severity, did_you_mean
from .catalog import CONTENT_DIR, Catalog, LoadedLeaflet, PlacedBlock, shown
from .limits import image_problem
from .model import ALL_LEVELS, Block, BlockUse, Leaflet
from .source import KeyPath, SourceDocument, parse_yaml, read_bounded
from .structure import check_structure
from .validation import dotted

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
            where_shown = shown(alt_file, root)
            defaults = _alt_defaults(read_bounded(alt_file, where_shown), where_shown)
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


@functools.lru_cache(maxsize=64)
def _alt_defaults(raw: bytes, where_shown: Path) -> dict[str, Any]:
    """An `alt.yaml`'s mapping, parsed once per content (every picture of every leaflet in
    a folder reads the same file; keyed by its bytes, so an edit is always seen)."""
    data = parse_yaml(raw, where_shown).data
    return data if isinstance(data, dict) else {}


def _image_verdict(catalog: Catalog, relative: str) -> tuple[str, str] | None:
    """What is wrong with the picture at `relative` (message, hint), or None."""
    content = catalog.content_dir.resolve()
    try:
        target = (content / relative).resolve()
        exists = target.is_file()
    except (ValueError, OSError):
        return f"image path {relative[:80]!r} is not a usable file name", ""
    if Path(relative).is_absolute() or not target.is_relative_to(content):
        return (
            f"image path {relative!r} points outside the content folder",
            "images live inside content/, e.g. images/clock.svg",
        )
    if not exists:
        return f"image {relative!r} not found", f"looked for {shown(target, catalog.root)}"
    if reason := image_problem(target):
        return (
            f"image {relative!r}: {reason}",
            "save it smaller: print needs about 300 pixels per inch of printed width",
        )
    return None


class LeafletChecker:
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
                    f"{dotted(loc)}: 'all' gives one text for every level, so it stands alone",
                    "remove 'all' or the per-level keys",
                )
            return
        for key in texts:
            if key not in self.project_levels:
                self.problem(
                    (*loc, key),
                    f"unknown level {key!r} in {dotted(loc)}",
                    did_you_mean(key, [*self.project_levels, ALL_LEVELS])
                    or f"levels: {', '.join(self.project_levels)} (or 'all')",
                    key=True,
                )
        missing = [level for level in levels if level not in texts]
        if missing:
            self.problem(
                loc,
                f"{dotted(loc)}: no text for level {', '.join(map(repr, missing))}",
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
                    f"shared block {block.id!r} has no {dotted(sub_path)} for level "
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
        checks = self.catalog.image_checks
        if relative not in checks:  # each picture is checked once per load (issue 18)
            checks[relative] = _image_verdict(self.catalog, relative)
        found = checks[relative]
        if found is not None:
            self.problem(loc, *found)

    def _every_level_has_blocks(
        self, loc: KeyPath, placed: list[PlacedBlock], levels: list[str]
    ) -> None:
        for level in levels:
            if placed and not any(
                p.block.levels is None or level in p.block.levels for p in placed
            ):
                self.problem(
                    loc,
                    f"section {dotted(loc)} has no block at level {level!r}",
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
