"""PDF bytes and the HTML they came from in, PDF bytes out with `/Lang` on every structure
element of a part written in another language (PDF/UA-1 7.2, WCAG 3.1.2; issue 17).

WeasyPrint 70 writes only the document's `/Lang` (the catalog's); a `<span lang="en">` in
an Arabic leaflet becomes a `/Span` structure element without one, so a screen reader
reads "Spravato" with an Arabic voice. The marked parts are read from the HTML, in
document order; each is found in the structure tree, in reading order, as the `/Span`
elements (an inline box, split where a line or page breaks) whose text, read from the
page's marked content through the fonts' ToUnicode maps, spells its words. Those get
`/Lang`. A marked part that cannot be found is an error, not a quietly untagged PDF.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pikepdf

from .errors import Location, Problem, RenderError

log = logging.getLogger(__name__)

#: Elements that hold no text of their own: their `lang` says nothing about the page.
_VOID = frozenset({"img", "br", "wbr", "meta", "link", "input", "hr", "col", "source"})


class _LanguageParts(HTMLParser):
    """(tag, text) of each element inside `<body>` with its own `lang`, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, list[str]]] = []
        self._open: list[tuple[str, int | None]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag in ("style", "script", "title", "svg"):
            self._skip += 1
        lang = dict(attrs).get("lang")
        index = None
        if lang and tag != "html":
            index = len(self.parts)
            self.parts.append((lang, []))
        self._open.append((tag, index))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if tag in ("style", "script", "title", "svg"):
            self._skip -= 1
        while self._open:
            name, _ = self._open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        for _, index in self._open:
            if index is not None:
                self.parts[index][1].append(data)


def language_parts(html: str) -> list[tuple[str, str]]:
    """(BCP 47 tag, words) of each part of the page marked with its own `lang`."""
    if ' lang="' not in html.partition("<body")[2]:
        return []  # most pages: nothing to parse
    parser = _LanguageParts()
    parser.feed(html)
    parser.close()
    return [(lang, "".join(words)) for lang, words in parser.parts if "".join(words).strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _mcid_texts(raw: bytes) -> dict[int, dict[int, str]]:
    """Page index -> MCID -> the text drawn inside that marked-content sequence."""
    from pdfminer.pdfdevice import PDFDevice
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    class Collect(PDFDevice):
        def __init__(self, manager: PDFResourceManager) -> None:
            super().__init__(manager)
            self.stack: list[int | None] = []
            self.texts: dict[int, str] = {}

        def begin_tag(self, tag: Any, props: Any = None) -> None:
            mcid = props.get("MCID") if isinstance(props, dict) else None
            self.stack.append(mcid if isinstance(mcid, int) else None)

        def end_tag(self) -> None:
            if self.stack:
                self.stack.pop()

        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            mcid = next((m for m in reversed(self.stack) if m is not None), None)
            font = textstate.font
            if mcid is None or font is None:
                return
            found = []
            for item in seq:
                if isinstance(item, bytes):
                    for cid in font.decode(item):
                        try:
                            found.append(font.to_unichr(cid))
                        except Exception:  # a glyph without a Unicode value
                            continue
            self.texts[mcid] = self.texts.get(mcid, "") + "".join(found)

    document = PDFDocument(PDFParser(io.BytesIO(raw)))
    manager = PDFResourceManager()
    result = {}
    for index, page in enumerate(PDFPage.create_pages(document)):
        device = Collect(manager)
        PDFPageInterpreter(manager, device).process_page(page)
        result[index] = device.texts
    return result


def _walk(tree: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    from .pdf import walk_structure

    yield from walk_structure(tree)


def _element_text(
    element: pikepdf.Dictionary, pages: dict[tuple[int, int], int], texts: dict[int, dict[int, str]]
) -> str:
    """The text of a structure element: its marked content, its kids' in order."""
    out: list[str] = []

    def visit(node: Any, page: Any) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                visit(kid, page)
        elif isinstance(node, int):
            index = pages.get(page.objgen) if page is not None else None
            if index is not None:
                out.append(texts.get(index, {}).get(node, ""))
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                visit(node.get("/K"), node.get("/Pg", page))
            elif "/MCID" in node:
                visit(int(node.MCID), node.get("/Pg", page))

    visit(element.get("/K"), element.get("/Pg"))
    return "".join(out)


def tag_languages(raw: bytes, parts: list[tuple[str, str]], where: Location) -> bytes:
    """`raw` with `/Lang` on the structure elements of each marked part (see the module)."""
    if not parts:
        return raw
    texts = _mcid_texts(raw)
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return raw
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        spans = [
            (element, _squash(_element_text(element, pages, texts)))
            for element in _walk(tree)
            if str(element.S) == "/Span"
            and any(isinstance(kid, pikepdf.Dictionary) for kid in _kids(element))
        ]
        cursor = 0
        missing = []
        for lang, words in parts:
            remaining = _squash(words)
            start = cursor
            while remaining and cursor < len(spans):
                element, text = spans[cursor]
                cursor += 1
                if text and remaining.startswith(text):
                    element.Lang = pikepdf.String(lang)
                    remaining = remaining[len(text) :]
            if remaining:
                missing.append(f"{words.strip()[:60]!r} ({lang})")
                cursor = start
        if missing:
            raise RenderError(
                Problem(
                    where,
                    f"words marked with another language were not found in the PDF's "
                    f"structure, so they would have no /Lang: {', '.join(missing[:3])}",
                    "mark a whole run of words, [words]{lang=xx}, not part of a word "
                    "(docs/translations.md)",
                )
            )
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _kids(element: pikepdf.Dictionary) -> list[Any]:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def lang_of_elements(data: bytes) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every element that has its own `/Lang` (for checks)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return []
        return [(str(e.S), str(e.Lang)) for e in _walk(tree) if "/Lang" in e]


__all__ = ["lang_of_elements", "language_parts", "tag_languages"]
