"""The build's jobs on a dask.distributed cluster: no shared filesystem, the same bytes.

The coordinator renders each variant's HTML (templates and content stay with it) and sends
it with a bundle of the files the engine may fetch: every file under the job's readable
folders (pictures, style sheets, fonts, clinic logos) except content YAML and templates,
keyed by the absolute paths the HTML names. The bundle goes to each worker once
(scattered). A worker turns HTML into PDF bytes and checks them with the same functions
and the same confinement rule as a local worker (`fetch.BundleFetcher`), and returns the
bytes; the coordinator alone writes files and the manifest.

Failures: a worker lost mid-job is retried on another one by the scheduler; a job whose
worker dies twice comes back as `Lost` (the scheduler's `allowed-failures` is 1 on a
cluster we start; set it on your own scheduler, docs/building.md). A job past the time
limit is cancelled and its worker process ended (its nanny starts a new one).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import LeafletError, Location, Problem, UsageError
from .executors import Lost, _Closing, _timed_out

if TYPE_CHECKING:
    from .jobs import Job, JobResult

log = logging.getLogger(__name__)

R = TypeVar("R")
#: How often, with a time limit, the coordinator asks which jobs have started.
POLL_SECONDS = 0.5
#: Files the engine never fetches: the content and templates are used by the coordinator.
NOT_FETCHED = frozenset({".yaml", ".yml", ".j2"})


@dataclass(frozen=True)
class RemoteJob:
    """What a Dask worker needs for one file, with no access to the project's folders."""

    job: Job
    """The job as a local worker gets it; its paths are only names on the coordinator."""
    html: str
    problems: tuple[Problem, ...] = ()
    """Set when the coordinator could not make the HTML: the worker only reports them."""


def remote_jobs(jobs: Sequence[Job]) -> tuple[list[RemoteJob], dict[str, bytes]]:
    """The HTML of every job, and one bundle of the files their renders may fetch."""
    from ..render.render import render_html
    from .jobs import _environment

    tasks = []
    roots: set[Path] = set()
    for job in jobs:
        roots.update(job.roots)
        try:
            environment = _environment(job.project_root, job.extra_template_dirs)
            html = render_html(environment, job.context)  # type: ignore[arg-type]
        except LeafletError as exc:
            tasks.append(RemoteJob(job, "", tuple(exc.problems)))
            continue
        tasks.append(RemoteJob(job, html))
    return tasks, bundle(roots)


def bundle(roots: set[Path]) -> dict[str, bytes]:
    """Bytes of every fetchable file under `roots`, keyed by resolved absolute path."""
    resolved = [root.resolve() for root in roots]
    files: dict[str, bytes] = {}
    for root in sorted(roots):
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in NOT_FETCHED or not path.is_file():
                continue
            real = path.resolve()
            if any(real.is_relative_to(r) for r in resolved):
                files[str(real)] = real.read_bytes()
    return files


def render_remote(task: RemoteJob, files: dict[str, bytes]) -> JobResult:
    """On a worker: HTML in, checked file bytes out, as `jobs.render_job` makes them."""
    from ..render.fetch import serving
    from .jobs import JobResult, produce_result

    if task.problems:
        return JobResult(task.job.variant, None, problems=task.problems)
    with serving(files):
        return produce_result(task.job, lambda: task.html)


class DaskExecutor(_Closing):
    """Jobs on a Dask cluster: the scheduler at `scheduler`, or one started on this machine."""

    def __init__(self, scheduler: str | None, workers: int, timeout: float | None) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                Problem(
                    Location(Path("--executor")),
                    "the Dask executor needs the distributed package",
                    "install it with: pip install 'leaflets[dask]'",
                )
            ) from None
        self.timeout = timeout
        self.cluster: Any = None
        # A job whose worker dies twice is reported, not retried again (issue 18).
        dask.config.set({"distributed.scheduler.allowed-failures": 1})
        try:
            if scheduler is None:
                self.cluster = LocalCluster(
                    n_workers=max(1, workers),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            self.close()
            raise UsageError(
                Problem(
                    Location(Path("--scheduler")),
                    f"cannot reach the Dask scheduler {scheduler}: {exc}",
                    "start one with `dask scheduler` and workers with `dask worker ADDRESS` "
                    "(docs/building.md, Past one machine)",
                )
            ) from None

    def map_unordered(
        self, work: Callable[..., R], jobs: Sequence[Any], *shared: Any
    ) -> Iterator[tuple[int, R | Lost]]:
        from distributed import wait

        # Shared values (the bundle) as tasks that carry their data: unlike scattered data,
        # the scheduler can run them again on another worker if every holder dies.
        scattered = [self.client.submit(_same, value, pure=False) for value in shared]
        run = uuid.uuid4().hex[:8]
        waiting = deque(range(len(jobs)))
        running: dict[Any, int] = {}
        started: dict[Any, float] = {}
        # As many jobs in flight as the cluster has threads, so memory stays bounded. A
        # job's clock starts when the scheduler first reports it running on a worker, so
        # time spent waiting for a (re)starting worker does not count against it.
        while waiting or running:
            room = max(1, sum(self.client.nthreads().values()))
            while waiting and len(running) < room:
                index = waiting.popleft()
                future = self.client.submit(
                    work, jobs[index], *scattered, key=f"leaflet-{run}-{index}", pure=False
                )
                running[future] = index
            wait_for = None
            if self.timeout:
                now = time.monotonic()
                pending = [f for f in running if f not in started]
                if pending:
                    keys = [f.key for f in pending]
                    on = set(self.client.run_on_scheduler(_running_keys, keys=keys))
                    started.update({f: now for f in pending if f.key in on})
                clocks = [started[f] for f in running if f in started]
                wait_for = POLL_SECONDS
                if clocks:
                    wait_for = min(wait_for, max(0.05, min(clocks) + self.timeout - now))
            try:
                done = wait(list(running), timeout=wait_for, return_when="FIRST_COMPLETED").done
            except TimeoutError:
                done = set()
            for future in done:
                index = running.pop(future)
                started.pop(future, None)
                try:
                    result = future.result()
                except Exception as reason:  # lost workers, cancelled, a scheduler error
                    yield index, Lost("crashed", f"the cluster could not run it: {reason}")
                    continue
                yield index, result
            if self.timeout:
                now = time.monotonic()
                for future, index in list(running.items()):
                    if future in started and now - started[future] >= self.timeout:
                        del running[future]
                        del started[future]
                        self._stop(future)
                        yield index, _timed_out(self.timeout)

    def _stop(self, future: Any) -> None:
        """Cancel a job past its time limit and restart the worker running it."""
        address = self.client.run_on_scheduler(_processing_on, key=future.key)
        future.cancel()
        if address:
            # A thread cannot be stopped: end the worker's process; its nanny starts a fresh
            # one and the scheduler moves the worker's other jobs elsewhere.
            try:
                self.client.run(_exit_process, workers=[address], wait=False)
            except Exception as exc:  # the job is reported either way
                log.warning("could not restart Dask worker %s: %s", address, exc)

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def _exit_process() -> None:
    """On a worker: end its process at once (its nanny replaces it)."""
    import os

    os._exit(1)


def _same(value: Any) -> Any:
    """A task that returns its argument: shared data the scheduler can recompute."""
    return value


def _running_keys(dask_scheduler: Any, keys: list[str]) -> list[str]:
    """On the scheduler: which of `keys` are running on a worker now."""
    found = []
    for key in keys:
        task = dask_scheduler.tasks.get(key)
        if task is not None and getattr(task, "processing_on", None) is not None:
            found.append(key)
    return found


def _processing_on(dask_scheduler: Any, key: str) -> str | None:
    """On the scheduler: the address of the worker running task `key`, if any."""
    task = dask_scheduler.tasks.get(key)
    worker = getattr(task, "processing_on", None) if task is not None else None
    return str(worker.address) if worker is not None else None
