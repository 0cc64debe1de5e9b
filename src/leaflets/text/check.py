"""`Catalog` in, located `Problem`s out: the one check pipeline (`check_leaflet`).

It reads the reader's text (reader_text.py), normalised (normalise.py), and runs the
schema and cross-reference problems, review states, the wording rules, the number rules
and readability. Wording rules: overclaims and hype, probabilities in words only, '1 in X'
and relative-only forms (IPDAS, standards RK9), 'proven' with no source; they are data
(`data/wording.yaml`, extended by a project's `content/wording.yaml`). Number rules
(numbers.py): certainty stated, sources given, one denominator, counts that match the
frequencies blocks, one value per quantity; phone numbers, dates, ages, doses and
durations are never statistics. Findings are warnings; `--strict` and release builds
treat them as errors.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..content.load import CONTENT_DIR, Catalog, LoadedClinic, LoadedLeaflet
from ..errors import ContentError, Location, Problem, Severity
from .inline import unsafe_links
from .normalise import INVISIBLE_HINT, invisible
from .numbers import Duration, Frequency, durations, frequencies, mask, statistics_left
from .readability import split_sentences

if TYPE_CHECKING:
    from .reader_text import Segment

PROJECT_RULES = "wording.yaml"
_ANIMAL_WORDS = re.compile(r"\b(mice|mouse|animals?|rats?|rodents?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    message: str
    suggest: str
    unless: re.Pattern[str] | None = None
    """The rule does not fire when the match's clause, sentence or paragraph (with phone
    numbers, dates, ages, doses and durations blanked) also matches this."""
    unless_within: str = "sentence"
    unless_sourced: bool = False


def load_rules(root: Path | None = None, language: str = "en") -> list[Rule]:
    """The built-in rules, plus the project's own `content/wording.yaml` if it has one.

    Another language has its own files: `data/wording.LANG.yaml` built in and the
    project's `content/wording.LANG.yaml` (LANG: the primary subtag, e.g. es; issue 17)."""
    primary = language.split("-")[0].lower()
    name = "wording.yaml" if primary == "en" else f"wording.{primary}.yaml"
    built_in = resources.files("leaflets").joinpath(f"data/{name}")
    rules = []
    if built_in.is_file():
        text = built_in.read_text(encoding="utf-8")
        rules = _parse_rules(yaml.safe_load(text), Path(f"leaflets/data/{name}"))
    project_name = PROJECT_RULES if primary == "en" else name
    project_file = root / CONTENT_DIR / project_name if root else None
    if project_file is not None and project_file.is_file():
        from ..content.source import read_yaml

        document = read_yaml(project_file, Path(CONTENT_DIR) / project_name)
        if document.problems:
            raise ContentError(document.problems)
        rules += _parse_rules(document.data, document.path)
    return rules


#: A group that repeats something repeated, such as `(a+)+`: the shape that makes a
#: backtracking matcher take exponential time. Such project rules are refused.
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*?[+*}](?:[^()\\]|\\.)*\)[+*{]")


_WITHIN = ("clause", "sentence", "paragraph")


def _compile(pattern: str) -> re.Pattern[str]:
    if len(pattern) > 300 or _NESTED_REPEAT.search(pattern):
        raise re.error("a repeated group that repeats again can make matching take for ever")
    return re.compile(pattern, re.IGNORECASE)


def _parse_rules(data: object, path: Path) -> list[Rule]:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ContentError(Problem(Location(path), "expected 'rules:' with a list of rules"))
    rules = []
    for index, raw in enumerate(data["rules"]):
        try:
            within = next((w for w in _WITHIN if raw.get(f"unless_{w}")), "sentence")
            unless = raw.get(f"unless_{within}")
            rules.append(
                Rule(
                    id=str(raw["id"]),
                    pattern=_compile(raw["pattern"]),
                    message=str(raw["message"]),
                    suggest=str(raw.get("suggest", "")),
                    unless=_compile(unless) if unless else None,
                    unless_within=within,
                    unless_sourced=bool(raw.get("unless_sourced", False)),
                )
            )
        except (KeyError, TypeError, AttributeError, re.error) as exc:
            raise ContentError(
                Problem(
                    Location(path),
                    f"rule {index + 1} is not valid: {exc}",
                    "each rule needs id, pattern (a regular expression) and message",
                )
            ) from None
    return rules


def check_catalog(
    catalog: Catalog, rules: list[Rule] | None = None, today: dt.date | None = None
) -> list[Problem]:
    """Every problem of the project: the catalog's own, then each leaflet's checks; a
    problem of a shared block is reported once."""
    rules = load_rules(catalog.root) if rules is None else rules
    problems: dict[tuple[str, str, str], Problem] = {}
    from ..review.approved import sidecar_problems  # the kept approved wording (issue 14)

    for problem in catalog.all_problems() + sidecar_problems(catalog):
        problems.setdefault((str(problem.location), problem.message, problem.hint), problem)
    for loaded in catalog.leaflets:
        for problem in check_leaflet(
            catalog, loaded, rules=rules, today=today, include_catalog=False
        ):
            problems.setdefault((str(problem.location), problem.message, problem.hint), problem)
    return list(problems.values())


def check_leaflet(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    levels: Iterable[str] | None = None,
    *,
    rules: list[Rule] | None = None,
    today: dt.date | None = None,
    include_catalog: bool = True,
    clinics: Iterable[LoadedClinic] | None = None,
) -> list[Problem]:
    """THE check pipeline: schema and cross-reference problems of the leaflet's file,
    review states, wording rules, number rules and readability, all on the reader's text
    (reader_text.py) at `levels` (default: every level the leaflet is built in).

    `leaflets check`, `build --release` and the preview panel call this and nothing else.
    Wording, number, readability and review findings are warnings (`as_errors` for
    `--strict` and releases); invisible characters in content are errors. The words of
    each clinic that prints the leaflet (`clinics`; default: the project's) are checked
    too (`check_clinic`).
    """
    from ..review.state import leaflet_reviews, release_problems
    from .grading import grade_segments
    from .reader_text import reader_text

    translated = loaded.translation
    if translated is not None:  # a translation (translate.localise): its language's rules
        rules = load_rules(catalog.root, loaded.language)
        levels = (translated.level,)
    rules = load_rules(catalog.root) if rules is None else rules
    levels = tuple(levels) if levels is not None else loaded.levels
    today = today or dt.date.today()
    problems: list[Problem] = []
    if include_catalog:
        problems += [p for p in catalog.problems if p.location.path == loaded.path]
    states = [s for s in leaflet_reviews(loaded, today, catalog) if s.level in levels]
    problems += [
        replace(p, message=f"{p.message} [review]", severity=Severity.WARNING)
        for p in release_problems(states)
    ]
    if translated is not None:
        from .translate import number_problems, translation_problems

        problems += translation_problems(list(translated.states))
        problems += number_problems(
            translated.source_catalog, translated.source, translated.translation, levels
        )
    findings = _Findings()
    for level in levels:
        segments = reader_text(loaded, level, catalog)
        _invisible(segments, findings)
        _wording(segments, rules, findings)
        if translated is None:
            # A translation's numbers are bound to its source's, segment by segment
            # (translate.number_problems, below); the source passed these rules.
            _numbers(segments, loaded, catalog, findings)
        problems += grade_segments(loaded, level, catalog, segments).problems
    from .easyread import easy_read_problems

    problems += easy_read_problems(loaded, catalog, levels)
    if clinics is None:
        from ..content.catalog import prints

        clinics = [c for c in catalog.clinics if prints(c.clinic.id, loaded, catalog.clinics, None)]
    for clinic in clinics:
        problems += check_clinic(catalog, loaded, clinic, levels, rules=rules, today=today)
    return problems + findings.problems()


#: A clock time ("9am", "17:30") or a code mixing letters and digits ("TS1", "4B") in a
#: clinic's contact details is not a statistic; in an address, nor is a house number
#: ("1 River Street", "Unit 4").
_CONTACT_NUMBER = (
    r"\b(?=[A-Za-z]*\d)(?=\d*[A-Za-z])[A-Za-z\d]{2,4}\b"
    r"|\b\d{1,2}(?:[:.]\d{2})?\s*(?i:am|pm)\b"
    r"|\b\d{1,2}[:.]\d{2}(?!\d)"
)
_HOUSE_NUMBER = (
    r"\b(?i:unit|flat|suite|floor|building|no\.?)\s+\d+[a-zA-Z]?\b"
    r"|\b\d+[a-zA-Z]?(?=,?\s+[A-Z])"
)
_CONTACT_MASKS = {
    "clinic-address": re.compile(f"{_HOUSE_NUMBER}|{_CONTACT_NUMBER}"),
    "clinic-hours": re.compile(_CONTACT_NUMBER),
    "clinic-name": re.compile(_CONTACT_NUMBER),
    "clinic-route-when": re.compile(_CONTACT_NUMBER),
}


def _contact_masked(segment: Segment) -> Segment:
    """A contact detail with its house numbers, postcodes and times blanked; one that
    states a frequency or a percentage is left whole (it is checked as a statistic)."""
    pattern = _CONTACT_MASKS.get(segment.role)
    if pattern is None or frequencies(segment.text) or "%" in segment.text:
        return segment
    return replace(segment, raw=pattern.sub(lambda m: " " * len(m.group(0)), segment.raw))


def check_clinic(
    catalog: Catalog,
    loaded: LoadedLeaflet,
    clinic: LoadedClinic,
    levels: Iterable[str],
    *,
    rules: list[Rule],
    today: dt.date,
) -> list[Problem]:
    """The clinic's words on its copies of `loaded` (clinic_review.py): the review state of
    its `clinic:ID` unit, invisible characters and look-alikes, the wording rules and the
    number rules (a statistic or a claim from a clinic has no source: it is flagged)."""
    from ..review.state import release_problems
    from .clinic_review import (
        NAME_AND_PHONE,
        clinic_segments,
        clinic_states,
        template_problems,
    )

    levels = tuple(levels)
    states = clinic_states(catalog, clinic, loaded.leaflet.id, levels, today)
    problems = [
        replace(p, message=f"{p.message} [review]", severity=Severity.WARNING)
        for p in release_problems(states)
    ]
    findings = _Findings()
    for level in levels:
        segments = [
            s for s in clinic_segments(clinic, loaded.leaflet.id, level) if s.role != NAME_AND_PHONE
        ]
        _invisible(segments, findings)
        _wording(segments, rules, findings)
        numbered = [
            _contact_masked(s) for s in segments if s.role not in ("clinic-web", "clinic-url")
        ]
        _numbers(numbered, loaded, catalog, findings)
        problems += template_problems(catalog, loaded, clinic, level, today)
    return problems + findings.problems()


class _Findings:
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


def _invisible(segments: list[Segment], findings: _Findings) -> None:
    for segment in segments:
        for _offset, name in invisible(segment.raw):
            findings.add(
                segment,
                f"invisible character {name} in the text [invisible-character]",
                INVISIBLE_HINT,
                Severity.ERROR,
            )


_CLAUSE = re.compile(r"[.;!?]\s+|,\s*(?=(?:so|but|and|yet|because|then|or)\b)|\s+but\s+")


def _scope(text: str, start: int, end: int, within: str) -> str:
    """The clause, sentence or paragraph of `text` around `start`..`end`."""
    if within == "paragraph":
        return text
    if within == "sentence":
        return next(
            (s for s in split_sentences(text) if s in text and text.find(s) <= start),
            text,
        )
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(text)), len(text) + 1]
    for low, high in itertools.pairwise(cuts):
        if low <= start < high:
            return text[low:high]
    return text


class _SentenceHits:
    """The wording rules' findings per (sentence, paragraph, sourced), kept while the rules
    are the same: a library repeats its sentences (levels, shared blocks, copies; issue 18).
    The findings are a pure function of the key and the rules, so the cache is dropped
    whenever `_wording` is called with rules that differ in any way (tuple equality)."""

    LIMIT = 1 << 16

    def __init__(self) -> None:
        self.rules: tuple[Rule, ...] = ()
        self.found: dict[tuple[str, str, bool], tuple[tuple[str, str], ...]] = {}

    def get(
        self, rules: tuple[Rule, ...], sentence: str, text: str, sourced: bool
    ) -> tuple[tuple[str, str], ...]:
        if rules != self.rules:
            self.rules, self.found = rules, {}
        key = (sentence, text, sourced)
        hits = self.found.get(key)
        if hits is None:
            if len(self.found) >= self.LIMIT:
                self.found.clear()
            hits = self.found[key] = _rule_hits(rules, sentence, text, sourced)
        return hits


_HITS = _SentenceHits()


def _rule_hits(
    rules: tuple[Rule, ...], sentence: str, text: str, sourced: bool
) -> tuple[tuple[str, str], ...]:
    """(message, hint) of each rule that fires on `sentence` of the paragraph `text`."""
    hits = []
    masked_sentence = mask(sentence)
    for rule in rules:
        if rule.unless_sourced and sourced:
            continue
        for match in rule.pattern.finditer(sentence):
            if rule.unless is not None:
                where = text if rule.unless_within == "paragraph" else sentence
                if rule.unless_within == "clause":
                    where = _scope(masked_sentence, match.start(), match.end(), "clause")
                elif rule.unless_within == "sentence":
                    where = masked_sentence
                else:
                    where = mask(where)
                if rule.unless.search(where):
                    continue
            hits.append(
                (
                    f'{rule.message}: "{match.group(0)}" [{rule.id}]',
                    f"suggested wording: {rule.suggest}" if rule.suggest else "",
                )
            )
            break
    return tuple(hits)


def _wording(segments: list[Segment], rules: list[Rule], findings: _Findings) -> None:
    ruleset = tuple(rules)
    for segment in segments:
        if segment.role in _NOT_WORDS:
            continue  # names, dates and the titles of the sources cited
        sourced = bool(segment.block.block.sources) if segment.block else False
        text = segment.text
        for sentence in segment.sentences:
            for body, hint in _HITS.get(ruleset, sentence, text, sourced):
                findings.add(segment, body, hint)
        for url in unsafe_links(segment.raw):
            findings.add(
                segment,
                f"link to {url[:80]!r} is not allowed, so it is printed as text [unsafe-link]",
                "links may go to https://, mailto: or tel: addresses only",
            )


#: Sentences the templates make from a frequencies block's numbers: checked by load.py.
_GENERATED = frozenset(
    {"frequency-lead", "frequency", "icon-alt", "icon-caption", "icon-key", "grid-option"}
)
_NOT_WORDS = frozenset({"reference", "version", "date", "level-label", "publisher"})


def _numbers(
    segments: list[Segment], loaded: LoadedLeaflet, catalog: Catalog, findings: _Findings
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
        if segment.role in _GENERATED or segment.role in _NOT_WORDS:
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
    _same_quantity(segments, findings)


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
    segment: Segment, found: Frequency, denominators: set[int], findings: _Findings
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
    findings: _Findings,
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
    clause = _scope(text, duration.start, duration.start + len(duration.phrase), "clause")
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


def _same_quantity(segments: list[Segment], findings: _Findings) -> None:
    """The same duration said two ways in one leaflet at one level (e.g. "within about an
    hour and a half" on one page, "within 2 hours" on another, for the same event): two
    durations introduced by "within", "by", "for" or "lasts" whose clauses share at least
    two content words, introduced by the same word, with different values of the same
    order (no more than 4 times apart)."""
    seen: list[tuple[Segment, Duration, str, frozenset[str]]] = []
    for segment in segments:
        if segment.role in _GENERATED or segment.role in _NOT_WORDS:
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


def as_errors(problems: list[Problem]) -> list[Problem]:
    """`--strict`: every warning fails the run."""
    return [replace(p, severity=Severity.ERROR) for p in problems]
