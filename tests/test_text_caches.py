"""The checks' per-string caches and fast paths (issue 18) give exactly what the uncached
code gives: a cache keyed on too little (the rules, the paragraph, whether a block cites a
source, the taught words, the jargon list) would silently hide or invent findings."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from leaflets.text import check, normalise, numbers, readability
from leaflets.text.check import _parse_rules, _rule_hits, _SentenceHits
from leaflets.text.readability import (
    JargonTerm,
    find_jargon,
    flesch_syllables,
    measure,
    split_sentences,
    syllables,
    words,
)


def rules(data: list[dict[str, object]]) -> tuple[check.Rule, ...]:
    return tuple(_parse_rules({"rules": data}, Path("wording.yaml")))


CURE = rules([{"id": "cure", "pattern": r"\bcures?\b", "message": "overclaim"}])
MIRACLE = rules([{"id": "miracle", "pattern": r"\bmiracle\b", "message": "hype"}])
SOURCED = rules(
    [{"id": "proven", "pattern": r"\bproven\b", "message": "proof", "unless_sourced": True}]
)
PARAGRAPH = rules(
    [
        {
            "id": "chance",
            "pattern": r"\bsmall chance\b",
            "message": "words only",
            "unless_paragraph": r"\bout of \d",
        }
    ]
)


def test_the_wording_cache_is_keyed_on_the_rules_the_source_and_the_paragraph() -> None:
    hits = _SentenceHits()
    sentence = "This miracle cure is proven."
    assert [h[0] for h in hits.get(CURE, sentence, sentence, False)] == ['overclaim: "cure" [cure]']
    # The same sentence under other rules: the other rules' findings, not the cached ones.
    assert [h[0] for h in hits.get(MIRACLE, sentence, sentence, False)] == [
        'hype: "miracle" [miracle]'
    ]
    assert hits.get(SOURCED, sentence, sentence, False)
    assert hits.get(SOURCED, sentence, sentence, True) == ()  # a block citing a source
    assert hits.get(SOURCED, sentence, sentence, False)  # and back
    short = "There is a small chance of sickness."
    alone, with_numbers = short, short + " About 5 out of 100 people feel sick."
    assert hits.get(PARAGRAPH, short, alone, False)
    assert hits.get(PARAGRAPH, short, with_numbers, False) == ()  # numbers in the paragraph
    assert hits.get(PARAGRAPH, short, alone, False)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab cure miracle proven small chance out of 5 .", max_size=80))
def test_the_wording_cache_agrees_with_the_rules(text: str) -> None:
    hits = _SentenceHits()
    for ruleset in (CURE + MIRACLE + SOURCED + PARAGRAPH, CURE, PARAGRAPH):
        for sourced in (False, True):
            for sentence in split_sentences(text) or [text]:
                expected = _rule_hits(ruleset, sentence, text, sourced)
                assert hits.get(ruleset, sentence, text, sourced) == expected
                assert hits.get(ruleset, sentence, text, sourced) == expected


ASCII = st.text(alphabet=st.characters(max_codepoint=127), max_size=60)


def slow_skeleton(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.translate(normalise._LOOKALIKES).split())


@settings(max_examples=200, deadline=None)
@given(st.one_of(ASCII, st.text(max_size=60)))
def test_normalising_fast_paths_agree_with_the_full_rules(text: str) -> None:
    assert normalise.skeleton(text) == slow_skeleton(text)
    assert normalise.invisible(text) == [
        (i, f"U+{ord(c):04X} {unicodedata.name(c, 'format character')}")
        for i, c in enumerate(text)
        if unicodedata.category(c) == "Cf"
    ]


def test_invisible_characters_are_still_found_when_the_string_was_seen_before() -> None:
    assert normalise.invisible("mir\u00adacle") == [(3, "U+00AD SOFT HYPHEN")]
    assert normalise.invisible("mir\u00adacle") == [(3, "U+00AD SOFT HYPHEN")]
    assert normalise.skeleton("\u0441ure") == "cure"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 aged call out of in 999 mg hours % ,.", max_size=60))
def test_number_fast_paths_agree_with_the_full_rules(text: str) -> None:
    slow = numbers._MASK.sub(lambda m: re.sub(r"\d", " ", m.group(0)), text)
    assert numbers.mask(text) == slow
    assert numbers.statistics_left(text) == bool(re.search(r"\d", slow))
    assert numbers.frequencies(text) == list(numbers._frequencies.__wrapped__(text))


def reference_measure(texts: list[str], taught: frozenset[str]) -> tuple[object, ...]:
    """`measure`'s counts, computed word by word with no per-sentence cache."""
    sentences = [s for t in texts for s in split_sentences(t)]
    tokens = [words(s) for s in sentences]
    all_words = [w for ws in tokens for w in ws]
    poly = [w for w in all_words if syllables(w) >= 3]
    taught_poly = sum(1 for w in poly if readability.is_taught(w, taught))
    hard = [
        sum(1 for w in ws if syllables(w) >= 3 and not readability.is_taught(w, taught))
        for ws in tokens
    ]
    return (
        len(sentences),
        len(all_words),
        sum(flesch_syllables(w) for w in all_words),
        len(poly),
        taught_poly,
        tuple(len(ws) for ws in tokens),
        hard,
    )


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.text(alphabet="esketamine medicine is a big ok. NHS 69 Why? 1.5 \n", max_size=80),
        max_size=4,
    )
)
def test_measure_with_cached_sentences_agrees_with_counting_word_by_word(texts: list[str]) -> None:
    for taught in (frozenset(), frozenset({"esketamine", "medicine"})):
        figures = measure(texts, taught)
        sentences, n_words, n_syll, n_poly, n_taught, lengths, hard = reference_measure(
            texts, taught
        )
        assert (figures.sentences, figures.words, figures.syllables) == (
            sentences,
            n_words,
            n_syll,
        )
        assert (figures.polysyllables, figures.taught_polysyllables) == (n_poly, n_taught)
        assert figures.sentence_lengths == lengths
        if hard:
            assert (
                figures.hardest_sentence
                == split_sentences_of(texts)[max(range(len(hard)), key=lambda i: (hard[i], -i))]
            )


def split_sentences_of(texts: list[str]) -> list[str]:
    return [s for t in texts for s in split_sentences(t)]


def test_taught_words_are_judged_per_call_not_cached_with_the_sentence() -> None:
    text = ["Esketamine is a medicine. Esketamine works."]
    plain = measure(text)
    taught = measure(text, frozenset({"esketamine"}))
    assert plain.polysyllables == taught.polysyllables
    assert taught.taught_polysyllables > plain.taught_polysyllables == 0
    assert measure(text).taught_polysyllables == 0  # the taught call left nothing behind


def test_a_returned_sentence_list_can_be_changed_without_changing_the_cache() -> None:
    first = split_sentences("One. Two.")
    first.append("Three.")
    assert split_sentences("One. Two.") == ["One.", "Two."]


def test_jargon_matches_follow_the_list_given() -> None:
    text = "You will have sedation and an infusion."
    one = (JargonTerm("sedation", "medicine to make you sleepy"),)
    other = (JargonTerm("infusion", "a drip"),)
    assert [h.term for h in find_jargon(text, one)] == ["sedation"]
    assert [h.term for h in find_jargon(text, other)] == ["infusion"]
    assert [h.term for h in find_jargon(text, list(one) + list(other))] == [
        "sedation",
        "infusion",
    ]
    assert [h.term for h in find_jargon(text, one)] == ["sedation"]
