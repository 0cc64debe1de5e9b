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
from .language_marks import language_mark_problems
from .normalise import INVISIBLE_HINT, invisible
from .number_rules import NOT_WORDS as _NOT_WORDS
from .number_rules import Findings as _Findings
from .number_rules import clause_at
from .number_rules import numbers as _numbers
from .numbers import frequencies, mask
from .translation_state import number_problems, translation_problems

if TYPE_CHECKING:
    from .reader_text import Segment

PROJECT_RULES = "wording.yaml"


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
    if translated is not None:  # a translation (localise.localise): its language's rules
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
        problems += translation_problems(list(translated.states))
        problems += number_problems(
            translated.source_catalog, translated.source, translated.translation, levels
        )
    findings = _Findings()
    for level in levels:
        segments = reader_text(loaded, level, catalog)
        _invisible(segments, findings)
        _wording(segments, rules, findings)
        language_mark_problems(segments, loaded.language, findings)
        if translated is None:
            # A translation's numbers are bound to its source's, segment by segment
            # (translation_state.number_problems, below); the source passed these rules.
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


def _invisible(segments: list[Segment], findings: _Findings) -> None:
    for segment in segments:
        for _offset, name in invisible(segment.raw):
            findings.add(
                segment,
                f"invisible character {name} in the text [invisible-character]",
                INVISIBLE_HINT,
                Severity.ERROR,
            )


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
                    where = clause_at(masked_sentence, match.start())
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


def as_errors(problems: list[Problem]) -> list[Problem]:
    """`--strict`: every warning fails the run."""
    return [replace(p, severity=Severity.ERROR) for p in problems]
