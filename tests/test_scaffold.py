"""`leaflets new` and `leaflets init` (issue 8): stubs that load, copies without reviews,
refusals that change nothing, and a starter project that checks clean and builds."""

from __future__ import annotations

import datetime as dt
import io
import json
from importlib import resources
from pathlib import Path

import pdfplumber
import pytest

from leaflets import load_project
from leaflets.authoring.scaffold import SCHEMA_HEADER, init_project, new_leaflet
from leaflets.cli.main import main
from leaflets.content.model import REQUIRED_SECTION_KINDS
from leaflets.content.schema import SCHEMA_FILE, schema_text
from leaflets.review.approve import approve
from leaflets.review.state import ReviewStatus, leaflet_reviews

LEAFLETS = Path("content") / "leaflets"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project made by `leaflets init`, once for the module (tests copy what they change)."""
    root = tmp_path_factory.mktemp("init") / "my-leaflets"
    code, out, err = run("init", str(root))
    assert (code, err) == (0, ""), err
    assert f"created {root / 'leaflets.yaml'}" in out
    return root


# --- leaflets new ---------------------------------------------------------------------------


def test_new_writes_a_stub_that_loads_with_every_section_and_level(minimal: Path) -> None:
    code, out, err = run("new", "lithium-bipolar", "--project", str(minimal))
    assert (code, err) == (0, ""), err
    assert "created content/leaflets/lithium-bipolar.yaml" in out
    path = minimal / LEAFLETS / "lithium-bipolar.yaml"
    text = path.read_text(encoding="utf-8")
    assert (
        text.splitlines()[0]
        == SCHEMA_HEADER
        == ("# yaml-language-server: $schema=../../leaflets.schema.json")
    )
    catalog = load_project(minimal, [path])
    assert catalog.failed == {}
    [loaded] = catalog.leaflets
    leaflet = loaded.leaflet
    assert leaflet.id == "lithium-bipolar"
    assert loaded.levels == ("easy", "plain")
    kinds = {section.kind for section in leaflet.sections}
    assert set(REQUIRED_SECTION_KINDS) <= kinds
    ids = [section.id for section in leaflet.sections]
    assert ids == ["what-it-is", "benefits", "uncertainty", "risks", "urgent-help", "questions"]
    for texts in (leaflet.title, leaflet.summary, *(s.heading for s in leaflet.sections)):
        assert set(texts) == {"easy", "plain"}
        assert all(value.startswith("TODO") for value in texts.values())
    # Each part says what belongs there.
    for words in ("natural frequencies", "compared with", "how sure", "side effect", "Questions"):
        assert words in text
    assert leaflet.evidence_checked == dt.date.today()


def test_new_stub_checks_with_warnings_at_most(minimal: Path) -> None:
    assert run("new", "stub", "--project", str(minimal))[0] == 0
    code, out, err = run("check", str(minimal))
    assert code == 0, err
    assert "0 error(s)" in out
    assert "Traceback" not in err


def test_new_refuses_an_existing_leaflet_and_changes_nothing(minimal: Path) -> None:
    before = (minimal / LEAFLETS / "mini.yaml").read_bytes()
    code, _out, err = run("new", "mini", "--project", str(minimal))
    assert code == 1
    assert err.startswith("content/leaflets/mini.yaml: a leaflet with the id 'mini' already exists")
    assert "hint: choose another id" in err
    assert (minimal / LEAFLETS / "mini.yaml").read_bytes() == before


@pytest.mark.parametrize("bad", ["Lithium", "lithium_bipolar", "x-", "a--b", "con", "x" * 65])
def test_new_refuses_a_bad_id_with_a_located_message(minimal: Path, bad: str) -> None:
    code, _out, err = run("new", bad, "--project", str(minimal))
    assert code == 1
    assert err.startswith(f"content/leaflets/{bad}.yaml: leaflet id {bad!r}")
    assert "hint:" in err
    assert sorted(p.name for p in (minimal / LEAFLETS).iterdir()) == ["mini.yaml"]


def test_new_refuses_a_path_as_id(minimal: Path) -> None:
    assert run("new", "../../escape", "--project", str(minimal))[0] == 1
    assert not (minimal.parent / "escape.yaml").exists()


@pytest.mark.parametrize("kind", ["decision", "treatment", "information"])
def test_new_kind_stub_loads_without_a_real_source_or_topic_words(minimal: Path, kind: str) -> None:
    """Regression test for #15: the stub cited the project's first real source and spoke
    of "the treatment" and "a dummy tablet"; now each kind's stub is neutral and loads."""
    (minimal / "content" / "sources.yaml").write_text("sources: {}\n", encoding="utf-8")
    code, _out, err = run("new", f"stub-{kind}", "--kind", kind, "--project", str(minimal))
    assert code == 0, err
    text = (minimal / LEAFLETS / f"stub-{kind}.yaml").read_text(encoding="utf-8")
    assert f"kind: {kind}" in text
    assert "sources: [S1]" not in text
    assert '"stub-S1"' in text
    for topic_word in ("dummy tablet", "the treatment", "Who should not have"):
        assert topic_word not in text
    catalog = load_project(minimal, only=[minimal / LEAFLETS / f"stub-{kind}.yaml"])
    assert catalog.failed == {}
    [loaded] = catalog.leaflets
    assert loaded.leaflet.kind == kind


def test_new_from_copies_the_leaflet_with_a_new_id_and_no_reviews(minimal: Path) -> None:
    mini = minimal / LEAFLETS / "mini.yaml"
    mini.write_text(
        mini.read_text().replace("  - id: risks\n", "  # The risks, with rates.\n  - id: risks\n")
    )
    catalog = load_project(minimal)
    for unit in ("helps", "unknown", "side-effects", "ask-questions", "call-999", "leaflet:mini"):
        approve(catalog, unit, by="Dr A", role="GP", date=dt.date(2026, 1, 2))
        catalog = load_project(minimal)
    assert "reviews:" in mini.read_text()

    code, out, err = run("new", "mini-copy", "--from", "mini", "--project", str(minimal))
    assert (code, err) == (0, ""), err
    assert "without its reviews" in out
    copy = (minimal / LEAFLETS / "mini-copy.yaml").read_text()
    assert copy.splitlines()[0] == SCHEMA_HEADER
    assert "reviews:" not in copy
    assert "fingerprint" not in copy
    assert "  # The risks, with rates.\n" in copy  # comments stay
    catalog = load_project(minimal)
    assert catalog.failed == {}
    by_id = {loaded.leaflet.id: loaded for loaded in catalog.leaflets}
    assert [s.id for s in by_id["mini-copy"].leaflet.sections] == [
        s.id for s in by_id["mini"].leaflet.sections
    ]
    when = dt.date(2026, 2, 1)
    states = {s.unit.name: s.status for s in leaflet_reviews(by_id["mini-copy"], when, catalog)}
    # The shared block keeps its one review wherever it is used; the rest needs its own.
    assert states.pop("ask-questions") is ReviewStatus.REVIEWED
    assert set(states.values()) == {ReviewStatus.UNREVIEWED}
    originals = {s.status for s in leaflet_reviews(by_id["mini"], when, catalog)}
    assert originals == {ReviewStatus.REVIEWED}


def test_new_from_an_unknown_leaflet_suggests_one(minimal: Path) -> None:
    code, _out, err = run("new", "other", "--from", "minii", "--project", str(minimal))
    assert code == 1
    assert "no leaflet 'minii' to copy" in err
    assert "did you mean 'mini'?" in err


def test_new_from_a_broken_leaflet_is_refused_and_writes_nothing(minimal: Path) -> None:
    mini = minimal / LEAFLETS / "mini.yaml"
    mini.write_text(mini.read_text().replace("evidence_checked:", "evidance_checked:"))
    code, _out, err = run("new", "other", "--from", "mini", "--project", str(minimal))
    assert code == 1
    assert "content/leaflets/mini.yaml:8:1: unknown key 'evidance_checked'" in err
    assert "leaflet 'mini' has errors, so it was not copied" in err
    assert not (minimal / LEAFLETS / "other.yaml").exists()


def test_new_notes_a_missing_schema_file(minimal: Path) -> None:
    created = new_leaflet(minimal, "noted")
    assert any(SCHEMA_FILE in note for note in created.notes)
    (minimal / SCHEMA_FILE).write_text(schema_text(), encoding="utf-8")
    assert new_leaflet(minimal, "quiet").notes == []


# --- leaflets init --------------------------------------------------------------------------


def test_init_makes_the_project_from_package_data(starter: Path) -> None:
    files = sorted(p.relative_to(starter).as_posix() for p in starter.rglob("*") if p.is_file())
    assert files == [
        ".gitignore",
        "clinics/example-clinic/clinic.yaml",
        "clinics/example-clinic/logo.svg",
        "content/blocks/general.yaml",
        "content/images/tablet.svg",
        "content/leaflets/example-medicine.yaml",
        "content/sources.yaml",
        "content/wording.yaml",
        "leaflets.schema.json",
        "leaflets.yaml",
    ]
    packaged = resources.files("leaflets").joinpath("starter/leaflets.yaml").read_text()
    assert (starter / "leaflets.yaml").read_text() == packaged
    assert json.loads((starter / SCHEMA_FILE).read_text()) == json.loads(schema_text())
    catalog = load_project(starter)
    assert list(catalog.project.levels) == ["easy", "plain", "detailed"]
    assert all(level.targets for level in catalog.project.levels.values())
    assert len(catalog.sources) == 1


def test_init_project_checks_clean(starter: Path) -> None:
    """Clean but for the review warnings: the starter's wording is nobody's review yet."""
    code, out, err = run("check", str(starter))
    found = [line for line in err.splitlines() if not line.startswith("    hint:")]
    assert code == 0
    assert found, err
    assert all(line.endswith("[review]") for line in found), err
    assert f"1 leaflet(s) valid, 0 with errors; 0 error(s), {len(found)} warning(s)" in out


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, _out, err = run("init", str(tmp_path))
    assert code == 1
    assert "already exists and is not an empty folder" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    assert Path("leaflets.yaml") in init_project(tmp_path / "empty")


def test_init_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("mine")
    code, _out, err = run("init", str(tmp_path / "taken"))
    assert code == 1
    assert f"{tmp_path / 'taken'}: already exists and is not an empty folder" in err


def test_init_project_builds_with_a_new_leaflet_and_the_clinic(tmp_path: Path) -> None:
    root = tmp_path / "p"
    assert run("init", str(root))[0] == 0
    code, out, err = run("build", str(root), "--level", "easy", "-j", "1")
    assert code == 0, err
    assert "1 built, 0 unchanged, 0 failed" in out

    assert run("new", "my-leaflet", "--project", str(root))[0] == 0
    code, out, err = run("check", str(root))
    assert code == 0
    assert "[todo]" in err  # the starter's own wording rule finds the placeholders
    code, out, err = run("build", str(root), "--level", "easy", "-j", "1")
    assert code == 0, err
    assert "1 built, 1 unchanged, 0 failed" in out
    clinic = str(root / "clinics" / "example-clinic" / "clinic.yaml")
    code, out, err = run("build", str(root), "--level", "plain", "--clinic", clinic, "-j", "1")
    assert code == 0, err

    example = root / "output" / "example-medicine" / "example-medicine.easy.a4.pdf"
    with pdfplumber.open(example) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "Medicine X for headaches" in " ".join(text.split())
    branded = root / "output" / "example-clinic" / "my-leaflet" / "my-leaflet.plain.a4.pdf"
    with pdfplumber.open(branded) as pdf:
        first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert "Example Clinic" in first
    assert "TODO" in first


def test_new_from_keeps_a_comment_that_follows_the_reviews(minimal: Path) -> None:
    """The copy is edited with ruamel (issue 13): a comment written after a block's review
    records is about what follows, so it stays, and so does every quote and key order."""
    mini = minimal / LEAFLETS / "mini.yaml"
    text = mini.read_text()
    text = text.replace(
        "          all: We do not know the long-term effects.\n",
        "          all: We do not know the long-term effects.\n"
        "        reviews:\n"
        "          - by: Dr A\n"
        "            role: GP\n"
        "            date: 2026-01-02\n"
        "            next_review: 2027-01-02\n"
        f"            fingerprint: sha256:{64 * '0'}\n"
        "  # The risks, with rates.\n",
    )
    mini.write_text(text)
    code, _out, err = run("new", "mini-copy", "--from", "mini", "--project", str(minimal))
    assert (code, err) == (0, ""), err
    copy = (minimal / LEAFLETS / "mini-copy.yaml").read_text()
    assert "reviews:" not in copy
    assert "sha256:" not in copy
    assert (
        "          all: We do not know the long-term effects.\n"
        "  # The risks, with rates.\n"
        "  - id: risks\n"
    ) in copy
    assert 'version: "1.0"\n' in copy  # quotes kept
    body = [line for line in copy.splitlines() if not line.startswith("#")]
    assert body[0] == "id: mini-copy"
    original = [line for line in text.splitlines() if "reviews" not in line]
    assert body[1:5] == original[1:5]
