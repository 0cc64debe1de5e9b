"""HTML in, tagged PDF/UA-1 bytes out, through WeasyPrint and the project fetcher.

Two fixes on top of the engine: WeasyPrint warnings fail the leaflet (a missing image or
font must not give a quietly wrong PDF), and the text WeasyPrint draws in page-margin
boxes (running footers), which it puts neither in the structure tree nor in an artifact
(its issue #1836), is re-marked as a pagination artifact in WeasyPrint's own document,
before it is written (`pdfdoc.finish`; `mark_margin_artifacts` does the same to saved
bytes with pikepdf); words marked with another language get their own `/Lang`
(pdflang.py, issue 17).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pikepdf
import pydyf

from ..errors import Location, Problem, RenderError
from .fetch import ProjectFetcher, RefusedFetch, fetcher_for
from .pdfdoc import PdfObjects, finish
from .pdflang import language_parts, tag_languages

PDF_VARIANT = "pdf/ua-1"


@cache
def _font_config() -> object:
    """One font configuration per process: reusing it saves ~8% (rendering-facts §2.2)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _engine_warnings() -> Iterator[_Collect]:
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def render_pdf(
    html: str,
    base_url: Path,
    roots: tuple[Path, ...],
    where: Location,
    images: dict[str, Location] | None = None,
    fetcher: ProjectFetcher | None = None,
    inspect: Callable[[PdfObjects], None] | None = None,
) -> bytes:
    """Render `html` (relative URLs resolve against `base_url`) with only `roots` readable.

    `images` maps picture URLs to where the YAML names them, so a picture that fails (a
    corrupt file, an SVG that reaches outside the project) is reported at that line.
    `fetcher` replaces the project fetcher (by default a Dask worker's comes from
    `fetch.serving`, which serves files from memory). The footers are re-marked as
    artifacts in WeasyPrint's own document before it is written (`pdfdoc.finish`: no
    second parse of the PDF); `inspect` then sees that document (verify/built.py)."""
    from weasyprint import HTML

    fetcher = fetcher or fetcher_for(roots)

    def finisher(document: object, pdf: pydyf.PDF) -> None:
        objects = PdfObjects(pdf)
        finish(objects)
        if inspect is not None:
            inspect(objects)

    with _engine_warnings() as warnings:
        try:
            raw = HTML(
                string=html, base_url=base_url.as_uri() + "/", url_fetcher=fetcher
            ).write_pdf(pdf_variant=PDF_VARIANT, font_config=_font_config(), finisher=finisher)
        except RefusedFetch as exc:
            raise RenderError(Problem(where, str(exc), _fetch_hint(exc))) from None
    problems = []
    for message in warnings.messages:
        at = next((loc for url, loc in (images or {}).items() if url in message), where)
        problems.append(Problem(at, f"rendering engine: {message}"))
        # WeasyPrint swallows refusals made while drawing an SVG: name them here.
        problems += [Problem(at, str(refusal), _fetch_hint(refusal)) for refusal in fetcher.refused]
    if problems:
        raise RenderError(list(dict.fromkeys(problems)))
    return tag_languages(raw, language_parts(html), where)  # its own open, if any


def scope_table_headers(tree: pikepdf.Dictionary) -> None:
    """Give every `TH` its `/Scope` (PDF/UA, ISO 32000-1 14.8.5.7): `Row` in a row that has
    data cells, else `Column`. WeasyPrint 70 links cells to headers (`/Headers`) but writes
    no scope (issue 15: the option grid)."""
    for row in walk_structure(tree):
        if str(row.S) != "/TR":
            continue
        kids = row.get("/K")
        cells = [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])]
        cells = [c for c in cells if isinstance(c, pikepdf.Dictionary) and "/S" in c]
        scope = "/Row" if any(str(c.S) == "/TD" for c in cells) else "/Column"
        for cell in cells:
            if str(cell.S) != "/TH":
                continue
            if "/A" not in cell:
                cell.A = pikepdf.Dictionary(O=pikepdf.Name("/Table"))
            attributes = cell.A
            if isinstance(attributes, pikepdf.Dictionary) and "/Scope" not in attributes:
                attributes.Scope = pikepdf.Name(scope)


def _fetch_hint(exc: RefusedFetch) -> str:
    if exc.reason == "file not found":
        return "check the file name and that the file is inside the project"
    return "images, styles and fonts must live inside the project's content or templates folder"


def mark_margin_artifacts(
    raw: bytes, inspect: Callable[[pikepdf.Pdf], None] | None = None
) -> bytes:
    """Turn marked content that no structure element reaches into `/Artifact` (UA2, UA7).

    On saved bytes, with pikepdf: for a PDF made elsewhere (tests, WeasyPrint called
    directly). `render_pdf` makes the same fix before the file is written (`pdfdoc.finish`).

    `inspect`, if given, is called with the fixed document before it is saved: the build
    checks it there (verify.check_pdf) rather than parsing the saved bytes a second time
    (that second open was a tenth of a leaflet's CPU time; issue 18)."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            if inspect is not None:
                inspect(pdf)
            return raw
        reachable = {element.objgen for element in walk_structure(tree)}
        scope_table_headers(tree)
        nums = tree.ParentTree.Nums
        parents_by_page = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            key = page.obj.get("/StructParents")
            parents = parents_by_page.get(int(key)) if key is not None else None
            if not isinstance(parents, pikepdf.Array):
                continue
            orphans = {
                mcid
                for mcid, element in enumerate(parents)
                if isinstance(element, pikepdf.Dictionary) and element.objgen not in reachable
            }
            if not orphans:
                continue
            _rewrite_as_artifacts(pdf, page, orphans)
            for mcid in orphans:
                parents[mcid] = None
        if inspect is not None:
            inspect(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def walk_structure(tree: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """Structure elements reachable from the structure tree root, in reading order."""
    stack = [tree.get("/K")]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
            yield node
            stack.append(node.get("/K"))


#: How WeasyPrint opens marked content: `/Span\n<</MCID 12>>\nBDC`. Text is written as
#: hex glyph strings, so this pattern cannot occur inside a text operand.
_MARKED = re.compile(rb"/([A-Za-z0-9]+)(\s*)<<\s*/MCID\s+(\d+)\s*>>(\s*)BDC")


def _rewrite_as_artifacts(pdf: pikepdf.Pdf, page: pikepdf.Page, orphans: set[int]) -> None:
    """Re-mark the orphaned runs; a byte-level edit of WeasyPrint's own content stream is
    about ten times faster than parsing and re-serialising every operator (bench/)."""

    def artifact(match: re.Match[bytes]) -> bytes:
        if int(match.group(3)) not in orphans:
            return match.group(0)
        return b"/Artifact" + match.group(2) + b"<</Type /Pagination>>" + match.group(4) + b"BDC"

    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    data = b"\n".join(stream.read_bytes() for stream in streams)
    page.obj.Contents = pdf.make_stream(_MARKED.sub(artifact, data))
