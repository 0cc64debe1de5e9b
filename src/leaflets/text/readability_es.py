"""Spanish text in, Spanish readability out: syllables by rule, Fernández-Huerta and
Szigriszt-Pazos (INFLESZ scale) (issue 17).

Syllables
    Counted by the rules of Spanish orthography (RAE, *Ortografía de la lengua española*
    2010, §1.3-1.4), which are regular enough that no dictionary is needed: a syllable has
    one vowel nucleus; two open vowels (a, e, o) side by side are in hiatus (two syllables:
    *le-er*); an open and a closed vowel (i, u, y at the end of a word) form a diphthong
    (one: *bue-no*), and so do two different closed vowels (*ciu-dad*), unless the closed
    vowel carries the accent (*dí-a*, *ba-úl*), which makes a hiatus; three vowels closed-
    open-closed form a triphthong (*buey*). The *u* of *que, qui, gue, gui* is silent;
    *ü* is sounded (*pin-güi-no*). *h* between vowels does not break a diphthong
    (*ahu-mar*: counted as the rules of writing say). A figure counts as one syllable, as
    Flesch counted them (readability.py), since both formulas were adapted from his.
    Written here rather than taken from a hyphenation dictionary: pyphen's Spanish
    patterns (LGPL/MPL) hyphenate for typesetting, which never splits a single vowel off
    (*a-gua* is not hyphenated as *a-*), so they undercount syllables.

Formulas (both scales 0-100, higher is easier)
    * Fernández-Huerta lecturabilidad = 206.84 - 0.60 P - 1.02 F, with P the syllables per
      100 words and F the mean words per sentence (Fernández Huerta J. 1959, "Medidas
      sencillas de lecturabilidad", Consigna 214:29-32), the adaptation of Flesch (1948)
      to Spanish. F is often printed as "sentences per 100 words", which makes long
      sentences read as easier; with words per sentence the coefficient matches Flesch's
      1.015 on the same quantity, so that reading is used (docs/standards.md RS1).
    * Szigriszt-Pazos perspicuidad = 206.835 - 62.3 (syllables / words) - (words /
      sentences) (Szigriszt Pazos F. 1993, *Sistemas predictivos de legibilidad del
      mensaje escrito: fórmula de perspicuidad*, doctoral thesis, Universidad Complutense
      de Madrid), read on the INFLESZ scale validated on patient texts (Barrio-Cantalejo IM
      et al. 2008, "Validación de la Escala INFLESZ para evaluar la legibilidad de los
      textos dirigidos a pacientes", An Sist Sanit Navar 31(2):135-152): under 40 very
      difficult, 40-55 somewhat difficult, 55-65 normal, 65-80 quite easy, over 80 very
      easy (RS2).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

from .readability import split_sentences, words

__all__ = [
    "INFLESZ_BANDS",
    "SpanishReadability",
    "fernandez_huerta",
    "inflesz_band",
    "long_word_share",
    "measure_es",
    "syllables_es",
    "szigriszt_pazos",
]

_OPEN = set("aeoáéóíú")  # accented i and u behave as open vowels: they make a hiatus
_CLOSED = set("iuüy")
_VOWELS = _OPEN | _CLOSED

#: (lowest score, band) on the INFLESZ scale (Barrio-Cantalejo et al. 2008).
INFLESZ_BANDS: tuple[tuple[float, str], ...] = (
    (80, "very easy"),
    (65, "quite easy"),
    (55, "normal"),
    (40, "somewhat difficult"),
    (float("-inf"), "very difficult"),
)


def _nuclei(group: str) -> int:
    """Syllable nuclei in a run of vowels (hiatus adds one; diphthongs do not)."""
    count = 1
    for first, second in itertools.pairwise(group):
        if (first in _OPEN and second in _OPEN) or first == second:
            count += 1
    return count


def syllables_es(word: str) -> int:
    """Syllables of one Spanish word (at least 1; a figure is 1)."""
    text = word.lower()
    if not any(ch.isalpha() for ch in text):
        return 1
    text = "".join(ch for ch in text if ch.isalpha())
    # silent u: que, qui, gue, gui (not güe, güi); y is a vowel only at the end or alone
    text = re.sub(r"(?<=[qg])u(?=[eiéí])", "", text)
    letters = [
        ch if ch != "y" or index == len(text) - 1 or text[index + 1] not in _VOWELS else "Y"
        for index, ch in enumerate(text)
    ]
    text = "".join(letters)
    groups = re.findall(r"[aeiouáéíóúüy]+(?:h[aeiouáéíóúüy]+)*", text)
    total = sum(_nuclei(group.replace("h", "")) for group in groups)
    return max(1, total)


def fernandez_huerta(words_count: int, sentences: int, syllables: int) -> float:
    """Fernández-Huerta (1959) reading ease, 0-100 (higher is easier)."""
    if not words_count or not sentences:
        return 0.0
    per_100 = 100 * syllables / words_count
    return 206.84 - 0.60 * per_100 - 1.02 * (words_count / sentences)


def szigriszt_pazos(words_count: int, sentences: int, syllables: int) -> float:
    """Szigriszt-Pazos (1993) perspicuity, read on the INFLESZ scale."""
    if not words_count or not sentences:
        return 0.0
    return 206.835 - 62.3 * (syllables / words_count) - words_count / sentences


def inflesz_band(score: float) -> str:
    return next(name for lowest, name in INFLESZ_BANDS if score >= lowest)


@dataclass(frozen=True)
class SpanishReadability:
    sentences: int
    words: int
    syllables: int
    fernandez_huerta: float
    szigriszt_pazos: float

    @property
    def inflesz(self) -> str:
        return inflesz_band(self.szigriszt_pazos)


def measure_es(texts: list[str]) -> SpanishReadability:
    """Spanish figures for some reader text (sentences split as readability.py does)."""
    sentences = sum(len(split_sentences(text)) for text in texts if text.strip())
    found = [w for text in texts for w in words(unicodedata.normalize("NFC", text))]
    count = sum(syllables_es(w) for w in found)
    return SpanishReadability(
        sentences,
        len(found),
        count,
        fernandez_huerta(len(found), sentences, count),
        szigriszt_pazos(len(found), sentences, count),
    )


def long_word_share(texts: list[str]) -> float:
    """Share of words longer than six letters (Björnsson's LIX "long words", 1968): a
    language-independent sign of hard vocabulary, for text with no validated formula."""
    found = [w for text in texts for w in words(unicodedata.normalize("NFC", text))]
    letters = [sum(ch.isalpha() for ch in w) for w in found]
    return sum(1 for n in letters if n > 6) / len(found) if found else 0.0
