"""Plain text in, the numbers in it out: statistics told apart from phone numbers, dates,
ages, doses and durations.

A leaflet is full of numbers that are not estimates: "Call 999", "on 1 March 2026",
"aged 18 to 24", "56 mg", "within 2 hours", "6 infusions". The number rules (check.py) must
never treat them as statistics, so `mask` blanks them first (keeping offsets), and the
rules read what is left: "N out of D" frequencies (with "N more / fewer out of D"
differences), percentages and "N in D". Durations are parsed as well, so the same
quantity said two ways in one leaflet can be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Duration", "Frequency", "durations", "frequencies", "mask", "statistics_left"]

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_UNITS_OF_TIME = r"seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|months?|years?"
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
#: Numbers that are not statistics, most specific first. Each is blanked to spaces.
_NOT_STATISTICS = [
    # phone numbers: after a verb of calling, or the UK/US/EU emergency and help lines
    r"\b(?:call|phone|ring|text|dial|tel:?|on|number)\s+(?:(?:NHS|the|us|them)\s+)?"
    r"(\+?\d[\d ()-]{1,16}\d|\d+)",
    r"\b(?:111|999|112|911)\b",
    r"\b0\d{2,4}[ -]?\d{3}[ -]?\d{3,4}\b",
    r"\b\d{3} \d{3}\b",
    r"\boption \d+\b",
    # dates and years
    r"\b\d{4}-\d{2}-\d{2}\b",
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b",
    rf"\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
    r"\b(?:19|20)\d\d\b",
    # ages
    rf"\b(?:aged?|ages|over|under|older than|younger than)\s+{_NUMBER}"
    rf"(?:\s*(?:to|-|–|and)\s*{_NUMBER})?\b",
    rf"\b{_NUMBER}\s*(?:to|-|–)\s*{_NUMBER}\s*(?:years? old|year-olds?)\b",
    rf"\b{_NUMBER}\s*(?:years? old|year-olds?|and over|or older|or over|and older)\b",
    # doses and amounts
    rf"\b{_NUMBER}\s*(?:mg|g|mcg|µg|ml|mL|kg|milligrams?|micrograms?|units?|tablets?|puffs?"
    r"|sprays?|doses?|devices?|capsules?)\b",
    # durations and counts of treatments
    rf"\b{_NUMBER}(?:\s*(?:to|-|–)\s*{_NUMBER})?(?:\s+or\s+(?:more|fewer|less))?[\s-]*"
    rf"(?:{_UNITS_OF_TIME})\b",
    rf"\b{_NUMBER}\s+(?:\w+\s+)?(?:infusions?|sessions?|treatments?|visits?|appointments?"
    r"|trials?|studies|medicines?|antidepressants?|drugs?)\b",
    r"\b(?:at least|at most|no more than|up to)\s+\d+\s+(?!out\b|in\b|per\b|percent\b)[a-z]+",
    # scores, ordinals, names with numbers (TRANSFORM-2, step 3)
    rf"\bscores?(?: \(\w+\))? (?:of|below|above|under|over) {_NUMBER}\b",
    rf"\bscored (?:out of|from|on a scale of) {_NUMBER}\b",
    r"\b\d+(?:st|nd|rd|th)\b",
    r"\b[A-Za-z]+-\d+\b",
    r"\b(?:step|page|section|part|version|level|stage|grade|type|phase) \d+\b",
]
_MASK = re.compile("|".join(f"(?:{p})" for p in _NOT_STATISTICS), re.IGNORECASE)


_DIGIT = re.compile(r"\d")
#: Distinct strings whose results are kept (pure functions of the string; issue 18).
STRING_CACHE = 1 << 15


def mask(text: str) -> str:
    """`text` with every number that is not a statistic blanked (same length and offsets)."""
    if not _DIGIT.search(text):
        return text  # only digits are ever blanked
    return _mask(text)


@lru_cache(maxsize=STRING_CACHE)
def _mask(text: str) -> str:
    return _MASK.sub(lambda m: _DIGIT.sub(" ", m.group(0)), text)


def statistics_left(text: str) -> bool:
    """True if `text` states a number that may be an estimate (after `mask`)."""
    return bool(_DIGIT.search(text)) and bool(_DIGIT.search(mask(text)))


@dataclass(frozen=True)
class Frequency:
    """One "N out of D" in the text."""

    count: int
    out_of: int
    relation: str
    """'' for a count; 'more' or 'fewer' for a difference ("about 17 more out of 100")."""
    phrase: str
    high: int | None = None
    """The top of a range ("3 to 4 out of 1,000")."""


def _int(text: str) -> int:
    return int(float(text.replace(",", "")))


_FREQUENCY = re.compile(
    rf"\b(?P<n>{_NUMBER})(?:\s*(?:to|-|–)\s*(?P<high>{_NUMBER}))?"
    r"(?:\s+(?P<rel>more|fewer|less|extra))?(?:\s+[A-Za-z]+){0,3}?\s+out\s+of\s+"
    rf"(?P<d>{_NUMBER})",
    re.IGNORECASE,
)


_REVERSED = re.compile(
    rf"\bout\s+of\s+(?P<d>{_NUMBER})(?:\s+[A-Za-z]+){{0,3}},?\s+(?:about|around|roughly)\s+"
    rf"(?P<n>{_NUMBER})\b",
    re.IGNORECASE,
)


def frequencies(text: str) -> list[Frequency]:
    """Every "N out of D" (and "N more / fewer out of D", and "out of D people, about N")
    in `text`, after `mask`."""
    if not _DIGIT.search(text):
        return []  # both patterns need a number
    return list(_frequencies(text))


@lru_cache(maxsize=STRING_CACHE)
def _frequencies(text: str) -> tuple[Frequency, ...]:
    masked = mask(text)
    found = [
        Frequency(_int(m.group("n")), _int(m.group("d")), "", text[m.start() : m.end()])
        for m in _REVERSED.finditer(masked)
    ]
    for match in _FREQUENCY.finditer(masked):
        relation = (match.group("rel") or "").lower()
        relation = {"less": "fewer", "extra": "more"}.get(relation, relation)
        found.append(
            Frequency(
                _int(match.group("n")),
                _int(match.group("d")),
                relation,
                text[match.start() : match.end()],
                _int(match.group("high")) if match.group("high") else None,
            )
        )
    return tuple(found)


@dataclass(frozen=True)
class Duration:
    """A length of time in the text, in minutes."""

    minutes: float
    phrase: str
    start: int


_WORD_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_MINUTES = {
    "second": 1 / 60,
    "minute": 1,
    "min": 1,
    "hour": 60,
    "hr": 60,
    "day": 1440,
    "night": 1440,
    "week": 10080,
    "month": 43800,
    "year": 525600,
}
_DURATION = re.compile(
    r"\b(?:(?P<half>half an? (?P<hunit>hour|day|minute))"
    r"|(?P<num>\d+(?:\.\d+)?|an?|one|two|three|four|five)\s+"
    r"(?P<unit>second|minute|min|hour|hr|day|night|week|month|year)s?"
    r"(?P<andhalf>\s+and\s+a\s+half)?)\b",
    re.IGNORECASE,
)


def durations(text: str) -> list[Duration]:
    """Every length of time ("2 hours", "an hour and a half", "40 minutes") in `text`."""
    found = []
    for match in _DURATION.finditer(text):
        if match.group("half"):
            minutes = _MINUTES[match.group("hunit").lower()] / 2
        else:
            raw = match.group("num").lower()
            amount = _WORD_NUMBERS[raw] if raw in _WORD_NUMBERS else float(raw)
            if match.group("andhalf"):
                amount += 0.5
            minutes = amount * _MINUTES[match.group("unit").lower()]
        found.append(Duration(minutes, match.group(0), match.start()))
    return found
