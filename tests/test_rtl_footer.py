"""The running footer right to left (issue rtl): the sample's Arabic leaflet built as a
release, regular and large print, read back with pdfplumber. The footer's two boxes swap
sides but keep their roles: the title and its meta on their own lines at the right,
"Page X of Y" whole at the left, nothing drawn over anything else, nothing off the paper."""

from __future__ import annotations

import itertools
from pathlib import Path

import pdfplumber
import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport
from leaflets.text.i18n import messages
from leaflets.verify.pagination import FOOTER_ZONE, logical

REPO = Path(__file__).resolve().parents[1]
LEAFLET = "ketamine-esketamine-depression"
pytestmark = pytest.mark.xdist_group("rtl-footer")  # one build per module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("rtl")
    options = BuildOptions(
        languages=("ar",),
        levels=("plain",),
        papers=("a4",),
        formats=("pdf",),
        release=True,
        jobs=2,
    )
    return out, build_catalog(load_project(REPO), out, options)


def _footer_lines(page: pdfplumber.page.Page) -> list[list[dict[str, float | str]]]:
    """The footer's characters, one list per baseline, left to right."""
    chars = [c for c in page.chars if c["top"] > page.height * (1 - FOOTER_ZONE)]
    lines: list[list[dict[str, float | str]]] = []
    for char in sorted(chars, key=lambda c: (round(float(c["bottom"])), float(c["x0"]))):
        if lines and abs(float(lines[-1][0]["bottom"]) - float(char["bottom"])) < 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: float(c["x0"])) for line in lines]


def _text(line: list[dict[str, float | str]]) -> str:
    """One baseline's text in reading order, a space wherever the glyphs leave a gap."""
    out = []
    for before, char in zip([None, *line], line, strict=False):
        if before is not None and float(char["x0"]) - float(before["x1"]) > 0.2 * float(
            char["size"]
        ):
            out.append(" ")
        out.append(str(char["text"]))
    return logical(" ".join("".join(out).split()))


def _overlaps(line: list[dict[str, float | str]]) -> list[str]:
    """Glyphs drawn over the glyph before them on one baseline (one box's text running
    into the other's): more than a third of the narrower glyph covered."""
    found = []
    for before, after in itertools.pairwise(line):
        cover = float(before["x1"]) - float(after["x0"])
        narrower = min(
            float(before["x1"]) - float(before["x0"]), float(after["x1"]) - float(after["x0"])
        )
        if narrower > 0.5 and cover > narrower / 3:
            found.append(f"{before['text']!r} under {after['text']!r}")
    return found


def test_arabic_release_builds_regular_and_large_print(
    built: tuple[Path, BuildReport],
) -> None:
    _, report = built
    assert report.ok, report.failed
    names = {entry.path for entry in report.built}
    assert f"{LEAFLET}/{LEAFLET}.ar.plain.a4.pdf" in names
    assert f"{LEAFLET}/{LEAFLET}.ar.plain.large.a4.pdf" in names


@pytest.mark.parametrize("kind", ["plain", "plain.large"])
def test_arabic_footer_keeps_its_lines_and_clear_of_the_page_counter(
    built: tuple[Path, BuildReport], kind: str
) -> None:
    out, _ = built
    pdf_path = out / LEAFLET / f"{LEAFLET}.ar.{kind}.a4.pdf"
    ar = messages("ar")
    version = ar.gettext("Version %(version)s").split()[0]  # the catalog's word, "الإصدار"
    with pdfplumber.open(pdf_path) as pdf:
        pages = len(pdf.pages)
        assert pages > 1
        for number, page in enumerate(pdf.pages, start=1):
            lines = _footer_lines(page)
            texts = [_text(line) for line in lines]
            assert len(lines) >= 2, (number, texts)  # the title, then the meta on its own
            for line, text in zip(lines, texts, strict=True):
                assert not _overlaps(line), (number, text, _overlaps(line))
                assert min(float(c["x0"]) for c in line) >= 5 * 72 / 25.4, (number, text)
                assert max(float(c["x1"]) for c in line) <= page.width - 5 * 72 / 25.4
            # "Page X of Y" is whole on one line; the version starts a line of its own,
            # never on the title's baseline
            counter = ar.gettext("Page %(page)s of %(pages)s") % {"page": number, "pages": pages}
            assert sum(counter in t for t in texts) == 1, (number, counter, texts)
            assert version not in texts[0], (number, texts)
            assert any(version in t for t in texts[1:]), (number, texts)


def test_printed_lines_are_judged_in_reading_order() -> None:
    from leaflets.verify.pagination import _continues

    # pdfminer gives right-to-left lines left to right: back to front
    assert logical("2027 ربمفون ةعجارملا · 1.0 رادصإلا") == "الإصدار 1.0 · المراجعة نوفمبر 2027"
    assert logical("Page 20 of 23") == "Page 20 of 23"
    assert logical("Version 1.0 · Review by 24 Nov 2027") == "Version 1.0 · Review by 24 Nov 2027"
    # a new field of an Arabic footer is not a wrap; a counter cut before its total is
    title, meta = "بائتكالا جالعل نيماتيكلا", "2027 ربمفون ةعجارملا · 1.0 رادصإلا"
    assert not _continues(logical(title), logical(meta))
    assert _continues(logical("نم 20 ةحفص"), logical("23"))
    assert _continues("Page 20 of", "23")
