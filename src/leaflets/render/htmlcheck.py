"""Rendered HTML in, the active parts it must not have out: the check on the OUTPUT.

The templates run sandboxed and content is escaped (templates.py), but the guarantee
"the HTML twin never runs anything" (docs/security.md §2) is checked on what was
actually rendered, whichever template or content produced it: no `<script>` (nor any
element that loads or runs another document: iframe, object, embed, base, form ...), no
event-handler attribute (`onload=`, `onerror=` ...), no `javascript:`/`vbscript:` address
and no `data:` address that is a document rather than a picture or a font, in an
attribute or in a style sheet. The parser decodes character references first, so
`&#106;avascript:` is caught too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["active_content"]

#: Elements that run code or load another document; none belongs in a leaflet.
FORBIDDEN_ELEMENTS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "form",
        "portal",
        "noscript",
        "template",
        "foreignobject",
        "handler",
        "listener",
    }
)
#: Attributes that hold a whole document or a target for a form.
FORBIDDEN_ATTRIBUTES = frozenset({"srcdoc", "formaction", "action", "ping"})
#: Attributes whose value is an address (HTML and SVG, `animate to=` included).
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "xlink:href",
        "src",
        "srcset",
        "lowsrc",
        "dynsrc",
        "background",
        "poster",
        "cite",
        "data",
        "codebase",
        "manifest",
        "icon",
        "to",
        "from",
        "values",
        "by",
    }
)
#: A scheme that runs script, after dropping white space and control characters
#: (browsers ignore them inside a scheme: `java\tscript:`).
_SCRIPT_URL = re.compile(r"(?:java|vb|live)script:|data:(?!image/|font/|application/font)")
_CSS_SCRIPT = re.compile(r"(?:java|vb)script:|expression\s*\(|-moz-binding|behavior\s*:")
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS:
            self.found.append(f"a <{tag}> element")
        if tag == "meta" and any(
            name == "http-equiv" and (value or "").strip().lower() == "refresh"
            for name, value in attrs
        ):
            self.found.append("a <meta http-equiv=refresh> redirect")
        if tag == "style":
            self._in_style += 1
        for name, value in attrs:
            self._attribute(tag, name, value or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "style":
            self._in_style -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style and _CSS_SCRIPT.search(_IGNORED.sub("", data).lower()):
            self.found.append("a style sheet that runs script")

    def _attribute(self, tag: str, name: str, value: str) -> None:
        if name.startswith("on"):
            self.found.append(f"an event handler ({name}=) on <{tag}>")
        elif name in FORBIDDEN_ATTRIBUTES:
            self.found.append(f"a {name}= attribute on <{tag}>")
        squeezed = _IGNORED.sub("", value).lower()
        if name == "style":
            if _CSS_SCRIPT.search(squeezed):
                self.found.append(f"a style attribute that runs script on <{tag}>")
        elif name in URL_ATTRIBUTES and _SCRIPT_URL.match(squeezed):
            self.found.append(f"a {squeezed.split(':', 1)[0]}: address in {name}= on <{tag}>")


def active_content(html: str) -> list[str]:
    """What in `html` could run script or load a document (empty for a clean page)."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return sorted(set(finder.found), key=finder.found.index)
