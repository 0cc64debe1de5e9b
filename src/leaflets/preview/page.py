"""A loaded project and a leaflet id + level in, what a preview page shows out.

The preview's data (preview.py serves it, preview_watch.py says when to load again): the
HTML twin, its readability figures per block against the level's limits (grading.py's own
`block_limits`), its checks (`check.check_leaflet`, the one pipeline) sorted per block, and
the review state of each unit. Content errors become located `Problem`s in the page.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ..content.load import CONTENT_DIR, Catalog, LoadedLeaflet, load_project
from ..content.model import Targets
from ..errors import LeafletError, Location, Problem, did_you_mean
from ..text.readability import Readability

if TYPE_CHECKING:
    from ..text.translation_file import LoadedTranslation

log = logging.getLogger(__name__)


# --- what the pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class BlockRow:
    """One row of the readability panel: a block (or the summary) at the shown level."""

    id: str
    where: str
    figures: Readability | None
    smog_max: float | None
    sentence_words_max: int | None
    review: str | None
    """reviewed, unreviewed, stale or expired; None outside benefits/uncertainty/risks."""
    review_note: str = ""
    problems: list[Problem] = field(default_factory=list)
    review_changes: list[list[tuple[str, str]]] = field(default_factory=list)
    """A stale unit's changes at this level since its approval (approved.hunks)."""

    @property
    def smog_over(self) -> bool:
        f = self.figures
        return bool(
            f and f.reliable and self.smog_max is not None and f.smog_adjusted > self.smog_max
        )

    @property
    def long_over(self) -> bool:
        limit = self.sentence_words_max
        return bool(
            self.figures and limit is not None and self.figures.longest_sentence_words > limit
        )


@dataclass(frozen=True)
class LeafletPage:
    """Everything the leaflet page shows at one level (or the problems that stop it)."""

    leaflet_id: str
    level: str
    levels: list[tuple[str, str]]
    """(level id, label) of the levels the leaflet is built in."""
    title: str = ""
    twin: str = ""
    """The HTML twin; empty when `errors` stop it."""
    targets: Targets | None = None
    whole: Readability | None = None
    rows: list[BlockRow] = field(default_factory=list)
    other: list[Problem] = field(default_factory=list)
    """Findings about the whole leaflet or a section, not one block."""
    errors: list[Problem] = field(default_factory=list)
    review_counts: dict[str, int] = field(default_factory=dict)

    @property
    def warnings(self) -> int:
        return sum(len(row.problems) for row in self.rows) + len(self.other)


@dataclass
class _State:
    """The project as loaded for one version of the files."""

    catalog: Catalog | None
    errors: list[Problem]
    environment: jinja2.Environment | None = None
    pages: dict[tuple[str, str], LeafletPage] = field(default_factory=dict)


class Live:
    """The project, loaded again whenever its files change; `version` counts the changes."""

    def __init__(self, root: Path, language: str | None = None) -> None:
        self.root = root
        self.language = language
        """A translation's language (`preview --lang`); None: the leaflets as written."""
        self.version = 1
        self._lock = threading.RLock()
        self._state: _State | None = None

    def changed(self) -> None:
        with self._lock:
            self.version += 1
            self._state = None
        self.state()  # load now, so the page that reloads finds it ready

    def state(self) -> tuple[int, _State]:
        with self._lock:
            if self._state is None:
                self._state = _load(self.root)
            return self.version, self._state

    def page(self, leaflet_id: str, level: str | None) -> tuple[int, LeafletPage]:
        with self._lock:
            version, state = self.state()
            key = (leaflet_id, level or "")
            if key not in state.pages:
                state.pages[key] = _leaflet_page(state, leaflet_id, level, self.language)
            return version, state.pages[key]


def _load(root: Path) -> _State:
    from ..render.templates import make_environment

    try:
        catalog = load_project(root)
        return _State(catalog, [], make_environment(root))
    except LeafletError as exc:
        return _State(None, exc.problems)
    except Exception as exc:  # a bug: say so in the page, with the details in the log
        log.exception("loading the project failed")
        return _State(None, [internal(exc)])


def internal(exc: Exception) -> Problem:
    return Problem(
        Location(Path()),
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in leaflets: please report it with the file you were editing",
    )


def find(catalog: Catalog, leaflet_id: str) -> LoadedLeaflet | None:
    return next((x for x in catalog.leaflets if x.leaflet.id == leaflet_id), None)


def _failed(catalog: Catalog, leaflet_id: str) -> list[Problem] | None:
    return next((ps for path, ps in catalog.failed.items() if path.stem == leaflet_id), None)


def leaflet_ids(catalog: Catalog) -> list[str]:
    """Every leaflet in the project, loaded or not, by id (the file name)."""
    ids = {x.leaflet.id for x in catalog.leaflets} | {p.stem for p in catalog.failed}
    return sorted(ids)


def _leaflet_page(
    state: _State, leaflet_id: str, level: str | None, language: str | None = None
) -> LeafletPage:
    catalog = state.catalog
    if catalog is None or state.environment is None:
        return LeafletPage(leaflet_id, level or "", [], errors=state.errors)
    project_levels = [(k, v.label) for k, v in catalog.project.levels.items()]
    loaded = find(catalog, leaflet_id)
    if loaded is None:
        failed = _failed(catalog, leaflet_id)
        if failed is None:
            hint = close_ids(leaflet_id, leaflet_ids(catalog))
            failed = [
                Problem(
                    Location(Path(CONTENT_DIR) / "leaflets"), f"no leaflet {leaflet_id!r}", hint
                )
            ]
        return LeafletPage(leaflet_id, level or "", project_levels, errors=failed)
    built_at, where = list(loaded.levels), loaded.path
    if language is not None:  # `preview --lang`: the translated leaflet, as `build --lang`
        translation, errors = translation_of(catalog, leaflet_id, language)
        if translation is None:
            return LeafletPage(leaflet_id, level or "", project_levels, errors=errors)
        built_at, where = list(translation.levels), translation.path
    levels = [(k, catalog.project.levels[k].label) for k in built_at]
    level = level or built_at[0]
    if level not in built_at:
        problem = Problem(
            Location(where),
            f"leaflet {leaflet_id!r} is not built at level {level!r}",
            f"its levels: {', '.join(built_at)}",
        )
        return LeafletPage(leaflet_id, level, levels, errors=[problem])
    try:
        if language is not None:
            from ..text.translate import translations

            catalog, loaded = translations(catalog).localise(loaded, language, level)
        return _measured_page(catalog, state.environment, loaded, level, levels)
    except LeafletError as exc:  # a template mistake in the project's templates/
        return LeafletPage(leaflet_id, level, levels, errors=exc.problems)
    except Exception as exc:
        log.exception("rendering %s at %s failed", leaflet_id, level)
        return LeafletPage(leaflet_id, level, levels, errors=[internal(exc)])


def translation_of(
    catalog: Catalog, leaflet_id: str, language: str
) -> tuple[LoadedTranslation | None, list[Problem]]:
    """The leaflet's translation file in `language`, or the problems saying why there is
    none (its file's own, located; or that it was never translated)."""
    from ..text.translate import translations
    from ..text.translation_file import TRANSLATIONS_DIR

    files, problems = translations(catalog).of(language)
    if leaflet_id in files:
        return files[leaflet_id], []
    folder = Path(CONTENT_DIR) / TRANSLATIONS_DIR / language
    own = [p for p in problems if p.location.path.name == f"{leaflet_id}.yaml"]
    return None, own or [
        Problem(
            Location(folder),
            f"leaflet {leaflet_id!r} has no translation into {language!r}",
            f"translated into {language}: {', '.join(sorted(files)) or 'none'}; start one with "
            f"leaflets translate export --lang {language} {leaflet_id}",
        )
    ]


def close_ids(word: str, choices: list[str]) -> str:
    listed = f"leaflets: {', '.join(choices)}" if choices else "the project has no leaflets yet"
    return did_you_mean(word, choices, listed)


def _measured_page(
    catalog: Catalog,
    environment: jinja2.Environment,
    loaded: LoadedLeaflet,
    level: str,
    levels: list[tuple[str, str]],
) -> LeafletPage:
    """Render the twin, measure it, lint it, and sort the findings per block."""
    from ..render.render import render_html
    from ..review.state import leaflet_reviews
    from ..text.check import check_leaflet
    from ..text.generated import shown_at
    from ..text.grading import SUMMARY, block_limits, grade_level
    from ..text.levels import context_for

    context = context_for(loaded, level, catalog, medium="html")
    twin = render_html(environment, context)
    grade = grade_level(loaded, level, catalog)  # the figures; the problems come below
    found = check_leaflet(catalog, loaded, [level])
    reviews = {
        s.unit.name: s
        for s in leaflet_reviews(loaded, dt.date.today(), catalog)
        if s.level == level
    }
    changes, broken = _review_changes(catalog, loaded, level)
    found = found + broken
    by_place: dict[str, list[Problem]] = {}
    for problem in found:
        # A finding belongs to the row of the block (or summary) it names, wherever in the
        # block's text it is located.
        named = re.match(r"block '([^']+)'", problem.message)
        if named:
            key = named.group(1)
        elif problem.message.startswith("summary"):
            key = SUMMARY
        else:
            key = str(problem.location)
        by_place.setdefault(key, []).append(problem)
    summary_where = str(loaded.summary_location or Location(loaded.path))
    rows = [
        BlockRow(
            SUMMARY,
            summary_where,
            grade.blocks.get(SUMMARY),
            grade.targets.smog_max,
            grade.targets.sentence_words_max,
            str(reviews[f"leaflet:{loaded.leaflet.id}"].status),
            reviews[f"leaflet:{loaded.leaflet.id}"].describe(),
            problems=by_place.pop(SUMMARY, []) + by_place.pop(summary_where, []),
            review_changes=changes.get(f"leaflet:{loaded.leaflet.id}", []),
        )
    ]
    for section in loaded.sections:
        for placed in section:
            block = placed.block
            if not shown_at(block, level):
                continue
            smog_max, sentence_words_max = block_limits(grade.targets, block.readability)
            state = reviews.get(block.id)
            rows.append(
                BlockRow(
                    block.id,
                    str(placed.location),
                    grade.blocks.get(block.id),
                    smog_max,
                    sentence_words_max,
                    str(state.status) if state else None,
                    state.describe() if state else "",
                    by_place.pop(block.id, []) + by_place.pop(str(placed.location), []),
                    changes.get(block.id, []),
                )
            )
    counts: dict[str, int] = {}
    for state in reviews.values():
        counts[str(state.status)] = counts.get(str(state.status), 0) + 1
    return LeafletPage(
        loaded.leaflet.id,
        level,
        levels,
        title=context.title,
        twin=twin,
        targets=grade.targets,
        whole=grade.whole,
        rows=rows,
        other=[p for ps in by_place.values() for p in ps],
        review_counts=counts,
    )


def _review_changes(
    catalog: Catalog, loaded: LoadedLeaflet, level: str
) -> tuple[dict[str, list[list[tuple[str, str]]]], list[Problem]]:
    """Per stale unit (by its `review approve` name), what changed at `level` since it was
    approved (read-only); a broken sidecar is reported, not raised."""
    from ..errors import ContentError
    from ..review.approved import hunks, unit_diffs

    try:
        diffs = unit_diffs(catalog, loaded, dt.date.today(), levels=(level,))
    except ContentError as exc:
        return {}, exc.problems
    return {
        d.unit.name: [hunk for level_diff in d.changed_levels for hunk in hunks(level_diff.ops)]
        for d in diffs
    }, []


def excerpt(root: Path, where: Location, before: int = 2) -> str:
    """The line a problem is on and the lines before it, numbered, with a caret at the
    column: what "check this line and the one before" asks a writer to look at."""
    if not where.line:
        return ""
    try:
        path = (root / where.path).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return ""
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, ValueError):
        return ""
    first = max(1, where.line - before)
    width = len(str(where.line))
    shown = [
        f"{n:>{width}} | {lines[n - 1]}" for n in range(first, min(where.line, len(lines)) + 1)
    ]
    if shown and where.column:
        shown.append(" " * (width + 3 + where.column - 1) + "^")
    return "\n".join(shown)
