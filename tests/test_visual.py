"""What a person would look at: first pages as PNG, and pictures beside the words.

The first page of every sample variant is rendered to tests/artifacts/ (git-ignored) with
pdftoppm so a person can look at it. The layout rule of Easy Read (ER1: a picture beside
each idea, pictures on the left, words on the right) is checked from the PDF itself: every
pictogram's tagged Figure box sits in the left column at the easy level and in the right
column at the others.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from leaflets.build.builder import BuildReport
from leaflets.build.manifest import ManifestEntry
from leaflets.render.pdf import walk_structure

ARTIFACTS = Path(__file__).parent / "artifacts"
CSS_PX_PER_PT = 4 / 3


def pictogram_boxes(path: Path) -> list[tuple[float, float, float]]:
    """(x0, x1, page width) in points for every pictogram (not icon arrays, not QR codes)."""
    boxes = []
    with pikepdf.open(path) as pdf:
        width = float(pdf.pages[0].MediaBox[2])
        for element in walk_structure(pdf.Root.StructTreeRoot):
            alt = str(element.get("/Alt", ""))
            if str(element.S) != "/Figure" or "out of" in alt or alt.startswith("QR code"):
                continue
            x0, _, x1, _ = (float(v) / CSS_PX_PER_PT for v in element.A.BBox)
            boxes.append((x0, x1, width))
    return boxes


def test_easy_read_pictures_sit_left_of_the_words(
    sample_build: tuple[Path, BuildReport],
) -> None:
    out, report = sample_build
    [easy] = [e for e in _regular(report) if e.level == "easy"]
    boxes = pictogram_boxes(out / easy.path)
    assert len(boxes) >= 20  # a picture beside each key idea
    for x0, x1, width in boxes:
        assert x1 < 0.35 * width, (x0, x1)  # the left column: pictures first (ER1)


@pytest.mark.parametrize("level", ["plain", "detailed"])
def test_other_levels_keep_pictures_to_the_right(
    sample_build: tuple[Path, BuildReport], level: str
) -> None:
    out, report = sample_build
    [entry] = [e for e in _regular(report) if e.level == level]
    boxes = pictogram_boxes(out / entry.path)
    assert boxes, "no pictures found: the check below would pass on nothing"
    for x0, _x1, width in boxes:
        assert x0 > 0.6 * width


def test_first_pages_rendered_for_people_to_look_at(
    sample_build: tuple[Path, BuildReport],
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed: no PNGs to look at")
    out, report = sample_build
    ARTIFACTS.mkdir(exist_ok=True)
    for entry in (e for e in report.built if e.format == "pdf"):
        clinic = f"{entry.clinic}." if entry.clinic else ""
        target = ARTIFACTS / (clinic + Path(entry.path).name.removesuffix(".pdf"))
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(out / entry.path),
                str(target),
            ],
            check=True,
        )
        png = target.parent / (target.name + ".png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000  # a real page, not a blank one


def _regular(report: BuildReport) -> list[ManifestEntry]:
    """The ketamine leaflet's unbranded, regular-size A4 PDFs."""
    return [
        e
        for e in report.built
        if e.format == "pdf"
        and e.paper == "a4"
        and not e.large_print
        and e.clinic is None
        and e.leaflet == "ketamine-esketamine-depression"
    ]
