"""Read and write `output/manifest.json`: one entry per built file.

It lists only complete files (the build adds an entry after the file's atomic rename),
carries each file's sha256 and the fingerprint of the inputs it was built from (so an
unchanged variant is skipped), and holds no timestamps: same inputs, same manifest.

The manifest on disk is input like any other (issue 12, finding 3): anyone who can write
to the output folder can edit it. So it is read with a size limit and without following a
link, every entry is checked against the schema below (types, a path of the shape the
build makes, inside the output folder, a sha256, a bounded size), an entry that fails is
dropped with a warning (its variant is simply rebuilt), and a listed file is only ever
opened through `read_built`: relative to the output folder, no link followed at any step,
a regular file only (no FIFO, no device), and never more than its recorded size.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity
from ..output import write_atomic
from .formats import FORMATS

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 2
#: The manifest of a big catalogue is a few hundred KiB; anything this large is not ours.
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
#: One built file (a long leaflet with photos is a few MiB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: The shape of `build.Variant.relative_path`: one to three plain lower-case names, the
#: last ending in .pdf or .html; no name starts with a dot, so no `..` and no hidden file.
_NAME = r"[a-z0-9][a-z0-9_-]*(?:\.[a-z0-9_-]+)*"
_EXTENSIONS = "|".join(re.escape(f.extension) for f in FORMATS.values())
PATH_PATTERN = re.compile(rf"(?:{_NAME}/){{1,2}}{_NAME}(?:{_EXTENSIONS})")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class ManifestEntry:
    leaflet: str
    level: str
    paper: str
    language: str
    path: str
    """Relative to the output folder, with forward slashes."""
    pages: int
    sha256: str
    bytes: int
    format: str = "pdf"
    large_print: bool = False
    clinic: str | None = None
    inputs: str = ""
    title: str = ""
    """The leaflet's title at this level (the print station lists it, issue 16)."""
    version: str = ""
    next_review: str = ""
    """ISO date of the next planned review."""
    """Fingerprint of everything the file was built from (build.fingerprint)."""

    def intact(self, out_dir: Path) -> bool:
        """The file is there, a regular file, with the size and hash recorded."""
        return read_built(out_dir, self) is not None


@dataclass
class Manifest:
    """What an earlier build left: its valid entries, and why others were dropped."""

    entries: dict[str, ManifestEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    """Warnings: the manifest or an entry was not valid and was ignored."""
    owned: set[str] = field(default_factory=set)
    """Paths listed by a manifest this builder wrote, also of an older format version:
    files a build may replace without --force."""


def read_manifest(out_dir: Path) -> dict[str, ManifestEntry]:
    """Valid entries of an earlier build by path (see `load_manifest` for the warnings)."""
    return load_manifest(out_dir).entries


def load_manifest(out_dir: Path) -> Manifest:
    """The earlier build's manifest, validated; a missing one is an empty manifest."""
    where = Location(out_dir / MANIFEST_NAME)
    manifest = Manifest()
    try:
        raw = _read_regular(out_dir, MANIFEST_NAME, MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        return manifest
    except _Refused as exc:
        manifest.problems.append(_warning(where, f"manifest ignored: {exc}"))
        return manifest
    except OSError as exc:
        manifest.problems.append(_warning(where, f"manifest ignored: {exc.strerror}"))
        return manifest
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        manifest.problems.append(_warning(where, "manifest ignored: it is not valid JSON"))
        return manifest
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        manifest.problems.append(_warning(where, "manifest ignored: it has no list of files"))
        return manifest
    current = data.get("format") == FORMAT_VERSION
    claimed = data.get("claimed", [])
    for path in claimed if isinstance(claimed, list) else []:
        if isinstance(path, str) and PATH_PATTERN.fullmatch(path):
            manifest.owned.add(path)
    for index, raw_entry in enumerate(files):
        path = raw_entry.get("path") if isinstance(raw_entry, dict) else None
        if isinstance(path, str) and PATH_PATTERN.fullmatch(path):
            manifest.owned.add(path)
        if not current:
            continue
        entry, reason = parse_entry(raw_entry)
        if entry is None or entry.path in manifest.entries:
            reason = reason or "the path is listed twice"
            manifest.problems.append(
                _warning(where, f"manifest entry {index + 1} dropped ({reason})")
            )
            continue
        manifest.entries[entry.path] = entry
    return manifest


_KNOWN = frozenset(f.name for f in fields(ManifestEntry))


def parse_entry(raw: Any) -> tuple[ManifestEntry | None, str]:
    """One entry checked against the schema: the entry, or None and why not."""
    if not isinstance(raw, dict):
        return None, "not an object"
    unknown = sorted(set(raw) - _KNOWN)
    if unknown:
        return None, f"unknown key {str(unknown[0])[:40]!r}"
    missing = [
        name for name in ("leaflet", "level", "paper", "language", "path") if name not in raw
    ]
    missing += [name for name in ("pages", "sha256", "bytes") if name not in raw]
    if missing:
        return None, f"no {missing[0]!r}"
    for name in ("leaflet", "level", "paper", "language", "path", "sha256", "format", "inputs"):
        if name in raw and (not isinstance(raw[name], str) or len(raw[name]) > 300):
            return None, f"{name!r} is not a short string"
    for name in ("pages", "bytes"):
        value = raw[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return None, f"{name!r} is not a whole number"
    if raw["bytes"] > MAX_FILE_BYTES:
        return None, f"'bytes' is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
    if not isinstance(raw.get("large_print", False), bool):
        return None, "'large_print' is not true or false"
    clinic = raw.get("clinic")
    if clinic is not None and (not isinstance(clinic, str) or len(clinic) > 300):
        return None, "'clinic' is not a short string"
    if not PATH_PATTERN.fullmatch(raw["path"]):
        return None, f"path {raw['path'][:80]!r} is not one the build makes"
    if not _SHA256.fullmatch(raw["sha256"]):
        return None, "'sha256' is not a sha256"
    return ManifestEntry(**raw), ""


def read_built(out_dir: Path, entry: ManifestEntry) -> bytes | None:
    """The bytes of a listed file if it is exactly what the build wrote, else None.

    Opened relative to `out_dir` one folder at a time with O_NOFOLLOW (no link anywhere on
    the way), only if it is a regular file of the recorded size, and hashed."""
    found = read_built_stat(out_dir, entry)
    return found[0] if found is not None else None


def read_built_stat(out_dir: Path, entry: ManifestEntry) -> tuple[bytes, os.stat_result] | None:
    """As `read_built`, with the file's status as it was opened (the build snapshot records
    it, so the next build can prove the file unchanged without reading it)."""
    if not PATH_PATTERN.fullmatch(entry.path) or entry.bytes > MAX_FILE_BYTES:
        return None
    status: list[os.stat_result] = []
    try:
        data = _read_regular(out_dir, entry.path, entry.bytes, exact=True, status=status)
    except (OSError, _Refused):
        return None
    if hashlib.sha256(data).hexdigest() != entry.sha256:
        return None
    return data, status[0]


def read_regular(out_dir: Path, relative: str, limit: int) -> bytes | None:
    """A builder's own file in `out_dir` (no link followed, regular, at most `limit`
    bytes), or None if it is missing or is not such a file."""
    try:
        return _read_regular(out_dir, relative, limit)
    except (OSError, _Refused):
        return None


def remove_built(out_dir: Path, entry: ManifestEntry) -> bool:
    """Delete a listed file, only if it is still exactly what the build wrote."""
    if read_built(out_dir, entry) is None:
        return False
    parts = entry.path.split("/")
    try:
        folder = _open_folder(out_dir, parts[:-1])
    except (OSError, _Refused):
        return False
    try:
        os.unlink(parts[-1], dir_fd=folder)
    except OSError:
        return False
    finally:
        os.close(folder)
    return True


def write_manifest(
    out_dir: Path,
    entries: dict[str, ManifestEntry],
    tool_version: str,
    claimed: set[str] | frozenset[str] = frozenset(),
) -> Path:
    """Write the manifest; `claimed` lists files a running build is about to write."""
    path = out_dir / MANIFEST_NAME
    write_atomic(path, b"".join(_manifest_lines(entries, tool_version, claimed)))
    return path


_FIELDS = tuple(f.name for f in fields(ManifestEntry))


def _manifest_lines(
    entries: dict[str, ManifestEntry], tool_version: str, claimed: set[str] | frozenset[str]
) -> Iterator[bytes]:
    """The manifest as JSON, one file per line: each line by the C encoder (the indenting
    encoder is pure Python, and took most of a no-op build's manifest write; issue 18)."""
    yield b'{\n  "format": %d,\n  "generator": ' % FORMAT_VERSION
    yield json.dumps(f"leaflets {tool_version}").encode() + b',\n  "files": ['
    for index, key in enumerate(sorted(entries)):
        entry = entries[key]
        line = json.dumps({name: getattr(entry, name) for name in _FIELDS}, ensure_ascii=False)
        yield (b",\n    " if index else b"\n    ") + line.encode("utf-8")
    yield b"\n  ]" if entries else b"]"
    if claimed:
        yield b',\n  "claimed": ' + json.dumps(sorted(claimed - set(entries))).encode()
    yield b"\n}\n"


# --- reading without following links ------------------------------------------------------


class _Refused(Exception):
    """The path is there but is not a plain file we may read (a link, a FIFO, too big)."""


def _warning(where: Location, message: str) -> Problem:
    return Problem(
        where,
        message,
        "the output folder is the builder's: do not edit files in it by hand",
        Severity.WARNING,
    )


def _open_folder(out_dir: Path, parts: list[str]) -> int:
    """A descriptor of `out_dir/parts...`, refusing a link at every step below `out_dir`."""
    folder = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    for part in parts:
        try:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder)
        except OSError as exc:
            os.close(folder)
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise _Refused(f"{part!r} is a link or not a folder") from None
            raise
        os.close(folder)
        folder = inner
    return folder


def _read_regular(
    out_dir: Path,
    relative: str,
    limit: int,
    *,
    exact: bool = False,
    status: list[os.stat_result] | None = None,
) -> bytes:
    """The bytes of a regular file under `out_dir`, at most `limit` (exactly, if `exact`);
    `status` receives the file's status as opened."""
    parts = relative.split("/")
    folder = _open_folder(out_dir, parts[:-1])
    try:
        try:
            handle = os.open(parts[-1], _OPEN_FLAGS, dir_fd=folder)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise _Refused("it is a symbolic link") from None
            raise
    finally:
        os.close(folder)
    try:
        info = os.fstat(handle)
        if status is not None:
            status.append(info)
        if not stat.S_ISREG(info.st_mode):
            raise _Refused("it is not a regular file")
        if info.st_size > limit or (exact and info.st_size != limit):
            raise _Refused(f"its size is not the expected one ({info.st_size} bytes)")
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > limit or (exact and len(data) != limit):
        raise _Refused("it changed while it was read")
    return data
