"""Clinic text is reader text (issue clinic): a clinic's words are linted and number-checked
on every branded copy, covered by a `clinic:ID` review unit (with the logo's bytes), and a
release ships a clinic's copies only while that unit is reviewed. Checked on real PDFs."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport
from leaflets.cli.main import main
from leaflets.content.load import load_clinic
from leaflets.errors import ContentError
from leaflets.review.state import ReviewStatus
from leaflets.text.clinic_review import (
    approve_clinic,
    clinic_fingerprint,
    clinic_segments,
    clinic_state,
)
from test_reader_text import FIXTURES, REPO, add_test_clinic, approve_everything

TODAY = dt.date(2026, 6, 1)
CLINIC = Path("clinics") / "hillside" / "clinic.yaml"
REFUSED = "falls-exercise for clinic hillside (release)"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


@pytest.fixture
def branded(tmp_path: Path) -> Path:
    """The falls fixture, reviewed, with a reviewed clinic that prints it."""
    root = tmp_path / "falls"
    shutil.copytree(FIXTURES / "falls", root)
    leaflet = root / "content" / "leaflets" / "falls-exercise.yaml"
    leaflet.write_text(  # page layout is not what these tests check (test_pagination.py)
        leaflet.read_text(encoding="utf-8")
        + "pagination:\n  allow: [orphan-heading, short-last-page, lonely-page]\n"
        "  reason: A test of clinic text, not of page breaks.\n",
        encoding="utf-8",
    )
    approve_everything(root)
    add_test_clinic(root)
    return root


def edit(root: Path, old: str, new: str) -> None:
    file = root / CLINIC
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def reapprove(root: Path) -> None:
    approve_clinic(
        load_project(root),
        "hillside",
        by="Test editor",
        role="editor",
        date=dt.date(2026, 2, 1),
        next_review=dt.date(2027, 2, 1),
    )


def build(root: Path, *, release: bool) -> BuildReport:
    options = BuildOptions(
        levels=("plain",), papers=("a4",), formats=("pdf",), release=release, today=TODAY
    )
    return build_catalog(load_project(root), root / "output", options)


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def branded_pdf(root: Path) -> Path:
    return root / "output" / "hillside" / "falls-exercise" / "falls-exercise.plain.a4.pdf"


def unbranded_pdf(root: Path) -> Path:
    return root / "output" / "falls-exercise" / "falls-exercise.plain.a4.pdf"


def failures(report: BuildReport) -> list[str]:
    return [f"{p.location}: {p.message}" for ps in report.failed.values() for p in ps]


# --- a reviewed clinic ships; its routes come first and the leaflet's stay -----------------


def test_a_reviewed_clinic_ships_with_the_national_routes_kept(branded: Path) -> None:
    report = build(branded, release=True)
    assert report.failed == {}
    text = pdf_text(branded_pdf(branded))
    assert "Hillside Falls Service" in text
    assert "Unit 4, 22 High Street, Hilltown HT2 3BB" in text
    assert "DRAFT" not in text
    assert "Draft" not in text
    # The clinic adds its route, first; it cannot remove or replace the leaflet's own.
    local = text.index("Hillside out-of-hours line: 01632 960999")
    assert local < text.index("call 999")
    assert local < text.index("call NHS 111")
    unbranded = pdf_text(unbranded_pdf(branded))
    assert "call 999" in unbranded
    assert "Hillside" not in unbranded


def test_clinic_routes_cannot_replace_the_leaflet_routes_in_the_model(branded: Path) -> None:
    """A clinic file has no way to name, hide or replace a leaflet's block: a key that
    tried would be refused as unknown, located."""
    edit(branded, "urgent_help:\n", "hide_blocks: [urgent-help-main]\nurgent_help:\n")
    with pytest.raises(ContentError) as caught:
        load_clinic(branded / CLINIC, branded)
    assert any(
        "hide_blocks" in p.message and p.location.line is not None for p in caught.value.problems
    )


# --- a clinic's claims and statistics are refused in release and flagged by check ----------


@pytest.mark.parametrize(
    ("old", "new", "rule", "line"),
    [
        ("name: Hillside Falls Service", "name: Hillside Clinic cures depression", "[cure]", 2),
        (
            "when: evenings and weekends",
            "when: evenings and weekends. 9 out of 10 patients recover",
            "9 out of 10",
            12,
        ),
        (
            "name: Hillside Falls Service",
            "name: Hillside, Where 9 Patients Recover",  # title case hides no statistic
            "[unsourced-number]",
            2,
        ),
        (
            "opening_hours: Monday to Thursday, 8.30am to 4pm",
            "opening_hours: Monday to Thursday. 90% of patients recover",
            "[unsourced-number]",
            6,
        ),
        (
            "alt: Hillside Falls Service logo",
            'alt: "Hillside, a mir\\u200bacle service"',
            "[hype]",
            3,
        ),
        (
            "alt: Hillside Falls Service logo",
            'alt: "Hillside, a \\u043c\\u0456racle service"',  # Cyrillic look-alikes
            "[hype]",
            3,
        ),
    ],
)
def test_a_clinic_claim_is_refused_in_release_and_flagged_in_check(
    branded: Path, old: str, new: str, rule: str, line: int
) -> None:
    edit(branded, old, new)
    reapprove(branded)  # reviewed, yet the wording rules still refuse it
    code, _, err = run("check", "--strict", str(branded))
    assert code == 1
    flagged = [x for x in err.splitlines() if rule in x]
    assert flagged, err
    assert all(x.startswith(f"{CLINIC}:{line}:") for x in flagged), err
    report = build(branded, release=True)
    assert set(report.failed) == {REFUSED}
    assert any(rule in f and f.startswith(f"{CLINIC}:{line}:") for f in failures(report))
    assert not branded_pdf(branded).exists()
    assert "call 999" in pdf_text(unbranded_pdf(branded))  # the unbranded copy still ships


def test_a_clinic_phone_address_and_hours_are_not_statistics(branded: Path) -> None:
    code, _, err = run("check", "--strict", str(branded))
    assert code == 0, err
    assert "clinic" not in err


# --- the clinic unit: edits and a swapped logo make its review stale ----------------------


def _stale_then_reapproved(root: Path) -> None:
    code, out, _ = run("review", "status", str(root))
    assert f"{CLINIC}:1:1: stale: clinic 'hillside'" in out
    approved_copy = branded_pdf(root).read_bytes()
    report = build(root, release=True)
    assert set(report.failed) == {REFUSED}
    assert any(
        f.startswith(f"{CLINIC}:1:1: clinic 'hillside'") and "wording changed since the review" in f
        for f in failures(report)
    )
    # a refused copy keeps its earlier, approved file (as a refused leaflet does)
    assert branded_pdf(root).read_bytes() == approved_copy
    draft = build(root, release=False)
    assert draft.failed == {}
    text = pdf_text(branded_pdf(root))
    assert "DRAFT" in text
    assert "clinic 'hillside' (name, contact details, urgent-help routes, logo)" in text
    assert "DRAFT" not in pdf_text(unbranded_pdf(root))  # the leaflet's own units are fine
    code, out, err = run(
        "review", "approve", "--clinic", "hillside", "--by", "Ed", "--role", "editor",
        "--project", str(root),
    )  # fmt: skip
    assert code == 0, err
    assert build(root, release=True).failed == {}
    assert "DRAFT" not in pdf_text(branded_pdf(root))


def test_a_clinic_edit_after_approval_stales_it(branded: Path) -> None:
    assert build(branded, release=True).failed == {}
    edit(branded, "phone: 01632 960123", "phone: 01632 960124")
    _stale_then_reapproved(branded)
    assert "01632 960124" in pdf_text(branded_pdf(branded))


def test_a_logo_swap_stales_it(branded: Path) -> None:
    assert build(branded, release=True).failed == {}
    logo = branded / "clinics" / "hillside" / "logo.svg"
    swapped = logo.read_text(encoding="utf-8").replace("</svg>", "<!-- another logo --></svg>")
    logo.write_text(swapped, encoding="utf-8")
    _stale_then_reapproved(branded)


def test_an_unreviewed_clinic_is_refused_with_its_location(branded: Path) -> None:
    (branded / "content" / "reviews" / "clinics" / "hillside.yaml").unlink()
    code, out, _ = run("review", "status", str(branded))
    assert f"{CLINIC}:1:1: unreviewed: clinic 'hillside'" in out
    report = build(branded, release=True)
    assert set(report.failed) == {REFUSED}
    assert any("wording not reviewed" in f for f in failures(report))
    code, out, _ = run(
        "review", "approve", "--all-pending", "--by", "Ed", "--role", "editor", "--yes",
        "--project", str(branded),
    )  # fmt: skip
    assert code == 0
    assert "clinic:hillside" in out
    assert build(branded, release=True).failed == {}


def test_a_broken_clinic_review_file_is_a_located_problem(branded: Path) -> None:
    record = branded / "content" / "reviews" / "clinics" / "hillside.yaml"
    record.write_text("reviews:\n  - by: Ed\n    fingerprint: nope\n", encoding="utf-8")
    code, _, err = run("check", str(branded))
    assert code != 0
    assert "content/reviews/clinics/hillside.yaml:2:" in err
    report = build(branded, release=True)
    assert set(report.failed) == {REFUSED}  # read as unreviewed: never shipped


def test_the_sample_clinic_is_reviewed() -> None:
    catalog = load_project(REPO)
    [clinic] = catalog.clinics
    _, status, review = clinic_state(catalog, clinic, dt.date.today())
    assert status is ReviewStatus.REVIEWED
    assert review is not None
    assert review.by == "Leaflets editorial team"


# --- the clinic loader: any file gives a clinic or located problems, never a crash ---------

_TEXT = st.text(min_size=0, max_size=40)
_VALUE = st.one_of(_TEXT, st.integers(), st.none(), st.lists(_TEXT, max_size=3), st.booleans())


@st.composite
def clinic_documents(draw: st.DrawFn) -> dict[str, object]:
    document: dict[str, object] = {
        "id": "hillside",
        "name": draw(_TEXT),
        "phone": draw(_TEXT),
        "address": draw(st.lists(_TEXT, max_size=3)),
        "urgent_help": draw(
            st.lists(
                st.fixed_dictionaries(
                    {"name": _TEXT, "phone": _TEXT}, optional={"when": _TEXT, "what": _TEXT}
                ),
                max_size=2,
            )
        ),
    }
    for key in draw(st.lists(st.sampled_from(["opening_hours", "web", "logo", "colour"]))):
        document[key] = draw(_VALUE)
    return document


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=clinic_documents())
def test_the_clinic_loader_locates_every_problem(
    branded: Path, document: dict[str, object]
) -> None:
    path = branded / CLINIC
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    # YAML breaks lines at NEL (U+0085) and the Unicode separators too, not only at \n.
    lines = len(path.read_text(encoding="utf-8").splitlines()) + 1
    problems = []
    try:
        loaded = load_clinic(path, branded)
    except ContentError as exc:
        problems = exc.problems
    if problems:
        for problem in problems:
            assert problem.location.path == CLINIC
            assert problem.location.line is None or 1 <= problem.location.line <= lines
        return
    segments = clinic_segments(loaded, "falls-exercise", "plain")
    assert {s.role for s in segments} >= {"clinic-name", "clinic-phone"}
    for segment in segments:
        assert segment.unit == "clinic:hillside"
        assert segment.location.path == CLINIC
        assert segment.location.line is not None
        assert 1 <= segment.location.line <= lines
    # every printed string is fingerprinted: changing the name changes the unit's digest
    before = clinic_fingerprint(loaded)
    changed = dict(document, name=f"{document['name']} x")
    path.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert clinic_fingerprint(load_clinic(path, branded)) != before


def test_a_clinic_template_cannot_drop_the_leaflet_urgent_help(branded: Path) -> None:
    templates = branded / "clinics" / "hillside" / "templates"
    templates.mkdir()
    (templates / "leaflet.html.j2").write_text(
        '{% extends "!base/leaflet.html.j2" %}\n'
        "{% block body %}<main><h1>{{ page.title }}</h1>\n"
        '{% for section in page.sections if section.kind != "urgent_help" %}'
        "<h2>{{ section.heading }}</h2>{% endfor %}</main>{% endblock %}\n",
        encoding="utf-8",
    )
    report = build(branded, release=False)
    [(name, problems)] = report.failed.items()
    assert "hillside" in name
    assert "leaves out the leaflet's urgent help" in problems[0].message
    assert "call 999" in problems[0].message
    assert not branded_pdf(branded).exists()
    assert "call 999" in pdf_text(unbranded_pdf(branded))


def test_words_a_clinic_template_adds_are_refused(branded: Path) -> None:
    templates = branded / "clinics" / "hillside" / "templates"
    templates.mkdir()
    (templates / "leaflet.html.j2").write_text(
        '{% extends "!base/leaflet.html.j2" %}\n'
        "{% block about %}{{ super() }}<p>Our clinic cures falls.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    code, _, err = run("check", str(branded))
    assert code == 1
    assert (
        "clinics/hillside/templates: the clinic's templates print words no review "
        "covers (easy): 'Our clinic cures falls' [clinic-template]"
    ) in err
    report = build(branded, release=True)
    assert set(report.failed) == {REFUSED}
    assert not branded_pdf(branded).exists()
    # the clinic's fixed wording moved into clinic.yaml is reviewed like the rest
    (templates / "leaflet.html.j2").unlink()
    assert run("check", "--strict", str(branded))[0] == 0


def test_the_review_log_lists_clinic_approvals(branded: Path) -> None:
    code, out, _ = run("review", "log", "--format", "csv", "--project", str(branded))
    assert code == 0
    [row] = [line for line in out.splitlines() if "clinic:hillside" in line]
    assert "Test editor" in row
    assert row.endswith(f"current,{CLINIC}")
    edit(branded, "phone: 01632 960123", "phone: 01632 960124")
    out = run("review", "log", "--format", "csv", "--project", str(branded))[1]
    [row] = [line for line in out.splitlines() if "clinic:hillside" in line]
    assert row.endswith(f"changed,{CLINIC}")


def test_kept_wording_is_one_model_narrowed_per_file() -> None:
    """A clinic's review file and a leaflet's sidecar share approved.KeptWording; each
    still refuses the other's units."""
    from pydantic import ValidationError

    from leaflets.review.approved import ApprovedFile, KeptWording
    from leaflets.text.clinic_review import ClinicReviews, KeptClinicWording

    record = {"fingerprint": "sha256:" + "0" * 64, "wording": {"all": ["Hillside"]}}
    assert issubclass(KeptClinicWording, KeptWording)
    assert ClinicReviews.model_validate({"approved": [{"unit": "clinic:hillside", **record}]})
    assert ApprovedFile.model_validate({"approved": [{"unit": "block:helps", **record}]})
    with pytest.raises(ValidationError):
        ClinicReviews.model_validate({"approved": [{"unit": "block:helps", **record}]})
    with pytest.raises(ValidationError):
        ApprovedFile.model_validate({"approved": [{"unit": "clinic:hillside", **record}]})
