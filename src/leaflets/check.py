"""`Catalog` in, wording `Problem`s out: the rules `leaflets check` runs beyond the schema.

Overclaims and hype, probabilities in words only, '1 in X' and relative-only forms (IPDAS,
standards RK9), 'proven' with no source, numbers with no source, and mechanism claims
that cite animal studies without saying so. The word rules are data
(`data/wording.yaml`, extended by a project's `content/wording.yaml`). Findings are
warnings; `--strict` and release builds treat them as errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import yaml

from .errors import ContentError, Location, Problem, Severity
from .inline import unsafe_links
from .load import CONTENT_DIR, Catalog, LoadedLeaflet, PlacedBlock
from .model import ALL_LEVELS
from .structure import without_routes

PROJECT_RULES = "wording.yaml"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n\n")
_ANIMAL_WORDS = re.compile(r"\b(mice|mouse|animals?|rats?|rodents?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    message: str
    suggest: str
    unless_sentence: re.Pattern[str] | None = None
    unless_sourced: bool = False


def load_rules(root: Path | None = None) -> list[Rule]:
    """The built-in rules, plus the project's own `content/wording.yaml` if it has one."""
    text = resources.files("leaflets").joinpath("data/wording.yaml").read_text(encoding="utf-8")
    rules = _parse_rules(yaml.safe_load(text), Path("leaflets/data/wording.yaml"))
    project_file = root / CONTENT_DIR / PROJECT_RULES if root else None
    if project_file is not None and project_file.is_file():
        from .source import read_yaml

        document = read_yaml(project_file, Path(CONTENT_DIR) / PROJECT_RULES)
        if document.problems:
            raise ContentError(document.problems)
        rules += _parse_rules(document.data, document.path)
    return rules


#: A group that repeats something repeated, such as `(a+)+`: the shape that makes a
#: backtracking matcher take exponential time. Such project rules are refused.
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*?[+*}](?:[^()\\]|\\.)*\)[+*{]")


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
            unless = raw.get("unless_sentence")
            rules.append(
                Rule(
                    id=str(raw["id"]),
                    pattern=_compile(raw["pattern"]),
                    message=str(raw["message"]),
                    suggest=str(raw.get("suggest", "")),
                    unless_sentence=_compile(unless) if unless else None,
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


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def check_catalog(catalog: Catalog, rules: list[Rule] | None = None) -> list[Problem]:
    """Wording problems in every loaded leaflet; a shared block is reported once."""
    rules = load_rules(catalog.root) if rules is None else rules
    problems: dict[tuple[str, str, str], Problem] = {}
    for loaded in catalog.leaflets:
        for problem in check_leaflet(loaded, catalog, rules):
            problems.setdefault((str(problem.location), problem.message, problem.hint), problem)
    return list(problems.values())


def check_leaflet(loaded: LoadedLeaflet, catalog: Catalog, rules: list[Rule]) -> list[Problem]:
    """Wording problems in one leaflet, one per block, rule and phrase."""
    problems = []
    for section, placed_blocks in zip(loaded.leaflet.sections, loaded.sections, strict=True):
        for placed in placed_blocks:
            problems.extend(_check_block(placed, loaded, catalog, rules))
            if section.kind in ("benefits", "risks"):
                problems.extend(_certainty_stated(placed, loaded))
    from .easyread import easy_read_problems

    problems.extend(easy_read_problems(loaded, catalog))
    return problems


def _certainty_stated(placed: PlacedBlock, loaded: LoadedLeaflet) -> list[Problem]:
    """A benefit or risk with numbers says how sure the evidence is (GRADE, RK12)."""
    block = placed.block
    has_numbers = block.frequencies is not None or any(
        re.search(r"\d", re.sub(r"\b(19|20)\d\d\b", "", text))  # years are not estimates
        for _, text in _texts(placed, loaded)
    )
    if block.certainty is not None or not has_numbers:
        return []
    return [
        Problem(
            placed.location,
            f"block {block.id!r} gives numbers on a benefit or risk without saying how sure "
            "the evidence is [no-certainty]",
            "add 'certainty: {rating: high|moderate|low|very_low, reason: ...}' (RK12)",
            Severity.WARNING,
        )
    ]


def _texts(placed: PlacedBlock, loaded: LoadedLeaflet) -> list[tuple[str, str]]:
    """(level, text) pairs a reader sees, `all:` counted once."""
    found = []
    for _path, texts in placed.block.wording():
        for level, value in texts.items():
            if level != ALL_LEVELS and level not in loaded.levels:
                continue
            for text in value if isinstance(value, list) else [value]:
                found.append((level, " ".join(str(text).split())))
    return found


def _check_block(
    placed: PlacedBlock, loaded: LoadedLeaflet, catalog: Catalog, rules: list[Rule]
) -> list[Problem]:
    block = placed.block
    where = placed.location
    problems = []
    texts = _texts(placed, loaded)
    for level, text in texts:
        at = "all levels" if level == ALL_LEVELS else level
        for sentence in sentences(text):
            for rule in rules:
                if rule.unless_sourced and block.sources:
                    continue
                match = rule.pattern.search(sentence)
                if match is None:
                    continue
                if rule.unless_sentence and rule.unless_sentence.search(sentence):
                    continue
                problems.append(
                    Problem(
                        where,
                        f'block {block.id!r} ({at}): {rule.message}: "{match.group(0)}" '
                        f"[{rule.id}]",
                        f"suggested wording: {rule.suggest}" if rule.suggest else "",
                        Severity.WARNING,
                    )
                )
    for level, text in texts:
        for url in unsafe_links(text):
            problems.append(
                Problem(
                    where,
                    f"block {block.id!r} ({level}): link to {url[:80]!r} is not allowed, "
                    "so it is printed as text [unsafe-link]",
                    "links may go to https://, mailto: or tel: addresses only",
                    Severity.WARNING,
                )
            )
    if not block.sources and any(re.search(r"\d", without_routes(text)) for _, text in texts):
        problems.append(
            Problem(
                where,
                f"block {block.id!r}: numbers with no source [unsourced-number]",
                "add the source the numbers come from to 'sources:'",
                Severity.WARNING,
            )
        )
    known = loaded.sources or catalog.sources
    animal = [s for s in block.sources if s in known and known[s].animal_study]
    if animal and not all(_ANIMAL_WORDS.search(text) for _, text in texts):
        problems.append(
            Problem(
                where,
                f"block {block.id!r} cites an animal study ({', '.join(animal)}) but does not "
                "say so at every level [animal-study]",
                "say 'in mice' (or 'in animals') wherever the claim comes from animal research",
                Severity.WARNING,
            )
        )
    return problems


def as_errors(problems: list[Problem]) -> list[Problem]:
    """`--strict`: every warning fails the run."""
    return [replace(p, severity=Severity.ERROR) for p in problems]
