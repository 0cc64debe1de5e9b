"""The orchestrator: `Catalog` in, PDFs, HTML twins and `manifest.json` out.

It reads like the pipeline. Plan the variants (buildplan.py: leaflet x level x paper x
large print x clinic x format); fingerprint each one's inputs and skip those whose file is
intact and unchanged (jobs.py, fingerprints.py); gate the rest (release: reviewed,
lint-clean, on-target wording); render the rest in a pool of warm worker processes
(context -> HTML -> PDF -> checks -> bytes; jobs.py); write each finished file into place
and list it in the manifest (landing.py). A failing variant is recorded and the others go
on; the manifest only ever lists complete files.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.catalog import prints
from ..content.load import Catalog, LoadedLeaflet
from ..errors import Interrupted, Problem
from ..output import build_lock, remove_temporaries
from .jobs import Job, JobResult, plan_jobs, render_job, run_jobs
from .landing import (
    ManifestWriter,
    claim,
    earlier_intact,
    kept_from_before,
    land,
    page_budget_warnings,
    write_station_page,
)
from .manifest import ManifestEntry, load_manifest
from .plan import (
    DEFAULT_TIMEOUT,
    EXECUTORS,
    BuildOptions,
    BuildReport,
    Progress,
    Variant,
    gate_key,
    plan_variants,
)

if TYPE_CHECKING:
    from ..text.check import Rule

#: Called when a build has finished, inside its lock: the catalog, the report, the
#: manifest's entries and the variants planned.
Finished = Callable[[Catalog, BuildReport, dict[str, ManifestEntry], list[Variant]], None]


def discard_snapshot(out_dir: Path) -> None:
    from .snapshot import discard

    discard(out_dir)


__all__ = [
    "DEFAULT_TIMEOUT",
    "EXECUTORS",
    "BuildOptions",
    "BuildReport",
    "Job",
    "JobResult",
    "Progress",
    "Variant",
    "build_catalog",
    "page_budget_warnings",
    "plan_variants",
    "prints",
    "render_job",
]

log = logging.getLogger(__name__)


def build_catalog(
    catalog: Catalog,
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    planned: Callable[[int], None] | None = None,
    *,
    proven: Callable[[ManifestEntry], bool] | None = None,
    on_done: Finished | None = None,
) -> BuildReport:
    """Build what changed into `out_dir`, keep `manifest.json` true to the files.

    `planned` hears how many files the build plans, before any is made (a progress bar's
    total): the plan is made here only, once. `proven` says an earlier file is intact
    without reading it (the build snapshot's stat proof, snapshot.py), for the files of
    leaflets a partial build did not load; `on_done` runs when the build has finished,
    still holding the output folder's lock (the snapshot is written there)."""
    options = options or BuildOptions()
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    report = BuildReport(warnings=list(catalog.problems))
    for path, problems in catalog.failed.items():
        report.failed[path.name] = problems
    today = options.today or dt.date.today()
    variants = plan_variants(catalog, options)
    broken_translations = _translation_file_problems(catalog, options)
    report.failed.update(broken_translations)
    if planned:
        planned(len(variants))
    clinics = {c.clinic.id: c for c in (options.clinics or catalog.clinics)}
    with build_lock(out_dir):
        discard_snapshot(out_dir)  # this build changes the outputs: no stale proof survives
        remove_temporaries(out_dir)
        earlier = load_manifest(out_dir)  # input like any other: validated (issue 12)
        report.warnings += earlier.problems
        previous = earlier.entries
        jobs, skipped = plan_jobs(catalog, variants, clinics, previous, out_dir, options, today)
        jobs = claim(jobs, earlier.owned | set(previous), out_dir, options.force, report)
        refused = _gate(catalog, jobs, options, report, variants)
        jobs = [job for job in jobs if not _refused(job.variant, refused)]
        by_path = {variant.relative_path: variant for variant in variants}
        report.skipped = [e for e in skipped if not _refused(by_path[e.path], refused)]
        if progress:
            for entry in report.skipped:
                progress("skipped", by_path[entry.path], entry)
        # A refused leaflet keeps its earlier files, listed as they were (like a failed
        # rebuild): the manifest and the files on disk always agree.
        entries = {e.path: e for e in skipped}
        refused_paths = (v.relative_path for v in variants if _refused(v, refused))
        entries.update((e.path, e) for e in earlier_intact(previous, refused_paths, out_dir))
        # A leaflet that failed to load may own earlier files: never prune then.
        full = (
            not catalog.partial
            and not catalog.failed
            and not broken_translations  # its earlier translated files stay
            and options.selects_whole_project()
        )
        entries.update(kept_from_before(previous, variants, entries, full, out_dir, report, proven))
        # Files about to be rebuilt stay listed while they are intact, so a build stopped
        # by any means (Ctrl-C, SIGTERM, kill -9, a power cut) leaves every intact file
        # listed; a listed file replaced before its entry is rewritten fails `intact`
        # and is rebuilt next time.
        rebuilt = (j.variant.relative_path for j in jobs if j.variant.relative_path not in entries)
        entries.update((e.path, e) for e in earlier_intact(previous, rebuilt, out_dir))
        manifest = ManifestWriter(out_dir, entries)
        # Claim the files about to be written, so a crash or a full disk before the last
        # manifest write still leaves them the builder's own (issue 12).
        manifest.claimed = {job.variant.relative_path for job in jobs}
        if jobs:  # nothing to claim: the one write at the end is enough
            manifest.flush()
        try:
            for job, result in run_jobs(jobs, options):
                land(job, result, previous, out_dir, manifest, report, progress)
            manifest.claimed = set()
        except BaseException as stop:
            # The executor has ended its workers; write down what landed so far.
            manifest.flush()
            if isinstance(stop, Interrupted):
                stop.built, stop.listed = len(report.built), len(manifest.entries)
            raise
        report.manifest = manifest.flush()
        report.warnings += page_budget_warnings(catalog, report.built)
        report.warnings += write_station_page(catalog, out_dir, manifest.entries)
        report.seconds = time.perf_counter() - started
        if on_done is not None:
            on_done(catalog, report, manifest.entries, variants)
    report.seconds = time.perf_counter() - started
    return report


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
    from ..text.check import as_errors, check_leaflet, load_rules

    shipped = {gate_key(variant) for variant in variants}
    refused = _translated_numbers_gate(catalog, variants, report)
    if not shipped or not options.release:
        return refused
    rules = load_rules(catalog.root)
    today = options.today or dt.date.today()
    for loaded in catalog.leaflets:
        if loaded.leaflet.id not in shipped:
            continue
        problems = as_errors(check_leaflet(catalog, loaded, rules=rules, today=today, clinics=()))
        if problems:
            report.failed[f"{loaded.leaflet.id} (release)"] = problems
            refused.add(loaded.leaflet.id)
        refused |= _gate_clinics(catalog, loaded, options, report, variants, rules)
    for (key, level), (leaflet_catalog, loaded) in _translated(catalog, variants).items():
        if key in refused:
            continue
        problems = as_errors(check_leaflet(leaflet_catalog, loaded, today=today, clinics=()))
        if problems:
            report.failed[f"{loaded.leaflet.id} ({loaded.language}, {level}, release)"] = problems
            refused.add(key)
    return refused


def _translated(
    catalog: Catalog, variants: list[Variant]
) -> dict[tuple[str, str], tuple[Catalog, LoadedLeaflet]]:
    """The translated leaflets the variants show, by (gate_key, level)."""
    from ..text.translate import translations

    found: dict[tuple[str, str], tuple[Catalog, LoadedLeaflet]] = {}
    leaflets = {loaded.leaflet.id: loaded for loaded in catalog.leaflets}
    for variant in variants:
        key = (gate_key(variant), variant.level)
        if variant.language is not None and key not in found:
            found[key] = translations(catalog).localise(
                leaflets[variant.leaflet], variant.language, variant.level
            )
    return found


def _translated_numbers_gate(
    catalog: Catalog, variants: list[Variant], report: BuildReport
) -> set[str]:
    """Drafts too: a translation whose numbers differ from its source's is never built."""
    from ..text.translation_state import number_problems

    refused: set[str] = set()
    for (key, level), (_, loaded) in _translated(catalog, variants).items():
        translated = loaded.translation
        problems = number_problems(
            translated.source_catalog, translated.source, translated.translation, (level,)
        )
        if problems:
            report.failed[f"{loaded.leaflet.id} ({loaded.language}, {level})"] = problems
            refused.add(key)
    return refused


def _translation_file_problems(catalog: Catalog, options: BuildOptions) -> dict[str, list[Problem]]:
    """Translation files that could not be read: named, their leaflet not built in that
    language (the other leaflets and languages go on)."""
    from ..text.translate import plan_languages, translations

    failed: dict[str, list[Problem]] = {}
    for language in plan_languages(catalog, options.languages):
        if language is not None:
            for problem in translations(catalog).of(language)[1]:
                failed.setdefault(str(problem.location.path), []).append(problem)
    return failed


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
    from ..text.check import as_errors, check_clinic

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
    """Refused by the gate: its leaflet in its language, or its clinic's branded set."""
    return gate_key(variant) in refused or f"{variant.leaflet}@{variant.clinic}" in refused
