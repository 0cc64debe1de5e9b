"""A project folder in, a local web server out: each leaflet's HTML twin, live, with its checks.

`leaflets preview` serves, on 127.0.0.1 only:

| path | what |
|---|---|
| `/` | the leaflets of the project, with a link per level |
| `/leaflet/ID/LEVEL` | the HTML twin in a frame, a level switcher, the readability panel |
| `/twin/ID/LEVEL` | the HTML twin alone (what `leaflets build --format html` writes) |
| `/pdf/ID/LEVEL` | the PDF, built on demand by the build's own path into a cache folder |
| `/version` | a number that changes when a file under content/, templates/ or leaflets.yaml does |

The pages ask `/version` every `POLL_MS` and reload when it changes. The watcher
(preview_watch.py, on `watchfiles`) bumps the number and loads the project again at once, so
the reload finds it ready. What a page shows is made in preview_page.py; this module is the
HTTP router and the PDF cache. With `preview --lang es` every page shows the translations
into that language, as `build --lang es` makes them. Content errors are shown in the page, located
(`file:line:col`, with the hint), never as a blank page or a traceback.
"""

from __future__ import annotations

import dataclasses
import http.server
import logging
import re
import shutil
import socket
import tempfile
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..content.load import CONTENT_DIR, PROJECT_FILE, Catalog, LoadedLeaflet
from ..content.model import ID_PATTERN
from ..errors import ContentError, LeafletError, Location, Problem, UsageError
from .page import (
    LeafletPage,
    Live,
    close_ids,
    excerpt,
    find,
    internal,
    leaflet_ids,
    translation_of,
)
from .watch import Watcher, watch

log = logging.getLogger(__name__)

#: How often a page asks whether something changed (the page reloads within about this).
POLL_MS = 300
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
PREVIEW_TEMPLATE = "preview.html.j2"

__all__ = ["LeafletPage", "PreviewServer", "Watcher", "leaflet_ids", "serve"]


# --- PDFs on demand ------------------------------------------------------------------------


class _PdfCache:
    """PDFs built by `build_catalog` into a private folder (incremental: unchanged is kept)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="leaflets-preview-"))
        self._lock = threading.Lock()

    def get(
        self, catalog: Catalog, loaded: LoadedLeaflet, level: str, language: str | None = None
    ) -> bytes:
        from ..build.builder import BuildOptions, build_catalog

        one = dataclasses.replace(
            catalog, leaflets=[loaded], failed={}, clinics=[], problems=[], partial=True
        )
        options = BuildOptions(
            levels=(level,),
            languages=(language or catalog.project.language,),
            papers=(catalog.project.paper,),
            large_print=False,
            formats=("pdf",),
        )
        with self._lock:
            report = build_catalog(one, self.folder, options)
            if report.failed:
                raise ContentError([p for ps in report.failed.values() for p in ps])
            entry = next(iter(report.built + report.skipped))
            return (self.folder / entry.path).read_bytes()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the server -----------------------------------------------------------------------------


class PreviewServer:
    """A bound preview server: `start()` serves in a thread, `serve_forever()` in this one."""

    def __init__(
        self,
        root: Path,
        host: str,
        port: int,
        watcher: Watcher = "auto",
        language: str | None = None,
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            raise UsageError(
                Problem(
                    Location(Path()),
                    f"the preview only listens on this computer, not on {host!r}",
                    "it reads your files and has no password: use 127.0.0.1",
                )
            )
        self.root = root.resolve()
        self.live = Live(self.root, language)
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
        from ..render.templates import builtin_environment

        # The preview's own page: the built-in theme's sandboxed environment (templates.py).
        self.template = builtin_environment().get_template(PREVIEW_TEMPLATE)

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
        if catalog is not None and self.live.language is not None:
            from ..text.translate import check_language, is_source_language

            language = check_language(self.live.language, catalog)  # or a usage error
            if is_source_language(catalog, language):
                self.live.language = None  # `--lang en`: the leaflets as written
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
                    close_ids(leaflet, ids),
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
        self._threads = watch(self.root, self.live.changed, self._stop, self._how)

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
    project_root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    watcher: Watcher = "auto",
    language: str | None = None,
) -> PreviewServer:
    """Bind a preview server for the project (`port=0`: any free port); call `start()`.
    `language`: preview the translations into it (`preview --lang`), as `build --lang`."""
    return PreviewServer(project_root, host, port, watcher, language)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Server6(_Server):
    address_family = socket.AF_INET6


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
            self._page(500, "error", problems=[internal(exc)], leaflet=None)

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
        language = self.preview.live.language
        if catalog is not None:
            for loaded in catalog.leaflets:
                built_at = list(loaded.levels)
                if language is not None:  # only the leaflets translated into it
                    translation, _errors = translation_of(catalog, loaded.leaflet.id, language)
                    if translation is None:
                        continue
                    built_at = list(translation.levels)
                first = built_at[0]
                title = loaded.leaflet.title.get(first) or loaded.leaflet.title.get("all", "")
                levels = [(lv, catalog.project.levels[lv].label) for lv in built_at]
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
        loaded = find(catalog, leaflet_id) if catalog else None
        if catalog is None or loaded is None:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(404, "twin-error", problems=page.errors, leaflet=page, version=_v)
            return
        language = self.preview.live.language
        built_at = list(loaded.levels)
        if language is not None:
            translation, _errors = translation_of(catalog, leaflet_id, language)
            built_at = list(translation.levels) if translation else []
        level = level or (built_at[0] if built_at else "")
        if level not in built_at:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(404, "twin-error", problems=page.errors, leaflet=page, version=_v)
            return
        try:
            data = self.preview.pdfs.get(catalog, loaded, level, language)
        except LeafletError as exc:
            _v, page = self.preview.live.page(leaflet_id, level)
            self._page(422, "twin-error", problems=exc.problems, leaflet=page, version=_v)
            return
        name = ".".join(
            (leaflet_id, *((language,) if language else ()), level, catalog.project.paper, "pdf")
        )
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
