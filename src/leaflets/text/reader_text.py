"""`LoadedLeaflet` x level in, the reader's text out: every string a reader sees, in
reading order, located, with the review unit that covers it.

This is the one definition of "the text a reader sees". It is read from the same
`LevelContext` values the templates print (levels.py makes the generated sentences:
frequency sentences, icon-array alt text and captions, certainty phrases), so what is
checked is what is printed. Review (review.py), the wording and number rules (check.py) and
readability (grading.py) all read it.

Each `Segment` belongs to one review unit:

* `block:ID` -- a block, in any section (a shared block is one unit wherever it is used);
* `leaflet:ID` -- the leaflet's own text: title, summary, headings, glossary, version and
  dates, the sources it cites, and the project's reader text (publisher, feedback,
  other_formats, certainty phrases), which is folded into every leaflet unit's fingerprint;
* `clinic:ID` -- on a clinic's branded copy, the clinic's words (name, logo alt text,
  contact details, urgent-help routes), located in its clinic.yaml (clinic_review.py).

Adding reader text later (a new block kind or field) means adding it in ONE place:
`_block_segments` for anything inside a block, `_leaflet_segments` for anything else; the
coverage test (tests/test_reader_text.py) fails until it is, and `TEMPLATE_WORDING` lists
the only words the templates may add on their own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..content.load import Catalog, LoadedClinic, LoadedLeaflet, PlacedBlock
from ..content.model import ALL_LEVELS
from ..content.source import KeyPath
from ..errors import Location
from ..review.state import ReviewSummary
from .i18n import SOURCE_LANGUAGE, catalog_entries, catalog_for, date_regex, messages
from .inline import plain_text
from .levels import BlockView, LevelContext, context_for
from .normalise import skeleton
from .readability import split_sentences

__all__ = [
    "Segment",
    "block_unit",
    "leaflet_unit",
    "reader_text",
    "template_wording",
]


def template_wording(language: str) -> tuple[str, ...]:
    """The only words the built-in templates print on their own, in `language` (regular
    expressions, matched on a text node with spaces collapsed): every translation of the
    catalog whose msgid a template uses (i18n.py, catalogs.py), its dates and counts
    matched, its other placeholders left to the reader text that fills them. Everything
    else a reader sees comes from content and is a `Segment`; tests/test_reader_text.py
    fails if a template prints anything else, in any language."""
    return _template_wording(language if catalog_for(language) else SOURCE_LANGUAGE)


#: Lines whose words after the first fixed ones come from review records (reviewers' and
#: translators' names, roles and methods), not from a review unit.
_RECORD_LINES = frozenset(
    {"Checked by:", "Translation by %(translator)s, checked by %(reviewer)s, %(role)s"}
)
PLACEHOLDER = re.compile(r"%\(\w+\)s")


@functools.cache
def _template_wording(language: str) -> tuple[str, ...]:
    words = messages(language)
    catalog = words.catalog
    date = date_regex(words)
    special = {
        **dict.fromkeys(("date", "checked", "review", "reviewed", "due"), date),
        **dict.fromkeys(("num", "count", "rest", "total"), r"[\d.,\u066b\u066c]+"),
    }
    found = [r"\[\d+(?:, \d+)*\]"]  # reference numbers (the order the leaflet cites sources)
    for message in catalog_entries(catalog):
        if not message.id or not any(f.startswith("templates/") for f, _ in message.locations):
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms or (message.id,):
            text = " ".join(str(form or "").split())
            if message.id in _RECORD_LINES:  # then names and roles from review records
                found.append(re.escape(PLACEHOLDER.split(text)[0].strip()) + r"[^\n]*")
                continue
            found.extend(_form_patterns(text, special))
    return tuple(dict.fromkeys(p for p in found if p))


def _form_patterns(text: str, special: dict[str, str]) -> list[str]:
    """One translation -> patterns: literal words escaped, dates and counts as regexes,
    split where a placeholder holds reader text (a version, a name)."""
    patterns, current = [], ""
    for piece in re.split(r"(%\(\w+\)s)", text):
        name = piece[2:-2] if piece.startswith("%(") else None
        if name is None:
            current += re.escape(piece.replace("%%", "%"))
        elif name in special:
            current += special[name]
        else:
            patterns.append(current)
            current = ""
    patterns.append(current)
    trimmed = (re.sub(r"^(?:\\ )+|(?:\\ )+$", "", p) for p in patterns)
    return [p for p in trimmed if re.sub(r"\\[ .,:;]|[.,:;]", "", p)]


def __getattr__(name: str) -> tuple[str, ...]:
    """`TEMPLATE_WORDING`: the English template wording (the theme's source language), made
    from the catalog when first asked for, so importing this module reads no catalog."""
    if name == "TEMPLATE_WORDING":
        return template_wording(SOURCE_LANGUAGE)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def block_unit(block_id: str) -> str:
    return f"block:{block_id}"


def leaflet_unit(leaflet_id: str) -> str:
    return f"leaflet:{leaflet_id}"


@dataclass(frozen=True)
class Segment:
    """One string a reader sees: a title, a paragraph, a list item, an alt text..."""

    unit: str
    """The review unit whose fingerprint covers it (`block:ID`, `leaflet:ID`, `clinic:ID`)."""
    role: str
    """title, summary, heading, text, item, warning, frequency-lead, frequency,
    icon-alt, icon-caption, certainty, alt, glossary-term, glossary-meaning, reference,
    publisher, version, date, other-formats, feedback, level-label."""
    level: str
    location: Location
    raw: str
    """As written (inline Markdown and all), layout whitespace collapsed."""
    block: PlacedBlock | None = None
    section: str | None = None
    """The section id the string sits in (None for the leaflet's own text)."""

    @cached_property
    def plain(self) -> str:
        """The words as printed (Markdown resolved), with spaces collapsed."""
        return " ".join(plain_text(self.raw).split())

    @cached_property
    def text(self) -> str:
        """What the checks read: `plain`, normalised (NFKC, no invisible characters,
        look-alike letters in Latin; normalise.py)."""
        return skeleton(self.plain)

    @cached_property
    def sentences(self) -> list[str]:
        """`text` split by the one sentence splitter (readability.split_sentences)."""
        return split_sentences(self.text)

    @property
    def owner(self) -> str:
        """A short name for messages: `block 'x'`, `summary`, `heading of section 'y'`..."""
        if self.block is not None:
            return f"block {self.block.block.id!r}"
        if self.role == "heading":
            return f"heading of section {self.section!r}"
        return self.role.replace("-", " ")


_EMPTY_REVIEW = ReviewSummary(pending=(), reviewed_on=None, next_review=None, clinical=True)


def reader_text(
    loaded: LoadedLeaflet,
    level: str,
    catalog: Catalog,
    context: LevelContext | None = None,
    *,
    clinic: LoadedClinic | None = None,
) -> list[Segment]:
    """Every string a reader of `loaded` at `level` sees, in reading order; on the copy
    branded for `clinic`, the clinic's words last (clinic_review.clinic_segments)."""
    context = context or context_for(loaded, level, catalog, review=_EMPTY_REVIEW)
    placed_by_id = {p.block.id: p for section in loaded.sections for p in section}
    out: list[Segment] = []
    leaf = _LeafletText(loaded, level, catalog, out)
    words = messages(context.language)
    leaf.add("level-label", ("levels", level, "label"), context.level.label, project=True)
    leaf.add("publisher", ("publisher",), context.publisher, project=True)
    leaf.add("title", ("title",), context.title, per_level=True)
    leaf.add("version", ("version",), words.gettext("Version %(version)s", version=context.version))
    leaf.add("date", ("evidence_checked",), words.long_date(context.evidence_checked))
    leaf.add("date", ("next_review",), words.long_date(context.next_review))
    for paragraph in context.summary:
        leaf.add("summary", ("summary",), paragraph, per_level=True)
    for section in context.sections:
        s_index = next(i for i, s in enumerate(loaded.leaflet.sections) if s.id == section.id)
        leaf.add(
            "heading", ("sections", s_index, "heading"), section.heading, per_level=True,
            section=section.id,
        )  # fmt: skip
        for view in section.blocks:
            out.extend(_block_segments(view, placed_by_id[view.id], level, section.id))
    for term, meaning in context.glossary:
        g_index = next(i for i, e in enumerate(loaded.leaflet.glossary) if e.term == term)
        leaf.add("glossary-term", ("glossary", g_index, "term"), term)
        leaf.add("glossary-meaning", ("glossary", g_index, "meaning"), meaning, per_level=True)
    for ref in context.sources:
        where = catalog.source_locations.get(ref.id, Location(Path("content/sources.yaml")))
        source = ref.source
        text = f"{source.organisation} ({source.year or words.gettext('no date')}). {source.title}."
        if source.url:
            text += f" {source.url}"
        out.append(Segment(leaflet_unit(loaded.leaflet.id), "reference", level, where, text))
    if context.about is not None:  # who made it (issue 15)
        about = context.about
        leaf.add("authors", ("about", "authors"), ", ".join(about.authors))
        leaf.add("funding", ("about", "funding"), about.funding)
        leaf.add("conflicts", ("about", "conflicts"), about.conflicts)
        leaf.add("update-policy", ("about", "update_policy"), about.update_policy)
    leaf.add("other-formats", ("other_formats",), context.other_formats, project=True)
    leaf.add("feedback", ("feedback",), context.feedback, project=True)
    if clinic is not None:
        from .clinic_review import clinic_segments

        out.extend(clinic_segments(clinic, loaded.leaflet.id, level))
    return out


class _LeafletText:
    """Adds the leaflet unit's segments, located in the leaflet file or leaflets.yaml."""

    def __init__(
        self, loaded: LoadedLeaflet, level: str, catalog: Catalog, out: list[Segment]
    ) -> None:
        self.loaded, self.level, self.catalog, self.out = loaded, level, catalog, out
        self.unit = leaflet_unit(loaded.leaflet.id)

    def add(
        self,
        role: str,
        key_path: KeyPath,
        text: str,
        *,
        per_level: bool = False,
        project: bool = False,
        section: str | None = None,
    ) -> None:
        if project:
            positions = self.catalog.project_positions
            fallback = Location(Path("leaflets.yaml"))
        else:
            positions = self.loaded.positions
            fallback = Location(self.loaded.path, 1, 1)
        where = _locate(positions, key_path, self.level, per_level) if positions else fallback
        raw = " ".join(text.split())
        self.out.append(Segment(self.unit, role, self.level, where, raw, section=section))


def _locate(positions: object, key_path: KeyPath, level: str, per_level: bool) -> Location:
    from ..content.source import Positions

    assert isinstance(positions, Positions)
    if per_level:
        for key in (level, ALL_LEVELS):
            if (*key_path, key) in positions.values:
                return positions.of((*key_path, key))
    return positions.of(key_path)


def _block_segments(
    view: BlockView, placed: PlacedBlock, level: str, section: str
) -> list[Segment]:
    """The strings a reader sees of one block at one level.

    The one place to extend when a block kind or field adds reader text: name the
    role, the `LevelContext` value the template prints and the key the writer wrote it at.
    """
    unit = block_unit(placed.block.id)
    found: list[Segment] = []

    def add(role: str, sub_path: KeyPath, text: str, per_level: bool = True) -> None:
        key_path = (*placed.key_path, *sub_path)
        if placed.positions is not None:
            where = _locate(placed.positions, key_path, level, per_level)
        else:
            where = placed.location
        raw = " ".join(text.split())
        found.append(Segment(unit, role, level, where, raw, placed, section))

    if view.image is not None:
        add("alt", ("image", "alt"), view.image.alt, per_level=False)
    frequencies = view.frequencies
    if frequencies is not None:
        add("frequency-lead", ("frequencies", "who"), frequencies.lead)
        for index, group in enumerate(frequencies.groups):
            add("frequency", ("frequencies", "groups", index, "label"), group.sentence)
        for index, group in enumerate(frequencies.groups):
            add("icon-alt", ("frequencies", "groups", index, "label"), group.alt)
            add("icon-caption", ("frequencies", "groups", index, "label"), group.caption)
        add("icon-key", ("frequencies", "outcome"), frequencies.key)
    if view.intro is not None:
        add("intro", ("intro",), view.intro)
    role = {"warning": "warning", "decision": "decision"}.get(view.kind, "text")
    for paragraph in view.paragraphs:
        add(role, ("text",), paragraph)
    for item in view.items:
        add("item", ("items",), item)
    if view.option is not None:  # decision aids (issue 15)
        add("option-name", ("option", "name"), view.option.name)
        for paragraph in view.option.involves:
            add("option-involves", ("option", "involves"), paragraph)
        for paragraph in view.option.like:
            add("option-like", ("option", "like"), paragraph)
    if view.grid is not None:
        for name in view.grid.options:
            add("grid-option", ("grid", "options"), name, per_level=False)
        for r_index, (question, answers) in enumerate(view.grid.rows):
            row = ("grid", "rows", r_index)
            add("grid-question", (*row, "question"), question)
            for answer in answers:
                add("grid-answer", (*row, "answers"), answer)
    if view.certainty is not None:
        add("certainty", ("certainty", "rating"), view.certainty, per_level=False)
    return found
