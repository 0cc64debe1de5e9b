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
