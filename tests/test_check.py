"""Wording lint: each rule catches its pattern, passes the sample, and gates release builds."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.cli.main import main
from leaflets.errors import Severity
from leaflets.text.check import check_catalog, load_rules

REPO = Path(__file__).resolve().parents[1]


def with_plain_text(root: Path, text: str, sources: str = "[S1]") -> None:
    """Replace the plain text of the minimal leaflet's first block."""
    leaflet = root / "content" / "leaflets" / "mini.yaml"
    old = (
        "          plain: Out of 100 people, about 60 felt better with the medicine "
        "and about 40 without it.\n        sources: [S1]\n"
    )
    content = leaflet.read_text()
    assert old in content
    leaflet.write_text(
        content.replace(old, f"          plain: {json.dumps(text)}\n        sources: {sources}\n")
    )


def findings(root: Path) -> list[str]:
    """Wording findings, leaving out [no-certainty] (the fixture's blocks state numbers
    without a certainty rating; test_numbers_need_a_certainty checks that rule)."""
    messages = [p.message for p in check_catalog(load_project(root))]
    rules = [m for m in messages if m.endswith("]")]  # readability is test_grading's
    return [m for m in rules if not m.endswith(("[no-certainty]", "[review]"))]


def test_numbers_need_a_certainty(minimal: Path) -> None:
    messages = [p.message for p in check_catalog(load_project(minimal))]
    assert (
        "block 'helps' (easy): gives numbers on a benefit or risk without saying how "
        "sure the evidence is [no-certainty]"
    ) in messages
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    leaflet.write_text(
        leaflet.read_text().replace(
            "        sources: [S1]\n",
            "        certainty: {rating: moderate, reason: one trial}\n        sources: [S1]\n",
        )
    )
    messages = [p.message for p in check_catalog(load_project(minimal))]
    assert not [m for m in messages if m.endswith("[no-certainty]")]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Ketamine is a cure for depression.", "cure"),
        ("Ketamine repairs the brain's reward circuitry.", "brain-repair"),
        ("It can rewire connections.", "brain-repair"),
        ("A real game-changer for millions.", "hype"),
        ("This breakthrough treatment works.", "hype"),
        ("Some call it a magic drug.", "hype"),
        ("It is a miracle.", "hype"),
        ("The spray is 100% safe.", "absolute-safety"),
        ("There are no side effects.", "absolute-safety"),
        ("About 1 in 20 people stop.", "one-in-x"),
        ("It halves the risk of relapse.", "relative-only"),
        ("It cuts the risk by 51%.", "relative-only"),
        ("Serious side effects are rare.", "verbal-probability"),
        ("Feeling sick is common.", "verbal-probability"),
    ],
)
def test_each_rule_catches_its_pattern(minimal: Path, text: str, rule: str) -> None:
    with_plain_text(minimal, text)
    messages = findings(minimal)
    assert any(m.endswith(f"[{rule}]") for m in messages), messages
    assert all("block 'helps' (plain)" in m for m in messages if m.endswith(f"[{rule}]"))


@pytest.mark.parametrize(
    "text",
    [
        "It is a treatment, not a cure.",
        "About 27 out of 100 relapsed, compared with about 45 out of 100: it halved relapses.",
        "About 3 out of 100 people had this, which is not common.",
        "How often would I need to come to the clinic?",
    ],
)
def test_accurate_wording_passes(minimal: Path, text: str) -> None:
    with_plain_text(minimal, text)
    assert findings(minimal) == []


def test_proven_needs_a_source(minimal: Path) -> None:
    with_plain_text(minimal, "It is proven to work.", sources="[]")
    assert any(m.endswith("[proven]") for m in findings(minimal))


def test_proven_with_a_source_passes(minimal: Path) -> None:
    with_plain_text(minimal, "It is proven to work.", sources="[S1]")
    assert findings(minimal) == []


def test_numbers_need_a_source(minimal: Path) -> None:
    with_plain_text(minimal, "About 60% felt better.", sources="[]")
    assert "block 'helps' (plain): numbers with no source [unsourced-number]" in findings(minimal)


def test_frequencies_in_text_must_match_the_leaflets_numbers(minimal: Path) -> None:
    """Regression test for #11: "N out of D" matches a frequencies block or a source."""
    with_plain_text(minimal, "About 61 out of 100 felt better.", sources="[]")
    assert any(m.endswith("[number-not-found]") for m in findings(minimal))


def test_animal_study_must_be_said(minimal: Path) -> None:
    sources = minimal / "content" / "sources.yaml"
    sources.write_text(sources.read_text() + "    animal_study: true\n")
    with_plain_text(minimal, "Ketamine changed connections in a brain area.")
    assert any(m.endswith("[animal-study]") for m in findings(minimal))


def test_project_rules_extend_the_builtin_ones(minimal: Path) -> None:
    (minimal / "content" / "wording.yaml").write_text(
        "rules:\n  - id: no-wonderful\n    pattern: '\\bwonderful\\b'\n"
        "    message: 'too warm'\n    suggest: 'say what it does'\n"
    )
    assert len(load_rules(minimal)) == len(load_rules()) + 1
    with_plain_text(minimal, "A wonderful medicine, 60 out of 100.")
    assert any(m.endswith("[no-wonderful]") for m in findings(minimal))


def test_check_strict_turns_warnings_into_errors(minimal: Path) -> None:
    with_plain_text(minimal, "It is a miracle.")
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", str(minimal)], stdout=out, stderr=err) == 0
    assert "warning: block 'helps' (plain): hype word" in err.getvalue()
    assert main(["check", "--strict", str(minimal)], stdout=out, stderr=err) == 1


def test_release_build_refuses_lint_findings(minimal: Path) -> None:
    with_plain_text(minimal, "It is a miracle.")
    report = build_catalog(load_project(minimal), minimal / "output", BuildOptions(release=True))
    problems = report.failed["mini (release)"]
    assert any("hype word" in str(p) and p.severity is Severity.ERROR for p in problems)


def test_sample_content_passes_the_lint() -> None:
    assert check_catalog(load_project(REPO)) == []
