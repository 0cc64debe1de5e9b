"""What a build makes: the variants of each leaflet (leaflet x level x paper x large print
x clinic x format), the options that choose them, and the report a build returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.catalog import prints
from ..content.load import Catalog, LoadedClinic, LoadedLeaflet
from ..errors import Location, Problem, UsageError
from .formats import BOOKLET_FORMATS, output_format

if TYPE_CHECKING:
    from .manifest import ManifestEntry

#: Seconds one file may take to render before it is stopped (`--timeout`).
DEFAULT_TIMEOUT = 120.0
EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class Variant:
    """One output file; a pure function of its inputs, so variants build in any order."""

    leaflet: str
    level: str
    paper: str
    large_print: bool = False
    clinic: str | None = None
    format: str = "pdf"
    language: str | None = None
    """A translation's language (BCP 47); None: the project's own language."""

    @property
    def relative_path(self) -> str:
        parts = [self.leaflet, *([self.language.lower()] if self.language else []), self.level]
        stem = ".".join([*parts, *(["large"] if self.large_print else [])])
        name = output_format(self.format).file_name(stem, self.paper)
        folder = f"{self.clinic}/{self.leaflet}" if self.clinic else self.leaflet
        return f"{folder}/{name}"

    @property
    def name(self) -> str:
        parts = [
            self.language or "",
            self.level,
            "large print" if self.large_print else "",
            output_format(self.format).label(self.paper),
            self.clinic or "",
        ]
        return f"{self.leaflet} [{', '.join(p for p in parts if p)}]"


@dataclass(frozen=True)
class BuildOptions:
    """What to build; None means "as the project file says"."""

    levels: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    """None: the project's `outputs: languages:`; given: only these (`--lang`)."""
    papers: tuple[str, ...] | None = None
    large_print: bool | None = None
    """None: regular, plus large print if the project asks; True: large print only."""
    formats: tuple[str, ...] | None = None
    clinics: tuple[LoadedClinic, ...] | None = None
    """None: unbranded plus the project's clinics; given: only these clinics' copies."""
    release: bool = False
    booklet: bool | None = None
    """None: as the project says (outputs: booklet:); True: also make folded booklets."""
    today: dt.date | None = None
    jobs: int = 1
    force: bool = False
    timeout: float | None = DEFAULT_TIMEOUT
    """Seconds one file may take to render; None or 0: no limit."""
    executor: str = "local"
    """"local" (this machine: one process, or a pool of warm workers) or "dask"."""
    scheduler: str | None = None
    """The Dask scheduler's address (tcp://HOST:8786); None: a cluster on this machine."""

    def selects_whole_project(self) -> bool:
        """Every variant leaflets.yaml declares, however the build is run: only then may a
        build prune files it did not make, or trust its snapshot."""
        return self == BuildOptions(
            release=self.release,
            today=self.today,
            jobs=self.jobs,
            force=self.force,
            timeout=self.timeout,
            executor=self.executor,
            scheduler=self.scheduler,
        )


@dataclass
class BuildReport:
    built: list[ManifestEntry] = field(default_factory=list)
    skipped: list[ManifestEntry] = field(default_factory=list)
    """Unchanged variants whose file was intact: not rebuilt."""
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    """Variant, leaflet or file name -> why it was not built."""
    warnings: list[Problem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Files of an earlier build that the content no longer produces."""
    manifest: Path | None = None
    seconds: float = 0.0
    peak_worker_rss_kb: int = 0
    render_cpu_seconds: float = 0.0
    """CPU time the jobs took in their workers, summed (bench/ compares it with the engine's)."""
    worker_cpu: dict[int, float] = field(default_factory=dict)
    """Worker process id -> the CPU seconds it had used by its last result."""

    @property
    def worker_cpu_seconds(self) -> float:
        """All the CPU the workers used (start-up, receiving jobs, rendering), summed."""
        return sum(self.worker_cpu.values())

    tracebacks: list[str] = field(default_factory=list)
    """Tracebacks of unexpected errors inside variants (printed under --debug)."""

    @property
    def ok(self) -> bool:
        return not self.failed


Progress = Callable[[str, Variant, "ManifestEntry | list[Problem] | None"], None]


def plan_variants(catalog: Catalog, options: BuildOptions = BuildOptions()) -> list[Variant]:
    """Every file to make; unknown levels are usage errors."""
    outputs = catalog.project.outputs
    known = list(catalog.project.levels)
    for level in options.levels or ():
        if level not in known:
            raise UsageError(
                Problem(
                    Location(Path("leaflets.yaml")),
                    f"unknown level {level!r}",
                    f"levels in this project: {', '.join(known)}",
                )
            )
    papers = options.papers or tuple(outputs.papers)
    if options.large_print is None:
        sizes = (False, True) if outputs.large_print else (False,)
    else:
        sizes = (options.large_print,)
    formats = options.formats or tuple(outputs.formats)
    if options.booklet or (options.booklet is None and outputs.booklet):
        formats = tuple(dict.fromkeys([*formats, *BOOKLET_FORMATS]))
    clinics: tuple[str | None, ...]
    if options.clinics is None:
        clinics = (None, *(c.clinic.id for c in catalog.clinics))
    elif options.clinics:
        clinics = tuple(c.clinic.id for c in options.clinics)
    else:  # an empty choice would silently build nothing (issue 13)
        raise UsageError("no clinic chosen: pass None to build the project's clinics")
    variants = {
        Variant(loaded.leaflet.id, level, paper, large, clinic, fmt, language)
        for language, loaded, built_levels in _in_languages(catalog, options.languages)
        for level in built_levels
        if not options.levels or level in options.levels
        for large in sizes
        for clinic in clinics
        if clinic is None or prints(clinic, loaded, catalog.clinics, options.clinics)
        for fmt in formats
        if not (large and output_format(fmt).half_size)  # booklets are regular print
        for paper in (papers if output_format(fmt).paged else papers[:1])
    }
    return sorted(variants, key=lambda v: v.relative_path)


def _in_languages(
    catalog: Catalog, wanted: tuple[str, ...] | None
) -> Iterator[tuple[str | None, LoadedLeaflet, tuple[str, ...]]]:
    """(language, leaflet, levels) to build: every leaflet in the project's language, and
    each leaflet that has a translation file in another language, at that file's levels."""
    from ..text.translate import plan_languages, translations

    for language in plan_languages(catalog, wanted):
        if language is None:
            for loaded in catalog.leaflets:
                yield None, loaded, loaded.levels
            continue
        found = translations(catalog).of(language)[0]
        for loaded in catalog.leaflets:
            if loaded.leaflet.id in found:
                yield language, loaded, found[loaded.leaflet.id].levels


def gate_key(variant: Variant) -> str:
    """What the release gate passes or refuses: a leaflet in one language."""
    return f"{variant.leaflet}@{variant.language}" if variant.language else variant.leaflet
