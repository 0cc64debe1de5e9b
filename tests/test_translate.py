"""Translations bound to their source (issue 17): language variants, translation files and
their states, the release gate, numbers that survive translation, PO export and import.

Every test works on a copy of the minimal project translated into Spanish through the real
commands (`translate export`, a translator filling the PO file, `translate import`,
`translate approve`) and reads the built PDFs back.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import polib
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.cli.main import main
from leaflets.content.load import load_project
from leaflets.errors import ContentError
from leaflets.text.numbers import numbers_in
from leaflets.text.translate import translations
from leaflets.text.translation_file import load_translation
from leaflets.text.translation_state import TranslationStatus, translation_states

FIXTURES = Path(__file__).parent / "fixtures"

#: The minimal project's English, and a faithful Spanish translation of it.
SPANISH = {
    "Test medicine": "Medicamento de prueba",
    "This leaflet tells you about the test medicine.": (
        "Este folleto le informa sobre el medicamento de prueba."
    ),
    "What are the benefits?": "¿Cuáles son los beneficios?",
    "What we do not know": "Lo que no sabemos",
    "What are the risks?": "¿Cuáles son los riesgos?",
    "Questions to ask": "Preguntas que puede hacer",
    "Get help fast": "Pida ayuda rápido",
    "Test writers": "Redactores de prueba",
    "No external funding.": "Sin financiación externa.",
    "The authors declare none.": "Los autores no declaran ninguno.",
    "Checked every year.": "Se revisa cada año.",
    "Test Clinic": "Clínica de prueba",
    "Tell us what you think at the front desk.": "Díganos lo que piensa en la recepción.",
    "Ask us for easy read or large print.": "Pídanos la versión de lectura fácil o letra grande.",
    "Easy read": "Lectura fácil",
    "Plain": "Sencillo",
    "About 60 out of 100 people felt better.": "Unas 60 de cada 100 personas se sintieron mejor.",
    "A blue dot": "Un punto azul",
    "We do not know the long-term effects.": "No sabemos los efectos a largo plazo.",
    "About 10 out of 100 people felt sick.": "Unas 10 de cada 100 personas tuvieron náuseas.",
    "What will happen?": "¿Qué va a pasar?",
    "Who can I call?": "¿A quién puedo llamar?",
    "If you feel very unwell, call 999.": "Si se siente muy mal, llame al 999.",
    "About the test medicine": "Sobre el medicamento de prueba",
    "Out of 100 people, about 60 felt better with the medicine and about 40 without it.": (
        "De cada 100 personas, unas 60 se sintieron mejor con el medicamento y unas 40 sin él."
    ),
    "Out of 100 people, about 10 felt sick with the medicine and about 5 without it.": (
        "De cada 100 personas, unas 10 tuvieron náuseas con el medicamento y unas 5 sin él."
    ),
}
EDITOR = [
    "--translator",
    "Test translator",
    "--reviewer",
    "Test editor",
    "--role",
    "editor",
    "--method",
    "forward",
]


def run(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*args], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal project, every English unit reviewed, building en and es."""
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", root)
    text = (root / "leaflets.yaml").read_text(encoding="utf-8")
    (root / "leaflets.yaml").write_text(text + "outputs:\n  languages: [en, es]\n", "utf-8")
    leaflet = root / "content" / "leaflets" / "mini.yaml"
    sure = "        sources: [S1]\n        certainty: {rating: moderate, reason: One trial.}\n"
    text = leaflet.read_text(encoding="utf-8").replace("        sources: [S1]\n", sure)
    leaflet.write_text(text, encoding="utf-8")  # the English passes a release build
    monkeypatch.chdir(root)
    code, _, err = run(
        root, "review", "approve", "--all-pending", "--by", "Ed", "--role", "editor", "--yes"
    )
    assert code == 0, err
    return root


def export(root: Path) -> polib.POFile:
    code, _out, err = run(root, "translate", "export", "--lang", "es", "mini")
    assert code == 0, err
    return polib.pofile(str(root / "po" / "mini.es.po"))


def translate(root: Path, fill: dict[str, str] = SPANISH) -> Path:
    po = export(root)
    for entry in po:
        entry.msgstr = fill[entry.msgid]
    target = root / "po" / "mini.es.po"
    po.save(str(target))
    return target


def translated_and_approved(root: Path) -> None:
    code, _, err = run(root, "translate", "import", str(translate(root)))
    assert code == 0, err
    code, _out, err = run(root, "translate", "approve", "--lang", "es", "mini", *EDITOR)
    assert code == 0, err


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_export_is_a_po_file_with_context_notes_and_numbers(project: Path) -> None:
    po = export(project)
    contexts = {entry.msgctxt for entry in po}
    assert "block:helps|plain|text" in contexts
    assert "block:ask-questions|easy|items#1" in contexts
    assert "leaflet:mini|easy|sections.benefits.heading" in contexts
    assert po.metadata["Language"] == "es"
    assert po.metadata["X-Leaflet"] == "mini"
    helps = next(e for e in po if e.msgctxt == "block:helps|plain|text")
    assert "Keep these numbers exactly: 100, 60, 40" in helps.comment
    assert re.search(r"sentences of at most \d+ words", helps.comment)
    assert all(entry.msgstr == "" for entry in po)  # nothing translated yet


def test_release_refuses_missing_then_builds_reviewed_spanish(project: Path) -> None:
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 0
    assert "0 built" in out
    assert not list((project / "output").rglob("*.es.*.pdf"))
    fill = dict(SPANISH, **{"What will happen?": ""})  # one list item left untranslated
    code, out, err = run(project, "translate", "import", str(translate(project, fill)))
    assert code == 0, err
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 1
    assert re.search(
        r"content/translations/es/mini\.yaml:\d+:\d+: block:ask-questions \(easy, plain, es\): "
        r"not translated \[translation\]",
        err,
    ), err
    translated_and_approved(project)
    code, out, err = run(project, "translate", "status", "--lang", "es")
    assert "0 missing, 0 stale, 0 unreviewed" in out
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 0, err
    built = project / "output" / "mini" / "mini.es.plain.a4.pdf"
    with pikepdf.open(built) as pdf:
        assert str(pdf.Root.Lang) == "es"
    text = pdf_text(built)
    for spanish in ("Sobre el medicamento de prueba", "unas 60 se sintieron mejor", "llame al 999"):
        assert spanish in " ".join(text.split())
    for english in SPANISH:  # no English unit leaked into the translated leaflet
        if len(english.split()) > 2:
            assert english not in " ".join(text.split()), english
    assert "Un editor comprobó esta traducción con el texto en inglés" in " ".join(text.split())
    assert "DRAFT" not in text
    manifest = (project / "output" / "manifest.json").read_text(encoding="utf-8")
    assert '"language": "es"' in manifest
    # the English build is still named as before
    code, out, err = run(project, "build", "--lang", "en", "--format", "pdf", "--level", "plain")
    assert code == 0, err
    assert (project / "output" / "mini" / "mini.plain.a4.pdf").is_file()


def test_stale_unit_after_english_edit_fails_release_at_the_spanish_line(project: Path) -> None:
    translated_and_approved(project)
    leaflet = project / "content" / "leaflets" / "mini.yaml"
    text = leaflet.read_text(encoding="utf-8")
    leaflet.write_text(text.replace("We do not know the long-term", "Nobody knows the long-term"))
    code, _, err = run(
        project, "review", "approve", "unknown", "--by", "Ed", "--role", "editor", "--yes"
    )
    assert code == 0, err
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 1
    spanish = (project / "content/translations/es/mini.yaml").read_text(encoding="utf-8")
    lines = spanish.splitlines()
    unit_line = next(i for i, line in enumerate(lines, 1) if line.strip() == "block:unknown:")
    match = re.search(
        r"content/translations/es/mini\.yaml:(\d+):\d+: block:unknown \(easy, plain, es\): "
        r"the source wording changed",
        err,
    )
    assert match, err
    assert unit_line < int(match.group(1)) <= unit_line + 2  # the unit's level entry
    # a draft build still builds, and says so on every page
    code, out, err = run(project, "build", "--lang", "es", "--format", "pdf", "--level", "plain")
    assert code == 0, err
    pdf = project / "output" / "mini" / "mini.es.plain.a4.pdf"
    pages = pdf_text(pdf).split("\f")
    assert all("BORRADOR — traducción incompleta o desactualizada" in p for p in pages if p.strip())
    # export shows the unit fuzzy, with the English it was made from
    po = export(project)
    entry = next(e for e in po if e.msgctxt == "block:unknown|plain|text")
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == "We do not know the long-term effects."
    assert entry.msgid == "Nobody knows the long-term effects."
    assert entry.msgstr == "No sabemos los efectos a largo plazo."
    # importing it still fuzzy changes nothing; corrected, it imports, and after review passes
    po.save(str(project / "po" / "mini.es.po"))
    code, out, err = run(project, "translate", "import", "po/mini.es.po")
    assert code == 0
    assert "fuzzy, not imported" in err
    for e in po:
        if e.msgctxt.startswith("block:unknown|"):
            e.flags.remove("fuzzy")
            e.previous_msgid = None
            e.msgstr = "Nadie sabe los efectos a largo plazo."
    po.save(str(project / "po" / "mini.es.po"))
    code, out, err = run(project, "translate", "import", "po/mini.es.po")
    assert code == 0, err
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 1
    assert "translation not reviewed" in err
    code, out, err = run(project, "translate", "approve", "--lang", "es", "mini", *EDITOR)
    assert code == 0
    assert "2 unit(s) approved" in out
    code, out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 0, err
    text = " ".join(pdf_text(pdf).split())
    assert "Nadie sabe los efectos a largo plazo." in text
    assert "DRAFT" not in text


def test_changed_number_fails_import_at_the_po_line(project: Path) -> None:
    fill = dict(SPANISH)
    fill["About 60 out of 100 people felt better."] = (
        "Unas 65 de cada 100 personas se sintieron mejor."
    )
    target = translate(project, fill)
    code, _out, err = run(project, "translate", "import", str(target))
    assert code == 1
    po = polib.pofile(str(target))
    line = next(e.linenum for e in po if e.msgctxt == "block:helps|easy|text")
    assert f"mini.es.po:{line}: block:helps (easy) text: the numbers differ" in err
    assert "missing 60; not in the source 65" in err
    assert not (project / "content/translations/es/mini.yaml").exists()  # nothing written


def test_changed_number_in_the_yaml_fails_build_located(project: Path) -> None:
    translated_and_approved(project)
    path = project / "content/translations/es/mini.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("llame al 999", "llame al 911"), encoding="utf-8")
    code, _out, err = run(project, "build", "--lang", "es", "--format", "pdf")  # a draft too
    assert code == 1
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "llame al 911" in x)
    assert f"content/translations/es/mini.yaml:{line}:" in err
    assert "missing 999; not in the source 911 [translation-numbers]" in err
    code, _out, err = run(project, "check", "--lang", "es")
    assert code == 1
    assert "[translation-numbers]" in err


def test_missing_unit_in_a_draft_is_marked_never_silent(project: Path) -> None:
    fill = dict(SPANISH)
    fill["We do not know the long-term effects."] = ""  # left untranslated
    code, _, err = run(project, "translate", "import", str(translate(project, fill)))
    assert code == 0, err
    code, _out, err = run(project, "build", "--lang", "es", "--format", "pdf", "--level", "easy")
    assert code == 0, err
    text = " ".join(pdf_text(project / "output/mini/mini.es.easy.a4.pdf").split())
    assert "[Aún sin traducir] We do not know the long-term effects." in text
    assert "Not translated" not in text  # the mark is in the page language (i18n.py)
    assert "Traducción en borrador." in text  # the template's words in Spanish (17b)
    code, _out, err = run(project, "build", "--release", "--lang", "es", "--format", "pdf")
    assert code == 1
    assert re.search(r"mini\.yaml:\d+:\d+: block:unknown \(easy, plain, es\): not translated", err)


def test_unknown_unit_is_located_with_a_suggestion(project: Path) -> None:
    translated_and_approved(project)
    code, _, err = run(project, "build", "--format", "pdf")
    assert code == 0, err
    path = project / "content/translations/es/mini.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("block:helps:", "block:hepls:"), encoding="utf-8")
    line = next(i for i, x in enumerate(path.read_text().splitlines(), 1) if "block:hepls" in x)
    code, _out, err = run(project, "check", "--lang", "es")
    assert code == 1
    assert f"content/translations/es/mini.yaml:{line}:3: no review unit 'block:hepls'" in err
    assert "did you mean 'block:helps'?" in err
    # the broken file stops only the Spanish copy; English still builds, and the Spanish
    # files of an earlier build stay (a broken input never prunes)
    assert (project / "output/mini/mini.es.plain.a4.pdf").is_file()
    code, _out, err = run(project, "build", "--format", "pdf")
    assert code == 1
    assert (project / "output/mini/mini.plain.a4.pdf").is_file()
    assert (project / "output/mini/mini.es.plain.a4.pdf").is_file()


def test_unknown_language_is_a_usage_error(project: Path) -> None:
    code, _out, err = run(project, "build", "--lang", "fr")
    assert code == 2
    assert "does not build language 'fr'" in err


def test_spanish_wording_rules_fire_on_translated_text(project: Path) -> None:
    fill = dict(SPANISH)
    fill["We do not know the long-term effects."] = "Es una cura milagrosa y revolucionaria."
    code, _, err = run(project, "translate", "import", str(translate(project, fill)))
    assert code == 0, err
    code, _out, err = run(project, "check", "--lang", "es", "--strict")
    assert code == 1
    assert "[cure]" in err
    assert "[hype]" in err
    assert "content/translations/es/mini.yaml:" in err


@pytest.mark.parametrize(
    ("source", "translated", "language", "same"),
    [
        ("about 69 out of 1,000", "unas 69 de cada 1.000", "es", True),
        ("2.5 mg twice", "2,5 mg dos veces", "es", True),
        ("two hours", "dos horas", "es", True),
        ("call 0800 000 0000", "llame al 0800 000 000", "es", False),
        ("about 69 out of 100", "حوالي ٦٩ من كل ١٠٠", "ar", True),
        ("about 69 out of 100", "حوالي ٦٨ من كل ١٠٠", "ar", False),
        ("at least 2 hours", "ساعتين على الأقل", "ar", True),  # the dual says "two hours"
        ("only one of the three", "واحدة فقط من الثلاث", "ar", True),
        ("at least 2 hours", "ساعة واحدة على الأقل", "ar", False),
    ],
)
def test_numbers_in_other_scripts_and_words(
    source: str, translated: str, language: str, same: bool
) -> None:
    assert (sorted(numbers_in(source)) == sorted(numbers_in(translated, language))) is same


_SAFE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), max_size=40
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.dictionaries(
            st.sampled_from(["leaflet", "language", "units", "levels", "x"]), _SAFE_TEXT
        ),
        st.fixed_dictionaries(
            {
                "leaflet": st.just("mini"),
                "language": st.just("es"),
                "units": st.dictionaries(
                    st.sampled_from(["block:helps", "block:hlps", "leaflet:mini", "x"]),
                    st.dictionaries(
                        st.sampled_from(["easy", "plain", "detailed"]),
                        st.fixed_dictionaries(
                            {
                                "source": st.sampled_from(["sha256:" + "0" * 64, "nope"]),
                                "text": st.dictionaries(
                                    st.sampled_from(["text", "image.alt", "items", "tex"]),
                                    st.one_of(_SAFE_TEXT, st.lists(_SAFE_TEXT, max_size=2)),
                                ),
                            }
                        ),
                    ),
                ),
            }
        ),
    )
)
def test_loader_never_raises_anything_but_located_content_errors(
    project: Path, data: dict[str, object]
) -> None:
    catalog = load_project(project)
    [loaded] = catalog.leaflets
    path = project / "content" / "translations" / "es" / "mini.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = []
    try:
        translation = load_translation(catalog, loaded, path, "es")
    except ContentError as exc:
        problems = exc.problems
    if problems:
        for problem in problems:
            assert problem.location.path == Path("content/translations/es/mini.yaml")
        return
    states = translation_states(catalog, loaded, translation)
    assert {s.status for s in states} <= set(TranslationStatus)
    assert all(s.status is not TranslationStatus.REVIEWED for s in states)  # no reviews


def test_states_follow_the_source(project: Path) -> None:
    translated_and_approved(project)
    catalog = load_project(project)
    [loaded] = catalog.leaflets
    found, problems = translations(catalog).of("es")
    assert not problems
    states = translation_states(catalog, loaded, found["mini"])
    assert {s.status for s in states} == {TranslationStatus.REVIEWED}
    assert {(s.unit, s.level) for s in states} >= {
        ("block:helps", "easy"),
        ("leaflet:mini", "plain"),
    }


@pytest.mark.parametrize(
    ("language", "text", "rule"),
    [
        ("es", "Es un tratamiento milagroso.", "hype"),
        ("es", "Esta cura funciona.", "cure"),
        ("es", "Es un avance revolucionario.", "hype"),
        ("es", "Es completamente seguro.", "absolute-safety"),
        ("ar", "هذا الدواء معجزة حقيقية.", "hype"),
        ("ar", "الدواء آمن تمامًا.", "absolute-safety"),
    ],
)
def test_per_language_wording_rules(language: str, text: str, rule: str) -> None:
    from leaflets.text.check import load_rules

    rules = load_rules(None, language)
    assert rule in {r.id for r in rules if r.pattern.search(text)}
    english = load_rules(None, "en")
    assert not any(r.pattern.search(text) for r in english if r.id == rule)  # not English rules


# --- preview --lang: the translation, live, as build --lang makes it -----------------------


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def test_preview_lang_shows_the_translation(project: Path) -> None:
    from leaflets.errors import UsageError
    from leaflets.preview.server import serve

    translated_and_approved(project)
    with serve(project, port=0, language="es") as server:
        assert server.choose(None, None) == (None, None)  # the index
        index = _get(server.url)[2].decode("utf-8")
        assert '<a href="/leaflet/mini/plain">' in index
        status, _headers, body = _get(server.url + "twin/mini/plain")
        twin = body.decode("utf-8")
        assert status == 200
        assert '<html lang="es"' in twin
        assert "De cada 100 personas, unas 60 se sintieron mejor" in twin
        assert "Out of 100 people" not in twin
        page = _get(server.url + "leaflet/mini/easy")[2].decode("utf-8")
        assert 'src="/twin/mini/easy"' in page
        assert "content/translations/es/mini.yaml:" in page  # rows located in the translation
        status, headers, pdf = _get(server.url + "pdf/mini/plain")
        assert status == 200, pdf[:300]
        assert 'filename="mini.es.plain.a4.pdf"' in headers["Content-Disposition"]
        (project / "preview.pdf").write_bytes(pdf)
        words = " ".join(pdf_text(project / "preview.pdf").split())
        assert "Sobre el medicamento de prueba" in words
        assert "About the test medicine" not in words
    with (
        serve(project, port=0, language="fr") as server,
        pytest.raises(UsageError, match="does not build language 'fr'"),
    ):
        server.choose(None, None)
    (project / "content/translations/es/mini.yaml").unlink()
    with serve(project, port=0, language="es") as server:
        server.choose(None, None)
        page = _get(server.url + "leaflet/mini/plain")[2].decode("utf-8")
        assert "has no translation into &#39;es&#39;" in page
        assert "leaflets translate export --lang es mini" in page
        assert '<a href="/leaflet/mini' not in _get(server.url)[2].decode("utf-8")


def test_preview_lang_on_the_command_line(project: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    root = str(project)
    assert main(["preview", "--lang", "fr", "--project", root, "--port", "0"], out, err) == 2
    assert "does not build language 'fr'" in err.getvalue()
