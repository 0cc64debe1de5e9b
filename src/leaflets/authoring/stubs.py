"""A leaflet id, its levels and kind in, the commented YAML of a new leaflet out.

The text `leaflets new` writes (scaffold.py writes it and checks it loads): every required
section and every project level as placeholder text that loads ("TODO: ..."), each part
commented with what belongs there, per kind (decision aid, treatment, information).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap

from ..content.load import Catalog
from ..content.schema import SCHEMA_FILE

#: First line of every leaflet file `new` makes: editors with the YAML language server
#: (VS Code's YAML extension and others) read the schema from it.
SCHEMA_HEADER = f"# yaml-language-server: $schema=../../{SCHEMA_FILE}"


def _per_level(indent: int, what: str, levels: list[str]) -> str:
    """A per-level mapping with a TODO for every level, as YAML lines."""
    pad = " " * indent
    return "".join(f"{pad}{level}: {json.dumps('TODO: ' + what)}\n" for level in levels)


def levels_comment(catalog: Catalog) -> str:
    """The project's levels and their targets, as comment lines for the stub's header."""
    from ..text.grading import targets_for

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
