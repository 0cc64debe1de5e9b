"""The shipped sample's translations (issue 17): the ketamine leaflet in Spanish (every
level) and Arabic (plain), built as releases and read back from the PDFs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from leaflets import build_catalog, load_project
from leaflets.build.builder import BuildOptions, BuildReport
from leaflets.text.i18n import messages
from leaflets.text.numbers import numbers_in
from leaflets.text.translate import translations
from leaflets.text.translation_file import source_segments, unit_ids
from leaflets.text.translation_state import TranslationStatus, translation_states

REPO = Path(__file__).resolve().parents[1]
LEAFLET = "ketamine-esketamine-depression"
pytestmark = pytest.mark.xdist_group("sample-translations")  # one build per module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("translated")
    options = BuildOptions(
        languages=("es", "ar"),
        levels=("easy", "plain"),
        papers=("a4",),
        formats=("pdf",),
        large_print=False,
        release=True,
        jobs=2,
    )
    return out, build_catalog(load_project(REPO), out, options)


#: Bidi marks poppler adds around right-to-left lines.
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def text_of(pdf: Path) -> str:
    result = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_every_unit_is_translated_current_and_reviewed_editorially() -> None:
    catalog = load_project(REPO)
    [loaded] = [x for x in catalog.leaflets if x.leaflet.id == LEAFLET]
    for language, levels in (("es", ("easy", "plain", "detailed")), ("ar", ("plain",))):
        found, problems = translations(catalog).of(language)
        assert not problems
        translation = found[LEAFLET]
        assert translation.levels == levels
        states = translation_states(catalog, loaded, translation)
        assert {s.status for s in states} == {TranslationStatus.REVIEWED}
        for state in states:
            review = state.review
            assert review is not None
            assert review.reviewer == "Leaflets editorial team"
            assert not review.certified
            assert not review.clinical  # an editorial check, never claimed as more


def test_release_builds_spanish_and_arabic_with_their_language(
    built: tuple[Path, BuildReport],
) -> None:
    out, report = built
    assert report.ok, report.failed
    names = {entry.path for entry in report.built}
    assert f"{LEAFLET}/{LEAFLET}.es.easy.a4.pdf" in names
    assert f"{LEAFLET}/{LEAFLET}.es.plain.a4.pdf" in names
    assert f"{LEAFLET}/{LEAFLET}.ar.plain.a4.pdf" in names
    assert not any(".ar.easy." in name for name in names)  # Arabic: plain only
    assert {entry.language for entry in report.built} == {"es", "ar"}
    for language in ("es", "ar"):
        with pikepdf.open(out / LEAFLET / f"{LEAFLET}.{language}.plain.a4.pdf") as pdf:
            assert str(pdf.Root.Lang) == language


@pytest.mark.parametrize(("language", "level"), [("es", "easy"), ("es", "plain"), ("ar", "plain")])
def test_no_english_unit_text_and_every_number_in_the_translated_pdf(
    built: tuple[Path, BuildReport], language: str, level: str
) -> None:
    out, _ = built
    text = text_of(out / LEAFLET / f"{LEAFLET}.{language}.{level}.a4.pdf")
    catalog = load_project(REPO)
    [loaded] = [x for x in catalog.leaflets if x.leaflet.id == LEAFLET]
    translation = translations(catalog).of(language)[0][LEAFLET]
    english_sentences = 0
    for unit in unit_ids(loaded):
        source = source_segments(loaded, catalog, unit, level)
        if source is None:  # not shown at this level
            continue
        for key, value in source.items():
            if key.startswith("project.") or key in ("about.authors",):
                continue
            for item in value if isinstance(value, list) else value.split("\n\n"):
                for sentence in re.split(r"(?<=[.?!:])\s+", item):
                    if len(sentence.split()) >= 5:
                        english_sentences += 1
                        assert sentence not in text, (unit, key, sentence)
        entry = translation.entry(unit, level)
        assert entry is not None
        if unit.startswith("block:") and "text" in entry.text:  # printed as written
            translated = entry.text["text"]
            assert isinstance(translated, str)
            for number in numbers_in(translated.split("\n\n")[0], language):
                digits = number.replace(".", "").lstrip("0")
                assert digits in text.replace(",", "").replace(".", ""), number
    assert english_sentences > 50  # the check read the leaflet, not nothing


def test_the_pdf_says_what_the_translation_check_was(built: tuple[Path, BuildReport]) -> None:
    out, _ = built
    for language in ("es", "ar"):
        text = text_of(out / LEAFLET / f"{LEAFLET}.{language}.plain.a4.pdf")
        # The template's words are the page language's (issue 17b: message catalogs).
        words = messages(language)
        said = words.gettext(
            "Translation by %(translator)s, checked by %(reviewer)s, %(role)s",
            translator="Leaflets editorial team",
            reviewer="Leaflets editorial team",
            role="",
        )
        flat = " ".join(BIDI.sub("", text).split())
        if language == "es":
            assert said.rstrip(", ") in flat
        assert "Leaflets editorial team" in flat
        assert words.gettext("About this translation.").rstrip(".") in flat
        assert "DRAFT" not in text
        assert words.gettext("DRAFT — translation incomplete or out of date") not in text


def test_a_copy_of_the_sample_goes_stale_when_the_english_changes(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".venv", "output", ".git", "po"))
    leaflet = root / "content" / "blocks" / "treatment-day.yaml"
    text = leaflet.read_text(encoding="utf-8")
    assert "Ask someone to take you home after your treatment." in text
    leaflet.write_text(
        text.replace(
            "Ask someone to take you home after your treatment.",
            "Ask a friend to take you home after your treatment.",
        ),
        encoding="utf-8",
    )
    catalog = load_project(root)
    [loaded] = [x for x in catalog.leaflets if x.leaflet.id == LEAFLET]
    translation = translations(catalog).of("es")[0][LEAFLET]
    stale = {
        (s.unit, s.level)
        for s in translation_states(catalog, loaded, translation)
        if s.status is TranslationStatus.STALE
    }
    assert stale == {("block:esketamine-lift-home", "easy")}


def test_every_latin_word_of_the_arabic_leaflet_is_marked_and_tagged(
    built: tuple[Path, BuildReport],
) -> None:
    """The Arabic reader's text has no Latin run outside a `{lang=en}` mark (the check's
    own rule, language_marks.py), and each mark is a structure element with /Lang en."""
    from leaflets.render.pdflang import lang_of_elements
    from leaflets.text.inline import language_runs
    from leaflets.text.language_marks import unmarked_runs
    from leaflets.text.reader_text import reader_text

    catalog = load_project(REPO)
    [loaded] = [x for x in catalog.leaflets if x.leaflet.id == LEAFLET]
    leaflet_catalog, arabic = translations(catalog).localise(loaded, "ar", "plain")
    segments = reader_text(arabic, "plain", leaflet_catalog)
    assert [(str(s.location), run) for s, run in unmarked_runs(segments, "ar")] == []
    marked = [run for s in segments for run in language_runs(s.raw)]
    assert {"SPRAVATO", "NHS", "NICE", "FDA", "Samaritans"} <= {words for _, words in marked}
    out, _ = built
    data = (out / LEAFLET / f"{LEAFLET}.ar.plain.a4.pdf").read_bytes()
    tagged = [lang for _kind, lang in lang_of_elements(data)]
    assert tagged.count("en") >= len(marked)  # a part split over lines has several
