"""Tests written to kill mutants that survived `make mutation` (issue 13; docs/testing.md).

Each pins behaviour of the wording rules (check.py: `_compile`, `_parse_rules`, `_wording`;
number_rules.py: `clause_at`) that the rule-by-rule tests in test_check.py did not: case,
the `suggest` hint, the `unless_clause|sentence|paragraph` scopes, the refusal of slow
patterns, and where a
broken rules file is reported.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from leaflets import load_project
from leaflets.errors import ContentError, Location, Problem
from leaflets.text.check import _compile, _parse_rules, check_catalog
from leaflets.text.number_rules import clause_at
from test_check import with_plain_text


def project_rule(root: Path, **fields: str | bool) -> None:
    rule = {"id": "no-wonderful", "pattern": r"\bwonderful\b", "message": "too warm", **fields}
    (root / "content" / "wording.yaml").write_text(json.dumps({"rules": [rule]}))


def found(root: Path, rule: str = "no-wonderful") -> list[Problem]:
    return [p for p in check_catalog(load_project(root)) if p.message.endswith(f"[{rule}]")]


def test_a_rule_matches_whatever_the_case(minimal: Path) -> None:
    project_rule(minimal, suggest="say what it does")
    with_plain_text(minimal, "Wonderful medicine, 60 out of 100 felt better.")
    [problem] = found(minimal)
    assert 'too warm: "Wonderful" [no-wonderful]' in problem.message
    assert problem.hint == "suggested wording: say what it does"


def test_a_rule_without_a_suggestion_has_no_hint(minimal: Path) -> None:
    project_rule(minimal)
    with_plain_text(minimal, "A wonderful medicine, 60 out of 100 felt better.")
    [problem] = found(minimal)
    assert problem.hint == ""


@pytest.mark.parametrize(
    ("scope", "text", "fires"),
    [
        # the sentence (the default scope): another sentence's words do not excuse it
        ("unless_sentence", "A wonderful trial result. 60 out of 100 felt better.", False),
        ("unless_sentence", "A wonderful medicine. It was a trial: 60 out of 100.", True),
        # ... nor does an earlier sentence's (not the first sentence: the one matched in)
        ("unless_sentence", "It was a trial. A wonderful medicine: 60 out of 100.", True),
        # the paragraph: any sentence of the text excuses it
        ("unless_paragraph", "A wonderful medicine. It was a trial: 60 out of 100.", False),
        ("unless_paragraph", "A wonderful medicine. 60 out of 100 felt better.", True),
        # the clause: only the words between the clause breaks around the match
        ("unless_clause", "A wonderful trial, but 60 out of 100 felt better.", False),
        ("unless_clause", "A wonderful medicine, but the trial had 60 out of 100.", True),
        ("unless_clause", "It was a trial. A wonderful medicine: 60 out of 100.", True),
    ],
)
def test_unless_looks_only_within_its_scope(
    minimal: Path, scope: str, text: str, fires: bool
) -> None:
    project_rule(minimal, **{scope: r"\btrial\b"})
    with_plain_text(minimal, text)
    assert bool(found(minimal)) is fires


def test_unless_in_a_paragraph_ignores_masked_numbers(minimal: Path) -> None:
    """A phone number is blanked before `unless` reads the paragraph (numbers.mask)."""
    project_rule(minimal, unless_paragraph=r"\d{4}")
    with_plain_text(minimal, "A wonderful medicine. Call 0800 123 4567.", sources="[]")
    assert found(minimal)


def test_unless_sourced_is_off_unless_asked(minimal: Path) -> None:
    project_rule(minimal)
    with_plain_text(minimal, "A wonderful medicine, 60 out of 100 felt better.")
    assert found(minimal)  # cited sources do not excuse an ordinary rule
    project_rule(minimal, unless_sourced=True)
    assert not found(minimal)


def test_compile_refuses_long_and_nested_repeats() -> None:
    assert _compile("a" * 300).pattern == "a" * 300
    assert _compile("MIRACLE").search("a miracle")
    message = "^a repeated group that repeats again can make matching take for ever$"
    with pytest.raises(re.error, match=message):
        _compile("a" * 301)
    with pytest.raises(re.error, match=message):
        _compile("(a+)+")


@pytest.mark.parametrize("data", [[], {"rules": "none"}, {"rule": []}])
def test_a_rules_file_without_a_list_is_located(data: object) -> None:
    where = Path("content/wording.yaml")
    with pytest.raises(ContentError) as caught:
        _parse_rules(data, where)
    [problem] = caught.value.problems
    assert problem.location == Location(where)
    assert problem.message == "expected 'rules:' with a list of rules"


def test_a_broken_rule_is_named_by_its_number() -> None:
    where = Path("content/wording.yaml")
    rules = [{"id": "ok", "pattern": "x", "message": "m"}, {"id": "broken", "message": "m"}]
    with pytest.raises(ContentError) as caught:
        _parse_rules({"rules": rules}, where)
    [problem] = caught.value.problems
    assert problem.location == Location(where)
    assert problem.message.startswith("rule 2 is not valid: ")
    assert problem.hint == "each rule needs id, pattern (a regular expression) and message"


def test_parsed_rules_keep_their_fields() -> None:
    [plain, scoped] = _parse_rules(
        {
            "rules": [
                {"id": "a", "pattern": "x", "message": "m"},
                {"id": "b", "pattern": "y", "message": "n", "suggest": "s", "unless_clause": "z"},
            ]
        },
        Path("w.yaml"),
    )
    assert (plain.suggest, plain.unless, plain.unless_within, plain.unless_sourced) == (
        "",
        None,
        "sentence",
        False,
    )
    assert (scoped.suggest, scoped.unless_within) == ("s", "clause")
    assert scoped.unless is not None
    assert scoped.unless.pattern == "z"


def test_the_clause_around_an_offset() -> None:
    text = "One, but two. Three"
    assert clause_at(text, 0) == "One, "
    assert clause_at(text, 5) == "but two. "  # a clause starts at its break
    assert clause_at(text, len(text) - 1) == "Three"
    assert clause_at(text, text.index("two")) == "but two. "
    assert clause_at(text, len(text) + 1) == text  # outside the text: the whole of it
    assert clause_at(text, len(text) + 5) == text  # outside the text: the whole of it


def test_the_clause_of_a_later_sentence_is_its_own() -> None:
    """Regression test (issue 13): the scope is around the match, not the text's start (the
    old sentence scope returned the first sentence whatever the offset)."""
    text = "It was a trial. A wonderful medicine; it helps."
    assert clause_at(text, text.index("wonderful")) == "A wonderful medicine; "
    assert clause_at(text, text.index("helps")) == "it helps."


def test_every_match_of_a_sentence_is_judged(minimal: Path) -> None:
    """The first match excused by its clause does not excuse a later one."""
    project_rule(minimal, unless_clause=r"\btrial\b")
    with_plain_text(minimal, "A wonderful trial, but a wonderful price: 60 out of 100.")
    [problem] = found(minimal)
    assert '"wonderful"' in problem.message


def test_one_finding_does_not_stop_the_other_rules(minimal: Path) -> None:
    project_rule(minimal)
    with_plain_text(minimal, "A wonderful miracle, see [this](javascript:alert(1)), 60 out of 100.")
    messages = [p.message for p in check_catalog(load_project(minimal))]
    assert any(m.endswith("[no-wonderful]") for m in messages), messages
    assert any(m.endswith("[hype]") for m in messages), messages
    [link] = [p for p in check_catalog(load_project(minimal)) if "[unsafe-link]" in p.message]
    assert "block 'helps' (plain)" in link.message
    assert "link to 'javascript:alert(1)' is not allowed, so it is printed as text" in (
        link.message
    )
    assert link.hint == "links may go to https://, mailto: or tel: addresses only"
    assert link.location.path == Path("content/leaflets/mini.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rules: [\n", None),  # a YAML mistake: the reader's own located problem
        ("rules: none\n", "expected 'rules:' with a list of rules"),
    ],
)
def test_a_broken_project_rules_file_is_located(
    minimal: Path, text: str, message: str | None
) -> None:
    from leaflets.text.check import load_rules

    (minimal / "content" / "wording.yaml").write_text(text)
    with pytest.raises(ContentError) as caught:
        load_rules(minimal)
    [problem, *_] = caught.value.problems
    assert problem.location.path == Path("content/wording.yaml")
    if message is not None:
        assert problem.message == message
    else:
        assert problem.location.line >= 1


def test_a_fingerprint_hashes_the_wording_as_written() -> None:
    """Non-ASCII wording is hashed as its UTF-8 text, not as \\u escapes: a review's
    fingerprint is the sha256 of the canonical JSON a person could recompute."""
    from leaflets.review.fingerprint import _digest

    data = {"text": "Café – 5 mg", "levels": ["easy"]}
    canonical = '{"levels":["easy"],"text":"Café – 5 mg"}'
    assert _digest(data) == "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_leaflet_unit_reviewed_at_some_levels_is_fingerprinted_at_those(minimal: Path) -> None:
    from leaflets.review.fingerprint import leaflet_fingerprint, unit_fingerprint
    from leaflets.review.state import leaflet_units

    catalog = load_project(minimal)
    [loaded] = catalog.leaflets
    [unit] = [u for u in leaflet_units(loaded) if u.id.startswith("leaflet:")]
    easy = unit_fingerprint(unit, catalog, loaded, ["easy"])
    assert easy == leaflet_fingerprint(loaded, catalog, ["easy"])
    assert easy != unit_fingerprint(unit, catalog, loaded, None)
