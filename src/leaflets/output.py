"""The output folder: atomic writes, a lock against two builds at once, no stray files.

Imports nothing heavy, so a no-op rebuild never loads the rendering engine.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import Location, Problem, UsageError

LOCK_NAME = ".leaflets.lock"
TEMP_SUFFIX = ".tmp"


def temporary_for(path: Path) -> Path:
    """The hidden file a variant is written to before it is renamed into place."""
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_for(path)
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def remove_temporaries(out_dir: Path) -> int:
    """Delete temporary files an interrupted build left behind; return how many."""
    count = 0
    if out_dir.is_dir():
        for stray in out_dir.rglob(f".*{TEMP_SUFFIX}"):
            stray.unlink(missing_ok=True)
            count += 1
    return count


def inside(out_dir: Path, relative: str) -> Path:
    """`out_dir / relative`, refusing anything that would land outside `out_dir`."""
    target = (out_dir / relative).resolve()
    if not target.is_relative_to(out_dir.resolve()) or Path(relative).is_absolute():
        raise UsageError(Problem(Location(Path(relative)), "output path leaves the output folder"))
    return target


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder; a second build is refused at once."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / LOCK_NAME
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise UsageError(
                Problem(
                    Location(lock_path),
                    f"another build is writing to this output folder ({holder})",
                    "wait for it to finish, or use --out to build somewhere else",
                )
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
