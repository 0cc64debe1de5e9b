"""Run pure jobs and hand back their results as they finish: the build's executors.

An executor takes a function and a list of jobs (each a pure input: no shared state, no
files written by the worker) and yields `(index, result)` pairs in the order jobs finish.
A job that does not come back yields a `Lost` instead: it ran past the time limit (its
worker is stopped and replaced) or its worker died twice. Three executors share the
protocol:

- `InProcess`: this process, one job at a time (small builds; `-j 1`). The time limit is a
  `SIGALRM` timer, so it holds only in the main thread.
- `LocalPool`: warm worker processes forked from a fork server that has already imported
  the engine. Each worker takes one job at a time over its own pipe, so a worker past the
  time limit can be killed without losing the others' work. Workers ignore SIGINT (the
  coordinator stops them), and a watchdog thread in each worker ends it within a moment
  of the coordinator's death, even by `kill -9`: it waits on a pipe whose only writing end
  is the coordinator's.
- `DaskExecutor` (`dask_executor.py`): the same jobs on a dask.distributed cluster.

Closing an executor ends every process it started; the coordinator alone writes files.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from types import FrameType, TracebackType
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: How many times a job is tried when its worker dies under it (issue 18).
ATTEMPTS = 2
#: Modules the fork server imports once, so every worker starts warm.
PRELOAD = [
    "leaflets.render.pdf",
    "leaflets.render.render",
    "leaflets.verify.contract",
    "leaflets.render.templates",
]


@dataclass(frozen=True)
class Lost:
    """A job that did not return a result."""

    reason: str
    """"timeout" (stopped past the time limit) or "crashed" (its worker died twice)."""
    message: str


class Executor(Protocol):
    """Submit pure jobs, get their results as they finish; `close` ends every worker."""

    def map_unordered(
        self, work: Callable[..., R], jobs: Sequence[Any], *shared: Any
    ) -> Iterator[tuple[int, R | Lost]]:
        """`work(job, *shared)` for every job; `shared` values are sent once per worker."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _Closing:
    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to end."""


# --- in this process ----------------------------------------------------------------------


class _TimeUp(BaseException):
    """Raised by the timer inside a job; a BaseException so `except Exception` in the job
    (which turns bugs into reported problems) does not swallow it."""


class InProcess(_Closing):
    """One job after another in this process."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = timeout

    def map_unordered(
        self, work: Callable[..., R], jobs: Sequence[Any], *shared: Any
    ) -> Iterator[tuple[int, R | Lost]]:
        timed = bool(self.timeout) and threading.current_thread() is threading.main_thread()
        for index, job in enumerate(jobs):
            if not timed:
                yield index, work(job, *shared)
                continue
            assert self.timeout is not None
            previous = signal.signal(signal.SIGALRM, _time_up)
            signal.setitimer(signal.ITIMER_REAL, self.timeout)
            try:
                result: R | Lost = work(job, *shared)
            except _TimeUp:
                result = _timed_out(self.timeout)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
            yield index, result


def _time_up(signum: int, frame: FrameType | None) -> None:
    # Fire again soon in case this exception lands where it is swallowed (a gc callback,
    # a library's `except BaseException`); the caller disarms the timer after the job.
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    raise _TimeUp


def _timed_out(seconds: float) -> Lost:
    return Lost("timeout", f"rendering took longer than {seconds:g} s and was stopped")


# --- a pool of local worker processes -----------------------------------------------------


class _Worker:
    """One worker process and the coordinator's end of its pipe."""

    def __init__(
        self, context: Any, work: Callable[..., Any], shared: tuple[Any, ...], lifeline: Connection
    ) -> None:
        ours, theirs = context.Pipe(duplex=True)
        self.process = context.Process(
            target=_serve,
            args=(theirs, lifeline, work, shared),
            daemon=True,
            name="leaflets-worker",
        )
        self.process.start()
        theirs.close()
        self.conn: Connection = ours
        self.job: int | None = None
        self.started = 0.0

    def give(self, index: int, job: Any) -> None:
        self.conn.send((index, job))
        self.job, self.started = index, time.monotonic()

    def stop(self) -> None:
        """Kill at once: a worker writes no files, so there is nothing to finish."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class LocalPool(_Closing):
    """Warm worker processes on this machine, one job each at a time."""

    def __init__(self, workers: int, timeout: float | None = None) -> None:
        import multiprocessing

        self.size = max(1, workers)
        self.timeout = timeout
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(PRELOAD)
        _wait_for_fork_server_at_exit()
        self.workers: list[_Worker] = []
        # Workers hold the reading end; only this process holds the writing end, so a
        # worker reads end-of-file when the coordinator is gone, however it ended.
        self.lifeline_r, self.lifeline_w = self.context.Pipe(duplex=False)

    def map_unordered(
        self, work: Callable[..., R], jobs: Sequence[Any], *shared: Any
    ) -> Iterator[tuple[int, R | Lost]]:
        waiting = deque(range(len(jobs)))
        attempts = [0] * len(jobs)
        self.workers = [
            _Worker(self.context, work, shared, self.lifeline_r)
            for _ in range(min(self.size, len(jobs)))
        ]
        while waiting or any(w.job is not None for w in self.workers):
            for worker in self.workers:
                if worker.job is None and waiting:
                    index = waiting.popleft()
                    attempts[index] += 1
                    worker.give(index, jobs[index])
            busy = [w for w in self.workers if w.job is not None]
            wait_for = None
            if self.timeout:
                wait_for = max(0.0, min(w.started for w in busy) + self.timeout - time.monotonic())
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], wait_for)
            for worker in busy:
                assert worker.job is not None
                index = worker.job
                if worker.conn in ready or worker.process.sentinel in ready:
                    try:
                        if not worker.conn.poll():
                            raise EOFError
                        _, result = worker.conn.recv()
                    except (EOFError, OSError):
                        self._replace(worker, work, shared)
                        if attempts[index] < ATTEMPTS:
                            log.warning("a worker died; trying job %d again", index)
                            waiting.appendleft(index)
                            continue
                        yield index, Lost("crashed", "the worker process died while rendering")
                        continue
                    worker.job = None
                    yield index, result
                elif self.timeout and time.monotonic() - worker.started >= self.timeout:
                    self._replace(worker, work, shared)
                    yield index, _timed_out(self.timeout)

    def _replace(self, worker: _Worker, work: Callable[..., Any], shared: tuple[Any, ...]) -> None:
        worker.stop()
        self.workers[self.workers.index(worker)] = _Worker(
            self.context, work, shared, self.lifeline_r
        )

    def close(self) -> None:
        """End every worker, then let them see the lifeline close."""
        for worker in self.workers:
            worker.stop()
        self.workers = []
        self.lifeline_w.close()
        self.lifeline_r.close()


_WAITING: list[bool] = []


def _wait_for_fork_server_at_exit() -> None:
    """At exit, end the fork server and wait for it (once per process). It reaps the
    workers, so this process's children's CPU time then counts the fork server's start-up
    and every worker's whole life: what `bench/catalog.py` reports as the build's CPU
    (issue 18). Without the wait the server still ends when this process does, uncounted."""
    if not _WAITING:
        _WAITING.append(True)
        atexit.register(_stop_fork_server)


def _stop_fork_server() -> None:
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:  # private in CPython 3.8 to 3.13: absent elsewhere, then skipped
        with contextlib.suppress(OSError, ValueError):
            stop()


def _serve(
    tasks: Connection, lifeline: Connection, work: Callable[..., Any], shared: tuple[Any, ...]
) -> None:
    """A worker's loop: one job in, one result out, until the coordinator goes away."""
    signal.signal(
        signal.SIGINT, signal.SIG_IGN
    )  # Ctrl-C reaches the group; the coordinator decides
    threading.Thread(target=_exit_with_coordinator, args=(lifeline,), daemon=True).start()
    while True:
        try:
            index, job = tasks.recv()
        except (EOFError, OSError):
            return
        tasks.send((index, work(job, *shared)))


def _exit_with_coordinator(lifeline: Connection) -> None:
    """Block until the coordinator's end of the lifeline closes, then end this process."""
    try:
        lifeline.poll(None)
    finally:
        os._exit(0)


def make_executor(
    kind: str, workers: int, timeout: float | None, jobs: int, scheduler: str | None = None
) -> Executor:
    """The executor for a build: in this process for small builds, else a pool or Dask."""
    if kind == "dask":
        from .dask_executor import DaskExecutor

        return DaskExecutor(scheduler, workers, timeout)
    if workers <= 1 or jobs < MIN_JOBS_FOR_POOL:
        return InProcess(timeout)
    return LocalPool(workers, timeout)


#: Starting warm workers costs about a second; below this many files one process is faster.
MIN_JOBS_FOR_POOL = 4
