"""A leaflet id in, a new leaflet file out (`leaflets new`); a folder in, a project out (`init`).

`new` writes every required section and every project level as placeholder text that
loads ("TODO: ..."), each part commented with what belongs there, then loads the file
back: a stub the loader refuses is removed again and reported, never left behind.
`--from` copies an existing leaflet with a new id and without its reviews (the new
leaflet's wording needs its own). `init` copies the starter project shipped inside the
package (`leaflets/starter/`), so it needs nothing from a checkout.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import ContentError, Location, Problem, Severity, did_you_mean
from .load import (
    CONTENT_DIR,
    LEAFLETS_DIR,
    PROJECT_FILE,
    Catalog,
    load_project,
)
from .model import ID_PATTERN, RESERVED_IDS
from .output import write_atomic
from .schema import SCHEMA_FILE, schema_text
from .source import read_yaml

#: First line of every leaflet file `new` makes: editors with the YAML language server
#: (VS Code's YAML extension and others) read the schema from it.
SCHEMA_HEADER = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"
STARTER = "starter"
#: Package-data names that cannot ship under their real names.
_RENAMED = {"gitignore": ".gitignore"}


@dataclass(frozen=True)
class Created:
    """A leaflet file `new` wrote, and what `leaflets check` says about it (warnings only)."""

    path: Path
    shown: Path
    """The path relative to the project, as messages show it."""
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: What `leaflets new --kind` can start (docs/decision-aids.md).
KINDS = ("decision", "treatment", "information")


def new_leaflet(
    root: Path,
    leaflet_id: str,
    template: str | None = None,
    *,
    today: dt.date | None = None,
    kind: str = "treatment",
) -> Created:
    """Create `content/leaflets/LEAFLET_ID.yaml`: a commented stub, or a copy of `template`."""
    root = root.resolve()
    shown = Path(CONTENT_DIR) / LEAFLETS_DIR / f"{leaflet_id}.yaml"
    _check_id(leaflet_id, shown)
    leaflet_dir = root / CONTENT_DIR / LEAFLETS_DIR
    taken = _existing(leaflet_dir, leaflet_id)
    if taken is not None:
        raise ContentError(
            Problem(
                Location(taken.relative_to(root)),
                f"a leaflet with the id {leaflet_id!r} already exists",
                "choose another id, or edit the file that is there",
            )
        )
    catalog = load_project(root, only=[])  # the project file, sources and shared blocks
    notes: list[str] = []
    if template is None:
        levels = list(catalog.project.levels)
        text = stub_text(leaflet_id, levels, today, levels_comment(catalog), kind)
    else:
        text = _copy_text(root, leaflet_dir, template, leaflet_id)
        notes.append(
            f"copied from {template!r} without its reviews: the wording needs its own review"
        )
    if not (root / SCHEMA_FILE).is_file():
        notes.append(
            f"no {SCHEMA_FILE} in the project: for editor help run "
            f"'leaflets schema > {SCHEMA_FILE}' in {root}"
        )
    path = leaflet_dir / f"{leaflet_id}.yaml"
    leaflet_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return Created(path, shown, _check_new(root, path, shown), notes)


def _check_id(leaflet_id: str, shown: Path) -> None:
    problem = None
    if not re.fullmatch(ID_PATTERN, leaflet_id) or len(leaflet_id) > 64:
        problem = "has the wrong form"
    elif leaflet_id in RESERVED_IDS:
        problem = "is a reserved file name on Windows"
    if problem:
        raise ContentError(
            Problem(
                Location(shown),
                f"leaflet id {leaflet_id!r} {problem}",
                "ids are lower-case letters and digits joined by hyphens, at most 64 "
                "characters, e.g. 'lithium-bipolar-disorder'",
            )
        )


def _existing(leaflet_dir: Path, leaflet_id: str) -> Path | None:
    """A leaflet file with this id anywhere under content/leaflets/ (ids name the output)."""
    if not leaflet_dir.is_dir():
        return None
    return next((p for p in sorted(leaflet_dir.rglob("*.yaml")) if p.stem == leaflet_id), None)


def _check_new(root: Path, path: Path, shown: Path) -> list[Problem]:
    """Load the new file as `leaflets check` would; remove it if it does not load."""
    from .check import check_leaflet

    catalog = load_project(root, only=[path])
    if path in catalog.failed or not catalog.leaflets:
        path.unlink(missing_ok=True)
        problems = catalog.failed.get(path, [])
        raise ContentError(
            [
                *problems,
                Problem(
                    Location(shown),
                    "the new leaflet did not load, so it was not kept",
                    "fix the problems above (in the template leaflet, or the project)",
                ),
            ]
        )
    loaded = catalog.leaflets[0]
    return [p for p in check_leaflet(catalog, loaded) if p.severity is Severity.WARNING]


# --- the stub -------------------------------------------------------------------------------


def _per_level(indent: int, what: str, levels: list[str]) -> str:
    """A per-level mapping with a TODO for every level, as YAML lines."""
    pad = " " * indent
    return "".join(f"{pad}{level}: {json.dumps('TODO: ' + what)}\n" for level in levels)


def levels_comment(catalog: Catalog) -> str:
    """The project's levels and their targets, as comment lines for the stub's header."""
    from .grading import targets_for

    parts = []
    for level_id, level in catalog.project.levels.items():
        targets = targets_for(catalog, level_id)
        limits = []
        if targets.sentence_words_max is not None:
            limits.append(f"sentences of {targets.sentence_words_max} words or fewer")
        if targets.smog_max is not None:
            limits.append(f"SMOG {targets.smog_max:g} or lower")
        parts.append(f"{level_id} ({level.label}" + "".join(f"; {x}" for x in limits) + ")")
    text = "Levels (leaflets.yaml): " + ", ".join(parts) + "."
    return "".join(f"# {line}\n" for line in textwrap.wrap(text, 88))


def _per_level_items(indent: int, what: str, levels: list[str]) -> str:
    pad = " " * indent
    return "".join(f"{pad}{level}:\n{pad}  - {json.dumps('TODO: ' + what)}\n" for level in levels)


def stub_text(
    leaflet_id: str,
    levels: list[str],
    today: dt.date | None = None,
    levels_note: str = "",
    kind: str = "treatment",
) -> str:
    """The commented YAML of a new leaflet of `kind` (decision, treatment or information):
    every part that kind needs, every level, placeholders, and a placeholder source of its
    own (never a real source id from the project)."""
    today = today or dt.date.today()
    try:
        next_year = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        next_year = today.replace(year=today.year + 1, day=28)
    source = json.dumps(f"{leaflet_id.split('-')[0]}-S1")
    body = {"decision": _decision_parts, "treatment": _treatment_parts}.get(
        kind, _information_parts
    )(levels, source)
    return f"""{SCHEMA_HEADER}
# Leaflet '{leaflet_id}' ({kind}), started with `leaflets new --kind {kind}`. Replace every
# TODO with your own words, at every level. See it as you write:  leaflets preview {leaflet_id}
# How to write each part: docs/writers-guide.md. Every key: docs/content.md.
{levels_note}id: {leaflet_id}
kind: {kind}
version: "0.1"                  # the version of the wording; keep the quotes
title:                          # a few words: what the leaflet is about
{_per_level(2, "the title, in a few everyday words", levels)}\
# The main message, first on the page (SE1), with the main numbers.
summary:
{_per_level(2, "the main message in 3 to 5 sentences", levels)}\
evidence_checked: {today.isoformat()}     # the day you last checked the evidence
next_review: {next_year.isoformat()}          # when it must be checked again
# Who made it (IPDAS; printed in "About this leaflet"). Reviewers come from the reviews.
about:
  authors: ["TODO: who wrote it"]
  funding: "TODO: who paid for it, e.g. No external funding."
  conflicts: "TODO: conflicts of interest, e.g. The authors declare none."
  update_policy: "TODO: when it is checked again, and what makes you update it sooner"
# This leaflet's own sources (ids here shadow content/sources.yaml, with a warning).
# A web page without a date takes `accessed:` (the day you read it) instead of `year:`.
sources:
  {source}:
    title: "TODO: the title of the guideline, review or web page"
    organisation: "TODO: who published it"
    accessed: {today.isoformat()}
sections:
{body}\
  # --- Urgent help (required) ---------------------------------------------------------
  # When to get help fast, and a concrete route at every level: a phone number or a
  # service ("Call 999", "Call NHS 111"). A clinic file can add its own routes, printed
  # first in its copies (clinics: urgent_help).
  - id: urgent-help
    kind: urgent_help
    heading:
{_per_level(6, "Get help fast", levels)}\
    blocks:
      - id: urgent-help-main
        kind: list
        intro:
{_per_level(10, "Get help now if:", levels)}\
        items:
{_per_level_items(10, "a sign that needs help now, and the number to call (e.g. 999)", levels)}\
        sources: [{source}]

  # --- Questions to ask ---------------------------------------------------------------
  - id: questions
    heading:
{_per_level(6, "Questions to ask", levels)}\
    blocks:
      - id: questions-list
        kind: list
        items:
{_per_level_items(10, "a question the reader may want to ask", levels)}\
"""


def _frequencies_stub(
    block_id: str, levels: list[str], source: str, groups: list[tuple[str, str | None]]
) -> str:
    lines = "".join(
        f'            - label: {{all: "TODO: {label}"}}\n'
        + (f"              option: {option}\n" if option else "")
        + "              count: 0          # TODO: how many out of 100 had the outcome\n"
        for label, option in groups
    )
    return f"""      - id: {block_id}
        kind: frequencies
        frequencies:
          out_of: 100           # 100, or 1000 for rare events (the same in every block)
          who:                  # fits "Out of 100 ___,": e.g. adults with ...
{_per_level(12, "who", levels)}\
          time:                 # e.g. after 3 months
            all: "TODO: when"
          outcome:              # in your own tense: "got better", "had an upset stomach"
            all: "TODO: what happened"
          outcome_not:          # the other frame (RK8), used in captions and alt text
            all: "TODO: what happened to the others"
          groups:               # 1 to 4 groups, one icon array each
{lines}\
        certainty:              # how sure are we? (RK12; docs/evidence.md section 5)
          rating: low           # TODO: high, moderate, low or very_low
          reason: "TODO: which evidence the numbers come from, and what limits it"
        sources: [{source}]
"""


def _uncertainty_stub(levels: list[str], source: str) -> str:
    return f"""  # --- What is not known (required) ------------------------------------
  - id: uncertainty
    kind: uncertainty
    heading:
{_per_level(6, "What do we not know?", levels)}\
    blocks:
      - id: uncertainty-main
        text:
{_per_level(10, "what the studies cannot tell us yet", levels)}\
        sources: [{source}]

"""


def _treatment_parts(levels: list[str], source: str) -> str:
    return f"""  # --- What it is, and who it is for -----------------------------------
  - id: what-it-is
    heading:
{_per_level(6, "What is it?", levels)}\
    blocks:
      - id: what-it-is-main
        text:
{_per_level(10, "what it is, and who it is for", levels)}\

  # --- Benefits (required) ------------------------------------------------------------
  # Numbers as natural frequencies, always with the comparison: the tool writes the sentences and
  # draws one icon array per group.
  - id: benefits
    kind: benefits
    heading:
{_per_level(6, "How can it help?", levels)}\
    blocks:
{_frequencies_stub("benefit-main", levels, source, [("with it", None), ("without it", None)])}
{_uncertainty_stub(levels, source)}\
  # --- Risks (required) ---------------------------------------------------------------
  # Each side effect or harm with its rate, compared with the rate without it, on the same
  # denominator. Never "rare" or
  # "common" without the number, never "1 in 10".
  - id: risks
    kind: risks
    heading:
{_per_level(6, "What are the risks?", levels)}\
    blocks:
      - id: risk-main
        text:
{_per_level(10, "a harm and how many out of 100 get it, with and without", levels)}\
        sources: [{source}]

"""


def _decision_parts(levels: list[str], source: str) -> str:
    options = [("option-a", "the first option"), ("option-b", "the second option")]
    options.append(("wait", "waiting and self-care, if that is an option"))
    option_blocks = "".join(
        f"""      - id: {option_id}
        kind: option
        option:
          id: {option_id}
          name:
{_per_level(12, f"the name of {what}", levels)}\
          involves:
{_per_level(12, "what it involves: what is done, when, by whom", levels)}\
          like:
{_per_level(12, "what it is like to live with", levels)}\
"""
        for option_id, what in options
    )
    ids = [option_id for option_id, _ in options]
    grid_answers = "".join(
        f'                {option_id}: {{text: {{all: "TODO: a short answer"}}}}\n'
        for option_id in ids
    )
    return f"""  # --- The condition (required for a decision aid, IPDAS) --------------
  - id: condition
    kind: condition
    heading:
{_per_level(6, "What is the condition?", levels)}\
    blocks:
      - id: condition-main
        text:
{_per_level(10, "what the health problem is, in everyday words", levels)}\
        sources: [{source}]

  # --- The decision and the options (IPDAS: at least 2; waiting is an option too) --------
  - id: options
    kind: options
    heading:
{_per_level(6, "Your options", levels)}\
    blocks:
      - id: the-decision
        kind: decision
        text:
{_per_level(10, "the choice, in the patient's words", levels)}\
{option_blocks}\
      # Options side by side: questions as rows, options as columns. A cell may take its
      # numbers from a frequencies block: {{numbers: BLOCK-ID}} (never retype them).
      - id: option-grid
        kind: option_grid
        grid:
          options: [{", ".join(ids)}]
          rows:
            - question:
{_per_level(16, "a question patients ask, e.g. What does it involve?", levels)}\
              answers:
{grid_answers}\
        sources: [{source}]

  # --- Benefits of each option (IPDAS: for every option) ------------------------------
  - id: benefits
    kind: benefits
    heading:
{_per_level(6, "How can each option help?", levels)}\
    blocks:
{_frequencies_stub("benefit-main", levels, source, [(f"with {o}", o) for o in ids])}
{_uncertainty_stub(levels, source)}\
  # --- Harms of each option (IPDAS: for every option) ---------------------------------
  - id: risks
    kind: risks
    heading:
{_per_level(6, "What are the downsides of each option?", levels)}\
    options: [{", ".join(ids)}]   # which options these blocks are about
    blocks:
      - id: risk-main
        text:
{_per_level(10, "the downsides of each option, with numbers out of 100", levels)}\
        sources: [{source}]

"""


def _information_parts(levels: list[str], source: str) -> str:
    return f"""  # --- What it is ------------------------------------------------------
  - id: what-it-is
    kind: condition
    heading:
{_per_level(6, "What is it?", levels)}\
    blocks:
      - id: what-it-is-main
        text:
{_per_level(10, "what the reader needs to know", levels)}\
        sources: [{source}]

  # --- What you can do ----------------------------------------------------------------
  - id: what-you-can-do
    heading:
{_per_level(6, "What can I do?", levels)}\
    blocks:
      - id: what-you-can-do-main
        kind: list
        items:
{_per_level_items(10, "one thing the reader can do", levels)}\

"""


# --- copying a leaflet ----------------------------------------------------------------------


def _copy_text(root: Path, leaflet_dir: Path, template: str, leaflet_id: str) -> str:
    """The template leaflet's file with the new id, the schema header and no reviews."""
    path = _existing(leaflet_dir, template)
    if path is None:
        known = sorted(p.stem for p in leaflet_dir.rglob("*.yaml")) if leaflet_dir.is_dir() else []
        raise ContentError(
            Problem(
                Location(Path(CONTENT_DIR) / LEAFLETS_DIR),
                f"no leaflet {template!r} to copy",
                _suggest(template, known),
            )
        )
    catalog = load_project(root, only=[path])
    if path in catalog.failed:
        raise ContentError(
            [
                *catalog.failed[path],
                Problem(
                    Location(path.relative_to(root)),
                    f"leaflet {template!r} has errors, so it was not copied",
                    "fix it first (leaflets check), or start from a stub without --from",
                ),
            ]
        )
    document = read_yaml(path, path.relative_to(root))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    reviews = [
        location
        for key_path, location in document.positions.keys.items()
        if key_path
        and key_path[-1] == "reviews"
        and (key_path[0] == "sections" or key_path == ("reviews",))
    ]
    for location in sorted(reviews, reverse=True):
        _drop_key(lines, location.line - 1, location.column - 1)
    id_line = document.positions.keys[("id",)].line - 1
    lines[id_line] = f"id: {leaflet_id}\n"
    while lines and lines[0].startswith("# yaml-language-server:"):
        lines.pop(0)
    header = (
        f"{SCHEMA_HEADER}\n# Copied from '{template}' by `leaflets new --from`; its reviews "
        "were left out.\n"
    )
    return header + "".join(lines)


def _suggest(name: str, known: list[str]) -> str:
    return did_you_mean(name, known, f"leaflets in this project: {', '.join(known) or 'none yet'}")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _drop_key(lines: list[str], start: int, column: int) -> None:
    """Remove the key at `lines[start]`, column `column`, with its value (block or flow)."""
    if lines[start][:column].strip():
        return  # "- reviews: ..." starts a list item: leave it (it only makes a stale review)
    last = start
    for end in range(start + 1, len(lines)):
        line = lines[end]
        if not line.strip() or line.lstrip(" ").startswith("#"):
            continue  # blank lines and comments decide nothing
        if _indent(line) > column or (_indent(line) == column and line.lstrip().startswith("- ")):
            last = end
        else:
            break
    # `review approve` may have put records after a comment about the next block: keep
    # comments less indented than the key, and the blank line before each.
    kept = [
        index
        for index in range(start + 1, last + 1)
        if lines[index].lstrip(" ").startswith("#") and _indent(lines[index]) <= column
    ]
    kept += [i - 1 for i in kept if i - 1 > start and not lines[i - 1].strip()]
    lines[start : last + 1] = [lines[i] for i in sorted(set(kept))]


# --- a new project --------------------------------------------------------------------------


def init_project(target: Path) -> list[Path]:
    """Copy the starter project into `target` (new or empty); return the files made."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ContentError(
            Problem(
                Location(target),
                "already exists and is not an empty folder",
                "give the name of a new folder, e.g. leaflets init my-leaflets",
            )
        )
    made: list[Path] = []
    starter = resources.files("leaflets").joinpath(STARTER)
    for relative, data in sorted(_starter_files(starter, Path())):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(relative)
    (target / SCHEMA_FILE).write_text(schema_text("leaflet"), encoding="utf-8")
    made.append(Path(SCHEMA_FILE))
    if not (target / PROJECT_FILE).is_file():  # a broken package, not a user mistake
        raise RuntimeError(f"the starter project has no {PROJECT_FILE}")
    return sorted(made)


def _starter_files(folder: Traversable, relative: Path) -> list[tuple[Path, bytes]]:
    found: list[tuple[Path, bytes]] = []
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__")):
            continue
        name = _RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            found.extend(_starter_files(entry, relative / name))
        else:
            found.append((relative / name, entry.read_bytes()))
    return found
