"""Finished files into place: each written beside its target and renamed (atomic), listed
in the manifest as it lands, earlier files this build no longer makes removed (only if
still exactly as built), files this builder did not write left alone, and the print
station page and page-budget warnings written last."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..content.load import Catalog
from ..errors import Location, Problem, Severity
from ..output import os_problem, temporary_for, unlisted, write_new
from ..version import VERSION as __version__
from .jobs import Job, JobResult
from .manifest import ManifestEntry, remove_built, write_manifest
from .plan import BuildReport, Progress, Variant

MANIFEST_EVERY_SECONDS = 0.5


def land(
    job: Job,
    result: JobResult,
    previous: dict[str, ManifestEntry],
    out_dir: Path,
    manifest: ManifestWriter,
    report: BuildReport,
    progress: Progress | None,
) -> None:
    """Write one finished file into place (atomically) and list it, or record its failure."""
    report.peak_worker_rss_kb = max(report.peak_worker_rss_kb, result.peak_rss_kb)
    report.render_cpu_seconds += result.cpu_seconds
    pid, used = result.worker
    if pid:
        report.worker_cpu[pid] = max(report.worker_cpu.get(pid, 0.0), used)
    problems = list(result.problems)
    if result.traceback:
        report.tracebacks.append(result.traceback)
    if not problems and result.data is not None:
        problems = place(job, result.data)
    if problems or result.data is None:
        report.failed[result.variant.name] = problems
        # The last good file (if any) stays, and stays listed: a failed rebuild
        # leaves the previous build as it was.
        for old in earlier_intact(previous, [job.variant.relative_path], out_dir):
            manifest.add(old)
        if progress:
            progress("failed", result.variant, problems)
        return
    entry = manifest_entry(job, result)
    report.built.append(entry)
    manifest.add(entry)
    if progress:
        progress("built", result.variant, entry)


def place(job: Job, data: bytes) -> list[Problem]:
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


def write_station_page(
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


def earlier_intact(
    previous: dict[str, ManifestEntry], paths: Iterable[str], out_dir: Path
) -> Iterator[ManifestEntry]:
    """The earlier entries of `paths` whose files are still exactly as that build wrote
    them: what stays listed when this build does not (yet) write a file there (refused,
    failed, about to be rebuilt), so the manifest and the files on disk always agree."""
    for relative in paths:
        old = previous.get(relative)
        if old is not None and old.intact(out_dir):
            yield old


def kept_from_before(
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
        return {e.path: e for e in earlier_intact(leftovers, leftovers, out_dir)}
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


def claim(
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


class ManifestWriter:
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


def manifest_entry(job: Job, result: JobResult) -> ManifestEntry:
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
