"""The orchestrator: `Catalog` in, PDFs, HTML twins and `manifest.json` out.

It reads like the pipeline. Plan the variants (leaflet x level x paper x large print x
clinic x format); fingerprint each one's inputs and skip those whose file is intact and
unchanged; gate the rest (release: reviewed, lint-clean, on-target wording); render the
rest in a pool of warm worker processes (context -> HTML -> PDF -> checks -> temporary
file); rename each finished file into place and list it in the manifest. A failing
variant is recorded and the others go on; the manifest only ever lists complete files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import resource
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Interrupted, LeafletError, Location, Problem, Severity, UsageError
from .executors import Lost, make_executor
from .formats import BOOKLET_FORMATS, output_format
from .levels import LevelContext, context_for
from .load import Catalog, LoadedClinic, LoadedLeaflet
from .manifest import ManifestEntry, load_manifest, remove_built, write_manifest
from .output import (
    build_lock,
    inside,
    os_problem,
    remove_temporaries,
    temporary_for,
    unlisted,
    write_new,
)
from .review import BlockReview, leaflet_reviews, summarise
from .templates import font_dirs, template_dirs
from .version import VERSION as __version__

if TYPE_CHECKING:
    from .check import Rule
    from .pagination import Rules

log = logging.getLogger(__name__)

MANIFEST_EVERY_SECONDS = 0.5
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

    @property
    def relative_path(self) -> str:
        stem = ".".join([self.leaflet, self.level, *(["large"] if self.large_print else [])])
        name = output_format(self.format).file_name(stem, self.paper)
        folder = f"{self.clinic}/{self.leaflet}" if self.clinic else self.leaflet
        return f"{folder}/{name}"

    @property
    def name(self) -> str:
        parts = [
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
    tracebacks: list[str] = field(default_factory=list)
    """Tracebacks of unexpected errors inside variants (printed under --debug)."""

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to make one file: no shared state."""

    variant: Variant
    context: LevelContext
    project_root: Path
    extra_template_dirs: tuple[Path, ...]
    roots: tuple[Path, ...]
    content_dir: Path
    target: Path
    source: Path
    inputs: str
    """Fingerprint of the inputs, recorded in the manifest."""
    pagination: Rules | None = None
    """Release builds: the pagination rules each PDF must pass (pagination.py)."""


@dataclass(frozen=True)
class JobResult:
    variant: Variant
    data: bytes | None
    """The file's bytes; the coordinator alone writes them (workers touch no files)."""
    sha256: str = ""
    pages: int = 0
    size: int = 0
    problems: tuple[Problem, ...] = ()
    peak_rss_kb: int = 0
    """The worker's peak memory so far (bench/ reports it)."""
    cpu_seconds: float = 0.0
    """CPU time this job took in its worker."""
    traceback: str = ""
    """For an unexpected error: the traceback, shown by `leaflets --debug`."""


Progress = Callable[[str, Variant, "ManifestEntry | list[Problem] | None"], None]


# --- planning -----------------------------------------------------------------------------


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
        Variant(loaded.leaflet.id, level, paper, large, clinic, fmt)
        for loaded in catalog.leaflets
        for level in loaded.levels
        if not options.levels or level in options.levels
        for large in sizes
        for clinic in clinics
        if clinic is None or prints(clinic, loaded, catalog.clinics, options.clinics)
        for fmt in formats
        if not (large and output_format(fmt).half_size)  # booklets are regular print
        for paper in (papers if output_format(fmt).paged else papers[:1])
    }
    return sorted(variants, key=lambda v: v.relative_path)


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


# --- the build ----------------------------------------------------------------------------


def build_catalog(
    catalog: Catalog,
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build what changed into `out_dir`, keep `manifest.json` true to the files."""
    options = options or BuildOptions()
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    report = BuildReport(warnings=list(catalog.problems))
    for path, problems in catalog.failed.items():
        report.failed[path.name] = problems
    today = options.today or dt.date.today()
    variants = plan_variants(catalog, options)
    clinics = {c.clinic.id: c for c in (options.clinics or catalog.clinics)}
    with build_lock(out_dir):
        remove_temporaries(out_dir)
        earlier = load_manifest(out_dir)  # input like any other: validated (issue 12)
        report.warnings += earlier.problems
        previous = earlier.entries
        jobs, skipped = _plan_jobs(catalog, variants, clinics, previous, out_dir, options, today)
        jobs = _claim(jobs, earlier.owned | set(previous), out_dir, options.force, report)
        refused = _gate(catalog, jobs, options, report, variants)
        jobs = [job for job in jobs if not _refused(job.variant, refused)]
        report.skipped = [
            entry
            for entry in skipped
            if entry.leaflet not in refused and f"{entry.leaflet}@{entry.clinic}" not in refused
        ]
        if progress:
            by_path = {variant.relative_path: variant for variant in variants}
            for entry in report.skipped:
                progress("skipped", by_path[entry.path], entry)
        # A refused leaflet keeps its earlier files, listed as they were (like a failed
        # rebuild): the manifest and the files on disk always agree.
        entries = {e.path: e for e in skipped}
        for variant in variants:
            old = previous.get(variant.relative_path)
            if _refused(variant, refused) and old is not None and old.intact(out_dir):
                entries[old.path] = old
        # A leaflet that failed to load may own earlier files: never prune then.
        full = (
            not catalog.partial
            and not catalog.failed
            and options
            == BuildOptions(
                release=options.release,
                today=options.today,
                jobs=options.jobs,
                force=options.force,
                timeout=options.timeout,
                executor=options.executor,
                scheduler=options.scheduler,
            )
        )
        entries.update(_kept_from_before(previous, variants, entries, full, out_dir, report))
        # Files about to be rebuilt stay listed while they are intact, so a build stopped
        # by any means (Ctrl-C, SIGTERM, kill -9, a power cut) leaves every intact file
        # listed; a listed file replaced before its entry is rewritten fails `intact`
        # and is rebuilt next time.
        for job in jobs:
            old = previous.get(job.variant.relative_path)
            if old is not None and old.path not in entries and old.intact(out_dir):
                entries[old.path] = old
        manifest = _ManifestWriter(out_dir, entries)
        # Claim the files about to be written, so a crash or a full disk before the last
        # manifest write still leaves them the builder's own (issue 12).
        manifest.claimed = {job.variant.relative_path for job in jobs}
        manifest.flush()
        try:
            for job, result in _run(jobs, options):
                _land(job, result, previous, out_dir, manifest, report, progress)
            manifest.claimed = set()
        except BaseException as stop:
            # The executor has ended its workers; write down what landed so far.
            manifest.flush()
            if isinstance(stop, Interrupted):
                stop.built, stop.listed = len(report.built), len(manifest.entries)
            raise
        report.manifest = manifest.flush()
        report.warnings += page_budget_warnings(catalog, report.built)
        report.warnings += _write_station(catalog, out_dir, manifest.entries)
    report.seconds = time.perf_counter() - started
    return report


def _land(
    job: Job,
    result: JobResult,
    previous: dict[str, ManifestEntry],
    out_dir: Path,
    manifest: _ManifestWriter,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Write one finished file into place (atomically) and list it, or record its failure."""
    report.peak_worker_rss_kb = max(report.peak_worker_rss_kb, result.peak_rss_kb)
    report.render_cpu_seconds += result.cpu_seconds
    problems = list(result.problems)
    if result.traceback:
        report.tracebacks.append(result.traceback)
    if not problems and result.data is not None:
        problems = _place(job, result.data)
    if problems or result.data is None:
        report.failed[result.variant.name] = problems
        # The last good file (if any) stays, and stays listed: a failed rebuild
        # leaves the previous build as it was.
        old = previous.get(job.variant.relative_path)
        if old is not None and old.intact(out_dir):
            manifest.add(old)
        if progress:
            progress("failed", result.variant, problems)
        return
    entry = _entry(job, result)
    report.built.append(entry)
    manifest.add(entry)
    if progress:
        progress("built", result.variant, entry)


def _place(job: Job, data: bytes) -> list[Problem]:
    """Temporary file beside the target, then rename; the temporary never outlives this.
    Returns why the file could not be written, if it could not."""
    target = job.target
    temporary = temporary_for(target)
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_new(temporary, data)
        except OSError as exc:
            return [os_problem(target, exc)]
        try:
            temporary.replace(target)
        except OSError as exc:
            return [
                Problem(
                    Location(Path(job.variant.relative_path)),
                    f"cannot write the output file: {exc.strerror}",
                    "check the output folder: a folder or a read-only file may be in the way",
                )
            ]
        return []
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def _write_station(
    catalog: Catalog, out_dir: Path, entries: dict[str, ManifestEntry]
) -> list[Problem]:
    """`index.html`, the print station; a failure to write it is a warning, not a lost build."""
    from .station import ForeignStation, write_station

    try:
        write_station(catalog, out_dir, list(entries.values()))
    except ForeignStation:
        return [
            Problem(
                Location(out_dir / "index.html"),
                "the print station page was not written: an index.html this builder did "
                "not write is in the way",
                "move it, or build with --out elsewhere",
                Severity.WARNING,
            )
        ]
    except OSError as exc:
        return [
            Problem(
                Location(out_dir / "index.html"),
                f"cannot write the print station page: {exc.strerror}",
                "check the permissions of the output folder",
                Severity.WARNING,
            )
        ]
    return []


def page_budget_warnings(catalog: Catalog, entries: Iterable[ManifestEntry]) -> list[Problem]:
    """A warning for each regular-print PDF longer than its level's `max_pages`."""
    warnings = []
    sources = {loaded.leaflet.id: loaded.path for loaded in catalog.leaflets}
    for entry in entries:
        level = catalog.project.levels.get(entry.level)
        budget = level.max_pages if level else None
        if entry.format != "pdf" or entry.large_print or budget is None or entry.pages <= budget:
            continue
        warnings.append(
            Problem(
                Location(sources.get(entry.leaflet, Path(entry.path))),
                f"{entry.path} has {entry.pages} pages, over the {entry.level} level's "
                f"budget of {budget}",
                "shorten the wording or raise max_pages for the level in leaflets.yaml",
                Severity.WARNING,
            )
        )
    return warnings


def _plan_jobs(
    catalog: Catalog,
    variants: list[Variant],
    clinics: dict[str, LoadedClinic],
    previous: dict[str, ManifestEntry],
    out_dir: Path,
    options: BuildOptions,
    today: dt.date,
) -> tuple[list[Job], list[ManifestEntry]]:
    """Contexts and fingerprints; variants whose file is intact and unchanged are skipped."""
    from .levels import _file_uri

    _file_uri.cache_clear()
    _file_digest.cache_clear()
    leaflets = {loaded.leaflet.id: loaded for loaded in catalog.leaflets}
    reviews = {}
    static = _static_digest(catalog, tuple(clinics.values()))
    jobs, skipped = [], []
    for variant in variants:
        loaded = leaflets[variant.leaflet]
        if variant.leaflet not in reviews:
            reviews[variant.leaflet] = leaflet_reviews(loaded, today, catalog)
        clinic = clinics.get(variant.clinic) if variant.clinic else None
        context = context_for(
            loaded,
            variant.level,
            catalog,
            output_format(variant.format).page_paper(variant.paper),
            summarise(
                reviews[variant.leaflet] + _clinic_states(catalog, clinic, variant, today),
                variant.level,
            ),
            large_print=variant.large_print,
            medium=output_format(variant.format).medium,
            clinic=clinic,
        )
        inputs = fingerprint(variant, context, static, options.release)
        old = previous.get(variant.relative_path)
        if not options.force and old and old.inputs == inputs and old.intact(out_dir):
            skipped.append(old)
            continue
        clinic_templates = (clinic.folder / "templates",) if clinic else ()
        extra = tuple(d for d in clinic_templates if d.is_dir())
        roots = (
            catalog.content_dir,
            *extra,
            *template_dirs(catalog.root),
            *font_dirs(),
            *((clinic.folder,) if clinic else ()),
        )
        jobs.append(
            Job(
                variant,
                context,
                catalog.root,
                extra,
                roots,
                catalog.content_dir,
                inside(out_dir, variant.relative_path),
                loaded.path,
                inputs,
                _pagination_rules(catalog, loaded, variant.format) if options.release else None,
            )
        )
    return jobs, skipped


def _pagination_rules(catalog: Catalog, loaded: LoadedLeaflet, file_format: str) -> Rules:
    from .pagination import rules_for

    return rules_for(catalog.project, loaded.leaflet, file_format)


def _clinic_states(
    catalog: Catalog, clinic: LoadedClinic | None, variant: Variant, today: dt.date
) -> list[BlockReview]:
    """A branded copy states its clinic unit's review too (pending: a draft banner)."""
    if clinic is None:
        return []
    from .clinic_review import clinic_states

    return clinic_states(catalog, clinic, variant.leaflet, (variant.level,), today)


def _gate(
    catalog: Catalog,
    jobs: list[Job],
    options: BuildOptions,
    report: BuildReport,
    variants: list[Variant],
) -> set[str]:
    """A release states only reviewed wording that passes every check (issues 3, 4, 11).

    The gate never trusts the cache: it runs the one check pipeline (check.check_leaflet)
    on every leaflet the release ships, built now or skipped as unchanged, and returns the
    ids of the leaflets it refuses. Draft builds skip it: `leaflets check` runs the same
    checks, and measuring every level's text would cost more than rendering small
    leaflets (bench/).
    """
    from .check import as_errors, check_leaflet, load_rules

    shipped = {variant.leaflet for variant in variants}
    if not shipped or not options.release:
        return set()
    rules = load_rules(catalog.root)
    refused = set()
    for loaded in catalog.leaflets:
        if loaded.leaflet.id not in shipped:
            continue
        today = options.today or dt.date.today()
        problems = as_errors(check_leaflet(catalog, loaded, rules=rules, today=today, clinics=()))
        if problems:
            report.failed[f"{loaded.leaflet.id} (release)"] = problems
            refused.add(loaded.leaflet.id)
        refused |= _gate_clinics(catalog, loaded, options, report, variants, rules)
    return refused


def _gate_clinics(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    options: BuildOptions,
    report: BuildReport,
    variants: list[Variant],
    rules: list[Rule],
) -> set[str]:
    """A clinic's copies ship only if its `clinic:ID` unit is reviewed and its words pass
    the checks (clinic_review.py); `LEAFLET@CLINIC` for each branded set refused."""
    from .check import as_errors, check_clinic

    clinics = {c.clinic.id: c for c in (options.clinics or catalog.clinics)}
    branded = sorted({v.clinic for v in variants if v.leaflet == loaded.leaflet.id and v.clinic})
    refused = set()
    for clinic_id in branded:
        problems = as_errors(
            check_clinic(
                catalog,
                loaded,
                clinics[clinic_id],
                loaded.levels,
                rules=rules,
                today=options.today or dt.date.today(),
            )
        )
        if problems:
            report.failed[f"{loaded.leaflet.id} for clinic {clinic_id} (release)"] = problems
            refused.add(f"{loaded.leaflet.id}@{clinic_id}")
    return refused


def _refused(variant: Variant, refused: set[str]) -> bool:
    return variant.leaflet in refused or f"{variant.leaflet}@{variant.clinic}" in refused


def _kept_from_before(
    previous: dict[str, ManifestEntry],
    variants: list[Variant],
    planned: dict[str, ManifestEntry],
    full: bool,
    out_dir: Path,
    report: BuildReport,
) -> dict[str, ManifestEntry]:
    """Earlier entries outside this plan: kept on a partial build, removed on a full one."""
    in_plan = {v.relative_path for v in variants}
    leftovers = {p: e for p, e in previous.items() if p not in in_plan and p not in planned}
    if not full:
        return {p: e for p, e in leftovers.items() if e.intact(out_dir)}
    for relative in sorted(leftovers):
        # Only a file that is still exactly what a build wrote is ours to delete (issue 12).
        if not remove_built(out_dir, leftovers[relative]):
            if (out_dir / relative).exists():
                report.warnings.append(
                    Problem(
                        Location(out_dir / relative),
                        "left in place: it changed since the build wrote it",
                        "delete it yourself if it is no longer needed",
                        Severity.WARNING,
                    )
                )
            continue
        target = out_dir / relative
        for folder in (target.parent, target.parent.parent):
            with contextlib.suppress(OSError):
                if folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
        report.removed.append(relative)
    return {}


def _claim(
    jobs: list[Job], owned: set[str], out_dir: Path, force: bool, report: BuildReport
) -> list[Job]:
    """A build replaces only files a manifest of this builder lists; others only under
    --force, and then it says which (issue 12, finding 4)."""
    foreign = set(unlisted(out_dir, [job.variant.relative_path for job in jobs], owned))
    for relative in sorted(foreign):
        if force:
            report.warnings.append(
                Problem(
                    Location(out_dir / relative),
                    "replaced a file this builder did not write (--force)",
                    severity=Severity.WARNING,
                )
            )
        else:
            report.failed[relative] = [
                Problem(
                    Location(out_dir / relative),
                    "a file this builder did not write is in the way",
                    "move it, build with --out elsewhere, or replace it with --force",
                )
            ]
    return [job for job in jobs if force or job.variant.relative_path not in foreign]


class _ManifestWriter:
    """Adds entries as files land; rewrites the manifest at most every half second, or
    less often for a large one: the wait is at least 20 times the last write's time, so
    rewriting a 30,000-entry manifest never costs more than a few per cent (issue 18)."""

    def __init__(self, out_dir: Path, entries: dict[str, ManifestEntry]) -> None:
        self.out_dir, self.entries, self.written = out_dir, entries, 0.0
        self.every = MANIFEST_EVERY_SECONDS
        self.claimed: set[str] = set()

    def add(self, entry: ManifestEntry) -> None:
        self.entries[entry.path] = entry
        if time.monotonic() - self.written > self.every:
            self.flush()

    def flush(self) -> Path:
        started = time.monotonic()
        path = write_manifest(self.out_dir, self.entries, __version__, self.claimed)
        self.written = time.monotonic()
        self.every = max(MANIFEST_EVERY_SECONDS, 20 * (self.written - started))
        return path
        return write_manifest(self.out_dir, self.entries, __version__, self.claimed)


def _entry(job: Job, result: JobResult) -> ManifestEntry:
    variant = job.variant
    return ManifestEntry(
        leaflet=variant.leaflet,
        level=variant.level,
        paper=variant.paper,
        language=job.context.language,
        path=variant.relative_path,
        pages=result.pages,
        sha256=result.sha256,
        bytes=result.size,
        format=variant.format,
        large_print=variant.large_print,
        clinic=variant.clinic,
        inputs=job.inputs,
        title=job.context.title,
        version=job.context.version,
        next_review=job.context.next_review.isoformat(),
    )


# --- fingerprints -------------------------------------------------------------------------


def fingerprint(variant: Variant, context: LevelContext, static: str, release: bool) -> str:
    """sha256 of everything the file depends on: a change anywhere rebuilds it."""
    digest = hashlib.sha256()
    for part in (static, repr(variant), repr(release), repr(context)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for url in sorted(_file_urls(context)):
        digest.update(_file_digest(url).encode("ascii"))
    return digest.hexdigest()


def _file_urls(context: LevelContext) -> Iterator[str]:
    for section in context.sections:
        for block in section.blocks:
            if block.image is not None:
                yield block.image.src
    if context.clinic is not None and context.clinic.logo is not None:
        yield context.clinic.logo.src


@cache
def _file_digest(url: str) -> str:
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    try:
        return hashlib.sha256(Path(url2pathname(urlsplit(url).path)).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _static_digest(catalog: Catalog, clinics: Iterable[LoadedClinic]) -> str:
    """The tool, the fonts, the project file and every template and clinic file."""
    digest = hashlib.sha256(f"leaflets {__version__}".encode())
    folders = [*template_dirs(catalog.root), *(c.folder for c in clinics), *font_dirs()]
    for folder in folders:
        real = folder.resolve()
        # Clinic folders are untrusted: never hash a link that leads out (issue 12).
        inside = (p for p in folder.rglob("*") if p.resolve().is_relative_to(real))
        for path in sorted(p for p in inside if p.is_file()):
            digest.update(str(path.relative_to(folder)).encode("utf-8"))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update((catalog.root / "leaflets.yaml").read_bytes())
    # What the release checks read besides the content (issue 11): the wording rules (built
    # in and the project's), the jargon list. Releases also re-run the checks every time.
    from importlib import resources

    data = resources.files("leaflets").joinpath("data")
    for name in ("wording.yaml", "jargon.yaml"):
        digest.update(data.joinpath(name).read_bytes())
    project_rules = catalog.content_dir / "wording.yaml"
    if project_rules.is_file():
        digest.update(project_rules.read_bytes())
    return digest.hexdigest()


# --- running jobs -------------------------------------------------------------------------


def _run(jobs: list[Job], options: BuildOptions) -> Iterator[tuple[Job, JobResult]]:
    """Results as they finish, from the executor the options name (executors.py)."""
    if not jobs:
        return
    executor = make_executor(
        options.executor, options.jobs, options.timeout, len(jobs), options.scheduler
    )
    with executor:
        if options.executor == "dask":
            from .dask_executor import remote_jobs, render_remote

            tasks, bundle = remote_jobs(jobs)
            outcomes = executor.map_unordered(render_remote, tasks, bundle)
        else:
            outcomes = executor.map_unordered(render_job, jobs)
        for index, outcome in outcomes:
            job = jobs[index]
            if isinstance(outcome, Lost):
                where = Location(job.source)
                hint = (
                    "make the leaflet smaller or give it more time with --timeout"
                    if outcome.reason == "timeout"
                    else "run it again; if it keeps failing, please report it"
                )
                outcome = JobResult(
                    job.variant, None, problems=(Problem(where, outcome.message, hint),)
                )
            yield job, outcome


@cache
def _environment(project_root: Path, extra_dirs: tuple[Path, ...]) -> object:
    from .templates import make_environment

    return make_environment(project_root, extra_dirs)


def render_job(job: Job) -> JobResult:
    """Make one file's bytes and check them; the coordinator writes them (`_land`)."""
    import jinja2

    from .render import render_html

    where = Location(job.source)
    cpu = time.process_time()
    try:
        environment = _environment(job.project_root, job.extra_template_dirs)
        assert isinstance(environment, jinja2.Environment)
        html = render_html(environment, job.context)
        data, pages = output_format(job.variant.format).produce(html, job)
    except LeafletError as exc:
        return JobResult(job.variant, None, problems=tuple(exc.problems))
    except Exception as exc:  # a bug must not stop the other leaflets; it is reported
        message = f"internal error while building: {type(exc).__name__}: {exc}"
        return JobResult(
            job.variant,
            None,
            problems=(Problem(where, message, "please report it", Severity.ERROR),),
            traceback=traceback.format_exc(),
        )
    return JobResult(
        job.variant,
        data,
        hashlib.sha256(data).hexdigest(),
        pages,
        len(data),
        peak_rss_kb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        cpu_seconds=time.process_time() - cpu,
    )
