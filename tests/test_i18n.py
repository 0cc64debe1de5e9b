"""Leaflets in other languages and scripts (issue 17): message catalogs, dates, plurals,
right-to-left layout, script fonts, /Lang of marked parts, text extraction.

The fixtures `es` and `ar` are projects written in Spanish and Arabic (not translations),
so these tests need no translation workflow: the render language is the leaflet's own."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from leaflets import load_project
from leaflets.build.builder import BuildReport, build_catalog
from leaflets.errors import RenderError
from leaflets.render.catalogs import extract_messages, merged_catalog, po_text
from leaflets.render.pdflang import lang_of_elements, language_parts
from leaflets.text.i18n import catalog_entries, catalog_file, catalog_for, messages
from leaflets.text.inline import format_inline, language_runs, plain_text
from leaflets.text.reader_text import template_wording

FIXTURES = Path(__file__).parent / "fixtures"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
#: Bidi marks poppler adds around right-to-left lines.
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module", params=["es", "ar"])
def built(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, BuildReport]:
    language = str(request.param)
    root = tmp_path_factory.mktemp(f"i18n-{language}") / language
    shutil.copytree(FIXTURES / language, root)
    report = build_catalog(load_project(root), root / "output")
    assert not report.failed, report.failed
    return language, root / "output", report


def _pdfs(out: Path, report: BuildReport) -> list[Path]:
    return [out / e.path for e in report.built if e.path.endswith(".pdf")]


def _pdftotext(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return BIDI.sub("", text)


# --- catalogs -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_committed_catalog_is_current(language: str) -> None:
    """No stale catalog is trusted: the file equals a fresh merge of what the templates and
    levels.py ask for today (`make messages` rewrites it)."""
    assert catalog_file(language).read_bytes() == po_text(merged_catalog(language)), (
        f"{catalog_file(language)} is out of date: run 'make messages' and translate"
    )


@pytest.mark.parametrize("language", ["es", "ar"])
def test_every_msgid_has_a_translation_with_the_same_placeholders(language: str) -> None:
    catalog = catalog_entries(language)
    missing, bad = [], []
    for wanted in extract_messages():
        if not wanted.id:
            continue
        found = catalog.get(wanted.id, context=wanted.context)
        forms = () if found is None else found.string
        forms = forms if isinstance(forms, tuple) else (forms,)
        if found is None or "fuzzy" in found.flags or not all(forms):
            missing.append(wanted.id)
            continue
        source = wanted.id if isinstance(wanted.id, str) else wanted.id[1]
        for form in forms:
            if not set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(source)):
                bad.append((source, form))
    assert not missing, f"untranslated in {language}: {missing}"
    assert not bad, f"placeholders not in the msgid: {bad}"


def test_a_stale_catalog_is_caught(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The currency check fails when a template asks for a msgid the catalog lacks."""
    import leaflets.render.catalogs as catalogs

    pot = extract_messages()
    pot.add("A sentence no catalog has yet")
    monkeypatch.setattr(catalogs, "extract_messages", lambda: pot)
    assert catalog_file("es").read_bytes() != po_text(catalogs.merged_catalog("es"))
    new = catalogs.merged_catalog("es").get("A sentence no catalog has yet")
    assert new is not None
    assert not new.string


def test_catalog_for_a_tag() -> None:
    assert catalog_for("es-419") == "es"
    assert catalog_for("en-GB") == "en"
    assert catalog_for("ar-EG") == "ar"
    assert catalog_for("fr") is None
    with pytest.raises(RenderError, match="no message catalog for language 'fr'"):
        messages("fr")


def test_dates_numbers_and_plurals_per_locale() -> None:
    day = dt.date(2026, 11, 24)
    assert messages("en-GB").long_date(day) == "24 November 2026"
    assert messages("es").long_date(day) == "24 de noviembre de 2026"
    assert messages("ar").long_date(day) == "24 نوفمبر 2026"
    assert messages("en-GB").number(10000) == "10,000"
    assert messages("es").number(10000) == "10.000"
    words = messages("ar")
    one, many = (
        "We used %(num)s trusted source to write this.",
        "We used %(num)s trusted sources to write this.",
    )
    forms = {n: words.ngettext(one, many, n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 6  # Arabic: zero, one, two, few, many, other
    assert all(str(n) in text for n, text in forms.items())
    assert (
        messages("es").ngettext(one, many, 1) == "Usamos 1 fuente de confianza para escribir esto."
    )
    assert (
        messages("es").ngettext(one, many, 3) == "Usamos 3 fuentes de confianza para escribir esto."
    )


def test_direction_and_script() -> None:
    assert (messages("ar").direction, messages("ar").script) == ("rtl", "Arab")
    assert (messages("es").direction, messages("es").script) == ("ltr", "Latn")
    assert messages("en-GB").direction == "ltr"


def test_template_wording_is_per_language() -> None:
    spanish = "\n".join(template_wording("es"))
    assert "Palabras\\ que\\ usamos" in spanish
    assert "Words\\ we\\ use" not in spanish
    assert any(
        re.fullmatch(p, "Próxima revisión: 15 de enero de 2027") for p in template_wording("es")
    )
    assert any(re.fullmatch(p, "Words we use") for p in template_wording("en-GB"))


# --- inline language spans ----------------------------------------------------------------


def test_language_span_markup() -> None:
    text = "El nombre es [**Testamol** nasal]{lang=en} y [x]{lang=not a tag}."
    html = str(format_inline(text))
    assert '<span lang="en" dir="ltr"><strong>Testamol</strong> nasal</span>' in html
    assert "[x]{lang=not a tag}" in html  # not a tag: left as typed
    assert plain_text(text) == "El nombre es Testamol nasal y [x]{lang=not a tag}."
    assert language_runs(text) == [("en", "Testamol nasal")]
    assert language_parts(f'<html lang="es"><body><p>{html}</p></body></html>') == [
        ("en", "Testamol nasal")
    ]


# --- built leaflets -----------------------------------------------------------------------


def _english_pieces(language: str) -> list[str]:
    """Fixed English wording (every template and sentence-frame msgid, split at its
    placeholders) that the language's catalog does not itself use."""
    translated = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else str(m.string)
        for m in catalog_entries(language)
    )
    pieces = set()
    for message in extract_messages():
        if not message.id or message.context:
            continue
        for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in PLACEHOLDER.split(msgid)[::2]:
                piece = " ".join(piece.strip(" .,:;()?·").split())
                if len(piece) >= 4 and not re.search(rf"\b{re.escape(piece)}\b", translated):
                    pieces.add(piece)
    return sorted(pieces, key=len, reverse=True)


def test_no_english_fixed_string_leaks(built: tuple[str, Path, BuildReport]) -> None:
    """Regression test for issue 17: a Spanish or Arabic leaflet prints no English
    template wording, sentence frame, month or "Page X of Y" (pdftotext of every PDF)."""
    language, out, report = built
    pieces = _english_pieces(language)
    assert "Words we use" in pieces
    assert "Page" in pieces
    months = [dt.date(2026, m, 1).strftime("%B") for m in range(1, 13)]
    for pdf in _pdfs(out, report):
        text = " ".join(_pdftotext(pdf).split())
        leaked = [p for p in (*pieces, *months) if re.search(rf"\b{re.escape(p)}\b", text)]
        assert not leaked, f"{pdf.name}: English in a {language} leaflet: {leaked}"
    assert any("Página 1 de" in _pdftotext(p) for p in _pdfs(out, report)) or language != "es"
    assert any(re.search(r"صفحة\s*1\s*من", _pdftotext(p)) for p in _pdfs(out, report)) or (
        language != "ar"
    )


def test_document_language_direction_and_fonts(built: tuple[str, Path, BuildReport]) -> None:
    language, out, report = built
    for pdf_path in _pdfs(out, report):
        with pikepdf.open(pdf_path) as pdf:
            assert str(pdf.Root.Lang) == language
            fonts = {
                str(font.BaseFont).split("+", 1)[-1]: font
                for page in pdf.pages
                for font in page.Resources.Font.values()
            }
            for name, font in fonts.items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor, f"{name} not embedded"
                assert "+" in str(font.BaseFont)  # subset
                assert "/ToUnicode" in font
        if language == "ar":
            assert any(name.startswith("Noto-Naskh-Arabic") for name in fonts)
        else:
            assert all(name.startswith("Atkinson-Hyperlegible") for name in fonts)
    for entry in report.built:
        if entry.path.endswith(".html"):
            html = (out / entry.path).read_text()
            assert f'<html lang="{language}"' in html
            assert ('dir="rtl"' in html) == (language == "ar")


def test_arabic_text_comes_back_in_logical_order(built: tuple[str, Path, BuildReport]) -> None:
    """pdftotext gives the Arabic as written (the font's glyphs map one to one to
    characters), and reading order follows the source: heading, then its paragraphs."""
    language, out, report = built
    if language != "ar":
        pytest.skip("Arabic only")
    [pdf] = _pdfs(out, report)
    text = _pdftotext(pdf)
    for written in (
        "عن الدواء الاختباري",
        "تشرح هذه النشرة الدواء الاختباري",  # poppler moves neutral "." around
        "ما هي الفوائد؟",
        "لا نعرف الآثار على المدى الطويل",
        "ما مدى تأكدنا؟",
        "كلمات نستخدمها" if "كلمات نستخدمها" in text else "عن هذه النشرة",
    ):
        assert written in text, written
    order = [
        text.index(h)
        for h in ("ما هي الفوائد؟", "ما لا نعرفه", "ما هي المخاطر؟", "اطلب المساعدة بسرعة")
    ]
    assert order == sorted(order)


def test_marked_parts_carry_their_own_lang(built: tuple[str, Path, BuildReport]) -> None:
    """`[Testamol]{lang=en}` becomes a `/Span` with `/Lang (en)` whose text is the word."""
    language, out, report = built
    for pdf_path in _pdfs(out, report):
        data = pdf_path.read_bytes()
        assert ("/Span", "en") in lang_of_elements(data)
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert str(pdf.Root.Lang) == language


def test_a_marked_part_that_cannot_be_found_fails(tmp_path: Path) -> None:
    from leaflets.errors import Location
    from leaflets.render.pdflang import tag_languages

    pdf = _pdfs(*_build(tmp_path, "es"))[0]
    with pytest.raises(RenderError, match="not found in the PDF's structure"):
        tag_languages(pdf.read_bytes(), [("fr", "Bonjour tout le monde")], Location(Path("x")))


def _build(tmp_path: Path, language: str) -> tuple[Path, BuildReport]:
    root = tmp_path / language
    shutil.copytree(FIXTURES / language, root)
    report = build_catalog(load_project(root), root / "output")
    return root / "output", report


# --- readability per language -------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("agua", 2), ("leer", 2), ("bueno", 2), ("ciudad", 2), ("día", 2), ("baúl", 2),
        ("buey", 1), ("queso", 2), ("guitarra", 3), ("pingüino", 3), ("hoy", 1), ("reyes", 2),
        ("país", 2), ("aeropuerto", 5), ("medicamento", 5), ("secundarios", 4),
        ("construcción", 3), ("murciélago", 4), ("oír", 2), ("poeta", 3), ("huevo", 2),
        ("y", 1), ("100", 1), ("Australia", 3),
    ],
)  # fmt: skip
def test_spanish_syllables_by_rule(word: str, count: int) -> None:
    from leaflets.text.readability_es import syllables_es

    assert syllables_es(word) == count


def test_spanish_formulas_and_inflesz_bands() -> None:
    from leaflets.text.readability_es import (
        fernandez_huerta,
        inflesz_band,
        measure_es,
        szigriszt_pazos,
    )

    # 100 words, 5 sentences, 200 syllables: the published formulas by hand
    assert fernandez_huerta(100, 5, 200) == pytest.approx(206.84 - 0.60 * 200 - 1.02 * 20)
    assert szigriszt_pazos(100, 5, 200) == pytest.approx(206.835 - 62.3 * 2 - 20)
    assert [inflesz_band(x) for x in (90, 70, 60, 45, 30)] == [
        "very easy", "quite easy", "normal", "somewhat difficult", "very difficult",
    ]  # fmt: skip
    easy = measure_es(["El perro come. La casa es grande."])
    hard = measure_es(
        ["La administración intravenosa de antidepresivos tricíclicos requiere "
         "monitorización electrocardiográfica continuada durante la hospitalización."]
    )  # fmt: skip
    assert (easy.sentences, easy.words, easy.syllables) == (2, 7, 11)
    assert easy.szigriszt_pazos > 80 > 40 > hard.szigriszt_pazos
    assert easy.fernandez_huerta > hard.fernandez_huerta


def test_report_readability_lang_es_gives_the_spanish_formulas(tmp_path: Path) -> None:
    import json

    from leaflets.cli.main import main

    root = tmp_path / "es"
    shutil.copytree(FIXTURES / "es", root)
    out, err = io.StringIO(), io.StringIO()
    main(["report", "readability", str(root), "--lang", "es", "--format", "json"], out, err)
    grades = json.loads(out.getvalue())["grades"]
    assert {g["level"] for g in grades} == {"easy", "plain", "detailed"}
    for grade in grades:
        assert grade["formulas"] == "es"
        assert 0 < grade["szigriszt_pazos"] <= 120
        assert grade["inflesz"]
        assert "fernandez_huerta" in grade
        assert "smog_grade" not in grade["whole"]  # no English grade for Spanish text
        assert "flesch_kincaid_grade" not in grade["whole"]


def test_a_language_without_formulas_gets_sentence_length_only(tmp_path: Path) -> None:
    import json

    from leaflets.cli.main import main

    root = tmp_path / "ar"
    shutil.copytree(FIXTURES / "ar", root)
    out, err = io.StringIO(), io.StringIO()
    main(["report", "readability", str(root), "--format", "json"], out, err)
    [grade] = json.loads(out.getvalue())["grades"]
    assert grade["formulas"] is None
    assert "no validated readability formula for 'ar'" in grade["note"]
    assert "smog_grade" not in grade["whole"]
    assert 0 <= grade["long_word_share"] <= 1
    table = io.StringIO()
    main(["report", "readability", str(root)], table, err)
    assert "sentence length and long-word share only" in table.getvalue()
    assert "SMOG" not in table.getvalue()


@pytest.mark.parametrize("language", ["en", "es"])
def test_catalog_wording_passes_the_languages_wording_rules(language: str) -> None:
    """The catalogs are reader text: each translation, placeholders filled with a neutral
    word, passes the built-in wording rules of its language (check.load_rules)."""
    from leaflets.text.check import load_rules
    from leaflets.text.readability import split_sentences

    rules = load_rules(None, language)
    assert rules
    fired = []
    for message in catalog_entries(language):
        if not message.id or message.context:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            text = PLACEHOLDER.sub("3", str(form))
            for sentence in split_sentences(text):
                for rule in rules:
                    match = rule.pattern.search(sentence)
                    if match and not (rule.unless and rule.unless.search(sentence)):
                        fired.append((rule.id, sentence))
    assert not fired, fired


def test_spanish_and_arabic_pdfs_pass_the_accessibility_checks(
    built: tuple[str, Path, BuildReport],
) -> None:
    """`leaflets check --a11y` on the built files: PDF/UA-1 machine rules (pdfua), printed
    sizes, empty headings, and the HTML twins' `lang` (output_checks.check_outputs)."""
    from leaflets.build.output_checks import check_outputs

    _language, out, report = built
    catalog = load_project(out.parent)
    assert report.built
    assert check_outputs(catalog, out) == []
    # the check reads these files: a PDF that lost its language is reported
    broken = out.parent / "broken-output"
    shutil.copytree(out, broken)
    first = broken / next(e.path for e in report.built if e.path.endswith(".pdf"))
    with pikepdf.open(first, allow_overwriting_input=True) as pdf:
        del pdf.Root["/Lang"]
        pdf.save(first)
    assert check_outputs(catalog, broken)
