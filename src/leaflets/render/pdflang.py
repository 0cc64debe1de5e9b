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

from ..errors import Location, Problem, RenderError

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


def _to_unicode(font: pikepdf.Object) -> dict[bytes, str]:
    """A font's ToUnicode map: character code (bytes) -> text. WeasyPrint writes 2-byte
    codes (Identity-H) in `bfchar` and `bfrange` sections."""
    stream = font.get("/ToUnicode") if isinstance(font, pikepdf.Dictionary) else None
    if not isinstance(stream, pikepdf.Stream):
        return {}
    data = stream.read_bytes().decode("latin-1")
    found: dict[bytes, str] = {}

    def text(hexes: str) -> str:
        raw = bytes.fromhex(hexes)
        return raw.decode("utf-16-be", errors="replace") if raw else ""

    for section in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", section):
            found[bytes.fromhex(code)] = text(value)
    for section in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for low, high, target in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", section
        ):
            width, first, last = len(low) // 2, int(low, 16), int(high, 16)
            if target.startswith("["):
                values = [text(v) for v in re.findall(r"<([0-9A-Fa-f]*)>", target)]
            else:
                base = int(target[1:-1], 16)
                values = [chr(base + i) for i in range(last - first + 1)]
            for offset, value in enumerate(values[: last - first + 1]):
                found[(first + offset).to_bytes(width, "big")] = value
    return found


def _mcid_texts(pdf: pikepdf.Pdf, wanted: set[int]) -> dict[int, dict[int, str]]:
    """Page index -> MCID -> the text drawn inside that marked-content sequence, for the
    pages in `wanted` (qpdf parses only the marked-content and text operators)."""
    result: dict[int, dict[int, str]] = {}
    for index in sorted(wanted):
        page = pdf.pages[index]
        fonts = page.Resources.get("/Font") if "/Resources" in page.obj else None
        maps: dict[str, dict[bytes, str]] = {}
        stack: list[int | None] = []
        texts: dict[int, str] = {}
        current: dict[bytes, str] = {}
        for item in pikepdf.parse_content_stream(page, "BDC BMC EMC Tf Tj TJ"):
            operator = str(item.operator)
            if operator == "BDC":
                props = item.operands[1] if len(item.operands) > 1 else None
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif operator == "BMC":
                stack.append(None)
            elif operator == "EMC":
                if stack:
                    stack.pop()
            elif operator == "Tf":
                name = str(item.operands[0])
                if name not in maps:
                    font = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
                    maps[name] = _to_unicode(font) if font is not None else {}
                current = maps[name]
            else:
                mcid = next((m for m in reversed(stack) if m is not None), None)
                if mcid is None:
                    continue
                operand = item.operands[0]
                strings = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
                drawn = []
                for string in strings:
                    if isinstance(string, pikepdf.String):
                        raw = bytes(string)
                        drawn += [current.get(raw[i : i + 2], "") for i in range(0, len(raw), 2)]
                texts[mcid] = texts.get(mcid, "") + "".join(drawn)
        result[index] = texts
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
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is None:
            return raw
        pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        candidates = [
            element
            for element in _walk(tree)
            if str(element.S) == "/Span"
            and any(isinstance(kid, pikepdf.Dictionary) for kid in _kids(element))
        ]
        wanted = {
            pages[page.objgen]
            for element in candidates
            for page in _pages_of(element)
            if page.objgen in pages
        }
        texts = _mcid_texts(pdf, wanted)
        spans = [(e, _squash(_element_text(e, pages, texts))) for e in candidates]
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


def _pages_of(element: pikepdf.Dictionary) -> Iterator[pikepdf.Object]:
    """The pages an element's content is on (its own `/Pg` and its kids')."""
    stack: list[Any] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/Pg" in node:
                yield node.Pg
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])


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
