"""Reviews bound to the exact wording: fingerprints, approve, status, release gate, draft."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions
from leaflets.cli.main import main
from leaflets.review.approve import approve
from leaflets.review.fingerprint import fingerprint
from leaflets.review.state import ReviewStatus, leaflet_reviews

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def statuses(root: Path, today: dt.date = TODAY) -> dict[tuple[str, str], ReviewStatus]:
    catalog = load_project(root)
    return {
        (s.unit.name, s.level): s.status
        for loaded in catalog.leaflets
        for s in leaflet_reviews(loaded, today, catalog)
    }


def approve_all(root: Path, **options: object) -> None:
    """Give every numeric block a certainty (a release needs it), then approve them all."""
    leaflet = root / "content" / "leaflets" / "mini.yaml"
    certainty = "        certainty: {rating: moderate, reason: one trial}\n"
    if certainty not in leaflet.read_text():
        leaflet.write_text(
            leaflet.read_text().replace(
                "        sources: [S1]\n", certainty + "        sources: [S1]\n"
            )
        )
    catalog = load_project(root)
    for block_id in sorted({block for block, _ in statuses(root)}):
        approve(
            catalog,
            block_id,
            by="Dr Test",
            role="consultant",
            date=dt.date(2026, 1, 2),
            next_review=dt.date(2027, 1, 2),
            **options,  # type: ignore[arg-type]
        )
        catalog = load_project(root)


def test_fingerprint_ignores_rewrapping_but_not_one_character(minimal: Path) -> None:
    [loaded] = load_project(minimal).leaflets
    block = loaded.sections[0][0].block
    assert block.text is not None
    rewrapped = block.model_copy(
        update={"text": {k: v.replace(" ", "\n  ", 1) for k, v in block.text.items()}}
    )
    edited = block.model_copy(update={"text": {**block.text, "plain": block.text["plain"] + "!"}})
    assert fingerprint(rewrapped) == fingerprint(block)
    assert fingerprint(edited) != fingerprint(block)
    # A review of the easy level only is not made stale by a change to the plain text.
    assert fingerprint(edited, ["easy"]) == fingerprint(block, ["easy"])


BANNER = "  # --- the next section ---------------------------------------------------------\n"


def approve_helps(root: Path, day: str) -> None:
    code, _, err = run(
        "review", "approve", "helps", "--by", "Dr Test", "--role", "editor", "--date", day,
        "--project", str(root),
    )  # fmt: skip
    assert code == 0, err


def test_approve_keeps_a_comment_after_the_block_after_it(minimal: Path) -> None:
    """Regression test (issue 13): a writer's comment lines after a block that has review
    records (a banner before the next section) stayed on the last record, so the next
    approval wrote its record after the comment, inside the list; the comment now stays
    once, after the block, and an end-of-line comment stays on its line."""
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    approve_helps(minimal, "2026-11-20")
    text = leaflet.read_text()
    first = re.search(r"fingerprint: sha256:[0-9a-f]+\n(?=  - id: uncertainty)", text)
    assert first is not None, text
    text = text[: first.end() - 1] + "  # the first\n\n" + BANNER + text[first.end() :]
    leaflet.write_text(text)
    assert BANNER + "  - id: uncertainty" in leaflet.read_text()
    approve_helps(minimal, "2026-11-22")
    approve_helps(minimal, "2026-11-24")
    text = leaflet.read_text()
    assert text.count("# --- the next section") == 1, text
    records = re.search(r"        reviews:\n((?:          .*\n)+)\n" + re.escape(BANNER), text)
    assert records is not None, text  # the records, a blank line, the banner, together
    dates = re.findall(r"- by: Dr Test\n\s+role: editor\n\s+date: (\S+)", records.group(1))
    assert dates == ["2026-11-20", "2026-11-22", "2026-11-24"], text
    assert re.search(r"fingerprint: sha256:[0-9a-f]+  # the first\n          - by:", text), text
    assert BANNER + "  - id: uncertainty" in text
    assert statuses(minimal)[("helps", "easy")] is ReviewStatus.REVIEWED


def test_approve_keeps_a_comment_after_a_block_not_yet_reviewed(minimal: Path) -> None:
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    text = leaflet.read_text()
    old = "        sources: [S1]\n  - id: uncertainty"
    assert old in text
    leaflet.write_text(text.replace(old, old.replace("\n", "\n" + BANNER, 1)))
    approve_helps(minimal, "2026-11-24")
    text = leaflet.read_text()
    assert text.count("# --- the next section") == 1, text
    assert re.search(r"fingerprint: sha256:[0-9a-f]+\n" + re.escape(BANNER) + "  - id: unc", text)


def test_approve_writes_a_record_that_keeps_comments(minimal: Path) -> None:
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    leaflet.write_text(
        "# Written by the test team.\n"
        + leaflet.read_text().replace(
            "      - id: helps\n", "      - id: helps  # the main benefit\n"
        )
    )
    assert statuses(minimal)[("helps", "easy")] is ReviewStatus.UNREVIEWED
    code, out, err = run(
        "review",
        "approve",
        "helps",
        "--by",
        "Dr Test",
        "--role",
        "consultant",
        "--date",
        "2026-11-24",
        "--clinical",
        "--project",
        str(minimal),
    )
    assert code == 0, err
    assert "recorded review of 'helps' (all levels) by Dr Test" in out
    text = leaflet.read_text()
    assert text.startswith("# Written by the test team.\n")
    assert "- id: helps  # the main benefit" in text
    assert re.search(
        r"reviews:\n\s+- by: Dr Test\n\s+role: consultant\n\s+date: 2026-11-24\n"
        r"\s+next_review: 2027-11-24\n\s+clinical: true\n\s+fingerprint: sha256:",
        text,
    )
    assert statuses(minimal)[("helps", "easy")] is ReviewStatus.REVIEWED
    assert statuses(minimal)[("side-effects", "easy")] is ReviewStatus.UNREVIEWED


def test_edit_after_review_is_stale_and_release_fails_at_the_block(minimal: Path) -> None:
    approve_all(minimal)
    assert set(statuses(minimal).values()) == {ReviewStatus.REVIEWED}
    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    leaflet.write_text(leaflet.read_text().replace("about 10 felt sick", "about 10 felt sicc"))
    assert statuses(minimal)[("side-effects", "plain")] is ReviewStatus.STALE
    code, _, err = run("build", str(minimal), "--release", "--quiet")
    assert code == 1
    line = next(
        n for n, t in enumerate(leaflet.read_text().splitlines(), 1) if "- id: side-effects" in t
    )
    assert (
        f"content/leaflets/mini.yaml:{line}:9: block 'side-effects' (easy, plain): wording "
        "changed since the review on 2026-01-02 by Dr Test"
    ) in err
    assert not list((minimal / "output").rglob("*.pdf"))


def test_expired_review(minimal: Path) -> None:
    approve_all(minimal)
    assert statuses(minimal, dt.date(2027, 1, 3))[("helps", "easy")] is ReviewStatus.EXPIRED


def test_level_specific_review(minimal: Path) -> None:
    catalog = load_project(minimal)
    approve(catalog, "helps", by="A", role="B", levels=["easy"], date=dt.date(2026, 1, 1))
    assert statuses(minimal)[("helps", "easy")] is ReviewStatus.REVIEWED
    assert statuses(minimal)[("helps", "plain")] is ReviewStatus.UNREVIEWED


def test_draft_build_stamps_every_page_and_lists_pending(minimal: Path) -> None:
    report = build_catalog(
        load_project(minimal), minimal / "output", BuildOptions(levels=("easy",), today=TODAY)
    )
    assert report.ok
    with pdfplumber.open(minimal / "output" / report.built[0].path) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    assert all("DRAFT — wording not reviewed" in page for page in pages)
    assert "Draft: wording not yet reviewed" in pages[-1]
    assert "block 'side-effects' (easy): wording not reviewed" in pages[-1]


def test_release_build_states_review_dates_and_example_notice(minimal: Path) -> None:
    approve_all(minimal)
    report = build_catalog(
        load_project(minimal),
        minimal / "output",
        BuildOptions(levels=("plain",), release=True, today=TODAY),
    )
    assert report.ok, report.failed
    with pdfplumber.open(minimal / "output" / report.built[0].path) as pdf:
        text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "DRAFT" not in text
    assert "was reviewed on 2 January 2026. It is due for review again by 2 January 2027" in text
    assert "Example content." in text  # no clinical sign-off recorded


def test_clinical_review_removes_example_notice(minimal: Path) -> None:
    approve_all(minimal, clinical=True)
    report = build_catalog(
        load_project(minimal),
        minimal / "output",
        BuildOptions(levels=("plain",), release=True, today=TODAY),
    )
    with pdfplumber.open(minimal / "output" / report.built[0].path) as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Example content" not in text


def test_sample_content_passes_release_and_says_it_is_example_content(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "output", ".git", "tests"))
    assert set(statuses(root).values()) == {ReviewStatus.REVIEWED}
    catalog = load_project(root)
    for loaded in catalog.leaflets:  # both topics (issue 15)
        roles = {s.review.role for s in leaflet_reviews(loaded, TODAY, catalog) if s.review}
        assert roles == {"editor"}


def test_review_status_lists_pending(minimal: Path) -> None:
    code, out, _ = run("review", "status", str(minimal))
    assert code == 0
    assert "unreviewed: block 'helps' (easy): wording not reviewed" in out
    assert out.strip().endswith(
        "0 reviewed, 12 unreviewed, 0 stale, 0 expired "
        "(unit x level: every block, and each leaflet's own text)"
    )


def test_approve_unknown_block_is_a_usage_error(minimal: Path) -> None:
    code, _, err = run(
        "review", "approve", "nope", "--by", "A", "--role", "B", "--project", str(minimal)
    )
    assert code == 2
    assert "no block 'nope'" in err


@pytest.mark.parametrize("level", ["easy", "plain"])
def test_icon_array_has_right_number_of_filled_figures(minimal: Path, level: str) -> None:
    """Regression for issue 3: icon arrays filled from the bottom row up, with alt text."""
    from leaflets.render.render import render_html
    from leaflets.render.templates import make_environment
    from leaflets.text.levels import context_for

    leaflet = minimal / "content" / "leaflets" / "mini.yaml"
    leaflet.write_text(
        leaflet.read_text().replace(
            "      - id: helps\n",
            "      - id: helps-numbers\n"
            "        kind: frequencies\n"
            "        frequencies:\n"
            "          out_of: 100\n"
            "          who: {all: people}\n"
            "          time: {all: after 4 weeks}\n"
            "          outcome: {all: felt better}\n"
            "          groups:\n"
            "            - {label: {all: with the medicine}, count: 60}\n"
            "            - {label: {all: without it}, count: 40}\n"
            "        certainty: {rating: moderate, reason: one good trial}\n"
            "        sources: [S1]\n"
            "      - id: helps\n",
        )
    )
    catalog = load_project(minimal)
    html = render_html(make_environment(minimal), context_for(catalog.leaflets[0], level, catalog))
    svgs = re.findall(r"<svg[^>]*class=\"icon-grid\".*?</svg>", html, re.DOTALL)
    assert len(svgs) == 2
    for svg, filled in zip(svgs, (60, 40), strict=True):
        heads = {
            kind: len(re.findall(r"a[\d.]+,[\d.]+ 0 1,0 -", path))
            for kind, path in re.findall(r'<path class="(filled|empty)"[^>]* d="([^"]*)"', svg)
        }
        assert heads == {"filled": filled, "empty": 100 - filled}
        assert f'data-filled="{filled}" data-empty="{100 - filled}"' in svg
        assert f"{filled} out of 100 people felt better, and {100 - filled} did not" in svg
        # Filled from the bottom row up: every filled figure sits below every empty one.
        filled_y = [float(y) for y in re.findall(r"Z?M[\d.]+,([\d.]+)a", _path(svg, "filled"))]
        empty_y = [float(y) for y in re.findall(r"Z?M[\d.]+,([\d.]+)a", _path(svg, "empty"))]
        assert min(filled_y) >= max(empty_y) - 7 * 1  # at most the shared, part-filled row
        assert max(filled_y) > max(empty_y)
    assert "about 60 felt better with the medicine" in html
    assert "How sure are we?</strong> We are fairly sure about this." in html


def _path(svg: str, kind: str) -> str:
    return re.search(rf'<path class="{kind}"[^>]* d="([^"]*)"', svg).group(1)  # type: ignore[union-attr]
