"""The number rules of the reader's text, and the findings collector the checks share.

Frequencies stated in words must match the leaflet's own numbers (the frequencies blocks),
a difference must match the numbers beside it, a quantity is said one way everywhere, and
animal studies are named as such. Called by check.check_leaflet (check.py) on the reader's
text (reader_text.py); phone numbers, dates, ages, doses and durations are never statistics
(numbers.py).
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from ..content.load import Catalog, LoadedLeaflet
from ..errors import Location, Problem, Severity
from .numbers import Duration, Frequency, durations, frequencies, statistics_left

if TYPE_CHECKING:
    from .reader_text import Segment

_ANIMAL_WORDS = re.compile(r"\b(mice|mouse|animals?|rats?|rodents?)\b", re.IGNORECASE)


_CLAUSE = re.compile(r"[.;!?]\s+|,\s*(?=(?:so|but|and|yet|because|then|or)\b)|\s+but\s+")


def clause_at(text: str, at: int) -> str:
    """The clause of `text` that holds the character at offset `at`: the words between the
    clause breaks around it (a sentence end, a semicolon, ", but", ", so", ...).

    The one scope that needs cutting: a wording rule's `unless_sentence` reads the sentence
    it matched in and `unless_paragraph` the whole text (check.py has both), so there is no
    sentence or paragraph branch here (issue 13: the old `scope(..., "sentence")` returned
    the paragraph's first sentence, and nothing called it)."""
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text) + 1]
    for low, high in itertools.pairwise(cuts):
        if low <= at < high:
            return text[low:high]
    return text


class Findings:
    """Findings per place and message, with the levels they were found at merged."""

    def __init__(self) -> None:
        self.found: dict[tuple[str, str, str], tuple[Location, list[str], str, Severity]] = {}

    def add(
        self,
        segment: Segment,
        body: str,
        hint: str = "",
        severity: Severity = Severity.WARNING,
        owner: str | None = None,
    ) -> None:
        key = (str(segment.location), owner or segment.owner, body)
        entry = self.found.setdefault(key, (segment.location, [], hint, severity))
        if segment.level not in entry[1]:
            entry[1].append(segment.level)

    def problems(self) -> list[Problem]:
        return [
            Problem(where, f"{owner} ({', '.join(levels)}): {body}", hint, severity)
            for (_, owner, body), (where, levels, hint, severity) in self.found.items()
        ]


#: Sentences the templates make from a frequencies block's numbers: checked by load.py.
_GENERATED = frozenset(
    {"frequency-lead", "frequency", "icon-alt", "icon-caption", "icon-key", "grid-option"}
)
NOT_WORDS = frozenset({"reference", "version", "date", "level-label", "publisher"})


def numbers(
    segments: list[Segment], loaded: LoadedLeaflet, catalog: Catalog, findings: Findings
) -> None:
    """Numbers as numbers: certainty stated, sources given, one denominator, counts that
    match the leaflet's frequencies, and one value per quantity."""
    known = _known_counts(loaded)
    denominators: set[int] = {
        p.block.frequencies.out_of
        for section in loaded.sections
        for p in section
        if p.block.frequencies is not None
    } or {100}
    kinds = {s.id: s.kind for s in loaded.leaflet.sections}
    certainty_flagged: set[str] = set()
    by_block: dict[str, list[Segment]] = {}
    for segment in segments:
        if segment.block is not None:
            by_block.setdefault(segment.block.block.id, []).append(segment)
    for segment in segments:
        if segment.role in _GENERATED or segment.role in NOT_WORDS:
            continue
        block = segment.block.block if segment.block else None
        sourced = bool(block and block.sources)
        text = segment.text
        if not statistics_left(text):
            continue
        if (
            block is not None
            and block.certainty is None
            and kinds.get(segment.section or "") in ("benefits", "risks")
            and block.id not in certainty_flagged
        ):
            certainty_flagged.add(block.id)
            findings.add(
                segment,
                "gives numbers on a benefit or risk without saying how sure the evidence "
                "is [no-certainty]",
                "add 'certainty: {rating: high|moderate|low|very_low, reason: ...}' (RK12)",
            )
        stated = frequencies(text)
        for found in stated:
            _denominator(segment, found, denominators, findings)
            if found.relation:
                _difference(segment, found, by_block, known, sourced, findings)
            elif not sourced and not _matches(found, known):
                findings.add(
                    segment,
                    f'"{found.phrase}" matches no frequencies block of the leaflet and the '
                    "text cites no source [number-not-found]",
                    "use the numbers of a frequencies block (a count, the rest, or a "
                    "difference), or put the text in a block that cites its source",
                )
        rest = text
        for found in stated:
            rest = rest.replace(found.phrase, "")
        if not sourced and statistics_left(rest):
            findings.add(
                segment,
                "numbers with no source [unsourced-number]",
                "add the source the numbers come from to 'sources:'"
                if block
                else "give only numbers that a sourced block of the leaflet states",
            )
        animal = [s for s in (block.sources if block else []) if _animal(catalog, loaded, s)]
        if animal and not _ANIMAL_WORDS.search(text):
            findings.add(
                segment,
                f"cites an animal study ({', '.join(animal)}) but does not say so [animal-study]",
                "say 'in mice' (or 'in animals') wherever the claim comes from animal research",
            )
    same_quantity(segments, findings)


def _animal(catalog: Catalog, loaded: LoadedLeaflet, source_id: str) -> bool:
    known = loaded.sources or catalog.sources  # the leaflet's own sources win (issue 15)
    return source_id in known and known[source_id].animal_study


def _known_counts(loaded: LoadedLeaflet) -> dict[int, set[int]]:
    """Per denominator: every group count, its complement and every difference."""
    known: dict[int, set[int]] = {}
    for section in loaded.sections:
        for placed in section:
            f = placed.block.frequencies
            if f is None:
                continue
            counts = [g.count for g in f.groups]
            values = known.setdefault(f.out_of, set())
            values.update(counts)
            values.update(f.out_of - c for c in counts)
            values.update(abs(a - b) for a in counts for b in counts if a != b)
    return known


def _matches(found: Frequency, known: dict[int, set[int]]) -> bool:
    values = known.get(found.out_of, set())
    return found.count in values and (found.high is None or found.high in values)


def _denominator(
    segment: Segment, found: Frequency, denominators: set[int], findings: Findings
) -> None:
    if found.out_of in denominators:
        return
    rare = found.out_of == 1000 and (found.high or found.count) * 100 < found.out_of
    if rare:  # fewer than 1 out of 100 can only be said out of 1,000 (RK3)
        return
    wanted = " or ".join(f"{d:,}" for d in sorted(denominators))
    findings.add(
        segment,
        f'"{found.phrase}" uses another denominator than the leaflet\'s ({wanted}) [denominator]',
        f"say it out of {wanted}, as every other number of the leaflet is (RK5)",
    )


def _difference(
    segment: Segment,
    found: Frequency,
    by_block: dict[str, list[Segment]],
    known: dict[int, set[int]],
    sourced: bool,
    findings: Findings,
) -> None:
    """ "N more out of D" must be the difference of the numbers it stands beside."""
    beside: list[int] = []
    block = segment.block.block if segment.block else None
    if block is not None:
        if block.frequencies is not None and block.frequencies.out_of == found.out_of:
            beside += [g.count for g in block.frequencies.groups]
        for other in by_block.get(block.id, []):
            if other.level == segment.level and other.role not in _GENERATED:
                beside += [
                    f.count
                    for f in frequencies(other.text)
                    if not f.relation and f.out_of == found.out_of and f.high is None
                ]
    differences = {abs(a - b) for a in beside for b in beside if a != b}
    if differences:
        if found.count in differences:
            return
        shown = ", ".join(str(n) for n in sorted(set(beside)))
        findings.add(
            segment,
            f'"{found.phrase}" does not match the numbers beside it ({shown}) [number-mismatch]',
            "the difference of two counts is their subtraction: check the fact brief",
        )
    elif not sourced and found.count not in known.get(found.out_of, set()):
        findings.add(
            segment,
            f'"{found.phrase}" matches no difference of the leaflet\'s frequencies '
            "[number-not-found]",
            "state the two counts it is the difference of",
        )


_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "and",
        "or",
        "but",
        "so",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "you",
        "your",
        "they",
        "their",
        "them",
        "we",
        "our",
        "us",
        "about",
        "most",
        "some",
        "many",
        "more",
        "less",
        "than",
        "within",
        "after",
        "before",
        "by",
        "up",
        "until",
        "least",
        "at",
        "one",
        "two",
        "each",
        "every",
        "can",
        "may",
        "will",
        "would",
        "not",
        "no",
        "yes",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "there",
        "here",
        "what",
        "which",
        "who",
        "when",
        "how",
        "also",
        "just",
        "only",
    ]
)
_IRREGULAR = {"went": "go", "gone": "go", "goes": "go", "going": "go", "left": "leave"}


def _stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _anchor(text: str, duration: Duration) -> frozenset[str]:
    """Content words of the clause a duration sits in (without the duration itself)."""
    clause = clause_at(text, duration.start)
    clause = clause.replace(duration.phrase, " ")
    return frozenset(
        _stem(w) for w in re.findall(r"[a-z]+", clause.lower()) if w not in _STOP and len(w) > 1
    )


#: Words that introduce how long something takes or lasts (not a time point such as
#: "after 4 weeks", which differs between trials).
_LEADS = frozenset({"within", "by", "for", "lasts", "last", "takes", "take"})
_HEDGES = frozenset({"about", "around", "roughly", "approximately", "up", "to", "only"})


def _lead(text: str, duration: Duration) -> str | None:
    before = [w for w in re.findall(r"[a-z]+", text[: duration.start].lower())][-4:]
    while before and before[-1] in _HEDGES:
        before.pop()
    return before[-1] if before and before[-1] in _LEADS else None


def same_quantity(segments: list[Segment], findings: Findings) -> None:
    """The same duration said two ways in one leaflet at one level (e.g. "within about an
    hour and a half" on one page, "within 2 hours" on another, for the same event): two
    durations introduced by "within", "by", "for" or "lasts" whose clauses share at least
    two content words, introduced by the same word, with different values of the same
    order (no more than 4 times apart)."""
    seen: list[tuple[Segment, Duration, str, frozenset[str]]] = []
    for segment in segments:
        if segment.role in _GENERATED or segment.role in NOT_WORDS:
            continue
        for duration in durations(segment.text):
            lead = _lead(segment.text, duration)
            if lead is None:
                continue
            anchor = _anchor(segment.text, duration)
            for other, other_duration, other_lead, other_anchor in seen:
                shared = anchor & other_anchor
                low, high = sorted((duration.minutes, other_duration.minutes))
                if low == high or high > 4 * low or lead != other_lead or len(shared) < 2:
                    continue
                findings.add(
                    segment,
                    f'says "{duration.phrase}" where {other.owner} says '
                    f'"{other_duration.phrase}" for the same thing '
                    f"({', '.join(sorted(shared))}) [inconsistent-quantity]",
                    "state one quantity one way everywhere in the leaflet",
                )
            seen.append((segment, duration, lead, anchor))
