"""A project folder in, a local web server out: each leaflet's HTML twin, live, with its checks.

`leaflets preview` serves, on 127.0.0.1 only:

| path | what |
|---|---|
| `/` | the leaflets of the project, with a link per level |
| `/leaflet/ID/LEVEL` | the HTML twin in a frame, a level switcher, the readability panel |
| `/twin/ID/LEVEL` | the HTML twin alone (what `leaflets build --format html` writes) |
| `/pdf/ID/LEVEL` | the PDF, built on demand by the build's own path into a cache folder |
| `/version` | a number that changes when a file under content/, templates/ or leaflets.yaml does |

The pages ask `/version` every `POLL_MS` and reload when it changes. A watcher thread
(`watchfiles`, or stat polling when it is not installed) bumps the number and loads the
project again at once, so the reload finds it ready. Content errors are shown in the page,
located (`file:line:col`, with the hint), never as a blank page or a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import http.server
import importlib.util
import logging
import re
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import jinja2

from .errors import ContentError, LeafletError, Location, Problem, UsageError, did_you_mean
from .load import CONTENT_DIR, PROJECT_FILE, Catalog, LoadedLeaflet, load_project
from .model import ID_PATTERN, Targets
from .readability import Readability

log = logging.getLogger(__name__)

#: How often a page asks whether something changed (the page reloads within about this).
POLL_MS = 300
#: How often the fallback watcher looks at the files, in seconds.
POLL_FILES_SECONDS = 0.2
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
WATCHED_DIRS = (CONTENT_DIR, "templates")
PREVIEW_TEMPLATE = "preview.html.j2"
Watcher = Literal["auto", "watchfiles", "poll", "off"]


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


class _Live:
    """The project, loaded again whenever its files change; `version` counts the changes."""

    def __init__(self, root: Path) -> None:
        self.root = root
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
                state.pages[key] = _leaflet_page(state, leaflet_id, level)
            return version, state.pages[key]


def _load(root: Path) -> _State:
    from .templates import make_environment

    try:
        catalog = load_project(root)
        return _State(catalog, [], make_environment(root))
    except LeafletError as exc:
        return _State(None, exc.problems)
    except Exception as exc:  # a bug: say so in the page, with the details in the log
        log.exception("loading the project failed")
        return _State(None, [_internal(exc)])


def _internal(exc: Exception) -> Problem:
    return Problem(
        Location(Path()),
        f"internal error: {type(exc).__name__}: {exc}",
        "this is a bug in leaflets: please report it with the file you were editing",
    )


def _find(catalog: Catalog, leaflet_id: str) -> LoadedLeaflet | None:
    return next((x for x in catalog.leaflets if x.leaflet.id == leaflet_id), None)


def _failed(catalog: Catalog, leaflet_id: str) -> list[Problem] | None:
    return next((ps for path, ps in catalog.failed.items() if path.stem == leaflet_id), None)


def leaflet_ids(catalog: Catalog) -> list[str]:
    """Every leaflet in the project, loaded or not, by id (the file name)."""
    ids = {x.leaflet.id for x in catalog.leaflets} | {p.stem for p in catalog.failed}
    return sorted(ids)


def _leaflet_page(state: _State, leaflet_id: str, level: str | None) -> LeafletPage:
    catalog = state.catalog
    if catalog is None or state.environment is None:
        return LeafletPage(leaflet_id, level or "", [], errors=state.errors)
    project_levels = [(k, v.label) for k, v in catalog.project.levels.items()]
    loaded = _find(catalog, leaflet_id)
    if loaded is None:
        failed = _failed(catalog, leaflet_id)
        if failed is None:
            hint = _close(leaflet_id, leaflet_ids(catalog))
            failed = [
                Problem(
                    Location(Path(CONTENT_DIR) / "leaflets"), f"no leaflet {leaflet_id!r}", hint
                )
            ]
        return LeafletPage(leaflet_id, level or "", project_levels, errors=failed)
    levels = [(k, catalog.project.levels[k].label) for k in loaded.levels]
    level = level or loaded.levels[0]
    if level not in loaded.levels:
        problem = Problem(
            Location(loaded.path),
            f"leaflet {leaflet_id!r} is not built at level {level!r}",
            f"its levels: {', '.join(loaded.levels)}",
        )
        return LeafletPage(leaflet_id, level, levels, errors=[problem])
    try:
        return _measured_page(catalog, state.environment, loaded, level, levels)
    except LeafletError as exc:  # a template mistake in the project's templates/
        return LeafletPage(leaflet_id, level, levels, errors=exc.problems)
    except Exception as exc:
        log.exception("rendering %s at %s failed", leaflet_id, level)
        return LeafletPage(leaflet_id, level, levels, errors=[_internal(exc)])


def _close(word: str, choices: list[str]) -> str:
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
    from .check import check_leaflet
    from .grading import SUMMARY, grade_level
    from .levels import context_for, shown_at
    from .render import render_html
    from .review import leaflet_reviews

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
            override = block.readability
            state = reviews.get(block.id)
            rows.append(
                BlockRow(
                    block.id,
                    str(placed.location),
                    grade.blocks.get(block.id),
                    (override.smog_max if override else None) or grade.targets.smog_max,
                    (override.sentence_words_max if override else None)
                    or grade.targets.sentence_words_max,
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
    from .approved import hunks, unit_diffs
    from .errors import ContentError

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


# --- PDFs on demand ------------------------------------------------------------------------


class _PdfCache:
    """PDFs built by `build_catalog` into a private folder (incremental: unchanged is kept)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="leaflets-preview-"))
        self._lock = threading.Lock()

    def get(self, catalog: Catalog, loaded: LoadedLeaflet, level: str) -> bytes:
        from .build import BuildOptions, build_catalog

        one = dataclasses.replace(
            catalog, leaflets=[loaded], failed={}, clinics=[], problems=[], partial=True
        )
        options = BuildOptions(
            levels=(level,), papers=(catalog.project.paper,), large_print=False, formats=("pdf",)
        )
        with self._lock:
            report = build_catalog(one, self.folder, options)
            if report.failed:
                raise ContentError([p for ps in report.failed.values() for p in ps])
            entry = next(iter(report.built + report.skipped))
            return (self.folder / entry.path).read_bytes()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- watching the files ---------------------------------------------------------------------


def _watch(
    root: Path, on_change: Callable[[], None], stop: threading.Event, how: Watcher
) -> list[threading.Thread]:
    """Start the threads that call `on_change` after files change; they end when `stop` is set."""
    if how == "off":
        return []
    use_watchfiles = how == "watchfiles"
    if how == "auto":
        use_watchfiles = importlib.util.find_spec("watchfiles") is not None
        if not use_watchfiles:
            log.info("watchfiles is not installed: watching by polling")
    runs: list[Callable[[], None]] = []
    if use_watchfiles:
        dirs = [root / name for name in WATCHED_DIRS if (root / name).is_dir()]
        if dirs:  # content/ and templates/, with everything in them ...
            runs.append(functools.partial(_run_watchfiles, dirs, True, _any, on_change, stop))
        # ... and leaflets.yaml, through its folder (editors often save by renaming)
        runs.append(
            functools.partial(_run_watchfiles, [root], False, _project_file, on_change, stop)
        )
    else:
        runs.append(functools.partial(_run_polling, root, on_change, stop))
    runs = [_guarded(run) for run in runs]
    threads = [threading.Thread(target=run, name="leaflets-watch", daemon=True) for run in runs]
    for thread in threads:
        thread.start()
    return threads


def _any(path: str) -> bool:
    return True


def _project_file(path: str) -> bool:
    return Path(path).name == PROJECT_FILE


def _guarded(run: Callable[[], None]) -> Callable[[], None]:
    def guarded() -> None:
        try:
            run()
        except Exception:  # the preview goes on; the writer reloads by hand
            log.exception("the file watcher stopped")

    return guarded


def _run_watchfiles(
    paths: list[Path],
    recursive: bool,
    keep: Callable[[str], bool],
    on_change: Callable[[], None],
    stop: threading.Event,
) -> None:
    # A declared dependency; until every install has it, type-check with or without it.
    import watchfiles  # type: ignore[import-not-found, unused-ignore]

    for changes in watchfiles.watch(
        *paths, debounce=300, step=30, stop_event=stop, recursive=recursive, rust_timeout=500
    ):
        if any(keep(path) for _change, path in changes):
            on_change()


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in _watched_files(root):
        try:
            status = path.stat()
        except OSError:
            continue
        found[str(path)] = (status.st_mtime_ns, status.st_size)
    return found


def _watched_files(root: Path) -> Iterator[Path]:
    yield root / PROJECT_FILE
    for name in WATCHED_DIRS:
        folder = root / name
        if folder.is_dir():
            for path in folder.rglob("*"):
                if not any(part.startswith(".") for part in path.relative_to(folder).parts):
                    yield path


def _run_polling(root: Path, on_change: Callable[[], None], stop: threading.Event) -> None:
    before = _snapshot(root)
    while not stop.wait(POLL_FILES_SECONDS):
        now = _snapshot(root)
        if now != before:
            before = now
            on_change()


# --- the server -----------------------------------------------------------------------------


class PreviewServer:
    """A bound preview server: `start()` serves in a thread, `serve_forever()` in this one."""

    def __init__(self, root: Path, host: str, port: int, watcher: Watcher = "auto") -> None:
        if host not in LOOPBACK_HOSTS:
            raise UsageError(
                Problem(
                    Location(Path()),
                    f"the preview only listens on this computer, not on {host!r}",
                    "it reads your files and has no password: use 127.0.0.1",
                )
            )
        self.root = root.resolve()
        self.live = _Live(self.root)
        self.pdfs = _PdfCache()
        self._how: Watcher = watcher
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._serving: threading.Thread | None = None
        handler = type("Handler", (_Handler,), {"preview": self})
        server_class = _Server6 if ":" in host else _Server
        try:
            self.httpd = server_class((host, port), handler)
        except OSError as exc:
            self.pdfs.remove()
            raise UsageError(
                Problem(
                    Location(Path()),
                    f"cannot listen on {host} port {port}: {exc.strerror or exc}",
                    "another program uses the port: try --port 8001, or --port 0 for any free one",
                )
            ) from None
        self.host = host
        self.port = int(self.httpd.server_address[1])
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_builtin_dir())),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.template = environment.get_template(PREVIEW_TEMPLATE)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def url_for(self, leaflet: str | None = None, level: str | None = None) -> str:
        if leaflet is None:
            return self.url
        return f"{self.url}leaflet/{leaflet}" + (f"/{level}" if level else "")

    def catalog(self) -> Catalog | None:
        """The project as now loaded (None when the project itself has errors)."""
        return self.live.state()[1].catalog

    def choose(self, leaflet: str | None, level: str | None) -> tuple[str | None, str | None]:
        """Check a leaflet id and level from the command line against the project."""
        catalog = self.catalog()
        if catalog is None or (leaflet is None and level is None):
            return leaflet, level
        ids = leaflet_ids(catalog)
        if leaflet is None:
            if not catalog.leaflets:
                return None, None
            leaflet = catalog.leaflets[0].leaflet.id
        if leaflet not in ids:
            raise UsageError(
                Problem(
                    Location(Path(CONTENT_DIR) / "leaflets"),
                    f"no leaflet {leaflet!r}",
                    _close(leaflet, ids),
                )
            )
        if level is not None and level not in catalog.project.levels:
            known = list(catalog.project.levels)
            raise UsageError(
                Problem(
                    Location(Path(PROJECT_FILE)),
                    f"unknown level {level!r}",
                    f"levels: {', '.join(known)}",
                )
            )
        return leaflet, level

    def _begin(self) -> None:
        self.live.state()
        self._threads = _watch(self.root, self.live.changed, self._stop, self._how)

    def start(self) -> PreviewServer:
        """Serve in a background thread (tests, embedding); `stop()` ends it."""
        self._begin()
        self._serving = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._serving.start()
        return self

    def serve_forever(self) -> None:
        """Serve until Ctrl-C (KeyboardInterrupt reaches the caller, who calls `stop()`)."""
        self._begin()
        self.httpd.serve_forever(poll_interval=0.2)

    def stop(self) -> None:
        self._stop.set()
        if self._serving is not None:
            self.httpd.shutdown()
            self._serving.join(timeout=5)
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self.pdfs.remove()

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    project_root: Path, host: str = "127.0.0.1", port: int = 8000, *, watcher: Watcher = "auto"
) -> PreviewServer:
    """Bind a preview server for the project (`port=0`: any free port); call `start()`."""
    return PreviewServer(project_root, host, port, watcher)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


def _builtin_dir() -> Path:
    from .templates import builtin_templates_dir

    return builtin_templates_dir()


_ID = ID_PATTERN.strip("^$").replace("(", "(?:")  # an id, with no capturing group
_ROUTE = re.compile(rf"^/(leaflet|twin|pdf)/({_ID})(?:/({_ID}))?/?$")


class _Handler(http.server.BaseHTTPRequestHandler):
    preview: PreviewServer
    server_version = "leaflets-preview"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s " + format, self.address_string(), *args)

    def do_GET(self) -> None:
        try:
            self._get()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went elsewhere before the answer came
        except Exception as exc:
            log.exception("preview request %s failed", self.path)
            self._page(500, "error", problems=[_internal(exc)], leaflet=None)

    def _get(self) -> None:
        if not self._host_ok():
            self._send(403, "text/plain", b"the preview answers only to 127.0.0.1 or localhost\n")
            return
        path = unquote(urlsplit(self.path).path)
        if path == "/version":
            self._send(200, "text/plain", str(self.preview.live.version).encode())
            return
        if path in ("/", "/index.html"):
            self._index()
            return
        match = _ROUTE.match(path)
        if match is None:
            self._page(
                404, "error", problems=[Problem(Location(Path(path)), "no such page")], leaflet=None
            )
            return
        kind, leaflet_id, level = match.groups()
        if kind == "pdf":
            self._pdf(leaflet_id, level)
            return
        version, page = self.preview.live.page(leaflet_id, level)
        if kind == "twin":
            if page.twin:
                self._send(200, "text/html; charset=utf-8", page.twin.encode("utf-8"))
            else:
                self._page(200, "twin-error", problems=page.errors, leaflet=page, version=version)
            return
        self._page(200, "leaflet", problems=page.errors, leaflet=page, version=version)

    def _host_ok(self) -> bool:
        """Refuse other host names (DNS rebinding: a web page pretending to be localhost)."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        return host in LOOPBACK_HOSTS

    def _index(self) -> None:
        version, state = self.preview.live.state()
        rows = []
        catalog = state.catalog
        if catalog is not None:
            for loaded in catalog.leaflets:
                first = loaded.levels[0]
                title = loaded.leaflet.title.get(first) or loaded.leaflet.title.get("all", "")
                levels = [(lv, catalog.project.levels[lv].label) for lv in loaded.levels]
                rows.append((loaded.leaflet.id, title, levels, 0))
            for path, problems in catalog.failed.items():
                rows.append((path.stem, "", [], len(problems)))
        problems = state.errors + (catalog.problems if catalog else [])
        self._page(
            200, "index", problems=problems, leaflet=None, version=version, rows=sorted(rows)
        )

    def _pdf(self, leaflet_id: str, level: str | None) -> None:
        _version, state = self.preview.live.state()
        catalog = state.catalog
        loaded = _find(catalog, leaflet_id) if catalog else None
        if catalog is None or loaded is None:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(404, "twin-error", problems=page.errors, leaflet=page, version=_v)
            return
        level = level or loaded.levels[0]
        if level not in loaded.levels:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(404, "twin-error", problems=page.errors, leaflet=page, version=_v)
            return
        try:
            data = self.preview.pdfs.get(catalog, loaded, level)
        except LeafletError as exc:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(422, "twin-error", problems=exc.problems, leaflet=page, version=_v)
            return
        name = f"{leaflet_id}.{level}.{catalog.project.paper}.pdf"
        self._send(
            200, "application/pdf", data, {"Content-Disposition": f'inline; filename="{name}"'}
        )

    def _page(
        self,
        status: int,
        view: str,
        *,
        problems: list[Problem],
        leaflet: LeafletPage | None,
        version: int = 0,
        rows: list[Any] | None = None,
    ) -> None:
        html = self.preview.template.render(
            view=view,
            problems=problems,
            page=leaflet,
            version=version or self.preview.live.version,
            rows=rows or [],
            poll_ms=POLL_MS,
            project=self.preview.root.name,
            excerpts={str(p.location): excerpt(self.preview.root, p.location) for p in problems},
        )
        self._send(status, "text/html; charset=utf-8", html.encode("utf-8"))

    def _send(
        self, status: int, kind: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
