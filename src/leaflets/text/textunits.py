"""Text in, its words and sentences out: the one tokeniser and the one sentence splitter
every check uses (readability.py explains the rules and where they come from)."""

from __future__ import annotations

import functools
import re

_HYPHENS = "-\u2010\u2011"  # hyphen-minus, hyphen, non-breaking hyphen (not en/em dashes)
_HYPHEN_CLASS = r"\-\u2010\u2011"  # the same, for inside a regex [...]
_APOSTROPHES = "'\u2019"
_ALNUM = r"[^\W_]"
_PART = rf"{_ALNUM}+(?:(?:[{_APOSTROPHES}]|(?<=\d)[.,](?=\d)){_ALNUM}+)*"
_WORD = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}"  # dotted abbreviations: e.g. i.e. U.S.
    rf"|[£$€]?{_PART}(?:[{_HYPHEN_CLASS}]{_PART})*%?"
)
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}")


def words(text: str) -> list[str]:
    """The word tokens of `text`: letters and digits, with apostrophes, hyphens and number
    punctuation kept inside the word (``don't``, ``full-length``, ``0.5``, ``1,000``, ``7%``)."""
    return _WORD.findall(text)


# ---------------------------------------------------------------------------------------
# Sentences

# Lower-case, without the final full stop. Not "etc", "no", "min" or "mg": they often end a
# sentence (a following lower-case word already keeps "etc. and" together).
_ABBREVIATIONS = frozenset(
    {
        "dr", "mr", "mrs", "ms", "mx", "prof", "rev", "st", "sr", "jr", "vs", "approx",
        "incl", "esp", "fig", "figs", "cf", "al", "ca", "eg", "ie", "ref", "tel", "dept",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip
_CLOSERS = "\"'’”)]"
_TERMINATOR = re.compile(rf"(?:[.!?]+|…)[{re.escape(_CLOSERS)}]*(?=\s|$)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_MARKER = r"(?:[-*•‣◦]|\d{1,2}[.)])(?=[ \t\n]|$)"  # "- ", "• ", "1. ", "2) " at a line start
_BULLET_LINE = re.compile(rf"\n[ \t]*(?={_MARKER})")
_BULLET = re.compile(rf"^{_MARKER}[ \t]*")
_OPENERS = "([{\"'“‘"


def _chunks(text: str) -> list[str]:
    """Paragraphs and bulleted lines, each with its whitespace collapsed."""
    chunks = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        for line in _BULLET_LINE.split(paragraph):
            chunk = " ".join(_BULLET.sub("", line.strip()).split())
            if chunk:
                chunks.append(chunk)
    return chunks


def _ends_sentence(chunk: str, match: re.Match[str]) -> bool:
    """Whether the terminator `match` ends a sentence inside `chunk`."""
    rest = chunk[match.end() :].lstrip()
    if not rest:
        return True
    if rest[0].islower():
        return False  # "e.g. tablets", "approx. two", "Why? because"
    mark = match.group().rstrip(_CLOSERS)
    if mark != ".":
        return True  # "!", "?", "?!", an ellipsis before a capital
    token = chunk[: match.start()].rsplit(" ", 1)[-1].lstrip(_OPENERS)
    if _DOTTED.fullmatch(token + "."):
        return False  # "e.g.", "U.S."
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith"
    return token.lower() not in _ABBREVIATIONS


#: Distinct texts and sentences whose splits and counts are kept (pure functions of the
#: string; a library repeats its strings across levels, shared blocks and `measure`'s
#: pooling of blocks into sections and the whole leaflet; issue 18).
TEXT_CACHE = 1 << 15


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, whitespace collapsed, in order.

    A sentence ends at ``.``, ``!`` or ``?`` (not inside a number, after an abbreviation or
    initial, or before a lower-case word), at a blank line and at a bulleted line. Pieces
    with no words are dropped; one- and two-word sentences are kept."""
    return list(_split_sentences(text))


@functools.lru_cache(maxsize=TEXT_CACHE)
def _split_sentences(text: str) -> tuple[str, ...]:
    sentences = []
    for chunk in _chunks(text):
        start = 0
        for match in _TERMINATOR.finditer(chunk):
            if _ends_sentence(chunk, match):
                sentences.append(chunk[start : match.end()].strip())
                start = match.end()
        sentences.append(chunk[start:].strip())
    return tuple(sentence for sentence in sentences if words(sentence))
