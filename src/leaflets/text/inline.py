"""The inline formatting writers may use in text: `**bold**`, `*emphasis*`,
`[links](https://...)` and words in another language, `[Spravato]{lang=en}`, nothing else.

A `{lang=TAG}` span (Pandoc's bracketed-span syntax) prints as `<span lang="TAG">` (with
`dir` when the span's script runs the other way), so a screen reader switches voice and
pdf.py gives the PDF structure element its own `/Lang` (PDF/UA, issue 17).

Text is parsed by markdown-it-py with raw HTML off and every other rule off, so `<b>`,
`<script>`, `&amp;`, headings, lists, code, images and autolinks all stay literal text
(escaped). Only `*` marks emphasis (`_word_` stays as written, so snake_case and
underscores in addresses are safe). A link is kept only when its address is `http(s)://`
with a host, `mailto:` or `tel:`; any other link (`javascript:`, `data:`, `file:`, a
relative path) is left as the plain text the writer typed, and `unsafe_links` lists it so
the loader can say so. The result is inline HTML, with no `<p>` around it, as `Markup` for
the Jinja templates (autoescape stays on for everything else).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.emphasis import tokenize as _emphasis_tokenize
from markupsafe import Markup

from ..content.urls import ALLOWED_SCHEMES, bare_urls, is_allowed_link, url_refusal
from .i18n import text_direction

__all__ = [
    "ALLOWED_SCHEMES",
    "bare_urls",
    "format_inline",
    "is_allowed_link",
    "language_runs",
    "plain_text",
    "unsafe_links",
    "url_refusal",
]

# The address rules live in urls.py, shared with clinic files and the project file.


def _star_emphasis(state: StateInline, silent: bool) -> bool:
    """CommonMark emphasis, but only with `*`: `_` is an ordinary character."""
    if state.src[state.pos] != "*":
        return False
    return bool(_emphasis_tokenize(state, silent))


#: `[words]{lang=es-MX}`: the words (no brackets inside) and a BCP 47 tag.
_LANG_SPAN = re.compile(r"\[([^\[\]\n]+)\]\{lang=([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3})\}")


def _lang_span(state: StateInline, silent: bool) -> bool:
    """Words in another language: `[Spravato]{lang=en}` (inline markup inside is kept)."""
    if state.src[state.pos] != "[":
        return False
    match = _LANG_SPAN.match(state.src, state.pos)
    if match is None or match.end() > state.posMax:
        return False
    if not silent:
        tag = match.group(2)
        token = state.push("lang_open", "span", 1)
        token.attrs = {"lang": tag}
        direction = text_direction(tag)
        if direction is not None:
            token.attrs["dir"] = direction
        end_max = state.posMax
        state.pos, state.posMax = match.start(1), match.end(1)
        state.md.inline.tokenize(state)
        state.posMax = end_max
        state.push("lang_close", "span", -1)
    state.pos = match.end()
    return True


def language_runs(text: str) -> list[tuple[str, str]]:
    """(tag, words) of each `{lang=...}` span in `text`, in order (for the PDF's /Lang)."""
    return [
        (m.group(2), " ".join(plain_text(m.group(1)).split())) for m in _LANG_SPAN.finditer(text)
    ]


def unmarked_text(text: str) -> str:
    """The words a reader sees outside `{lang=...}` spans (those carry their own language):
    the text the page's language is read in (language_marks.py)."""
    words: list[str] = []
    depth = 0
    for token in _formatter().parseInline(text):
        for child in token.children or ():
            if child.type in ("lang_open", "lang_close"):
                depth += 1 if child.type == "lang_open" else -1
            elif depth == 0 and child.type == "text":
                words.append(child.content)
            elif depth == 0 and child.type in ("softbreak", "hardbreak"):
                words.append("\n")
    return " ".join("".join(words).split())


def _parser(*, checked: bool) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link"])
    md.inline.ruler.at("emphasis", _star_emphasis)
    md.inline.ruler.before("link", "lang_span", _lang_span)
    # markdown-it calls validateLink with the normalised (percent-encoded) address.
    md.validateLink = is_allowed_link if checked else (lambda url: True)  # type: ignore[method-assign]
    return md


@cache
def _formatter() -> MarkdownIt:
    return _parser(checked=True)


@cache
def _finder() -> MarkdownIt:
    return _parser(checked=False)


def format_inline(text: str) -> Markup:
    """`text` as inline HTML: bold, emphasis and allowed links marked up, the rest escaped."""
    html = _formatter().renderInline(text)
    return Markup(html.rstrip("\n"))  # markdown-it escaped the text (html=False)


#: Distinct strings whose results are kept (pure functions of the string; issue 18).
STRING_CACHE = 1 << 15


def unsafe_links(text: str) -> list[str]:
    """Addresses of the links in `text` that `format_inline` leaves as plain text, in order."""
    if "[" not in text:
        return []  # no link without a bracket (autolinks are off)
    return list(_unsafe_links(text))


@lru_cache(maxsize=STRING_CACHE)
def _unsafe_links(text: str) -> tuple[str, ...]:
    md = _finder()
    found: list[str] = []
    for token in md.parseInline(text):
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not is_allowed_link(href):
                    found.append(md.normalizeLinkText(href))
    return tuple(found)


@lru_cache(maxsize=STRING_CACHE)
def plain_text(text: str) -> str:
    """The words a reader sees, without the markup: for readability counts and word checks.

    `**very** [important](https://a.example)` gives `very important`; a refused link keeps
    the text the writer typed, as `format_inline` prints it."""
    words: list[str] = []
    for token in _formatter().parseInline(text):
        for child in token.children or ():
            if child.type == "text":
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append("\n")
    return "".join(words).rstrip("\n")
