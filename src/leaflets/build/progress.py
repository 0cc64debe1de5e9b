"""How a batch build reports as it goes: a rich progress bar on a terminal, one plain line
per file otherwise (CI logs), or JSON lines for programs (`--json`)."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, TextIO

from ..errors import Problem
from .builder import BuildReport, Variant
from .formats import output_format
from .manifest import ManifestEntry


class BuildProgress:
    """Receives build events (`build_catalog(progress=...)`) and shows them."""

    def __init__(self, out: TextIO, *, mode: str, total: int | None = None) -> None:
        self.total, self.out, self.mode = total, out, mode
        self.counts = {"built": 0, "skipped": 0, "failed": 0}
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> BuildProgress:
        if self.total is not None:
            self.planned(self.total)
        return self

    def planned(self, total: int) -> None:
        """The build planned `total` files (`build_catalog(planned=...)`): start the bar."""
        self.total = total
        if self.mode == "bar" and self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("building"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(file=self.out),
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("build", total=self.total, counts="")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, error, trace)

    def __call__(
        self, event: str, variant: Variant, detail: ManifestEntry | list[Problem] | None
    ) -> None:
        self.counts[event] = self.counts.get(event, 0) + 1
        if self.mode == "bar" and self._bar is not None:
            counts = (
                f"{self.counts['built']} built, {self.counts['skipped']} unchanged, "
                f"{self.counts['failed']} failed"
            )
            self._bar.update(self._task, advance=1, counts=counts)
        elif event == "skipped":
            return  # logs and JSON list only what was made or failed; the summary counts it
        elif self.mode == "lines":
            if isinstance(detail, ManifestEntry):
                pages = (
                    f" ({detail.pages} pages)" if output_format(detail.format).shows_pages else ""
                )
                print(f"built {detail.path}{pages}", file=self.out, flush=True)
            else:
                print(f"FAILED {variant.name}", file=self.out, flush=True)
        elif self.mode == "json":
            record: dict[str, Any] = {"event": event, "variant": variant.name}
            if isinstance(detail, ManifestEntry):
                record.update(path=detail.path, pages=detail.pages, sha256=detail.sha256)
            elif detail:
                record["problems"] = [str(p) for p in detail]
            print(json.dumps(record), file=self.out, flush=True)


def summary(report: BuildReport) -> str:
    return (
        f"{len(report.built)} built, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed, {len(report.removed)} removed in {report.seconds:.1f} s; "
        f"manifest: {report.manifest}"
    )


def pages_table(entries: list[ManifestEntry]) -> str:
    """Pages per paged variant, one line per leaflet and level: what grew, at a glance
    (regular print first, then large print, then booklet pages and sheet sides)."""
    from .formats import output_format

    order = {"pdf": 0, "a5": 2, "booklet": 3}
    rows: dict[tuple[str, str, str], list[str]] = {}
    paged = [e for e in entries if e.format in order]
    for entry in sorted(
        paged, key=lambda e: (order[e.format] + e.large_print, e.paper != "a4", e.path)
    ):
        name = output_format(entry.format).label(entry.paper)
        name += " large" if entry.large_print else ""
        unit = " sides" if entry.format == "booklet" else ""
        key = (entry.clinic or "", entry.leaflet, entry.level)
        rows.setdefault(key, []).append(f"{name} {entry.pages}{unit}")
    lines = ["pages:"] if rows else []
    for (clinic, leaflet, level), cells in sorted(rows.items()):
        owner = f" ({clinic})" if clinic else ""
        lines.append(f"  {leaflet} {level}{owner}: {', '.join(cells)}")
    return "\n".join(lines)


def summary_json(report: BuildReport) -> str:
    return json.dumps(
        {
            "event": "summary",
            "built": len(report.built),
            "unchanged": len(report.skipped),
            "failed": {
                name: [str(p) for p in problems] for name, problems in report.failed.items()
            },
            "removed": report.removed,
            "pages": {e.path: e.pages for e in report.built + report.skipped if e.format == "pdf"},
            "warnings": [str(p) for p in report.warnings],
            "seconds": round(report.seconds, 2),
            "peak_worker_rss_mb": round(report.peak_worker_rss_kb / 1024, 1),
            "render_cpu_seconds": round(report.render_cpu_seconds, 2),
            "worker_cpu_seconds": round(report.worker_cpu_seconds, 2),
            "manifest": str(report.manifest),
            "ok": report.ok,
        }
    )
