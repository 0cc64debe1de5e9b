"""Reader text in, the text the checks read out: Unicode NFKC, no invisible characters,
look-alike letters mapped to their Latin skeleton.

A writer (or a pasted web page) can hide a word from the wording rules without changing
what a reader sees: a soft hyphen or zero-width space inside "mir\u00adacle", a Cyrillic
"\u0441ure", full-width letters. The checks therefore read `skeleton(text)`, and the
content is refused when it holds invisible format characters at all (`invisible`), so
what is printed and what is checked never differ by a character nobody can see.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["INVISIBLE_HINT", "invisible", "skeleton"]

INVISIBLE_HINT = (
    "delete the invisible character (it often comes from copying text from a web page or a "
    "word processor)"
)

#: Letters that look like Latin ones in the fonts a leaflet is printed in (Unicode
#: confusables.txt, the Cyrillic and Greek entries that map to one Latin letter).
_LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "\u0430": "a", "\u0410": "A", "\u0432": "b", "\u0412": "B", "\u0435": "e",
        "\u0415": "E", "\u0451": "e", "\u0401": "E", "\u043a": "k", "\u041a": "K",
        "\u043c": "m", "\u041c": "M", "\u043d": "h", "\u041d": "H", "\u043e": "o",
        "\u041e": "O", "\u0440": "p", "\u0420": "P", "\u0441": "c", "\u0421": "C",
        "\u0442": "t", "\u0422": "T", "\u0443": "y", "\u0423": "Y", "\u0445": "x",
        "\u0425": "X", "\u0456": "i", "\u0406": "I", "\u0458": "j", "\u0408": "J",
        "\u0455": "s", "\u0405": "S", "\u04bb": "h", "\u0501": "d", "\u051b": "q",
        "\u051d": "w", "\u0491": "r", "\u0433": "r",
        # Greek
        "\u03b1": "a", "\u0391": "A", "\u0392": "B", "\u03b5": "e", "\u0395": "E",
        "\u0396": "Z", "\u0397": "H", "\u03b9": "i", "\u0399": "I", "\u039a": "K",
        "\u03ba": "k", "\u039c": "M", "\u039d": "N", "\u03bd": "v", "\u03bf": "o",
        "\u039f": "O", "\u03c1": "p", "\u03a1": "P", "\u03a4": "T", "\u03c4": "t",
        "\u03c5": "u", "\u03a5": "Y", "\u03a7": "X", "\u03c7": "x",
    }
)  # fmt: skip


def _is_invisible(char: str) -> bool:
    # Cf: soft hyphen, zero-width space/joiners, word joiner, bidi controls, BOM.
    return unicodedata.category(char) == "Cf"


#: Distinct non-ASCII strings whose results are kept (both functions are pure functions of
#: the string, and a library repeats its strings: shared blocks, copies, levels; issue 18).
STRING_CACHE = 1 << 15


def invisible(text: str) -> list[tuple[int, str]]:
    """(offset, `U+XXXX NAME`) of every invisible format character in `text`."""
    if text.isascii():
        return []  # no ASCII character is a format character (ASCII controls are Cc)
    return list(_invisible(text))


@lru_cache(maxsize=STRING_CACHE)
def _invisible(text: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (index, f"U+{ord(char):04X} {unicodedata.name(char, 'format character')}")
        for index, char in enumerate(text)
        if _is_invisible(char)
    )


def skeleton(text: str) -> str:
    """`text` as the checks read it: NFKC, invisible characters dropped, look-alike letters
    in Latin, spaces collapsed."""
    if text.isascii():
        # NFKC leaves ASCII as it is, and no invisible or look-alike character is ASCII.
        return " ".join(text.split())
    return _skeleton(text)


@lru_cache(maxsize=STRING_CACHE)
def _skeleton(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not _is_invisible(char))
    return " ".join(text.translate(_LOOKALIKES).split())
