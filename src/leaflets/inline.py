"""The inline formatting writers may use in text: `**bold**`, `*emphasis*` and
`[links](https://...)`, nothing else.

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
from functools import cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.emphasis import tokenize as _emphasis_tokenize
from markupsafe import Markup

__all__ = ["ALLOWED_SCHEMES", "format_inline", "is_allowed_link", "plain_text", "unsafe_links"]

#: Link schemes a printed leaflet may point to.
ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")

_TEL = re.compile(r"\+?[0-9][0-9().-]*")
_MAILTO = re.compile(r"[^@\s/?#]+@[a-z0-9.-]+", re.IGNORECASE)
#: A host name (markdown-it has already turned international names into punycode) or an IP.
_HOST = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?|[0-9a-f:.]+")


def is_allowed_link(url: str) -> bool:
    """True for `http(s)://host...`, `mailto:someone@host` and `tel:+44...` addresses.

    A web address needs a plain host name and no `user@` part (`https://nhs.uk@evil.example`
    reads like one site and goes to another)."""
    try:
        parts = urlsplit(url)
        hostname, username = parts.hostname, parts.username
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return (
            url[len(scheme) : len(scheme) + 3] == "://"
            and username is None
            and hostname is not None
            and bool(_HOST.fullmatch(hostname))
        )
    if scheme == "mailto":
        return bool(_MAILTO.fullmatch(url[len("mailto:") :]))
    if scheme == "tel":
        return bool(_TEL.fullmatch(url[len("tel:") :]))
    return False


def _star_emphasis(state: StateInline, silent: bool) -> bool:
    """CommonMark emphasis, but only with `*`: `_` is an ordinary character."""
    if state.src[state.pos] != "*":
        return False
    return bool(_emphasis_tokenize(state, silent))


def _parser(*, checked: bool) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["emphasis", "link"])
    md.inline.ruler.at("emphasis", _star_emphasis)
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


def unsafe_links(text: str) -> list[str]:
    """Addresses of the links in `text` that `format_inline` leaves as plain text, in order."""
    md = _finder()
    found: list[str] = []
    for token in md.parseInline(text):
        for child in token.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                if not is_allowed_link(href):
                    found.append(md.normalizeLinkText(href))
    return found


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
