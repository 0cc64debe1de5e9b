"""Sentences made from a writer's data, not typed by them: frequencies (the list item per
group, the icon array's alt text and caption, the lead and key), option-grid answers
drawn from their frequencies block, option views and certainty phrases.

`levels.context_for` asks for them, once, so the checks (reader_text.py) read them exactly
as printed. The sentence frames come from the leaflet language's catalog (i18n.py), with
the writer's words and the locale's numbers put in their places.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.load import Catalog, LoadedLeaflet
from ..content.model import DEFAULT_CERTAINTY_PHRASES, Block, Frequencies, paragraphs, pick
from .i18n import Messages

__all__ = [
    "FrequencyView",
    "GridView",
    "GroupView",
    "OptionView",
    "certainty_phrase",
    "frequency_view",
    "grid_view",
    "option_names",
    "option_view",
    "shown_at",
    "words_at",
]


@dataclass(frozen=True)
class GroupView:
    label: str | None
    """The option this group had; None for a single-outcome block."""
    count: int
    rest: int
    """How many did not have the outcome (the other frame, RK8)."""
    sentence: str = ""
    """The list item printed for this group ("about 69 felt much better with ...")."""
    alt: str = ""
    """What a screen reader says for the icon array (its <title>, the figure's Alt), in the
    writer's own outcome words (issue 15)."""
    caption: str = ""
    """The caption under the icon array, in words: "With esketamine: 69 got much better,
    31 did not" (never "69 filled")."""
    option: str | None = None


@dataclass(frozen=True)
class FrequencyView:
    out_of: int
    who: str
    time: str
    outcome: str
    outcome_not: str | None
    groups: tuple[GroupView, ...]
    lead: str = ""
    """The sentence before the groups ("Out of 100 adults ..., after 4 weeks:")."""
    key: str = ""
    """What a filled and an outline figure mean, in the writer's outcome words."""


@dataclass(frozen=True)
class OptionView:
    id: str
    name: str
    involves: tuple[str, ...]
    like: tuple[str, ...]


@dataclass(frozen=True)
class GridView:
    """An option grid: questions as rows, options as columns (Elwyn's Option Grid)."""

    options: tuple[str, ...]
    """Option names, one per column, in order."""
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(question, one answer per column)."""


def shown_at(block: Block, level: str) -> bool:
    return block.levels is None or level in block.levels


def words_at(texts: dict[str, str], level: str) -> str:
    return " ".join(pick(texts, level).split())


def frequency_view(frequencies: Frequencies, level: str, words: Messages) -> FrequencyView:
    """Numbers with captions and alt text in the writer's own outcome words (RK8, UA5).

    Without `outcome_not` the other frame is 'did not'; with it, the writer's words are
    used as written, so tense and polarity stay theirs. The sentences the templates print
    are made here, once, so the checks read them (reader_text.py) exactly as printed. The
    sentence frames come from the leaflet language's catalog (i18n.py), with the writer's
    words and the locale's numbers put in their places."""
    out_of = frequencies.out_of
    who = words_at(frequencies.who, level)
    time = words_at(frequencies.time, level)
    outcome = words_at(frequencies.outcome, level)
    outcome_not = words_at(frequencies.outcome_not, level) if frequencies.outcome_not else None
    other = outcome_not or words.gettext("did not")
    total = words.number(out_of)
    groups = []
    for group in frequencies.groups:
        label = words_at(group.label, level) if group.label else None
        count, rest = words.number(group.count), words.number(out_of - group.count)
        if label:
            sentence = words.gettext(
                "about %(count)s %(outcome)s %(option)s", count=count, outcome=outcome,
                option=label,
            )  # fmt: skip
        else:
            sentence = words.gettext("about %(count)s %(outcome)s", count=count, outcome=outcome)
        if outcome_not:
            sentence += words.gettext(
                ", and about %(rest)s %(outcome_not)s", rest=rest, outcome_not=outcome_not
            )
        facts = dict(count=count, total=total, who=who, outcome=outcome, rest=rest, other=other)
        facts["time"] = time
        if label:
            alt = words.gettext(
                "Icon array, %(option)s: %(count)s out of %(total)s %(who)s %(outcome)s, and "
                "%(rest)s %(other)s, %(time)s. Filled figures: %(outcome)s. Outline figures: "
                "%(other)s.",
                option=label, **facts,
            )  # fmt: skip
            caption = words.gettext(
                "%(option)s: %(count)s %(outcome)s, %(rest)s %(other)s",
                option=label[:1].upper() + label[1:], **facts,
            )  # fmt: skip
        else:
            alt = words.gettext(
                "Icon array: %(count)s out of %(total)s %(who)s %(outcome)s, and %(rest)s "
                "%(other)s, %(time)s. Filled figures: %(outcome)s. Outline figures: %(other)s.",
                **facts,
            )
            caption = words.gettext("%(count)s %(outcome)s, %(rest)s %(other)s", **facts)
        groups.append(
            GroupView(
                label, group.count, out_of - group.count, sentence, alt, caption, group.option
            )
        )
    return FrequencyView(
        out_of=out_of,
        who=who,
        time=time,
        outcome=outcome,
        outcome_not=outcome_not,
        groups=tuple(groups),
        lead=words.gettext("Out of %(total)s %(who)s, %(time)s:", total=total, who=who, time=time),
        key=words.gettext(
            "A filled figure is one person who %(outcome)s. An outline figure is one who "
            "%(other)s.",
            outcome=outcome,
            other=other,
        ),
    )


def option_view(block: Block, level: str) -> OptionView:
    assert block.option is not None
    option = block.option
    return OptionView(
        option.id,
        words_at(option.name, level),
        paragraphs(pick(option.involves, level)),
        paragraphs(pick(option.like, level)),
    )


def option_names(loaded: LoadedLeaflet, level: str) -> dict[str, str]:
    return {
        p.block.option.id: words_at(p.block.option.name, level)
        for placed_blocks in loaded.sections
        for p in placed_blocks
        if p.block.option is not None and shown_at(p.block, level)
    }


def grid_view(
    block: Block,
    level: str,
    names: dict[str, str],
    frequencies: dict[str, Frequencies],
    words: Messages,
) -> GridView:
    """Answers per level; number cells drawn from their frequencies block (never retyped)."""
    assert block.grid is not None
    rows = []
    for row in block.grid.rows:
        answers = []
        for option_id in block.grid.options:
            answer = row.answers[option_id]
            if answer.text is not None:
                answers.append(words_at(answer.text, level))
                continue
            source = frequencies[answer.numbers or ""]
            group = next(g for g in source.groups if g.option == option_id)
            answers.append(
                words.gettext(
                    "About %(count)s out of %(total)s %(outcome)s (%(time)s)",
                    count=words.number(group.count),
                    total=words.number(source.out_of),
                    outcome=words_at(source.outcome, level),
                    time=words_at(source.time, level),
                )
            )
        rows.append((words_at(row.question, level), tuple(answers)))
    return GridView(tuple(names.get(o, o) for o in block.grid.options), tuple(rows))


def certainty_phrase(block: Block, level: str, catalog: Catalog, words: Messages) -> str | None:
    """The project's own phrase for the rating, as written (in the project's language);
    else the built-in phrase (model.DEFAULT_CERTAINTY_PHRASES) from the leaflet language's
    catalog."""
    if block.certainty is None:
        return None
    style = catalog.project.levels[level].certainty_style
    rating = block.certainty.rating
    configured = catalog.project.certainty_phrases.get(style, {})
    if rating in configured and configured[rating] != DEFAULT_CERTAINTY_PHRASES[style][rating]:
        return configured[rating]
    return words.gettext(DEFAULT_CERTAINTY_PHRASES[style][rating])
