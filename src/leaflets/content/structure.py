"""A leaflet's structure in, `Problem`s out: urgent help, who made it, options, IPDAS criteria.

Which parts a leaflet needs depends on its `kind` (issue 15; docs/decision-aids.md):

- every leaflet: an `urgent_help` section with a concrete route (a phone number or a web
  address) at every level it is built in, and `about:` (authors, funding, conflicts of
  interest, update policy);
- `treatment`: benefits, uncertainty and risks sections (as before);
- `decision`: the checkable IPDAS qualifying criteria (IPDASi v4, Joseph-Williams et al.
  2014): the condition, the decision, at least two options, benefits and harms for each
  option, and uncertainty;
- `information`: nothing more.

The criteria a program cannot judge are listed by `ipdas_checklist` for the reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import ALL_LEVELS, REQUIRED_SECTION_KINDS, Block, Leaflet

if TYPE_CHECKING:
    from .load import PlacedBlock
    from .source import KeyPath

#: Three-digit emergency and helpline numbers (UK 999, 111; EU 112; US 911, 988; AU 000).
SHORT_ROUTES = frozenset({"999", "111", "112", "911", "988", "000", "101"})
_DIGITS = re.compile(r"(?<![\w.,])\d[\d -]*\d(?!\w|[.,]\d)")


def has_route(text: str) -> bool:
    """Does `text` give a concrete route: a phone number (6+ digits, or 999/111/112/911/988)
    or a web address?"""
    if "https://" in text or "http://" in text or "tel:" in text:
        return True
    for match in _DIGITS.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 6 or digits in SHORT_ROUTES:
            return True
    return False


def without_routes(text: str) -> str:
    """`text` with phone numbers taken out (a phone number is not a figure to source)."""

    def drop(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return " " if len(digits) >= 6 or digits in SHORT_ROUTES else match.group()

    return _DIGITS.sub(drop, text)


def _words(block: Block, level: str) -> list[str]:
    found: list[str] = []
    for _path, texts in block.wording():
        value = texts.get(level, texts.get(ALL_LEVELS))
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(str(item) for item in value)
    return found


def _shown(block: Block, level: str) -> bool:
    return block.levels is None or level in block.levels


Report = Callable[..., None]


@dataclass(frozen=True)
class _Placed:
    block: Block
    loc: KeyPath
    section: int


def check_structure(
    leaflet: Leaflet,
    sections: Iterable[tuple[PlacedBlock, ...]],
    levels: list[str],
    problem: Report,
) -> None:
    """Report (through `problem(key_path, message, hint)`) what the leaflet's kind needs."""
    placed = [
        _Placed(p.block, ("sections", s_index, "blocks", b_index), s_index)
        for s_index, section in enumerate(sections)
        for b_index, p in enumerate(section)
    ]
    _about(leaflet, problem)
    _urgent_help(leaflet, placed, levels, problem)
    options = _options(leaflet, placed, levels, problem)
    if leaflet.kind == "treatment":
        _required_kinds(leaflet, REQUIRED_SECTION_KINDS, problem)
    elif leaflet.kind == "decision":
        _decision(leaflet, placed, options, problem)


def _about(leaflet: Leaflet, problem: Report) -> None:
    if leaflet.about is None:
        problem(
            (),
            "no 'about:': every leaflet says who wrote it, who paid and how it is updated",
            "add about: {authors: [...], funding: ..., conflicts: ..., update_policy: ...}",
        )


def _urgent_help(
    leaflet: Leaflet, placed: list[_Placed], levels: list[str], problem: Report
) -> None:
    urgent = [i for i, section in enumerate(leaflet.sections) if section.kind == "urgent_help"]
    if not urgent:
        problem(
            ("sections",),
            "no section of kind 'urgent_help'",
            "every leaflet says where to get help fast (e.g. 999, NHS 111): add a section "
            "with 'kind: urgent_help' and a phone number or service at every level",
        )
        return
    for level in levels:
        text = " ".join(
            word
            for p in placed
            if p.section in urgent and _shown(p.block, level)
            for word in _words(p.block, level)
        )
        if not has_route(text):
            problem(
                ("sections", urgent[0]),
                f"the urgent-help section gives no phone number or service at level {level!r}",
                "name a concrete route at every level, e.g. 'Call 999' or 'Call NHS 111'",
            )


def _options(
    leaflet: Leaflet, placed: list[_Placed], levels: list[str], problem: Report
) -> dict[str, KeyPath]:
    """Option ids -> where they are defined; unknown option references are reported."""
    options: dict[str, KeyPath] = {}
    options_placed = {p.block.option.id: p for p in placed if p.block.option is not None}
    for p in placed:
        if p.block.option is not None:
            if p.block.option.id in options:
                problem((*p.loc, "option", "id"), f"option {p.block.option.id!r} is defined twice")
            options.setdefault(p.block.option.id, p.loc)

    def known(option_id: str, loc: KeyPath) -> None:
        if option_id not in options:
            close = [o for o in options if o.startswith(option_id[:3])]
            problem(
                loc,
                f"unknown option {option_id!r}",
                f"did you mean {close[0]!r}?"
                if close
                else "options are blocks of kind 'option' in this leaflet"
                + (f": {', '.join(options)}" if options else ""),
            )

    for index, section in enumerate(leaflet.sections):
        for o_index, option_id in enumerate(section.options or []):
            known(option_id, ("sections", index, "options", o_index))
    frequencies = {p.block.id: p for p in placed if p.block.frequencies is not None}
    for p in placed:
        block = p.block
        for o_index, option_id in enumerate(block.options or []):
            known(option_id, (*p.loc, "options", o_index))
        if block.frequencies is not None:
            for g_index, group in enumerate(block.frequencies.groups):
                if group.option is not None:
                    known(group.option, (*p.loc, "frequencies", "groups", g_index, "option"))
        if block.grid is not None:
            _grid(block, p.loc, frequencies, known, problem, options_placed, levels)
    return options


def _grid(
    block: Block,
    loc: KeyPath,
    frequencies: dict[str, _Placed],
    known: Callable[[str, KeyPath], None],
    problem: Report,
    options_placed: dict[str, _Placed],
    levels: list[str],
) -> None:
    assert block.grid is not None
    columns = block.grid.options
    for index, option_id in enumerate(columns):
        known(option_id, (*loc, "grid", "options", index))
        column = options_placed.get(option_id)
        if column is not None and column.block.levels is not None:
            hidden = [
                level
                for level in (block.levels or levels)
                if level in levels and level not in column.block.levels
            ]
            if hidden:
                problem(
                    (*loc, "grid", "options", index),
                    f"option {option_id!r} is not shown at level {', '.join(map(repr, hidden))}, "
                    "where this grid is",
                    "show the option at every level the grid is shown at, or limit the grid "
                    "with 'levels:'",
                )
    for r_index, row in enumerate(block.grid.rows):
        row_loc = (*loc, "grid", "rows", r_index)
        missing = [o for o in columns if o not in row.answers]
        if missing:
            problem(
                (*row_loc, "answers"),
                f"no answer for option {', '.join(map(repr, missing))} in this row",
                "answer the question for every option in the grid",
            )
        for option_id, answer in row.answers.items():
            a_loc = (*row_loc, "answers", option_id)
            if option_id not in columns:
                problem(a_loc, f"option {option_id!r} is not a column of this grid")
            if answer.numbers is None:
                continue
            source = frequencies.get(answer.numbers)
            if source is None:
                problem(
                    (*a_loc, "numbers"),
                    f"no frequencies block {answer.numbers!r} in this leaflet",
                    "numbers in a grid come from a frequencies block, never retyped",
                )
                continue
            assert source.block.frequencies is not None
            if not any(g.option == option_id for g in source.block.frequencies.groups):
                problem(
                    (*a_loc, "numbers"),
                    f"frequencies block {answer.numbers!r} has no group for option {option_id!r}",
                    f"add 'option: {option_id}' to the group that stands for it",
                )


def _required_kinds(leaflet: Leaflet, kinds: Iterable[str], problem: Report) -> None:
    present = {section.kind for section in leaflet.sections}
    for kind in kinds:
        if kind not in present:
            problem(
                ("sections",),
                f"no section of kind {kind!r}",
                "every leaflet states its benefits, uncertainty and risks: "
                f"add a section with 'kind: {kind}'",
            )


def covered(leaflet: Leaflet, placed: Iterable[_Placed], kind: str) -> set[str]:
    """Option ids that blocks in sections of `kind` say they are about."""
    found: set[str] = set()
    for p in placed:
        section = leaflet.sections[p.section]
        if section.kind != kind:
            continue
        found.update(p.block.options or section.options or ())
        if p.block.frequencies is not None:
            found.update(g.option for g in p.block.frequencies.groups if g.option)
    return found


def _decision(
    leaflet: Leaflet, placed: list[_Placed], options: dict[str, KeyPath], problem: Report
) -> None:
    """The IPDAS qualifying criteria a program can check (IPDASi v4)."""
    present = {section.kind for section in leaflet.sections}
    hint = "a decision aid describes the condition, the decision and every option (IPDAS)"
    if "condition" not in present:
        problem(("sections",), "no section of kind 'condition' (what the health problem is)", hint)
    if not any(p.block.kind == "decision" for p in placed):
        problem(
            ("sections",),
            "no block of kind 'decision' stating the choice in the patient's words",
            hint,
        )
    if len(options) < 2:
        problem(
            ("sections",),
            f"a decision aid needs at least 2 options; this one has {len(options)}",
            "add blocks of kind 'option' (waiting or self-care counts as an option)",
        )
    if "uncertainty" not in present:
        problem(("sections",), "no section of kind 'uncertainty'", hint)
    for kind, what in (("benefits", "benefits"), ("risks", "harms")):
        have = covered(leaflet, placed, kind)
        for option_id, loc in options.items():
            if option_id not in have:
                problem(
                    loc,
                    f"option {option_id!r} has no {what}: no block in a '{kind}' section "
                    "says it is about this option",
                    f"add 'options: [{option_id}]' to a {kind} block or section "
                    "(say so in words if there are none)",
                )


#: IPDAS criteria a reviewer judges by reading (the program checks the rest), each with
#: what to look at. Keys are ours, not IPDASi item numbers.
REVIEWER_ITEMS: tuple[tuple[str, str], ...] = (
    ("living", "the options describe what living with each is like (the 'like' text rings true)"),
    ("balance", "the positive and negative features of each option are shown with equal detail"),
    ("evidence", "the information is up to date and the sources are the best available"),
    ("uncertainty", "the numbers show uncertainty honestly (certainty ratings and reasons)"),
    ("values", "it helps patients think about what matters most to them"),
)


def checklist(leaflet: Leaflet) -> list[tuple[str, str]]:
    """What a reviewer must still judge by reading (printed by `leaflets check --ipdas`)."""
    if leaflet.kind != "decision":
        return [("kind", f"a {leaflet.kind} leaflet: the IPDAS criteria do not apply")]
    return list(REVIEWER_ITEMS)
