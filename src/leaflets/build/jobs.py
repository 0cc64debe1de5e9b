"""The files to make and making them: each variant's job (fingerprinted, and skipped when
its file is intact and unchanged), run by the executor the options name (executors.py: in
this process, a pool of warm workers, or Dask), one pure job in, the file's bytes and
check results out (`render_job`; workers write no files)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import resource
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.load import Catalog, LoadedClinic, LoadedLeaflet
from ..errors import LeafletError, Location, Problem, Severity
from ..output import inside
from ..render.templates import font_dirs, template_dirs
from ..review.state import BlockReview, leaflet_reviews, summarise
from ..text.levels import LevelContext, context_for
from .executors import Lost, make_executor
from .fingerprints import InputDigests, fingerprint
from .formats import output_format
from .manifest import ManifestEntry
from .plan import BuildOptions, Variant

if TYPE_CHECKING:
    from ..verify.pagination import Rules


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
    worker: tuple[int, float] = (0, 0.0)
    """(process id, CPU seconds that process has used so far): with the last of each
    worker, the build's whole worker CPU, start-up and job transfer included (bench/)."""
    traceback: str = ""
    """For an unexpected error: the traceback, shown by `leaflets --debug`."""


def plan_jobs(
    catalog: Catalog,
    variants: list[Variant],
    clinics: dict[str, LoadedClinic],
    previous: dict[str, ManifestEntry],
    out_dir: Path,
    options: BuildOptions,
    today: dt.date,
) -> tuple[list[Job], list[ManifestEntry]]:
    """Fingerprints; variants whose file is intact and unchanged are skipped; contexts only
    for the files to make (fingerprints.py: from the inputs' bytes, not the context)."""
    from ..text.levels import _file_uri

    _file_uri.cache_clear()
    leaflets = {loaded.leaflet.id: loaded for loaded in catalog.leaflets}
    reviews = {}
    digests = InputDigests(catalog, tuple(clinics.values()))
    jobs, skipped = [], []
    for variant in variants:
        loaded = leaflets[variant.leaflet]
        if variant.leaflet not in reviews:
            reviews[variant.leaflet] = leaflet_reviews(loaded, today, catalog)
        clinic = clinics.get(variant.clinic) if variant.clinic else None
        review = summarise(
            reviews[variant.leaflet] + _clinic_states(catalog, clinic, variant, today),
            variant.level,
        )
        inputs = fingerprint(digests, loaded, variant, review, options.release)
        old = previous.get(variant.relative_path)
        if not options.force and old and old.inputs == inputs and old.intact(out_dir):
            skipped.append(old)
            continue
        variant_catalog = catalog
        if variant.language is not None:  # the translated leaflet (localise.localise)
            from ..text.translate import translations

            variant_catalog, loaded = translations(catalog).localise(
                loaded, variant.language, variant.level
            )
        context = context_for(
            loaded,
            variant.level,
            variant_catalog,
            output_format(variant.format).page_paper(variant.paper),
            review,
            large_print=variant.large_print,
            medium=output_format(variant.format).medium,
            clinic=clinic,
        )
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


def _clinic_states(
    catalog: Catalog, clinic: LoadedClinic | None, variant: Variant, today: dt.date
) -> list[BlockReview]:
    """A branded copy states its clinic unit's review too (pending: a draft banner)."""
    if clinic is None:
        return []
    from ..text.clinic_review import clinic_states

    return clinic_states(catalog, clinic, variant.leaflet, (variant.level,), today)


def _pagination_rules(catalog: Catalog, loaded: LoadedLeaflet, file_format: str) -> Rules:
    from ..verify.pagination import rules_for

    return rules_for(catalog.project, loaded.leaflet, file_format)


def run_jobs(jobs: list[Job], options: BuildOptions) -> Iterator[tuple[Job, JobResult]]:
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
    from ..render.templates import make_environment

    return make_environment(project_root, extra_dirs)


def render_job(job: Job) -> JobResult:
    """Make one file's bytes and check them; the coordinator writes them (`_land`)."""
    return produce_result(job, lambda: _html(job), worker=os.getpid())


def _html(job: Job) -> str:
    import jinja2

    from ..render.render import render_html

    environment = _environment(job.project_root, job.extra_template_dirs)
    assert isinstance(environment, jinja2.Environment)
    return render_html(environment, job.context)


def produce_result(job: Job, html: Callable[[], str], worker: int = 0) -> JobResult:
    """The checked file's bytes, or its problems: a bug in one leaflet is reported with it,
    never raised into the others. `worker`: this process's id, where the build counts its
    CPU (the local pool); 0 where it cannot (a remote worker)."""
    where = Location(job.source)
    cpu = time.process_time()
    try:
        data, pages = output_format(job.variant.format).produce(html(), job)
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
        worker=(worker, time.process_time() if worker else 0.0),
    )
