"""The project-confined URL fetcher: the security boundary between content and the disk.

WeasyPrint's default fetcher reads any local file and any URL (rendering-facts §3.1),
including `<link rel=attachment>`, which embeds the bytes in the PDF. This one serves
`data:` URLs and files under the allowed folders (after resolving `..` and symlinks) and
stops the render on anything else, so a refusal is an error, never a silent blank.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse


class RefusedFetch(FatalURLFetchingError):  # type: ignore[misc]
    """A resource outside the project was asked for; stops the render."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused to fetch {url[:200]!r}: {reason}")
        self.url = url
        self.reason = reason


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """Serve `data:` URLs and files inside `roots`; refuse everything else."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[RefusedFetch] = []
        """Every refusal, in order. WeasyPrint swallows even fatal fetch errors raised while
        it draws an SVG (it logs "Failed to render SVG image"), so the caller reads the
        real reason here."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            return self._fetch(url, headers)
        except RefusedFetch as refusal:
            self.refused.append(refusal)
            raise

    def _fetch(self, url: str, headers: object) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedFetch(url, "only files inside the project and data: URLs are allowed")
        path = self.allowed_path(url)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise RefusedFetch(url, f"cannot read it ({exc.strerror})") from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path:
        """The real path of a `file:` URL, if it lies inside one of the roots."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedFetch(url, "remote file URLs are not allowed")
        try:
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise RefusedFetch(url, "it is outside the project's content and template folders")
            if not path.is_file():
                raise RefusedFetch(url, "file not found")
        except (OSError, ValueError):  # a NUL byte (%00), a name too long, a symlink loop
            raise RefusedFetch(url, "not a usable file name") from None
        return path


class BundleFetcher(ProjectFetcher):
    """The same rule as `ProjectFetcher`, served from memory: a Dask worker has no copy of
    the project, only the bytes of its files keyed by their absolute paths (issue 18)."""

    def __init__(self, roots: Iterable[Path], files: Mapping[str, bytes]) -> None:
        super().__init__(())
        self.roots = tuple(Path(os.path.normpath(root)) for root in roots)  # not on this disk
        self.files = files

    def _fetch(self, url: str, headers: object) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file":
            return super()._fetch(url, headers)
        if parts.netloc not in ("", "localhost"):
            raise RefusedFetch(url, "remote file URLs are not allowed")
        path = Path(os.path.normpath(unquote(parts.path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise RefusedFetch(url, "it is outside the project's content and template folders")
        body = self.files.get(str(path))
        if body is None:
            raise RefusedFetch(url, "file not found")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


_BUNDLE: ContextVar[Mapping[str, bytes] | None] = ContextVar("leaflets_bundle", default=None)


@contextmanager
def serving(files: Mapping[str, bytes]) -> Iterator[None]:
    """Inside this block, renders fetch from `files` (a Dask worker's bundle)."""
    token = _BUNDLE.set(files)
    try:
        yield
    finally:
        _BUNDLE.reset(token)


def fetcher_for(roots: Iterable[Path]) -> ProjectFetcher:
    """The project fetcher, or the bundle fetcher inside `serving`: the same rule."""
    files = _BUNDLE.get()
    return ProjectFetcher(roots) if files is None else BundleFetcher(roots, files)
