"""The output folder: atomic writes, a lock against two builds at once, no stray files.

Imports nothing heavy, so a no-op rebuild never loads the rendering engine.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path

from .errors import Location, OutputError, Problem, UsageError

LOCK_NAME = ".leaflets.lock"
TEMP_SUFFIX = ".tmp"
#: Marks a temporary file as this builder's: `.NAME.leaflets-PID-RUN.tmp` (issue 12,
#: finding 4). A build removes only files of exactly this shape, so an editor's
#: `.draft-autosave.tmp` in a folder someone pointed --out at is never touched.
TEMP_MARK = "leaflets"
_RUN = secrets.token_hex(4)
TEMPORARY_PATTERN = re.compile(
    rf"\.[a-z0-9][a-z0-9_.-]*\.{TEMP_MARK}-[0-9]+-[0-9a-f]{{8}}\{TEMP_SUFFIX}"
)
_HINTS = {
    errno.ENOSPC: "free some space on that disk, or build somewhere else with --out",
    errno.EDQUOT: "free some space (your disk quota is used up), or use --out",
    errno.EROFS: "that folder is on a read-only file system: build somewhere else with --out",
    errno.EACCES: "you may not write there: fix its permissions or use --out",
    errno.EPERM: "you may not write there: fix its permissions or use --out",
    errno.ENAMETOOLONG: "the path is too long for the file system: use a shorter --out folder",
    errno.ENOTDIR: "a file is in the way where a folder should be: move it, or use --out",
    errno.EISDIR: "a folder is in the way where a file should be: move it, or use --out",
    errno.EEXIST: "a file is in the way: move it, or use --out",
}


def os_problem(path: Path, exc: OSError, action: str = "write") -> Problem:
    """A located message for an operating-system failure: the path, what, and why."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    hint = _HINTS.get(exc.errno or 0, "check the output folder and its permissions")
    return Problem(Location(path), f"cannot {action} this file or folder: {reason}", hint)


def temporary_for(path: Path) -> Path:
    """The hidden file a variant is written to before it is renamed into place."""
    return path.with_name(f".{path.name}.{TEMP_MARK}-{os.getpid()}-{_RUN}{TEMP_SUFFIX}")


def write_new(path: Path, data: bytes) -> None:
    """Write `data` to a file that must not exist yet (no link followed); OS errors as
    they are, so the caller can say which file."""
    handle = os.open(
        path,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0),
        0o644,
    )
    try:
        view = memoryview(data)
        while view:
            written = os.write(handle, view)
            view = view[written:]
        os.fsync(handle)
    finally:
        os.close(handle)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file.

    An OS failure (full disk, read-only, no permission, name too long) raises
    `OutputError` naming the path, exit 2."""
    temporary = temporary_for(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_new(temporary, data)
        temporary.replace(path)
    except OSError as exc:
        raise OutputError(os_problem(path, exc)) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)


def remove_temporaries(out_dir: Path) -> int:
    """Delete temporary files an interrupted build left behind; return how many.

    Only regular files named like this builder's temporaries (`TEMPORARY_PATTERN`); links
    are not followed into other folders."""
    count = 0
    if not out_dir.is_dir():
        return 0
    for folder, folders, names in os.walk(out_dir, followlinks=False):
        folders[:] = [name for name in folders if not name.startswith(".") or name == "."]
        for name in names:
            if not TEMPORARY_PATTERN.fullmatch(name):
                continue
            stray = Path(folder) / name
            try:
                if stat.S_ISREG(stray.lstat().st_mode):
                    stray.unlink()
                    count += 1
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise OutputError(os_problem(stray, exc, "remove")) from None
    return count


def unlisted(out_dir: Path, relative_paths: list[str], owned: set[str]) -> list[str]:
    """Of the files a build is about to write, those already there that no manifest of
    this builder lists: a build must not replace them without --force (issue 12)."""
    return [
        relative
        for relative in relative_paths
        if relative not in owned and os.path.lexists(out_dir / relative)
    ]


def inside(out_dir: Path, relative: str) -> Path:
    """`out_dir / relative`, refusing anything that would land outside `out_dir`.

    The folders on the way are resolved (a folder linked elsewhere is refused); the file
    name itself is not, so a link planted where a leaflet goes is replaced by the rename,
    never written through."""
    candidate = out_dir / relative
    target = candidate.parent.resolve() / candidate.name
    if (
        not target.is_relative_to(out_dir.resolve())
        or Path(relative).is_absolute()
        or candidate.name in ("", ".", "..")
    ):
        raise UsageError(Problem(Location(Path(relative)), "output path leaves the output folder"))
    return target


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder; a second build is refused at once."""
    lock_path = out_dir / LOCK_NAME
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(os_problem(out_dir, exc, "create")) from None
    try:
        # Never through a link: a planted `.leaflets.lock -> /etc/x` must not be truncated.
        descriptor = os.open(
            lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o644
        )
        handle = os.fdopen(descriptor, "r+")
    except OSError as exc:
        raise OutputError(os_problem(lock_path, exc)) from None
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
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
        except OSError as exc:
            raise OutputError(os_problem(lock_path, exc)) from None
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
