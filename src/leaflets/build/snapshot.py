"""The build snapshot: proving "nothing changed" without loading the library (issue 18).

A full build of a large library spends most of a no-op in loading: reading, validating and
cross-checking every leaflet file. Like ninja's `.ninja_deps`, the build keeps a record of
what each leaflet's files were made from, `output/.leaflets-snapshot.json`:

* every input file's stat signature (size, mtime_ns, inode, ctime_ns, device) and sha256:
  the global ones (leaflets.yaml, templates, fonts, clinic folders, every content file but
  leaflets, shared blocks and pictures, the tool's own package files), and per leaflet its
  file, the shared block files it uses and the pictures it shows;
* per leaflet: its id, its variants, its warnings, the sources it cites, and the window of
  dates in which its review states stay as they were (`next_review < today` decides);
* every output file's stat signature and sha256, and the manifest's and print station's.

The next build stats first and hashes only files whose signature changed (or was recorded
too near the moment the file was read to be trusted: the "racy clean" case); only leaflets
whose inputs changed, whose date window has passed, whose outputs are not proven intact or
that did not build cleanly are loaded again. A change to any global input, a leaflet file
removed, a block file added or removed, other build options, another tool version or
another Python package version: a full load, as without a snapshot.

The snapshot is untrusted input, like the manifest: read without following links, bounded,
checksummed and validated; anything wrong with it means a full load, never a crash and
never skipped work. Every build that may change the outputs deletes it first, inside the
output folder's lock, and only a finished build of the whole project writes it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import leaflets

from ..errors import Location, Problem, Severity
from ..output import write_atomic
from ..version import VERSION
from .manifest import MANIFEST_NAME, ManifestEntry, read_built_stat, read_regular

SNAPSHOT_NAME = ".leaflets-snapshot.json"
FORMAT = 1
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024
MAX_PAGE_BYTES = 512 * 1024 * 1024
#: A file changed within this long of being read may change again without its timestamps
#: moving (file system timestamps are coarse): it is hashed again next time.
RACY_NS = 3_000_000_000
STATION_NAME = "index.html"
#: Packages whose version can change the output's bytes (the rendering stack).
ENGINE_PACKAGES = ("weasyprint", "pydyf", "pikepdf", "fonttools", "pillow", "pyphen", "jinja2")

Sig = tuple[int, int, int, int, int]


def signature(info: os.stat_result) -> Sig:
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns, info.st_dev)


def _trusted(info: os.stat_result, read_at: int) -> Sig | None:
    """The signature, unless the file changed too recently before it was read."""
    if read_at - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
        return signature(info)
    return None


@dataclass(frozen=True)
class FileRecord:
    sig: Sig | None
    """None: not to be trusted; the file is read and hashed to prove it."""
    sha: str
    size: int = 0


MISSING = "missing"


class Prover:
    """Stat first, hash only what changed: each file at most once per build."""

    def __init__(self, recorded: dict[str, FileRecord] | None = None) -> None:
        self.recorded = recorded or {}
        self.seen: dict[str, FileRecord] = {}
        self._global: dict[tuple[str, ...], list[str]] = {}

    def global_files(self, root: Path, clinic_folders: list[str]) -> list[str]:
        """`global_files`, listed once per build."""
        key = (str(root), *clinic_folders)
        if key not in self._global:
            self._global[key] = global_files(root, clinic_folders)
        return self._global[key]

    def digest(self, path: Path | str) -> str:
        key = str(path)
        found = self.seen.get(key)
        if found is not None:
            return found.sha
        try:
            info = Path(key).stat()
        except OSError:
            found = FileRecord(None, MISSING)
        else:
            old = self.recorded.get(key)
            if old is not None and old.sig is not None and old.sig == signature(info):
                found = old
            else:
                found = _hash_file(key)
        self.seen[key] = found
        return found.sha


def _hash_file(path: str) -> FileRecord:
    read_at = time.time_ns()
    try:  # O_NONBLOCK: a FIFO planted in the content must not hang the build
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(descriptor)
            if not stat.S_ISREG(info.st_mode):
                return FileRecord(None, "not-a-file")
            digest = hashlib.file_digest(handle, "sha256")
    except OSError:
        return FileRecord(None, MISSING)
    return FileRecord(_trusted(info, read_at), digest.hexdigest(), info.st_size)


@dataclass
class LeafletRecord:
    id: str
    inputs: list[str]
    window: tuple[str | None, str | None]
    """[from, until): the dates on which the leaflet's review states are as recorded."""
    variants: list[str]
    warnings: list[Problem]
    cited: list[str]
    own: list[str]
    clean: bool
    """Every variant was built or found unchanged (a failed file is retried)."""

    def covers(self, today: dt.date) -> bool:
        start, until = self.window
        iso = today.isoformat()
        return (start is None or iso >= start) and (until is None or iso < until)


@dataclass
class Snapshot:
    key: dict[str, Any]
    files: dict[str, FileRecord]
    global_files: list[str]
    leaflet_files: list[str]
    block_files: list[str]
    leaflets: dict[str, LeafletRecord]
    warnings: list[Problem]
    outputs: dict[str, FileRecord]
    manifest: str
    station: str
    clean: bool
    clinic_folders: list[str] = field(default_factory=list)


# --- what the snapshot is keyed on ------------------------------------------------------


def environment() -> list[str]:
    """The tool, Python and the rendering stack's versions."""
    found = [f"leaflets {VERSION}", f"python {sys.version}"]
    for name in ENGINE_PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return found


def package_files() -> list[str]:
    """The tool's own files (code, templates, data, catalogs): a change to any of them
    invalidates the snapshot, even without a new version number."""
    base = Path(leaflets.__file__).parent
    found = []
    for folder, subfolders, names in os.walk(base):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        found += [str(Path(folder, n)) for n in sorted(names) if not n.endswith(".pyc")]
    return found


def key_for(root: Path, out_dir: Path) -> dict[str, Any]:
    return {"root": str(root), "out": str(out_dir), "environment": environment()}


def global_files(root: Path, clinic_folders: list[str]) -> list[str]:
    """Every file whose change invalidates every leaflet's outputs (fingerprints.py)."""
    from ..content.load import CONTENT_DIR, PROJECT_FILE
    from .fingerprints import content_files, static_files

    found = [str(root / PROJECT_FILE)]
    found += [str(path) for _, path in static_files(root, [Path(f) for f in clinic_folders])]
    found += [str(path) for path in content_files(root / CONTENT_DIR)]
    return found + package_files()


def listing(folder: Path) -> list[str]:
    return [str(path) for path in sorted(folder.rglob("*.yaml"))] if folder.is_dir() else []


# --- reading and writing ----------------------------------------------------------------


def discard(out_dir: Path) -> None:
    """Delete the snapshot (a build is about to change the outputs)."""
    with contextlib.suppress(OSError):
        (out_dir / SNAPSHOT_NAME).unlink()


def read(out_dir: Path) -> Snapshot | None:
    """The snapshot, if there is one and it is valid in every part; else None."""
    raw = read_regular(out_dir, SNAPSHOT_NAME, MAX_SNAPSHOT_BYTES)
    if raw is None:
        return None
    try:
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if header != {"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()}:
            return None
        return _parse(json.loads(body))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def write(out_dir: Path, snapshot: Snapshot) -> None:
    body = json.dumps(_dump(snapshot), ensure_ascii=False, separators=(",", ":")).encode()
    header = json.dumps({"format": FORMAT, "sha256": hashlib.sha256(body).hexdigest()})
    write_atomic(out_dir / SNAPSHOT_NAME, header.encode() + b"\n" + body)


def _dump(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "key": snapshot.key,
        "files": {k: _dump_file(v) for k, v in snapshot.files.items()},
        "global_files": snapshot.global_files,
        "clinic_folders": snapshot.clinic_folders,
        "leaflet_files": snapshot.leaflet_files,
        "block_files": snapshot.block_files,
        "leaflets": {
            path: {
                "id": r.id,
                "inputs": r.inputs,
                "window": list(r.window),
                "variants": r.variants,
                "warnings": [_dump_problem(p) for p in r.warnings],
                "cited": r.cited,
                "own": r.own,
                "clean": r.clean,
            }
            for path, r in snapshot.leaflets.items()
        },
        "warnings": [_dump_problem(p) for p in snapshot.warnings],
        "outputs": {k: _dump_file(v) for k, v in snapshot.outputs.items()},
        "manifest": snapshot.manifest,
        "station": snapshot.station,
        "clean": snapshot.clean,
    }


def _dump_file(record: FileRecord) -> list[Any]:
    return [*(record.sig or (None,) * 5), record.sha, record.size]


def _dump_problem(problem: Problem) -> list[Any]:
    where = problem.location
    return [
        str(where.path),
        where.line,
        where.column,
        problem.message,
        problem.hint,
        problem.severity.value,
    ]


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("not a list of strings")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _parse_file(value: Any) -> FileRecord:
    if not isinstance(value, list) or len(value) != 7:
        raise ValueError("bad file record")
    *sig, sha, size = value
    if all(v is None for v in sig):
        parsed = None
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in sig):
        parsed = (sig[0], sig[1], sig[2], sig[3], sig[4])
    else:
        raise ValueError("bad signature")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("bad size")
    return FileRecord(parsed, _string(sha), size)


def _parse_problem(value: Any) -> Problem:
    if not isinstance(value, list) or len(value) != 6:
        raise ValueError("bad problem")
    path, line, column, message, hint, severity = value
    if not (isinstance(line, int) and isinstance(column, int)):
        raise ValueError("bad location")
    where = Location(Path(_string(path)), line, column)
    return Problem(where, _string(message), _string(hint), Severity(severity))


def _parse(data: Any) -> Snapshot:
    if not isinstance(data, dict) or not isinstance(data["key"], dict):
        raise ValueError("not a snapshot")
    leaflets: dict[str, LeafletRecord] = {}
    for path, raw in data["leaflets"].items():
        start, until = raw["window"]
        for bound in (start, until):
            if bound is not None:
                dt.date.fromisoformat(_string(bound))
        if not isinstance(raw["clean"], bool):
            raise ValueError("bad flag")
        leaflets[_string(path)] = LeafletRecord(
            _string(raw["id"]),
            _strings(raw["inputs"]),
            (start, until),
            _strings(raw["variants"]),
            [_parse_problem(p) for p in raw["warnings"]],
            _strings(raw["cited"]),
            _strings(raw["own"]),
            raw["clean"],
        )
    if not isinstance(data["clean"], bool):
        raise ValueError("bad flag")
    return Snapshot(
        key=data["key"],
        files={_string(k): _parse_file(v) for k, v in data["files"].items()},
        global_files=_strings(data["global_files"]),
        leaflet_files=_strings(data["leaflet_files"]),
        block_files=_strings(data["block_files"]),
        leaflets=leaflets,
        warnings=[_parse_problem(p) for p in data["warnings"]],
        outputs={_string(k): _parse_file(v) for k, v in data["outputs"].items()},
        manifest=_string(data["manifest"]),
        station=_string(data["station"]),
        clean=data["clean"],
        clinic_folders=_strings(data["clinic_folders"]),
    )


# --- outputs ----------------------------------------------------------------------------


def output_record(out_dir: Path, entry: ManifestEntry, old: FileRecord | None) -> FileRecord:
    """The output file's record: the old one if its signature still holds, else proved by
    reading and hashing it (a file that is not what the manifest says gets no signature)."""
    if old is not None and old.sig is not None and old.sha == entry.sha256:
        with contextlib.suppress(OSError):
            if signature(os.lstat(out_dir / entry.path)) == old.sig:
                return old
    read_at = time.time_ns()
    found = read_built_stat(out_dir, entry)
    if found is None:
        return FileRecord(None, entry.sha256, entry.bytes)
    return FileRecord(_trusted(found[1], read_at), entry.sha256, entry.bytes)


def output_intact(out_dir: Path, path: str, record: FileRecord) -> bool:
    """Proven intact by its signature, or else by reading and hashing it."""
    if record.sig is not None:
        try:
            info = os.lstat(out_dir / path)
        except OSError:
            return False
        if stat.S_ISREG(info.st_mode) and signature(info) == record.sig:
            return True
    entry = ManifestEntry("", "", "", "", path, 0, record.sha, record.size)
    return read_built_stat(out_dir, entry) is not None


def page_digest(out_dir: Path, name: str = MANIFEST_NAME) -> str:
    """sha256 of the manifest or the print station page (always read: both are rewritten
    by every build that is not a no-op, so their signatures would never be trusted)."""
    raw = read_regular(out_dir, name, MAX_PAGE_BYTES if name == STATION_NAME else 1 << 30)
    return hashlib.sha256(raw).hexdigest() if raw is not None else MISSING
