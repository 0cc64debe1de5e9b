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
from decimal import Decimal
from functools import lru_cache

__all__ = [
    "NUMBER_WORDS",
    "Duration",
    "Frequency",
    "durations",
    "frequencies",
    "mask",
    "numbers_in",
    "statistics_left",
]

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


# --- numbers that must survive translation (issue 17) --------------------------------------

#: Number words counted as numbers, per primary language subtag. "One" and its forms are
#: left out: in every language they are also the article or a pronoun ("one of them").
NUMBER_WORDS: dict[str, dict[str, int]] = {
    "en": {
        "two": 2, "twice": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000,
    },
    "es": {
        "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
        "nueve": 9, "diez": 10, "once": 11, "doce": 12, "veinte": 20, "treinta": 30,
        "cuarenta": 40, "cincuenta": 50, "cien": 100, "ciento": 100, "mil": 1000,
    },
    "ar": {
        "اثنان": 2, "اثنين": 2, "مرتين": 2, "مرتان": 2, "اثنتان": 2, "اثنتين": 2,
        "ثلاث": 3, "ثلاثة": 3,
        "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7,
        "سبعة": 7, "ثماني": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10,
        "عشرون": 20, "عشرين": 20, "مئة": 100, "مائة": 100, "ألف": 1000,
        # the dual: one word for "two hours", "two weeks", "two days", "two groups"
        "ساعتين": 2, "ساعتان": 2, "أسبوعين": 2, "أسبوعان": 2, "يومين": 2, "يومان": 2,
        "شهرين": 2, "شهران": 2, "مجموعتين": 2, "مجموعتان": 2,
    },
}  # fmt: skip
#: Arabic-Indic and Eastern Arabic-Indic digits, the Arabic decimal and thousands signs.
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + n): str(n) for n in range(10)},
        **{chr(0x06F0 + n): str(n) for n in range(10)},
        "\u066b": ".",
        "\u066c": ",",
    }
)
#: A number: digits, thousands groups after ',' '.' or a (narrow) no-break space, and a
#: decimal part ('2.5', '2,5').
_ANY_NUMBER = re.compile(r"\d+(?:[,.\u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+(?!\d))?")
_WORD = re.compile(r"[^\W\d_]+")
#: Arabic prefixes written joined to a number word: the article and the conjunctions.
_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف")


def _value(token: str) -> str:
    """The number's value as text ('1,000' and '1.000' -> '1000'; '2,5' -> '2.5'); digits
    with a leading zero (phone numbers, '0800') are kept as written, zeros and all."""
    if len(token) > 1 and token.startswith("0") and token[1].isdigit():
        return re.sub(r"\D", "", token)
    groups = re.split(r"[,.\u00a0\u202f](?=\d{3}(?!\d))", token)
    whole = "".join(groups)
    if re.search(r"[.,]\d+$", whole) and not re.fullmatch(r"\d+", whole):
        head, _, tail = re.split(r"([.,])(?=\d+$)", whole)
        return str(Decimal(f"{head}.{tail}").normalize())
    return str(int(whole))


def numbers_in(text: str, language: str = "en") -> list[str]:
    """Every number in `text`: digits in Latin or Arabic-Indic script (thousands separators
    of any of the usual kinds) and the language's number words (`NUMBER_WORDS`)."""
    text = text.translate(_DIGITS)
    found = [_value(m.group(0)) for m in _ANY_NUMBER.finditer(text)]
    words = NUMBER_WORDS.get(language.split("-")[0].lower(), {})
    if words:
        for match in _WORD.finditer(text.lower()):
            word = match.group(0)
            if word not in words:  # Arabic: 'the', 'and', 'with', 'for' joined to the word
                word = next(
                    (word[len(p) :] for p in _PREFIXES if word[len(p) :] in words and
                     word.startswith(p)),
                    word,
                )  # fmt: skip
            if word in words:
                found.append(str(words[word]))
    return found
