"""Writing the build snapshot (snapshot.py) when a build of the whole project has finished:
what each leaflet was made from, as the build read it, and each output's signature."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.load import Catalog, LoadedLeaflet, cited_sources
from ..content.model import Review
from ..errors import OutputError
from . import snapshot as snap
from .fingerprints import leaflet_inputs
from .manifest import ManifestEntry
from .plan import BuildReport, Variant

if TYPE_CHECKING:
    from .incremental import Decision

log = logging.getLogger(__name__)


def record(
    root: Path,
    out_dir: Path,
    today: dt.date,
    catalog: Catalog,
    report: BuildReport,
    entries: dict[str, ManifestEntry],
    variants: list[Variant],
    decision: Decision,
    kept: dict[str, snap.LeafletRecord],
) -> None:
    """Write the snapshot of this build (called inside the output folder's lock); a
    failure to (an unreadable folder, a full disk) leaves none, and the next build loads
    everything: the build itself stands.

    Input files were digested before the load read them (`predigest`), so a file edited
    during the build is recorded as it was, and the next build sees the edit."""
    with _or_no_snapshot(out_dir):
        prover, old = decision.prover, decision.snapshot
        done = {e.path for e in report.built} | {e.path for e in report.skipped}
        made: dict[str, list[str]] = {}
        for variant in variants:
            made.setdefault(variant.leaflet, []).append(variant.relative_path)
        dates = [r.next_review for r in _clinic_reviews(catalog, today)]
        leaflets: dict[str, snap.LeafletRecord] = {}
        for path, kept_record in kept.items():
            intact = all(v in entries for v in kept_record.variants)
            kept_record.clean = kept_record.clean and intact
            leaflets[path] = kept_record
        for loaded in catalog.leaflets:
            inputs = [str(path) for _, path in leaflet_inputs(catalog, loaded)]
            files = sorted(made.get(loaded.leaflet.id, []))
            leaflets[inputs[0]] = snap.LeafletRecord(
                loaded.leaflet.id,
                inputs,
                _window(_review_dates(loaded) + dates, today),
                files,
                catalog.file_problems.get(str(loaded.path), []),
                sorted(cited_sources(loaded)),
                sorted(loaded.leaflet.sources),
                all(name in done for name in files),
            )
        for failed in catalog.failed:
            # Loaded again by every build until it loads. Its earlier files (kept, as after
            # any failed rebuild) are its own: a leaflet's id is its file's name (load.py).
            owned = sorted(path for path, e in entries.items() if e.leaflet == Path(failed).stem)
            leaflets[str(failed)] = snap.LeafletRecord(
                "", [str(failed)], (None, None), owned, [], [], [], False
            )
        clinic_folders = [str(c.folder) for c in catalog.clinics]
        global_files = prover.global_files(root, clinic_folders)
        needed = set(global_files) | {name for r in leaflets.values() for name in r.inputs}
        for name in sorted(needed):
            prover.digest(name)
        outputs = {}
        for path, entry in entries.items():
            before = old.outputs.get(path) if old else None
            if before is not None and path in decision.proven and before.sha == entry.sha256:
                outputs[path] = before  # proved by this build's `decide`
            else:
                outputs[path] = snap.output_record(out_dir, entry, before)
        snapshot = snap.Snapshot(
            key=snap.key_for(root, out_dir),
            files={name: prover.seen[name] for name in sorted(needed)},
            global_files=global_files,
            leaflet_files=snap.listing(root / "content" / "leaflets"),
            block_files=snap.listing(root / "content" / "blocks"),
            leaflets=dict(sorted(leaflets.items())),
            warnings=list(catalog.problems),
            outputs=outputs,
            manifest=snap.page_digest(out_dir),
            station=snap.page_digest(out_dir, snap.STATION_NAME),
            clean=report.ok,
            clinic_folders=clinic_folders,
        )
        snap.write(out_dir, snapshot)


@contextmanager
def _or_no_snapshot(out_dir: Path) -> Iterator[None]:
    try:
        yield
    except (OSError, OutputError) as exc:
        log.warning("build snapshot not written: %s", exc)
        snap.discard(out_dir)


def predigest(root: Path, prover: snap.Prover, clinic_folders: list[str]) -> None:
    """Digest every file a load may read, before it reads them (see `record`)."""
    for name in prover.global_files(root, clinic_folders):
        prover.digest(name)
    content = root / "content"
    if content.is_dir():
        for path in sorted(content.rglob("*")):
            if path.is_file():
                prover.digest(path)


def _review_dates(loaded: LoadedLeaflet) -> list[dt.date]:
    reviews = list(loaded.leaflet.reviews)
    reviews += [
        r for section in loaded.sections for placed in section for r in placed.block.reviews
    ]
    return [review.next_review for review in reviews]


def _clinic_reviews(catalog: Catalog, today: dt.date) -> list[Review]:
    from ..text.clinic_review import clinic_state

    return [r for c in catalog.clinics for r in clinic_state(catalog, c, today)[0].reviews]


def _window(dates: list[dt.date], today: dt.date) -> tuple[str | None, str | None]:
    """[from, until): the days on which `next_review < day` is what it is today for every
    review date (a review expires the day after its next_review date)."""
    day = dt.timedelta(days=1)
    before = [d + day for d in dates if d < today]
    after = [d + day for d in dates if d >= today]
    return (
        max(before).isoformat() if before else None,
        min(after).isoformat() if after else None,
    )
