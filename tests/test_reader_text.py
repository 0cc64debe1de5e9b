"""The reader's text (issue 11): every string a reader sees is covered by a review unit,
checked by the one pipeline, and no cache or trick gets round the release gate."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, prints
from leaflets.cli.main import main
from leaflets.content.load import Catalog, LoadedClinic, LoadedLeaflet
from leaflets.render.render import render_html
from leaflets.render.templates import make_environment
from leaflets.review.approve import approve
from leaflets.review.state import ReviewStatus, leaflet_reviews, leaflet_units, summarise
from leaflets.text.check import check_leaflet
from leaflets.text.clinic_review import approve_clinic, clinic_states
from leaflets.text.coverage import uncovered_words
from leaflets.text.levels import context_for
from leaflets.text.reader_text import Segment, reader_text

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 6, 1)
FALLS = Path("content") / "leaflets" / "falls-exercise.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def approve_everything(root: Path) -> Catalog:
    catalog = load_project(root)
    for loaded in catalog.leaflets:
        for unit in leaflet_units(loaded):
            approve(
                catalog,
                unit.name,
                by="Test editor",
                role="editor",
                date=dt.date(2026, 1, 2),
                next_review=dt.date(2027, 1, 2),
                leaflet_id=loaded.leaflet.id,
            )
    return load_project(root)


TEST_CLINIC = """\
id: hillside
name: Hillside Falls Service
logo: {path: logo.svg, alt: Hillside Falls Service logo}
address: [Unit 4, 22 High Street, Hilltown HT2 3BB]
phone: 01632 960123
opening_hours: Monday to Thursday, 8.30am to 4pm
web: https://example.org/hillside
leaflet_url: https://example.org/hillside/{leaflet}/{level}
urgent_help:
  - name: Hillside out-of-hours line
    phone: 01632 960999
    when: evenings and weekends
"""


def add_test_clinic(root: Path, text: str = TEST_CLINIC) -> Path:
    """A clinic (every field filled in) listed in the project's outputs, approved."""
    folder = root / "clinics" / "hillside"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "clinic.yaml").write_text(text, encoding="utf-8")
    shutil.copy(REPO / "clinics" / "example-clinic" / "logo.svg", folder / "logo.svg")
    project = root / "leaflets.yaml"
    project.write_text(
        project.read_text(encoding="utf-8")
        + "outputs:\n  clinics: [clinics/hillside/clinic.yaml]\n",
        encoding="utf-8",
    )
    approve_clinic(
        load_project(root),
        "hillside",
        by="Test editor",
        role="editor",
        date=dt.date(2026, 1, 2),
        next_review=dt.date(2027, 1, 2),
    )
    return folder / "clinic.yaml"


@pytest.fixture
def falls(tmp_path: Path) -> Path:
    """A reviewed copy of the second fixture topic (falls prevention: no medicine)."""
    root = tmp_path / "falls"
    shutil.copytree(FIXTURES / "falls", root)
    approve_everything(root)
    return root


def release(root: Path) -> list[str]:
    """What the release gate says (HTML only, so a refused leaflet costs no PDF)."""
    report = build_catalog(
        load_project(root),
        root / "output",
        BuildOptions(release=True, formats=("html",), today=TODAY),
    )
    return [f"{p.location}: {p.message}" for ps in report.failed.values() for p in ps]


def edit(root: Path, old: str, new: str, path: Path = FALLS) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- coverage: every text node of the rendered page maps to a fingerprinted unit ------------


def uncovered(html: str, segments: list[Segment]) -> list[str]:
    """Text of the page that is neither the templates' fixed wording (in the page's
    language, from its `<html lang>`) nor reader text: the library's one test."""
    found = re.search(r'<html[^>]*\blang="([^"]+)"', html)
    assert found, "a page without a language"
    return uncovered_words(html, segments, found.group(1))


def _render(
    catalog: Catalog,
    level: str,
    loaded: LoadedLeaflet | None = None,
    clinic: LoadedClinic | None = None,
) -> tuple[str, list[Segment]]:
    if loaded is None:
        [loaded] = catalog.leaflets
    states = leaflet_reviews(loaded, TODAY, catalog)
    if clinic is not None:
        states += clinic_states(catalog, clinic, loaded.leaflet.id, (level,), TODAY)
    assert {s.status for s in states} == {ReviewStatus.REVIEWED}
    context = context_for(loaded, level, catalog, review=summarise(states, level), clinic=clinic)
    extra = (
        (clinic.folder / "templates",) if clinic and (clinic.folder / "templates").is_dir() else ()
    )
    html = render_html(make_environment(catalog.root, extra), context)
    return html, reader_text(loaded, level, catalog, clinic=clinic)


@pytest.mark.parametrize("topic", ["sample", "falls"])
def test_every_text_node_maps_to_a_fingerprinted_unit(topic: str, tmp_path: Path) -> None:
    """Regression test for #11: no reader-visible string lies outside a review."""
    if topic == "sample":
        root = tmp_path / "repo"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "output", ".git"))
        catalog = load_project(root)
    else:
        root = tmp_path / "falls"
        shutil.copytree(FIXTURES / "falls", root)
        catalog = approve_everything(root)
        add_test_clinic(root)
        catalog = load_project(root)
    assert catalog.clinics, "a branded variant is covered too (no exemption for clinic text)"
    branded = 0
    for loaded in catalog.leaflets:  # the sample has two topics (issue 15)
        units = {unit.id for unit in leaflet_units(loaded)}
        for level in loaded.levels:
            html, segments = _render(catalog, level, loaded)
            assert uncovered(html, segments) == [], (loaded.leaflet.id, level)
            assert {s.unit for s in segments} <= units
            assert {s.role for s in segments} >= {"title", "summary", "heading", "feedback"}
            for clinic in catalog.clinics:
                if not prints(clinic.clinic.id, loaded, catalog.clinics, None):
                    continue
                branded += 1
                html, segments = _render(catalog, level, loaded, clinic)
                assert clinic.clinic.name in html
                assert uncovered(html, segments) == [], (loaded.leaflet.id, level, clinic)
                assert {s.unit for s in segments} <= units | {f"clinic:{clinic.clinic.id}"}
                assert {s.role for s in segments} >= {"clinic-name", "clinic-phone"}
    assert branded


def test_a_template_that_adds_text_fails_the_coverage_test(falls: Path) -> None:
    (falls / "templates").mkdir()
    (falls / "templates" / "leaflet.html.j2").write_text(
        '{% extends "!base/leaflet.html.j2" %}\n'
        "{% block about %}{{ super() }}<p>Ask your pharmacist first.</p>{% endblock %}\n"
    )
    html, segments = _render(load_project(falls), "plain")
    assert uncovered(html, segments) == ["Ask your pharmacist first"]


# --- one pipeline: check, build --release and preview say the same -------------------------


def test_check_release_and_preview_report_the_same_problems(falls: Path) -> None:
    from leaflets.preview.page import _load, _measured_page

    edit(falls, "    Exercise can help you fall less.", "    Exercise is a miracle cure. TODO")
    code, _, err = run("check", "--strict", str(falls))
    assert code == 1
    from_check = {line for line in err.splitlines() if not line.startswith(" ")}
    from_release = set(release(falls))
    assert from_check == from_release
    state = _load(falls)
    assert state.catalog is not None
    assert state.environment is not None
    [loaded] = state.catalog.leaflets
    page = _measured_page(state.catalog, state.environment, loaded, "easy", [("easy", "Easy read")])
    shown = {str(p) for row in page.rows for p in row.problems} | {str(p) for p in page.other}
    expected = {str(p) for p in check_leaflet(state.catalog, loaded, ["easy"])}
    assert shown == expected
    assert any("[cure]" in p for p in shown)
    assert any("[todo]" in p for p in shown)


# --- the summary, title, headings and glossary are reviewed and linted ----------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("about 10 fewer out of 100", "about 11 fewer out of 100"),  # a number in the summary
        ("Staying steady on your feet.", "Staying upright on your feet."),  # glossary
        ("What are the risks?", "Is it risky?"),  # a heading
        ("Exercise to stop falls", "Exercise stops falls"),  # the title
    ],
)
def test_leaflet_text_is_reviewed(falls: Path, old: str, new: str) -> None:
    assert release(falls) == []
    edit(falls, old, new)
    found = release(falls)
    assert any(
        "content/leaflets/falls-exercise.yaml:1:1: leaflet 'falls-exercise'" in f
        and "wording changed since the review" in f
        for f in found
    ), found


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Exercise is a cure for falls.", "[cure]"),
        ("TODO", "[todo]"),
        ("You are 2.4 times more likely to stay steady.", "[relative-only]"),
        ("The risk is 2.4 times higher without classes.", "[relative-only]"),
        ("It halves the risk of a fall.", "[relative-only]"),
        ("1 in 10 people fall each year.", "[one-in-x]"),
        ("One in five people fall each year.", "[one-in-x]"),
        ("Falls are rare, so call 999.", "[verbal-probability]"),
        ("Exercise cures falls.", "[cure]"),
        ("It is not a cure for some. it cures most people.", "[cure]"),
        ("Exercise is curative.", "[cure]"),
        ("Classes are miracles.", "[hype]"),
        ("Classes are miraculous.", "[hype]"),
        ("Classes are magical.", "[hype]"),
        ("Classes are game-changing.", "[hype]"),
        ("Classes are a mir\u00adacle.", "[invisible-character]"),
        ("Classes are a mir\u00adacle.", "[hype]"),
        ("Classes are a mir\u200bacle.", "[hype]"),
        ("Classes are a \u043c\u0456racle.", "[hype]"),  # Cyrillic look-alikes
        ("Classes are a \uff4d\uff49\uff52\uff41\uff43\uff4c\uff45.", "[hype]"),  # full width
        ("Classes are a **mir**acle.", "[hype]"),
        ("About 8 out of 10 people fall less.", "[denominator]"),
    ],
)
def test_summary_bypasses_fail_strict_check_and_release(falls: Path, text: str, rule: str) -> None:
    """Regression test for #11: each lint bypass named in the issue now fails."""
    written = json.dumps(text, ensure_ascii=False)[1:-1]
    edit(falls, "    Exercise can help you fall less.", f"    {written}")
    code, _, err = run("check", "--strict", str(falls))
    assert code == 1
    assert rule in err
    assert any(rule in f for f in release(falls))


def test_a_phone_number_is_not_a_statistic(falls: Path) -> None:
    edit(falls, "    Exercise can help you fall less.", "    If you fall and are hurt, call 999.")
    edit(falls, "Muscle soreness for a day or two", "Call NHS 111 if soreness lasts")
    [loaded] = load_project(falls).leaflets
    found = check_leaflet(load_project(falls), loaded)
    numbers = ("[no-certainty]", "[unsourced-number]", "[number-not-found]", "[denominator]")
    assert not [p for p in found if p.message.endswith(numbers)]


def test_a_soft_hyphen_does_not_hide_jargon_or_shorten_words(falls: Path) -> None:
    """Regression test for #11: soft hyphens split long words, so jargon and hard words
    passed the easy-read checks; the checks read the word whole."""
    edit(
        falls,
        "          easy: Classes help your balance.",
        "          easy: Classes lower your hyper\u00adtension.",
    )
    catalog = load_project(falls)
    [loaded] = catalog.leaflets
    messages = [p.message for p in check_leaflet(catalog, loaded, ["easy"])]
    assert "block 'fewer-falls' (easy): 'hypertension' is medical jargon" in messages
    assert any(m.endswith("[invisible-character]") for m in messages)


# --- numbers that disagree ----------------------------------------------------------------


def test_a_difference_must_match_the_numbers_beside_it(falls: Path) -> None:
    edit(falls, "about 10 fewer out of 100", "about 12 fewer out of 100")
    [loaded] = load_project(falls).leaflets
    messages = [p.message for p in check_leaflet(load_project(falls), loaded)]
    assert any(m.endswith("[number-not-found]") for m in messages)


def test_the_same_duration_said_two_ways_is_flagged(falls: Path) -> None:
    edit(falls, "Your legs may feel sore at first.", "Soreness goes away within 2 days.")
    edit(falls, "Classes help your balance.", "Soreness from classes goes away within a day.")
    [loaded] = load_project(falls).leaflets
    messages = [p.message for p in check_leaflet(load_project(falls), loaded)]
    assert any(m.endswith("[inconsistent-quantity]") for m in messages), messages


def test_sample_inconsistencies_named_in_the_issue_are_caught(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "output", ".git"))
    leaflet = Path("content") / "leaflets" / "ketamine-esketamine-depression.yaml"
    edit(root, "That is about 22 more out of 100.", "That is about 21 more out of 100.", leaflet)
    # Issue 15 rewrote the sample's easy read: the 1.5-hour sentence now sits in the shared
    # treatment-day block; the test puts the two ways of saying it back.
    edit(
        root,
        "In one study, most had gone by about an hour and a half.",
        "In one study, most side effects went away within about an hour and a half.",
        Path("content") / "blocks" / "treatment-day.yaml",
    )
    edit(
        root,
        "It can make you feel strange or sleepy for a while.",
        "Most side effects went away within 2 hours.",
        leaflet,
    )
    catalog = load_project(root)
    [loaded] = [x for x in catalog.leaflets if x.leaflet.id.startswith("ketamine")]
    messages = [p.message for p in check_leaflet(catalog, loaded)]
    assert any("21 more out of 100" in m and "[number-mismatch]" in m for m in messages)
    assert any('"2 hours"' in m and "[inconsistent-quantity]" in m for m in messages)


# --- structure, pictures and project text are part of what is reviewed -------------------


def test_hiding_a_risk_block_stales_the_review(falls: Path) -> None:
    edit(falls, "      - id: sore-muscles\n", "      - id: sore-muscles\n        levels: [plain]\n")
    found = release(falls)
    assert any("block 'sore-muscles'" in f and "changed" in f for f in found), found
    assert any("leaflet 'falls-exercise'" in f and "changed" in f for f in found), found


def test_deleting_a_risk_block_stales_the_leaflet_review(falls: Path) -> None:
    text = (falls / FALLS).read_text()
    start = text.index("  - id: risks")
    end = text.index("  - id: at-home")
    replacement = (
        "  - id: risks\n    kind: risks\n    heading:\n      all: What are the risks?\n"
        "    blocks:\n      - id: none-known\n        text:\n          all: We know of none.\n"
    )
    (falls / FALLS).write_text(text[:start] + replacement + text[end:])
    found = release(falls)
    assert any("leaflet 'falls-exercise'" in f and "changed" in f for f in found), found


def test_a_review_record_copied_to_a_new_id_is_stale(falls: Path) -> None:
    edit(falls, "      - id: sore-muscles\n", "      - id: sore-legs\n")
    found = release(falls)
    assert any("block 'sore-legs'" in f and "changed" in f for f in found), found


def test_a_picture_swapped_on_disk_stales_the_review(falls: Path) -> None:
    picture = falls / "content" / "images" / "walk.svg"
    picture.write_text(
        picture.read_text().replace("</svg>", "<text>95 out of 100 cured</text></svg>")
    )
    found = release(falls)
    assert any("block 'fewer-falls'" in f and "changed" in f for f in found), found


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (
            "levels:\n",
            "certainty_phrases:\n  plain:\n    moderate: We are sure about this. It is proven.\n"
            "levels:\n",
        ),
        ("Ask us for this leaflet in large print.", "This is a proven miracle."),
        ("Tell us what you think at the front desk.", "Tell us at the desk."),
    ],
)
def test_project_reader_text_is_reviewed(falls: Path, old: str, new: str) -> None:
    edit(falls, old, new, Path("leaflets.yaml"))
    found = release(falls)
    assert any("leaflet 'falls-exercise'" in f and "changed" in f for f in found), found


def test_a_shared_block_keeps_one_review(falls: Path) -> None:
    edit(
        falls,
        "Put a light by your bed.",
        "Put a lamp by your bed.",
        Path("content/blocks/home.yaml"),
    )
    found = release(falls)
    assert any(f.startswith("content/blocks/home.yaml:2:5: block 'home-check'") for f in found)


def test_bulk_approval_needs_yes_and_then_clears_everything(falls: Path) -> None:
    edit(falls, "What are the risks?", "Is it risky?")
    edit(
        falls,
        "Put a light by your bed.",
        "Put a lamp by your bed.",
        Path("content/blocks/home.yaml"),
    )
    args = ["review", "approve", "--all-pending", "--by", "Ed", "--role", "editor"]
    code, out, _ = run(*args, "--project", str(falls))
    assert code == 2
    assert "would approve leaflet:falls-exercise" in out
    assert "would approve home-check" in out
    code, out, _ = run(*args, "--yes", "--project", str(falls))
    assert code == 0
    assert release(falls) == []


# --- the cache never skips the release gate ------------------------------------------------


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, built as a release once (the 'previous build' in output/): once per
    session, on the worker of its xdist group (conftest.py), not once per worker."""
    root = tmp_path_factory.mktemp("sample") / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "output", ".git", "tests"))
    code, _out, err = run(*RELEASE, str(root))
    assert code == 0, err
    return root


#: The release build these tests repeat: one level, paper, format and language keep it
#: small (the other variants go through the same gate; the sample build tests them).
RELEASE = ("build", "--release", "--level", "easy", "--paper", "a4", "--format", "pdf")
RELEASE += ("--lang", "en", "-j", "1")


SAMPLE = Path("content") / "leaflets" / "ketamine-esketamine-depression.yaml"


@pytest.mark.parametrize(
    ("path", "old", "new", "where"),
    [
        (
            SAMPLE,
            "about 69 out of 100 got much better",
            "about 68 out of 100 got much better",
            "ketamine-esketamine-depression.yaml:1:1: ",
        ),
        (
            Path("content/blocks/esketamine-safety.yaml"),
            "aneurysm",
            "swelling",
            "esketamine-safety.yaml:",
        ),
        (
            SAMPLE,
            "Having very few signs of depression left.",
            "Having few signs left.",
            "ketamine-esketamine-depression.yaml:1:1: ",
        ),
        (
            SAMPLE,
            "What are the benefits?",
            "What does it do?",
            "ketamine-esketamine-depression.yaml:1:1: ",
        ),
        (
            Path("content/wording.yaml"),
            "",
            "rules:\n  - id: no-spray\n    pattern: '\\bspray'\n    message: do not say spray\n",
            "[no-spray]",
        ),
    ],
)
def test_release_refuses_a_changed_sample_despite_the_cache(
    built_sample: Path, tmp_path: Path, path: Path, old: str, new: str, where: str
) -> None:
    """Regression test for #11: each change fails `build --release` without --force, with
    the previous build in output/, and leaves the manifest and the files in agreement."""
    root = tmp_path / "repo"
    shutil.copytree(built_sample, root)
    file = root / path
    if old:
        text = file.read_text()
        assert old in text
        file.write_text(text.replace(old, new, 1))
    else:
        file.write_text(new)
    code, out, err = run(*RELEASE, str(root))
    assert code == 1, out
    assert where in err
    manifest = json.loads((root / "output" / "manifest.json").read_text())
    listed = {entry["path"] for entry in manifest["files"]}
    on_disk = {
        str(p.relative_to(root / "output"))
        for p in (root / "output").rglob("*")
        if p.is_file() and p.suffix in (".pdf", ".html") and p.name != "index.html"
    }
    assert listed == on_disk
