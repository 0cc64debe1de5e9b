"""A whole project's build, using the build snapshot (snapshot.py) to load only what changed.

`build_project` is what `leaflets build` runs. With a valid snapshot and the default
choice of files (no narrowing option, not `--release`, not `--force`) it:

1. proves, under the output folder's lock, which leaflet files must be loaded again
   (`decide`): none, and every output intact, is a no-op answered without loading the
   library or reading a built file;
2. otherwise loads the project with only those leaflet files (the shared files are always
   loaded: a broken block library still stops the build) and builds them; the files of the
   other leaflets stay listed, proven intact by their signatures; their warnings are
   reported again from the snapshot;
3. falls back to loading everything when a partial load could differ from a full one (a
   leaflet file removed, an id now used twice, a leaflet that makes fewer files than
   before, earlier files no leaflet owns).

A release build, a narrowed build or a forced one loads everything, as before: the release
gate runs the checks on every leaflet it ships and never trusts a cache.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content.load import (
    BLOCKS_DIR,
    CONTENT_DIR,
    LEAFLETS_DIR,
    Catalog,
    LoadedLeaflet,
    cited_sources,
    load_project,
    unused_sources,
)
from ..errors import Problem
from ..output import build_lock
from . import snapshot as snap
from .builder import build_catalog
from .manifest import ManifestEntry, load_manifest
from .plan import BuildOptions, BuildReport, Progress, Variant, plan_variants

log = logging.getLogger(__name__)


def eligible(options: BuildOptions) -> bool:
    """The whole project as leaflets.yaml says, a draft, not forced: the snapshot's case."""
    return options.selects_whole_project() and not options.release and not options.force


@dataclass
class Decision:
    full: str = ""
    """Why everything must be loaded ("" when the snapshot holds)."""
    reload: list[Path] = field(default_factory=list)
    """Leaflet files to load again."""
    dirty: bool = False
    """A build must run even if no leaflet is loaded (e.g. the station page is gone)."""
    snapshot: snap.Snapshot | None = None
    prover: snap.Prover = field(default_factory=snap.Prover)
    proven: set[str] = field(default_factory=set)
    """Output files proven intact (by signature, or read and hashed) by `decide`."""

    @property
    def nothing_to_do(self) -> bool:
        return not self.full and not self.reload and not self.dirty


def decide(root: Path, out_dir: Path, options: BuildOptions, today: dt.date) -> Decision:
    """What a build must load, from the snapshot and the files' signatures."""
    if not eligible(options):
        return Decision("options")
    found = snap.read(out_dir)
    if found is None:
        return Decision("no valid snapshot")
    decision = Decision(snapshot=found, prover=snap.Prover(found.files))
    if found.key != snap.key_for(root, out_dir):
        decision.full = "another project, output folder or tool version"
        return decision
    prover = decision.prover
    now = prover.global_files(root, found.clinic_folders)
    if now != found.global_files:
        decision.full = "a global input file was added or removed"
        return decision
    for path in now:
        if prover.digest(path) != found.files[path].sha:
            decision.full = f"{path} changed"
            return decision
    leaflet_files = snap.listing(root / CONTENT_DIR / LEAFLETS_DIR)
    if set(found.leaflet_files) - set(leaflet_files):
        decision.full = "a leaflet file was removed"
        return decision
    if snap.listing(root / CONTENT_DIR / BLOCKS_DIR) != found.block_files:
        decision.full = "a shared block file was added or removed"
        return decision
    if snap.page_digest(out_dir) != found.manifest:
        decision.full = "the manifest changed"
        return decision
    reload = {path for path in leaflet_files if path not in found.leaflets}
    owners: dict[str, str] = {}
    for path, record in found.leaflets.items():
        owners.update((variant, path) for variant in record.variants)
        if not record.clean or not record.covers(today):
            reload.add(path)
            continue
        for name in record.inputs:
            if name not in found.files or prover.digest(name) != found.files[name].sha:
                reload.add(path)
                break
    if set(found.outputs) - set(owners):
        decision.full = "earlier files that no leaflet makes are listed"
        return decision
    for path, output in found.outputs.items():
        if owners[path] in reload:
            continue  # rebuilt, or proved by the build itself
        if snap.output_intact(out_dir, path, output):
            decision.proven.add(path)
        else:
            reload.add(owners[path])
    decision.reload = [Path(p) for p in sorted(reload)]
    decision.dirty = (
        not found.clean or snap.page_digest(out_dir, snap.STATION_NAME) != found.station
    )
    return decision


def build_project(
    root: Path,
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    planned: Callable[[int], None] | None = None,
    only: list[Path] | None = None,
    *,
    verify: bool = False,
) -> BuildReport:
    """Load and build the project at `root` (only the files `only` names, if given),
    loading again only what changed since the last build when the snapshot proves it.
    `verify` ignores the snapshot: every leaflet loaded, every built file read and hashed
    (the snapshot is then written afresh)."""
    started = time.perf_counter()
    options = options or BuildOptions()
    root, out_dir = root.resolve(), out_dir.resolve()
    today = options.today or dt.date.today()
    if only is not None or not eligible(options):
        return build_catalog(load_project(root, only), out_dir, options, progress, planned)
    decision = Decision("--verify" if verify else "no snapshot")
    # Without a snapshot the output folder is not touched before the project has loaded (a
    # broken shared file stops the build before anything is made, as it always did).
    if not verify and _has_snapshot(out_dir):
        with build_lock(out_dir):
            decision = decide(root, out_dir, options, today)
            if decision.nothing_to_do:
                assert decision.snapshot is not None
                report = _unchanged(out_dir, decision.snapshot, progress, planned)
                report.seconds = time.perf_counter() - started
                return report
    catalog, kept = _load(root, decision, options)
    if decision.full:
        log.info("loading every leaflet: %s", decision.full)
    proven = None
    if decision.snapshot is not None and not decision.full:
        outputs = decision.snapshot.outputs

        def proven(entry: ManifestEntry) -> bool:
            """Proved by `decide` moments ago, under this build's inputs."""
            record = outputs.get(entry.path)
            return (
                entry.path in decision.proven
                and record is not None
                and (record.sha == entry.sha256)
            )

    def finished(
        catalog: Catalog,
        report: BuildReport,
        entries: dict[str, ManifestEntry],
        variants: list[Variant],
    ) -> None:
        from .recording import record

        # The leaflets not loaded: their files are unchanged, and counted so.
        report.skipped += [
            entries[path] for r in kept.values() for path in r.variants if path in entries
        ]
        record(root, out_dir, today, catalog, report, entries, variants, decision, kept)

    return build_catalog(
        catalog, out_dir, options, progress, planned, proven=proven, on_done=finished
    )


def _has_snapshot(out_dir: Path) -> bool:
    try:
        return (out_dir / snap.SNAPSHOT_NAME).is_file()
    except OSError:  # e.g. a name too long: the build names it where it writes
        return False


def _unchanged(
    out_dir: Path,
    found: snap.Snapshot,
    progress: Progress | None,
    planned: Callable[[int], None] | None,
) -> BuildReport:
    """The no-op: every file listed as it is, the warnings of the last load again."""
    entries = load_manifest(out_dir).entries
    if planned:
        planned(len(entries))
    report = BuildReport(warnings=list(found.warnings), manifest=out_dir / "manifest.json")
    report.skipped = [entries[path] for path in sorted(entries)]
    if progress:
        for entry in report.skipped:
            variant = Variant(
                entry.leaflet,
                entry.level,
                entry.paper,
                entry.large_print,
                entry.clinic,
                entry.format,
            )
            progress("skipped", variant, entry)
    return report


def _load(
    root: Path, decision: Decision, options: BuildOptions
) -> tuple[Catalog, dict[str, snap.LeafletRecord]]:
    """The catalog to build: the changed leaflets only, or (when a partial load could
    differ from a full one) every leaflet. Also the unchanged leaflets' records."""
    from .recording import predigest

    found = decision.snapshot
    predigest(root, decision.prover, found.clinic_folders if found else [])
    if decision.full or found is None:
        return load_project(root), {}
    catalog = load_project(root, decision.reload)
    reloaded = {str(p) for p in decision.reload}
    kept = {path: r for path, r in found.leaflets.items() if path not in reloaded}
    why = _differs(root, catalog, kept, found, options)
    if why:
        decision.full = why
        return load_project(root), {}
    replayed = [problem for record in kept.values() for problem in record.warnings]
    catalog.problems += replayed
    if not catalog.failed:
        cited = {s for r in kept.values() for s in r.cited}
        cited |= {s for loaded in catalog.leaflets for s in cited_sources(loaded)}
        own = [frozenset(r.own) for r in kept.values()]
        own += [frozenset(loaded.leaflet.sources) for loaded in catalog.leaflets]
        catalog.problems += unused_sources(catalog, cited, own)
    return catalog, kept


def _differs(
    root: Path,
    catalog: Catalog,
    kept: dict[str, snap.LeafletRecord],
    found: snap.Snapshot,
    options: BuildOptions,
) -> str:
    """Why building only the loaded leaflets could differ from a full build ("" if not)."""
    taken = {record.id for record in kept.values()}
    made: dict[str, set[str]] = {}
    for variant in plan_variants(catalog, options):
        made.setdefault(variant.leaflet, set()).add(variant.relative_path)
    for loaded in catalog.leaflets:
        if loaded.leaflet.id in taken:
            return f"leaflet id {loaded.leaflet.id!r} is used by another file"
        before = found.leaflets.get(str(_absolute(root, loaded)))
        if before is not None and set(before.variants) - made.get(loaded.leaflet.id, set()):
            return f"{loaded.path} makes fewer files than before"
    return ""


def _absolute(root: Path, loaded: LoadedLeaflet) -> Path:
    return loaded.path if loaded.path.is_absolute() else root / loaded.path


__all__ = ["Decision", "Problem", "build_project", "decide", "eligible"]
