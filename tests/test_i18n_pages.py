"""Every word of a page in another language comes from that language (gaps left by issue 17):
the QR code's title on a branded copy, the coverage of a clinic's own templates, and the
"not translated yet" mark of a draft translation (tests/test_translate.py) are in the
page's language and are reader text through the catalogs, checked on built HTML twins."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from leaflets import load_project
from leaflets.build.builder import BuildOptions, build_catalog
from leaflets.text.coverage import TextNodes, uncovered_words
from leaflets.text.i18n import messages
from leaflets.text.reader_text import reader_text
from test_reader_text import FIXTURES, TODAY, add_test_clinic, approve_everything, run

LEAFLET = {"es": "prueba", "ar": "ikhtibar"}


@pytest.fixture(params=["es", "ar"])
def branded(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A project written in Spanish or Arabic, reviewed, with a reviewed clinic."""
    language = str(request.param)
    root = tmp_path / language
    shutil.copytree(FIXTURES / language, root)
    approve_everything(root)
    add_test_clinic(root)
    return language, root


def _branded_html(root: Path) -> tuple[str, Path]:
    report = build_catalog(
        load_project(root), root / "output", BuildOptions(formats=("html",), today=TODAY)
    )
    assert not report.failed, report.failed
    [entry] = [e for e in report.built if "hillside" in e.path and ".plain." in e.path]
    return (root / "output" / entry.path).read_text(encoding="utf-8"), Path(entry.path)


def test_the_qr_code_title_is_in_the_page_language(branded: tuple[str, Path]) -> None:
    language, root = branded
    html, _ = _branded_html(root)
    url = f"https://example.org/hillside/{LEAFLET[language]}/plain"
    titles = re.findall(r'<svg[^>]*class="segno"[^>]*>\s*<title>([^<]*)</title>', html)
    expected = messages(language).gettext("QR code for %(url)s", url=url)
    assert titles == [expected]
    parser = TextNodes()
    parser.feed(html)
    assert not [node for node in parser.nodes if "QR code" in node]
    assert expected != f"QR code for {url}"  # a translation, not the English


def test_every_word_of_a_branded_page_in_another_language_is_covered(
    branded: tuple[str, Path],
) -> None:
    language, root = branded
    html, _ = _branded_html(root)
    catalog = load_project(root)
    [loaded] = catalog.leaflets
    [clinic] = catalog.clinics
    segments = reader_text(loaded, "plain", catalog, clinic=clinic)
    assert uncovered_words(html, segments, language) == []
    # the coverage test reads titles too (the page's and the figures'), and fails on a stray word
    parser = TextNodes()
    parser.feed(html.replace("</title>", " Stray words</title>", 1))
    assert any("Stray words" in node for node in parser.nodes)
    stray = html.replace("</title>", " Stray words</title>", 1)
    assert uncovered_words(stray, segments, language) == ["Stray words"]


def test_a_clinic_template_on_a_page_in_another_language(branded: tuple[str, Path]) -> None:
    """The catalog's wording in the page's language is the templates' own, not the clinic's
    (the English wording was used whatever the language); added words are still refused."""
    _language, root = branded
    templates = root / "clinics" / "hillside" / "templates"
    templates.mkdir()
    page = templates / "leaflet.html.j2"
    page.write_text('{% extends "!base/leaflet.html.j2" %}\n', encoding="utf-8")
    code, _, err = run("check", str(root))
    assert "[clinic-template]" not in err
    page.write_text(
        '{% extends "!base/leaflet.html.j2" %}\n'
        "{% block about %}{{ super() }}<p>Nuestra clínica cura todo.</p>{% endblock %}\n",
        encoding="utf-8",
    )
    code, _, err = run("check", str(root))
    assert code == 1
    assert "'Nuestra clínica cura todo' [clinic-template]" in err
    assert err.count("[clinic-template]") == len(load_project(root).project.levels)


# --- Latin words in a page in another script are marked with their language -------------------


def test_unmarked_latin_runs() -> None:
    from leaflets.text.language_marks import unmarked_latin

    text = "اسمه [Spravato]{lang=en} ويقدمه NHS England. انظر https://www.nhs.uk أو [الموقع](https://x.example)."
    assert unmarked_latin(text) == ["NHS England"]
    assert unmarked_latin("**A&E** و [Samaritans]{lang=en}") == ["A&E"]


@pytest.mark.parametrize("strict", [False, True])
def test_check_flags_an_unmarked_latin_word_in_an_arabic_leaflet(
    tmp_path: Path, strict: bool
) -> None:
    root = tmp_path / "ar"
    shutil.copytree(FIXTURES / "ar", root)
    path = root / "content" / "leaflets" / "ikhtibar.yaml"
    text = path.read_text(encoding="utf-8")
    flags = ("--strict",) if strict else ()
    before = run("check", *flags, str(root))
    assert "[language-mark]" not in before[2]
    line = next(
        i for i, x in enumerate(text.splitlines(), 1) if "{lang=en}" in x
    )  # the fixture's marked brand name: unmark it
    path.write_text(re.sub(r"\[([^\]]+)\]\{lang=en\}", r"\1", text), encoding="utf-8")
    code, _out, err = run("check", *flags, str(root))
    assert re.search(
        rf"content/leaflets/ikhtibar\.yaml:{line}:\d+: (?:\w+: )?block 'majhul' \(plain\): "
        r"'Testamol' is in Latin letters but not marked with its language \(the page is 'ar'\) "
        r"\[language-mark\]",
        err,
    ), err
    assert code == (1 if strict else before[0])


def test_latin_words_need_no_mark_in_a_latin_script_leaflet(tmp_path: Path) -> None:
    from leaflets.text.language_marks import unmarked_runs

    catalog = load_project(FIXTURES / "es")
    [loaded] = catalog.leaflets
    segments = reader_text(loaded, "plain", catalog)
    assert unmarked_runs(segments, "es") == []
    assert unmarked_runs(segments, "ar") != []  # the same words on an Arabic page would be


# --- icon arrays are mirrored on a right-to-left page ----------------------------------------

_GRID = re.compile(r'<svg[^>]*class="icon-grid"[^>]*>.*?</svg>', re.S)


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def _cells(path_d: str, size: float) -> set[tuple[int, int]]:
    """(column, row) of each figure drawn by a path (each starts with an `M x,y`)."""
    points = re.findall(r"M([\d.]+),([\d.]+)", path_d)
    return {(int(float(x) // size), int(float(y) // size)) for x, y in points}


@pytest.mark.parametrize(("language", "rtl"), [("ar", True), ("es", False)])
def test_icon_arrays_fill_from_the_reading_start(tmp_path: Path, language: str, rtl: bool) -> None:
    root = tmp_path / language
    shutil.copytree(FIXTURES / language, root)
    [leaflet] = (root / "content" / "leaflets").glob("*.yaml")
    text = leaflet.read_text(encoding="utf-8")  # counts that leave a row part-filled
    assert "count: 60" in text
    text = text.replace("count: 60", "count: 63").replace("count: 40", "count: 37")
    leaflet.write_text(text, encoding="utf-8")
    report = build_catalog(
        load_project(root), root / "output", BuildOptions(formats=("html",), today=TODAY)
    )
    assert not report.failed, report.failed
    [entry] = [e for e in report.built if ".plain." in e.path]
    html = (root / "output" / entry.path).read_text(encoding="utf-8")
    grids = _GRID.findall(html)
    assert grids
    for grid in grids:
        filled = int(_found(r'data-filled="(\d+)"', grid))
        empty = int(_found(r'data-empty="(\d+)"', grid))
        width = float(_found(r'viewBox="0 0 ([\d.]+) ', grid))
        height = float(_found(r'viewBox="0 0 [\d.]+ ([\d.]+)"', grid))
        cols = 10 if filled + empty == 100 else 40
        size = width / cols
        rows = round(height / size)
        expected = set()
        for k in range(filled):  # the bottom row first, from the side a reader starts
            position = k % cols
            expected.add((cols - 1 - position if rtl else position, rows - 1 - k // cols))
        assert _cells(_found(r'class="filled"[^>]* d="([^"]*)"', grid), size) == expected
        assert len(_cells(_found(r'class="empty"[^>]* d="([^"]*)"', grid), size)) == empty
        # the words are the same whatever the direction: the alt text says the numbers
        assert str(filled) in _found(r"<title>([^<]*)</title>", grid)
        assert filled % cols  # a part-filled row, where the direction shows


def test_the_english_of_a_draft_translation_is_reported_missing_not_unmarked() -> None:
    from leaflets.errors import Location
    from leaflets.text.language_marks import unmarked_runs
    from leaflets.text.reader_text import Segment

    mark = messages("ar").not_translated()
    assert mark != "[Not translated yet]"

    def segment(raw: str) -> Segment:
        return Segment("block:x", "text", "plain", Location(Path("x.yaml"), 1, 1), raw)

    draft = segment(f"{mark} We do not know the long-term effects.")
    written = segment("نحن لا نعرف NHS")
    assert [run for _, run in unmarked_runs([draft, written], "ar")] == ["NHS"]
