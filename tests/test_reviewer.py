"""The reviewer's side (issue 14): the approved wording kept, review diff, the review
packet, approving by part with confirmation, the governance log and reviews due soon.

The "Done means" flow runs on a scratch copy of the shipped sample: two blocks and the
summary are edited, and everything is asserted on real files (YAML, JSON, CSV, PDF text).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.cli.main import main
from leaflets.review.approved import Kept, hunks, sidecar_path, word_diff
from leaflets.review.state import ReviewStatus, leaflet_reviews
from leaflets.text.clinic_review import read_clinic_reviews
from leaflets.verify.contract import verify_pdf

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "ketamine-esketamine-depression"
SAMPLE_FILE = Path("content/leaflets") / f"{SAMPLE}.yaml"
SIDECAR = Path("content/reviews/leaflets") / f"{SAMPLE}.yaml"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def copy_sample(target: Path) -> Path:
    target.mkdir(parents=True)
    for name in ("content", "clinics"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "leaflets.yaml", target / "leaflets.yaml")
    return target


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


#: The three edits: the summary (leaflet unit) and two blocks, one word each.
EDITS = (
    (
        "    Esketamine is a nose spray for depression.\n",
        "    Esketamine is a nasal spray for depression.\n",
        f"leaflet:{SAMPLE}",
        "nose",
        "nasal",
    ),
    (
        "            About 1 out of 100 people stopped the dummy spray for this reason.",
        "            About 1 out of 100 people stopped the fake spray for this reason.",
        "risk-stopping",
        "dummy",
        "fake",
    ),
)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str, str]:
    """The edited sample, shared by the tests that only read it."""
    return edit_sample(tmp_path_factory.mktemp("reviewer") / "sample")


def edit_sample(target: Path) -> tuple[Path, str, str, str]:
    """A scratch sample with the summary and two blocks edited, one word each (the third
    in the first easy-level text of 'what-is-esketamine', found from the file)."""
    root = copy_sample(target)
    leaflet = root / SAMPLE_FILE
    for old, new, *_ in EDITS:
        replace_once(leaflet, old, new)
    text = leaflet.read_text(encoding="utf-8")
    start = text.index("- id: what-is-esketamine")
    start = text.index("easy: |\n", start) + len("easy: |\n")
    line = text[start : text.index("\n", start)]
    old_word = line.split()[-1]
    new_word = old_word.upper()
    changed = line.replace(old_word, new_word)
    leaflet.write_text(text[:start] + changed + text[start + len(line) :], encoding="utf-8")
    return root, "what-is-esketamine", old_word, new_word


def test_the_sample_keeps_the_wording_of_its_current_reviews() -> None:
    catalog = load_project(REPO)
    assert len(catalog.leaflets) >= 2  # both sample topics
    kept = Kept(catalog)
    today = dt.date(2026, 11, 27)
    for loaded in catalog.leaflets:
        for state in leaflet_reviews(loaded, today, catalog):
            assert state.review is not None
            wording = kept.wording(state.unit, state.review.fingerprint)
            assert wording is not None, state.unit.name
            assert wording[state.level], (state.unit.name, state.level)


def test_review_diff_shows_exactly_the_three_changes_word_by_word(
    edited: tuple[Path, str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, block, old_word, new_word = edited
    code, out, err = run("review", "diff", "--project", str(root), "--json")
    assert code == 0, err
    stale = json.loads(out)["stale"]
    assert sorted(unit["unit"] for unit in stale) == sorted(
        [f"leaflet:{SAMPLE}", "risk-stopping", block]
    )
    expected = {unit: (old, new) for _, _, unit, old, new in EDITS}
    expected[block] = (old_word, new_word)
    for unit in stale:
        changes = {
            (op, words) for level in unit["levels"] for op, words in level["diff"] if op != "equal"
        }
        old, new = expected[unit["unit"]]
        assert changes == {("delete", old), ("insert", new)}, unit["unit"]
        for level in unit["levels"]:
            assert level["kept"] is True
            assert f"[-{old}-] {{+{new}+}}" in level["marked"]
    # The terminal form reads without colour (not a terminal: no escape codes).
    code, out, _ = run("review", "diff", SAMPLE, "--project", str(root))
    assert code == 0
    assert "\033[" not in out
    assert "[-nose-] {+nasal+}" in out
    assert "[-dummy-] {+fake+}" in out
    assert f"[-{old_word}-] {{+{new_word}+}}" in out
    assert "3 unit(s) changed since approved" in out

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    terminal = Terminal()
    assert main(["review", "diff", "--project", str(root)], stdout=terminal) == 0
    coloured = terminal.getvalue()
    assert "\033[31m[-dummy-]\033[0m \033[32m{+fake+}\033[0m" in coloured


def test_review_diff_level_filter(edited: tuple[Path, str, str, str]) -> None:
    root = edited[0]
    code, out, _ = run("review", "diff", "--project", str(root), "--json", "--level", "easy")
    assert code == 0
    for unit in json.loads(out)["stale"]:
        assert {level["level"] for level in unit["levels"]} <= {"easy"}
    code, _, err = run("review", "diff", "--project", str(root), "--level", "nope")
    assert code == 2
    assert "unknown level 'nope'" in err


def test_review_packet_pdf_passes_the_pdf_checks_and_marks_changes(
    edited: tuple[Path, str, str, str], tmp_path: Path
) -> None:
    root, block, old_word, new_word = edited
    target = tmp_path / f"{SAMPLE}-review.pdf"  # --out is a folder (issue 13)
    code, out, err = run(
        "review",
        "packet",
        SAMPLE,
        "--format",
        "pdf",
        "--out",
        str(tmp_path),
        "--project",
        str(root),
    )
    assert code == 0, err
    assert "3 to review (3 changed since approved)" in out
    data = target.read_bytes()
    report = verify_pdf(data, "en-GB", None)
    assert report.problems == []
    assert report.headings[0] == "H1"
    # The deeper checks of `leaflets check --a11y` too: PDF/UA rules (table header scopes
    # included), empty headings, printed sizes (the packet's smallest print is 9 pt).
    from leaflets.verify.a11y import a11y_problems

    assert a11y_problems(data, 9) == []
    with pdfplumber.open(target) as pdf:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)
    assert "3 need review: 3 changed since they were approved" in text
    for old, new in (("nose", "nasal"), ("dummy", "fake"), (old_word, new_word)):
        assert f"[deleted: {old}] [inserted: {new}]" in text
    # Each unit to review: its words, sources, certainty reason and a sign-off table.
    assert "Sign-off for risk-stopping" in text
    assert f"Sign-off for {block}" in text
    assert "Name Role Date Approved / changes needed" in text
    assert "About 1 out of 100 people stopped the fake spray for this reason." in text
    catalog = load_project(root)
    [loaded] = [item for item in catalog.leaflets if item.leaflet.id == SAMPLE]
    risk = next(p.block for s in loaded.sections for p in s if p.block.id == "risk-stopping")
    for source_id in risk.sources:
        assert catalog.sources[source_id].organisation in text
    if risk.certainty is not None:
        assert " ".join(risk.certainty.reason.split())[:60] in text
    # Units approved and unchanged are listed compactly.
    assert "Approved and unchanged" in text


def test_review_packet_html_is_escaped_and_names_the_numbers(
    edited: tuple[Path, str, str, str], tmp_path: Path
) -> None:
    root = edited[0]
    target = tmp_path / f"{SAMPLE}-review.html"
    code, _, err = run(
        "review",
        "packet",
        SAMPLE,
        "--format",
        "html",
        "--out",
        str(tmp_path),
        "--project",
        str(root),
    )
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert "<del>[deleted: dummy]</del>" in html
    assert "<ins>[inserted: fake]</ins>" in html
    assert '<html lang="en-GB">' in html


def test_packet_shows_numbers_and_icon_array_of_a_frequencies_block(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    root = copy_sample(tmp_path / "s")
    catalog = load_project(root)
    [loaded] = [item for item in catalog.leaflets if item.leaflet.id == SAMPLE]
    placed = next(p for s in loaded.sections for p in s if p.block.frequencies is not None)
    target = tmp_path / f"{SAMPLE}-review.html"
    code, _, err = run(
        "review",
        "packet",
        SAMPLE,
        "--format",
        "html",
        "--out",
        str(tmp_path),
        "--project",
        str(root),
    )
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    # Every unit is approved, so the frequencies block is only listed compactly.
    assert f'<th scope="row">{placed.block.id}</th>' in html
    assert "Frequencies data" not in html
    # Drop its reviews: it is unreviewed, and the packet shows its numbers in full.
    path = root / placed.location.path
    yaml_rt = YAML()
    document = yaml_rt.load(path.read_text(encoding="utf-8"))
    node = document
    for part in placed.key_path:
        node = node[part]
    del node["reviews"]
    with path.open("w", encoding="utf-8") as handle:
        yaml_rt.dump(document, handle)
    code, _, err = run(
        "review",
        "packet",
        SAMPLE,
        "--format",
        "html",
        "--out",
        str(tmp_path),
        "--project",
        str(root),
    )
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    section = html[html.index(f"<h3>1. {placed.block.id}") :]
    section = section[: section.index("Sign-off for")]
    assert "Frequencies data" in section
    assert 'class="icon-grid"' in section
    frequencies = placed.block.frequencies
    assert frequencies is not None
    for group in frequencies.groups:
        assert f"<td>{group.count}</td>" in section
    assert "never reviewed" not in section  # the state is named per level instead
    assert "unreviewed (" in section


def test_approve_all_pending_records_them_and_release_build_passes(tmp_path: Path) -> None:
    root = edit_sample(tmp_path / "sample")[0]  # its own copy: this test writes
    today = dt.date.today().isoformat()  # the release gate reads the clock; no assert on it
    code, out, err = run(
        "review", "approve", "--leaflet", SAMPLE, "--all-pending", "--yes",
        "--by", "Leaflets editorial team", "--role", "editor",
        "--date", today, "--project", str(root),
    )  # fmt: skip
    assert code == 0, err
    assert len(re.findall(r"^recorded review of ", out, re.MULTILINE)) == 3
    catalog = load_project(root)
    [loaded] = [item for item in catalog.leaflets if item.leaflet.id == SAMPLE]
    states = leaflet_reviews(loaded, dt.date.today(), catalog)
    assert {s.status for s in states} == {ReviewStatus.REVIEWED}
    # The sidecar now keeps the new wording under the new fingerprints.
    kept = Kept(catalog)
    risk = next(s for s in states if s.unit.name == "risk-stopping" and s.level == "easy")
    assert risk.review is not None
    wording = kept.wording(risk.unit, risk.review.fingerprint)
    assert wording is not None
    assert any("stopped the fake spray" in line for line in wording["easy"])
    code, out, _ = run("review", "diff", "--project", str(root))
    assert "0 unit(s) changed since approved" in out
    options = BuildOptions(levels=("easy",), papers=("a4",), formats=("pdf",), release=True)
    report = build_catalog(catalog, root / "output", replace(options, languages=("en",)))
    assert report.ok, report.failed
    # The Spanish translation of the edited units is now stale: its release is refused,
    # located in the Spanish file (issue 17), and the English copies are not affected.
    report = build_catalog(catalog, root / "output", replace(options, languages=("es",)))
    [(name, problems)] = report.failed.items()
    assert name == f"{SAMPLE} (es, easy, release)"
    assert any(
        str(p.location.path) == f"content/translations/es/{SAMPLE}.yaml"
        and "the source wording changed since it was translated" in p.message
        for p in problems
    )


# --- the sidecar is data, checked like all content ------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("approved: [\n", "content/reviews/leaflets/mini.yaml:"),
        ("- just a list\n", "expected a mapping"),
        (
            "approved:\n  - unit: block:helps\n    fingerprint: md5:1\n    wording: {}\n",
            "fingerprint",
        ),
        ("approved:\n  - unit: block:helps\n    colour: red\n", "colour"),
        ("approved:\n\t- x\n", "tab"),
        ("approved: !!python/object:os.system x\n", "mini.yaml:1"),
    ],
)
def test_a_broken_sidecar_gives_a_located_error_not_a_traceback(
    minimal: Path, content: str, message: str
) -> None:
    sidecar = minimal / "content/reviews/leaflets/mini.yaml"
    sidecar.parent.mkdir(parents=True)
    sidecar.write_text(content, encoding="utf-8")
    code, _, err = run("review", "diff", "--project", str(minimal))
    assert code == 1, err
    assert "Traceback" not in err
    assert "internal error" not in err
    assert re.search(r"content/reviews/leaflets/mini\.yaml:\d+(:\d+)?: ", err), err
    assert message in err
    # `leaflets check` reports it too, and `review approve` refuses without writing.
    code, _, err = run("check", str(minimal))
    assert code == 1
    assert "content/reviews/leaflets/mini.yaml" in err
    before = (minimal / "content/leaflets/mini.yaml").read_text()
    code, _, err = run(
        "review", "approve", "helps", "--by", "A", "--role", "B", "--project", str(minimal)
    )
    assert code == 1
    assert "content/reviews/leaflets/mini.yaml" in err
    assert (minimal / "content/leaflets/mini.yaml").read_text() == before


def test_approve_writes_the_sidecar_beside_the_record(minimal: Path) -> None:
    code, _, err = run(
        "review", "approve", "helps", "--by", "Dr A", "--role", "GP",
        "--date", "2026-01-02", "--project", str(minimal),
    )  # fmt: skip
    assert code == 0, err
    assert sidecar_path(Path("content/leaflets/mini.yaml")) == Path(
        "content/reviews/leaflets/mini.yaml"
    )
    data = yaml.safe_load((minimal / "content/reviews/leaflets/mini.yaml").read_text())
    [record] = data["approved"]
    assert record["unit"] == "block:helps"
    assert set(record["wording"]) == {"easy", "plain"}
    leaflet = (minimal / "content/leaflets/mini.yaml").read_text()
    assert record["fingerprint"] in leaflet


def test_diff_says_when_the_approved_wording_was_not_kept(minimal: Path) -> None:
    run(
        "review", "approve", "helps", "--by", "Dr A", "--role", "GP",
        "--date", "2026-01-02", "--project", str(minimal),
    )  # fmt: skip
    shutil.rmtree(minimal / "content/reviews")
    leaflet = minimal / "content/leaflets/mini.yaml"
    replace_once(leaflet, "people felt better.", "people felt much better.")
    code, out, _ = run("review", "diff", "--project", str(minimal))
    assert code == 0
    assert "the approved wording was not kept" in out


def test_word_diff_and_hunks() -> None:
    ops = word_diff(["one two three four", "five"], ["one two 3 four", "five six"])
    assert [op for op in ops if op[0] != "equal"] == [
        ("delete", "three"),
        ("insert", "3"),
        ("insert", "six"),
    ]
    long = " ".join(f"w{i}" for i in range(40))
    ops = word_diff([f"a {long} b"], [f"A {long} B"])
    assert len(hunks(ops, context=3)) == 2
    assert hunks(word_diff(["same"], ["same"])) == []


# --- approving by part, carefully -----------------------------------------------------


def test_bulk_approve_without_a_terminal_or_yes_refuses(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leaflets.cli.review as review_cli

    before = (minimal / "content/leaflets/mini.yaml").read_text()
    monkeypatch.setattr(review_cli, "ask", lambda question, out: None)
    code, out, err = run(
        "review", "approve", "--all-pending", "--by", "A", "--role", "B",
        "--clinical", "--project", str(minimal),
    )  # fmt: skip
    assert code == 2
    assert "will record a clinical sign-off by A (B)" in out
    assert "add --yes" in err
    assert (minimal / "content/leaflets/mini.yaml").read_text() == before
    # On a terminal, "no" records nothing; "yes" records them.
    monkeypatch.setattr(review_cli, "ask", lambda question, out: False)
    code, out, _ = run(
        "review", "approve", "--all-pending", "--by", "A", "--role", "B",
        "--project", str(minimal),
    )  # fmt: skip
    assert code == 2
    assert "nothing recorded" in out
    assert (minimal / "content/leaflets/mini.yaml").read_text() == before
    monkeypatch.setattr(review_cli, "ask", lambda question, out: True)
    code, out, _ = run(
        "review", "approve", "--all-pending", "--by", "A", "--role", "B",
        "--project", str(minimal),
    )  # fmt: skip
    assert code == 0
    assert "recorded review of" in out
    assert (minimal / "content/leaflets/mini.yaml").read_text() != before


def _approve_every_unit(root: Path, *, clinical_except: str | None) -> None:
    leaflet = root / "content" / "leaflets" / "mini.yaml"
    certainty = "        certainty: {rating: moderate, reason: one trial}\n"
    leaflet.write_text(
        leaflet.read_text().replace(
            "        sources: [S1]\n", certainty + "        sources: [S1]\n"
        )
    )
    catalog = load_project(root)
    [loaded] = catalog.leaflets
    names = {s.unit.name for s in leaflet_reviews(loaded, dt.date(2026, 1, 2), catalog)}
    for name in sorted(names):
        args = ["review", "approve", name, "--by", "Dr A", "--role", "GP", "--yes"]
        if name != clinical_except:
            args.append("--clinical")
        code, _, err = run(
            *args, "--date", "2026-01-02", "--next-review", "2027-01-02", "--project", str(root)
        )
        assert code == 0, err


@pytest.mark.parametrize("editorial", [None, "helps"])
def test_release_says_clinically_reviewed_only_when_every_unit_is(
    minimal: Path, editorial: str | None
) -> None:
    _approve_every_unit(minimal, clinical_except=editorial)
    report = build_catalog(
        load_project(minimal),
        minimal / "output",
        BuildOptions(levels=("plain",), release=True, today=dt.date(2026, 3, 1)),
    )
    assert report.ok, report.failed
    with pdfplumber.open(minimal / "output" / report.built[0].path) as pdf:
        text = " ".join(" ".join((p.extract_text() or "") for p in pdf.pages).split())
    said = "This wording was clinically reviewed on 2 January 2026." in text
    assert said is (editorial is None)
    assert ("Example content." in text) is (editorial is not None)
    # The governance log says which sign-offs were clinical.
    code, out, _ = run("review", "log", "--format", "csv", "--project", str(minimal))
    assert code == 0
    kinds = {row["unit"]: row["kind"] for row in csv.DictReader(io.StringIO(out))}
    assert kinds["helps"] == ("editorial" if editorial else "clinical")
    assert kinds["leaflet:mini"] == "clinical"


# --- governance record ------------------------------------------------------------------


def test_review_log_csv_round_trips_with_one_row_per_approval(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "s")
    code, out, err = run("review", "log", "--format", "csv", "--project", str(root))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    catalog = load_project(root)
    records: set[tuple[str, str, dt.date]] = set()
    for loaded in catalog.leaflets:  # both sample topics; a shared block is one record
        unit = f"leaflet:{loaded.leaflet.id}"
        records |= {(unit, r.fingerprint, r.date) for r in loaded.leaflet.reviews}
        for section in loaded.sections:
            for placed in section:
                records |= {(placed.block.id, r.fingerprint, r.date) for r in placed.block.reviews}
    for clinic in catalog.clinics:  # each clinic's unit (issue clinic)
        unit = f"clinic:{clinic.clinic.id}"
        kept = read_clinic_reviews(root, clinic.clinic.id).reviews
        records |= {(unit, r.fingerprint, r.date) for r in kept}
    assert catalog.clinics
    assert len(rows) == len(records)
    assert {(r["unit"], r["fingerprint"], dt.date.fromisoformat(r["date"])) for r in rows} == (
        records
    )
    assert set(rows[0]) >= {
        "leaflet", "unit", "levels", "by", "role", "kind", "date", "next_review", "fingerprint",
    }  # fmt: skip
    assert {r["kind"] for r in rows} == {"editorial"}
    code, out, _ = run("review", "log", "--format", "json", "--project", str(root))
    assert len(json.loads(out)["approvals"]) == len(rows)


def test_status_due_within_uses_the_given_date(minimal: Path) -> None:
    for unit, due in (("helps", "2027-01-10"), ("side-effects", "2027-06-01")):
        code, _, err = run(
            "review", "approve", unit, "--by", "Dr A", "--role", "GP", "--date", "2026-06-01",
            "--next-review", due, "--project", str(minimal),
        )  # fmt: skip
        assert code == 0, err

    def due(today: str, within: str) -> str:
        code, out, err = run(
            "review", "status", str(minimal), "--due-within", within, "--today", today
        )
        assert code == 0, err
        return out

    out = due("2026-12-01", "60d")
    assert "due: mini helps" in out
    assert "side-effects" not in out
    assert "1 review(s) expired or due by 2027-01-30" in out
    out = due("2027-02-01", "60")
    assert "expired: mini helps" in out
    assert "side-effects" not in out
    out = due("2027-04-15", "60d")
    assert "expired: mini helps" in out
    assert "due: mini side-effects" in out
    code, _, err = run("review", "status", str(minimal), "--due-within", "soon")
    assert code == 2


# --- preview: review state per unit, read-only ---------------------------------------------


def test_preview_shows_what_changed_since_approval(minimal: Path) -> None:
    import urllib.request

    from leaflets.preview.server import serve

    code, _, err = run(
        "review", "approve", "helps", "--by", "Dr A", "--role", "GP", "--project", str(minimal)
    )
    assert code == 0, err
    leaflet = minimal / "content/leaflets/mini.yaml"
    replace_once(leaflet, "people felt better.", "people felt much better.")
    before = leaflet.read_bytes(), (minimal / "content/reviews/leaflets/mini.yaml").read_bytes()
    with serve(minimal, port=0) as server:
        url = server.url.rstrip("/") + "/leaflet/mini/easy"
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode("utf-8")
    row = page[page.index('id="row-helps"') :]
    row = row[: row.index('<div class="block', 10)]
    assert '<span class="state stale"' in row
    assert "Changed since it was approved:" in row
    assert "people felt <ins>[inserted: much]</ins> better." in row
    side = page[page.index('id="row-side-effects"') :]
    assert '<span class="state unreviewed"' in side[:400]
    # Read-only: nothing was written.
    assert (
        leaflet.read_bytes(),
        (minimal / "content/reviews/leaflets/mini.yaml").read_bytes(),
    ) == (before)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300))
def test_any_sidecar_text_reads_or_gives_located_problems(text: str) -> None:
    import tempfile

    from leaflets.errors import ContentError
    from leaflets.review.approved import read_sidecar

    with tempfile.TemporaryDirectory() as folder:
        shown = Path("content/reviews/leaflets/x.yaml")
        (Path(folder) / shown).parent.mkdir(parents=True)
        (Path(folder) / shown).write_text(text, encoding="utf-8", errors="surrogatepass")
        problems = []
        try:
            read_sidecar(Path(folder), shown)
        except ContentError as exc:
            problems = exc.problems
            assert problems
        assert all(str(p.location).startswith(str(shown)) for p in problems)


def test_a_leaflet_that_does_not_load_is_reported_and_the_diff_goes_on(minimal: Path) -> None:
    broken = minimal / "content/leaflets/broken.yaml"
    broken.write_text("id: broken\ntitle: [\n", encoding="utf-8")
    code, out, err = run("review", "diff", "--project", str(minimal))
    assert code == 1
    assert "content/leaflets/broken.yaml:" in err
    assert "unit(s) changed since approved" in out


def test_packet_of_a_leaflet_that_does_not_load_names_its_problems(minimal: Path) -> None:
    leaflet = minimal / "content/leaflets/mini.yaml"
    leaflet.write_text(leaflet.read_text() + "colour: red\n", encoding="utf-8")
    code, _, err = run("review", "packet", "mini", "--project", str(minimal), "--out", str(minimal))
    assert code == 1
    assert re.search(r"content/leaflets/mini\.yaml:\d+:\d+: .*colour", err), err
    code, _, err = run("review", "packet", "nope", "--project", str(minimal))
    assert code == 2
    assert "no leaflet 'nope'" in err
