"""Addresses a leaflet prints, links or encodes: the one rule for all of them.

Links in content (inline.py), the clinic's web address and online-copy address (printed
and put in a QR code), and addresses written out in the project's feedback sentence all
pass `url_refusal` / `is_allowed_link` (docs/security.md §2 and §7). Imports nothing heavy:
the model validates clinic files with it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

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


#: A web, mail or phone address written out in plain text (a leaflet prints it as is).
_BARE_URL = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bmailto:|\btel:|\bwww\.)[^\s<>\"']*")


def url_refusal(url: str) -> str | None:
    """Why `url` may not be printed or put in a QR code; None if it may (issue 12).

    The rule for every address a build prints or encodes (clinic web, leaflet_url, the
    project's feedback text) is the rule for links in content (`is_allowed_link`), plus:
    no control, invisible or white-space character anywhere (U+202E turns the printed
    address around) and no non-ASCII letter in the host (a Cyrillic `а` looks like `a`)."""
    for char in url:
        if unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn"):
            return f"it contains an invisible or control character (U+{ord(char):04X})"
    try:
        parts = urlsplit(url)
        hostname, username = parts.hostname, parts.username
    except ValueError:
        return "it is not a well-formed address"
    if parts.scheme.lower() in ("http", "https"):
        if username is not None or "@" in parts.netloc:
            return (
                "it has a 'name@' part before the host, so it reads like one site "
                "and goes to another"
            )
        if hostname is not None and not hostname.isascii():
            return "its host name has non-ASCII (look-alike) letters; write the host in ASCII"
    if not is_allowed_link(url):
        return "only https://host/..., mailto: and tel: addresses are allowed"
    return None


def bare_urls(text: str) -> list[str]:
    """Addresses written out in plain `text`, as printed (trailing punctuation dropped)."""
    found = []
    for match in _BARE_URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?)]")
        found.append("https://" + url if url.lower().startswith("www.") else url)
    return found
