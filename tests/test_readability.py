"""Readability measurement: formulas against published worked examples, counting rules,
offline dictionary, sentence splitting, jargon, and the sample leaflet's levels."""

from __future__ import annotations

import math
import re
import socket
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from leaflets.text import readability
from leaflets.text.readability import (
    MIN_SENTENCES_FOR_GRADE,
    JargonTerm,
    clear_caches,
    find_jargon,
    flesch_kincaid_grade,
    flesch_reading_ease,
    flesch_syllables,
    load_jargon,
    measure,
    smog_grade,
    split_sentences,
    syllables,
    words,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "content" / "leaflets" / "ketamine-esketamine-depression.yaml"
LEVELS = ("easy", "plain", "detailed")


# ---------------------------------------------------------------------------------------
# Formulas: published worked examples, counts by hand, formulas written out.


def test_flesch_reading_ease_published_maximum() -> None:
    # Flesch: the easiest possible score, 121.22, is text whose every sentence is one
    # one-syllable word: 206.835 - 1.015 * 1 - 84.6 * 1 = 121.22.
    assert flesch_reading_ease(words=1, sentences=1, syllables=1) == pytest.approx(121.22)
    # The same bound holds for measured text: 4 sentences, 4 words, 4 syllables.
    measured = measure(["Go. Stop. Wait. Sit."])
    assert (measured.sentences, measured.words, measured.syllables) == (4, 4, 4)
    assert measured.flesch_reading_ease == pytest.approx(121.22)


def test_flesch_kincaid_published_minimum() -> None:
    # Flesch-Kincaid's lowest possible grade: 0.39 * 1 + 11.8 * 1 - 15.59 = -3.40.
    assert flesch_kincaid_grade(words=1, sentences=1, syllables=1) == pytest.approx(-3.40)


def test_flesch_kincaid_published_platypus_example() -> None:
    # The Flesch-Kincaid article's example: this sentence has 13 words and 24 syllables
    # (Aus-tral-ian, plat-y-pus, seem-ing-ly, hy-brid, mam-mal, rep-til-ian, crea-ture),
    # grade 0.39 * 13 / 1 + 11.8 * 24 / 13 - 15.59 = 11.3.
    sentence = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    expected = 0.39 * 13 / 1 + 11.8 * 24 / 13 - 15.59
    assert round(expected, 1) == 11.3
    assert flesch_kincaid_grade(words=13, sentences=1, syllables=24) == pytest.approx(expected)
    measured = measure([sentence])
    assert (measured.words, measured.sentences, measured.syllables) == (13, 1, 24)
    assert round(measured.flesch_kincaid_grade, 1) == 11.3


def test_hand_counted_passage() -> None:
    passage = "Esketamine is a nose spray. It can make you feel sleepy. Talk to your doctor."
    # By hand:
    #   Es-ket-a-mine(4) is(1) a(1) nose(1) spray(1)          5 words,  8 syllables
    #   It(1) can(1) make(1) you(1) feel(1) slee-py(2)        6 words,  7 syllables
    #   Talk(1) to(1) your(1) doc-tor(2)                      4 words,  5 syllables
    # 3 sentences, 15 words, 20 syllables; 1 word of 3+ syllables (esketamine).
    sentences, n_words, n_syllables, polysyllables = 3, 15, 20, 1
    ease = 206.835 - 1.015 * (n_words / sentences) - 84.6 * (n_syllables / n_words)
    grade = 0.39 * (n_words / sentences) + 11.8 * (n_syllables / n_words) - 15.59
    smog = 1.0430 * math.sqrt(polysyllables * 30 / sentences) + 3.1291
    assert (round(ease, 2), round(grade, 2), round(smog, 2)) == (88.96, 2.09, 6.43)

    measured = measure([passage])
    assert measured.sentences == sentences
    assert measured.words == n_words
    assert measured.syllables == n_syllables
    assert measured.polysyllables == polysyllables
    assert measured.flesch_reading_ease == pytest.approx(ease)
    assert measured.flesch_kincaid_grade == pytest.approx(grade)
    assert measured.smog_grade == pytest.approx(smog)
    assert measured.words_per_sentence == pytest.approx(5.0)
    assert measured.longest_sentence_words == 6
    assert measured.polysyllable_share == pytest.approx(1 / 15)


def test_smog_published_conversion() -> None:
    # McLaughlin (1969): 30 polysyllables in the 30-sentence sample.
    # 1.0430 * sqrt(30) + 3.1291 = 8.84; his quick rule gives 3 + sqrt(25) = 8.
    assert smog_grade(polysyllables=30, sentences=30) == pytest.approx(8.84, abs=0.005)
    # His worked count of 95: "the nearest perfect square is 100 ... square root of 10",
    # plus 3 = grade 13. The exact formula agrees within its 1.5-grade standard error.
    assert smog_grade(polysyllables=95, sentences=30) == pytest.approx(13.30, abs=0.005)
    assert abs(smog_grade(polysyllables=95, sentences=30) - 13) < 1.5
    # No polysyllables: the constant, ~3 (quick rule: 3 + sqrt(0)).
    assert smog_grade(polysyllables=0, sentences=30) == pytest.approx(3.1291)


def test_smog_shorter_passages_adjustment() -> None:
    # "SMOG on shorter passages": 15 sentences with 10 polysyllables -> 10 / 15 per
    # sentence x 15 sentences short of 30 = 10 more -> 20, read as a 30-sentence count.
    assert smog_grade(polysyllables=10, sentences=15) == pytest.approx(
        smog_grade(polysyllables=20, sentences=30)
    )


def test_smog_measured_on_thirty_sentences() -> None:
    # 30 sentences, each with one word of 3 syllables (med-i-cine): 30 polysyllables.
    measured = measure(["Take the medicine. " * 30])
    assert (measured.sentences, measured.polysyllables) == (30, 30)
    assert round(measured.smog_grade, 2) == 8.84


def test_short_sentences_are_sentences() -> None:
    # textstat drops sentences of 2 words or fewer but keeps their words; this does not.
    measured = measure(["Take it. Stay calm. Call us."])
    assert measured.sentences == 3
    assert measured.words == 6
    assert measured.words_per_sentence == 2.0
    assert measure(["Yes."]).sentences == 1


def test_empty_text() -> None:
    measured = measure([])
    assert (measured.sentences, measured.words, measured.syllables) == (0, 0, 0)
    assert measured.flesch_kincaid_grade == measured.smog_grade == 0.0
    assert measured.longest_sentences == ()
    assert not measured.reliable
    assert measure(["", "   ", "..."]).sentences == 0


def test_measure_refuses_a_bare_string() -> None:
    with pytest.raises(TypeError, match="list of texts"):
        measure("Take it.")


def test_reliable_from_min_sentences() -> None:
    assert MIN_SENTENCES_FOR_GRADE == 10
    assert not measure(["Take it. " * (MIN_SENTENCES_FOR_GRADE - 1)]).reliable
    assert measure(["Take it. " * MIN_SENTENCES_FOR_GRADE]).reliable


def test_longest_sentences_and_lengths() -> None:
    measured = measure(["One two. One two three four. One. One two three four. Five six seven."])
    assert measured.sentence_lengths == (2, 4, 1, 4, 3)
    assert measured.longest_sentence_words == 4
    assert measured.longest_sentences == (
        "One two three four.",
        "One two three four.",
        "Five six seven.",
    )


def test_list_items_are_sentences_without_full_stops() -> None:
    items = ["Dizziness", "Feeling sick", "Feeling sleepy or disconnected"]
    measured = measure(items)
    assert measured.sentences == 3
    assert measured.sentence_lengths == (1, 2, 4)


# ---------------------------------------------------------------------------------------
# Syllables


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("depression", 3),
        ("esketamine", 4),  # not in CMU: spelling rules (es-ket-a-mine)
        ("ketamine", 3),
        ("the", 1),
        ("medicine", 3),
        ("every", 2),  # CMU lists EH1 V ER0 IY0 (3) first and EH1 V R IY0 (2): fewer wins
        ("antidepressants", 5),
        ("placebo", 3),
        ("Depression", 3),
        ("don't", 1),
        ("night's", 1),
        ("nurse's", 2),
        ("naïve", 2),
        ("treatment-resistant", 5),  # hyphenated: 2 + 3
        ("off-label", 3),
        ("NHS", 3),  # not in CMU: spelled out
        ("FDA", 3),
        ("US", 2),  # the country, not "us"
        ("mg", 3),  # milligrams
        ("e.g.", 2),
    ],
)
def test_syllables_known_words(word: str, expected: int) -> None:
    assert syllables(word) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("7", 2),  # sev-en
        ("11", 3),  # e-lev-en
        ("69", 3),  # six-ty-nine
        ("100", 3),  # one hun-dred
        ("1,000", 3),  # one thou-sand
        ("0.5", 4),  # ze-ro point five
        ("2019", 4),  # twen-ty nine-teen (a year)
        ("2000", 3),  # two thou-sand
        ("18th", 2),  # as the cardinal, eigh-teen
        ("7%", 4),  # sev-en per cent
        ("2-hour", 2),
    ],
)
def test_syllables_numbers_are_pronounced(number: str, expected: int) -> None:
    assert syllables(number) == expected


def test_flesch_counts_figures_and_abbreviations_as_one_syllable() -> None:
    # Flesch (1979): "Count abbreviations, figures, symbols and their combinations as
    # one-syllable words."
    for token in ("69", "100", "0.5", "1,000", "7%", "£15", "FDA", "NHS", "mg", "e.g."):
        assert flesch_syllables(token) == 1, token
    assert flesch_syllables("2-hour") == 2
    assert flesch_syllables("medicine") == syllables("medicine") == 3


def test_syllables_fallback_for_unknown_words() -> None:
    table = readability._cmu()
    assert "blorptastic" not in table
    assert "zoggle" not in table
    assert syllables("blorptastic") == 3  # blorp-tas-tic
    assert syllables("zoggle") == 2  # zog-gle
    assert syllables("zoggles") == 2
    assert syllables("Spravato") == 3
    assert syllables("") == 0
    assert syllables("—") == 0


def test_offline_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    clear_caches()
    measured = measure(["Every dose is given in a clinic. Staff watch you for 2 hours."])
    assert measured.sentences == 2
    assert syllables("every") == 2  # from the dictionary (the spelling rules say 3)
    assert readability._rule_syllables("every") == 3
    assert len(readability._cmu()) > 100_000
    assert len(load_jargon()) >= 40
    assert "nltk" not in sys.modules


# ---------------------------------------------------------------------------------------
# Words and sentences


def test_words() -> None:
    text = "Don't take 0.5 mg (1,000 units) of full-length e.g. 7% — TRANSFORM-2 in 3–12 days."
    assert words(text) == [
        "Don't",
        "take",
        "0.5",
        "mg",
        "1,000",
        "units",
        "of",
        "full-length",
        "e.g.",
        "7%",
        "TRANSFORM-2",
        "in",
        "3",
        "12",
        "days",
    ]
    assert words("…, ; — ?") == []
    assert words("patient’s") == ["patient’s"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Take it. Stay calm. Call us.", ["Take it.", "Stay calm.", "Call us."]),
        (
            "The drip takes 1.5 hours. Then you rest.",
            ["The drip takes 1.5 hours.", "Then you rest."],
        ),
        ("Use 0.5 mg per kg. Then wait.", ["Use 0.5 mg per kg.", "Then wait."]),
        (
            "Some foods, e.g. cheese, matter. Ask us.",
            ["Some foods, e.g. cheese, matter.", "Ask us."],
        ),
        ("Take one, i.e. the small one. Ask us.", ["Take one, i.e. the small one.", "Ask us."]),
        ("Dr. Smith will see you. She is kind.", ["Dr. Smith will see you.", "She is kind."]),
        ("Esketamine vs. placebo was tested.", ["Esketamine vs. placebo was tested."]),
        ("Esketamine vs. Placebo was tested.", ["Esketamine vs. Placebo was tested."]),
        ("Written by J. R. Smith. Read it.", ["Written by J. R. Smith.", "Read it."]),
        ("Could it help me? Ask your doctor!", ["Could it help me?", "Ask your doctor!"]),
        ('She said "stop." Then she left.', ['She said "stop."', "Then she left."]),
        ("It helps (a lot.) Then it fades.", ["It helps (a lot.)", "Then it fades."]),
        ("Wait... Then go.", ["Wait...", "Then go."]),
        ("Pain, swelling, etc. and more. Next.", ["Pain, swelling, etc. and more.", "Next."]),
        ("A heading\n\nA paragraph.", ["A heading", "A paragraph."]),
        ("One line\nwrapped here.", ["One line wrapped here."]),
        (
            "Tell us if:\n- you feel sick\n- you feel dizzy",
            ["Tell us if:", "you feel sick", "you feel dizzy"],
        ),
        ("1. First step\n2. Second step", ["First step", "Second step"]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@given(st.text(alphabet="abcXY 19.,?!'’-%()\"é\n", max_size=80))
def test_splitting_keeps_every_word(text: str) -> None:
    # Every word lands in exactly one sentence, in order; only list numbers ("1. ", "2) " at
    # the start of a line) are dropped, as markers rather than words.
    without_markers = re.sub(r"(?m)^[ \t]*\d{1,2}[.)](?=[ \t\n]|$)", " ", text)
    pieces = split_sentences(text)
    assert [w for piece in pieces for w in words(piece)] == words(without_markers)
    assert all(syllables(w) >= 1 and flesch_syllables(w) >= 1 for w in words(text))


# ---------------------------------------------------------------------------------------
# Jargon


def test_packaged_jargon_list() -> None:
    terms = {jargon.term: jargon.plain for jargon in load_jargon()}
    assert len(terms) >= 40
    expected = {
        "administer": "give",
        "adverse": "harmful",
        "efficacy": "how well it works",
        "contraindicated": "must not have",
        "hypertension": "high blood pressure",
        "dissociation": "feeling detached or unreal",
        "sedation": "sleepiness",
        "intranasal": "in the nose",
        "monotherapy": "on its own",
        "placebo": "dummy treatment",
        "remission": "no longer having symptoms",
        "relapse": "the illness coming back",
    }
    for term, plain in expected.items():
        assert terms[term] == plain
    for term in ("anaesthetic", "cardiovascular", "aneurysm", "haemorrhage", "psychosis"):
        assert term in terms
    for term in ("titrate", "adjunctive", "off-label"):
        assert term in terms
    assert load_jargon() is load_jargon()  # cached


def test_find_jargon_inflections_and_case() -> None:
    terms = load_jargon()
    text = "Relapsed? Doses are Titrated slowly. Placebos were used; an ANESTHETIC too."
    hits = find_jargon(text, terms)
    assert [(hit.term, hit.matched) for hit in hits] == [
        ("relapse", "Relapsed"),
        ("titrate", "Titrated"),
        ("placebo", "Placebos"),  # regular plural, not listed
        ("anaesthetic", "ANESTHETIC"),  # US spelling listed as a form
    ]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.matched
    assert hits[0].plain == "the illness coming back"


def test_find_jargon_phrases_and_hyphens() -> None:
    terms = load_jargon()
    hits = find_jargon("It is used off\nlabel, or off‑label. Adverse events are rare.", terms)
    assert [(hit.term, hit.matched) for hit in hits] == [
        ("off-label", "off\nlabel"),
        ("off-label", "off‑label"),
        ("adverse event", "Adverse events"),  # the longer phrase wins over "adverse"
    ]


def test_find_jargon_no_false_positives_inside_words() -> None:
    terms = load_jargon()
    text = "A moral, floral adrenaline rush; a coral reef; the acuteness of placeboish chronicle."
    assert find_jargon(text, terms) == []
    assert find_jargon("Take it orally.", terms)[0].term == "oral"


def test_find_jargon_custom_terms() -> None:
    terms = (JargonTerm("infusion", "drip"), JargonTerm("fizz", "bubbles", ("fizzing",)))
    assert [hit.matched for hit in find_jargon("Infusions fizz, fizzes, fizzing.", terms)] == [
        "Infusions",
        "fizz",
        "fizzes",
        "fizzing",
    ]
    assert find_jargon("anything", ()) == []


def test_load_jargon_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "jargon.yaml"
    path.write_text("terms:\n  - {term: emesis, plain: being sick, forms: [emeses]}\n", "utf-8")
    assert load_jargon(path) == (JargonTerm("emesis", "being sick", ("emeses",)),)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- term: x\n", "one key, 'terms'"),
        ("terms: {}\n", "must be a list"),
        ("terms:\n  - {term: x, plain: y, note: z}\n", "expected keys"),
        ("terms:\n  - {plain: y}\n", "'term' must be"),
        ("terms:\n  - {term: x}\n", "'plain' must be"),
        ("terms:\n  - {term: x, plain: y, forms: z}\n", "'forms' must be"),
        ("terms:\n  - {term: x, plain: y}\n  - {term: z, plain: w, forms: [X]}\n", "already"),
    ],
)
def test_load_jargon_rejects_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, "utf-8")
    with pytest.raises(ValueError, match=message):
        load_jargon(path)


# ---------------------------------------------------------------------------------------
# The sample leaflet: its three levels are measurably different.


def _pick(per_level: dict[str, Any], level: str) -> Any:
    return per_level[level] if level in per_level else per_level.get("all")


def _level_texts(level: str) -> list[str]:
    """The running text of the sample leaflet at `level`: summary, then every block's
    paragraphs or list items (headings and titles are not running text)."""
    leaflet = yaml.safe_load(SAMPLE.read_text("utf-8"))
    shared = {
        block["id"]: block
        for path in sorted((REPO / "content" / "blocks").glob("*.yaml"))
        for block in yaml.safe_load(path.read_text("utf-8"))["blocks"]
    }
    texts = [_pick(leaflet["summary"], level)]
    for section in leaflet["sections"]:
        for entry in section["blocks"]:
            block = shared[entry["use"]] if "use" in entry else entry
            if block.get("levels") is not None and level not in block["levels"]:
                continue
            if "items" in block:
                texts.extend(_pick(block["items"], level) or [])
            elif "text" in block and (text := _pick(block["text"], level)) is not None:
                texts.append(text)
    return texts


def test_sample_levels_are_ordered() -> None:
    figures = {level: measure(_level_texts(level)) for level in LEVELS}
    easy, plain, detailed = (figures[level] for level in LEVELS)
    assert all(measured.reliable for measured in figures.values())
    assert easy.flesch_kincaid_grade < plain.flesch_kincaid_grade < detailed.flesch_kincaid_grade
    assert easy.words_per_sentence < plain.words_per_sentence < detailed.words_per_sentence
    assert easy.smog_grade < plain.smog_grade < detailed.smog_grade
