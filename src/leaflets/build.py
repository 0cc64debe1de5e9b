"""The orchestrator: `Catalog` in, PDFs and `manifest.json` in the output folder out.

Reads like the pipeline: plan the leaflet x level x paper variants, then for each one
context -> HTML -> PDF -> checks -> atomic write. A failing leaflet is recorded and the
rest go on; the manifest is written last, so it only ever lists complete files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import __version__
from .check import as_errors, check_leaflet, load_rules
from .errors import LeafletError, Location, Problem, UsageError
from .grading import grade_level
from .levels import context_for
from .load import Catalog, LoadedLeaflet
from .manifest import ManifestEntry, merge, read_manifest, write_manifest
from .pdf import render_pdf, write_atomic
from .render import render_html
from .review import ReviewSummary, leaflet_reviews, release_problems, summarise
from .templates import font_dirs, make_environment, template_dirs
from .verify import verify_pdf

log = logging.getLogger(__name__)

PAPERS = ("a4", "letter")


@dataclass(frozen=True)
class Variant:
    """One output file: a pure function of the leaflet, level and paper."""

    loaded: LoadedLeaflet
    level: str
    paper: str

    @property
    def relative_path(self) -> str:
        leaflet_id = self.loaded.leaflet.id
        return f"{leaflet_id}/{leaflet_id}.{self.level}.{self.paper}.pdf"

    @property
    def name(self) -> str:
        return f"{self.loaded.leaflet.id} [{self.level}, {self.paper}]"


@dataclass
class BuildReport:
    built: list[ManifestEntry] = field(default_factory=list)
    failed: dict[str, list[Problem]] = field(default_factory=dict)
    """Variant or file name -> why it was not built."""
    warnings: list[Problem] = field(default_factory=list)
    manifest: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.failed


def plan_variants(
    catalog: Catalog, levels: list[str] | None = None, paper: str | None = None
) -> list[Variant]:
    """Every leaflet x level x paper to build; unknown levels are usage errors."""
    known = list(catalog.project.levels)
    for level in levels or []:
        if level not in known:
            raise UsageError(
                Problem(
                    Location(Path("leaflets.yaml")),
                    f"unknown level {level!r}",
                    f"levels in this project: {', '.join(known)}",
                )
            )
    papers = [paper or catalog.project.paper]
    return [
        Variant(loaded, level, chosen_paper)
        for loaded in catalog.leaflets
        for level in loaded.levels
        if not levels or level in levels
        for chosen_paper in papers
    ]


def build_catalog(
    catalog: Catalog,
    out_dir: Path,
    levels: list[str] | None = None,
    paper: str | None = None,
    *,
    release: bool = False,
    today: dt.date | None = None,
) -> BuildReport:
    """Build every planned variant into `out_dir` and write the manifest.

    A release build refuses any leaflet whose benefits, uncertainty or risks wording is
    unreviewed, changed since its review, or past its review date; a draft build renders
    it with a DRAFT stamp on every page and the pending blocks listed at the end.
    """
    today = today or dt.date.today()
    variants = plan_variants(catalog, levels, paper)
    report = BuildReport(warnings=[p for p in catalog.problems])
    for path, problems in catalog.failed.items():
        report.failed[path.name] = problems
    environment = make_environment(catalog.root)
    roots = (catalog.content_dir, *template_dirs(catalog.root), *font_dirs())
    reviews = {loaded.leaflet.id: leaflet_reviews(loaded, today) for loaded in catalog.leaflets}
    rules = load_rules(catalog.root)
    for loaded in catalog.leaflets:
        wording = check_leaflet(loaded, catalog, rules) + [
            problem
            for level in loaded.levels
            for problem in grade_level(loaded, level, catalog, environment).problems
        ]
        if release:
            # A release states only reviewed wording that passes every check (issue 3).
            problems = release_problems(reviews[loaded.leaflet.id]) + as_errors(wording)
            if problems:
                report.failed[f"{loaded.leaflet.id} (release)"] = problems
        else:
            report.warnings.extend(p for p in wording if p not in report.warnings)
        variants = [v for v in variants if f"{v.loaded.leaflet.id} (release)" not in report.failed]
    for variant in variants:
        review = summarise(reviews[variant.loaded.leaflet.id], variant.level)
        try:
            entry = build_variant(variant, catalog, environment, roots, out_dir, review)
        except LeafletError as exc:
            log.info("failed %s", variant.name)
            report.failed[variant.name] = exc.problems
            continue
        log.info("built %s (%d pages)", entry.path, entry.pages)
        report.built.append(entry)
    entries = merge(read_manifest(out_dir), report.built, out_dir)
    report.manifest = write_manifest(out_dir, entries, __version__)
    return report


def build_variant(
    variant: Variant,
    catalog: Catalog,
    environment: jinja2.Environment,
    roots: tuple[Path, ...],
    out_dir: Path,
    review: ReviewSummary,
) -> ManifestEntry:
    """Render, check and write one variant; raise `LeafletError` without writing on failure."""
    where = Location(variant.loaded.path)
    context = context_for(variant.loaded, variant.level, catalog, variant.paper, review)
    html = render_html(environment, context)
    data = render_pdf(html, catalog.content_dir, roots, where)
    facts = verify_pdf(data, context.language, context.title)
    if facts.problems:
        raise LeafletError(facts.as_problems(where))
    write_atomic(out_dir / variant.relative_path, data)
    return ManifestEntry(
        leaflet=variant.loaded.leaflet.id,
        level=variant.level,
        paper=variant.paper,
        language=context.language,
        path=variant.relative_path,
        pages=facts.pages,
        sha256=hashlib.sha256(data).hexdigest(),
        bytes=len(data),
    )
