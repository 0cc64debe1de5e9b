"""The built-in templates and the sentence modules in, the message catalog template (POT) out.

`extract_messages()` finds every msgid the built-in theme and the generated sentences use:
`_()`, `gettext`, `ngettext`, `pgettext` and `{% trans %}` in the templates (Jinja's own
Babel extractor, with the `trimmed` policy templates.py sets), `words.gettext(...)` and
friends in the Python modules that make reader text, and the built-in certainty phrases.
`update_catalogs()` merges it into every `locale/*/LC_MESSAGES/leaflets.po` (new msgids
come in untranslated, fuzzy matches are flagged, the English catalog maps each msgid to
itself); `make messages` runs it. tests/test_i18n.py checks the committed catalogs are
current and complete, so a template string without a translation fails the suite.
"""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.pofile import read_po, write_po

from ..content.model import DEFAULT_CERTAINTY_PHRASES
from ..text.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE, catalog_file, catalog_languages
from .templates import builtin_templates_dir

#: Python modules whose strings a reader sees (sentence frames, date patterns, footer).
PYTHON_SOURCES = (
    "text/levels.py",
    "text/generated.py",
    "text/i18n.py",
    "text/reader_text.py",
)
#: Templates of the leaflet itself (the review packet and print station are staff pages).
LEAFLET_TEMPLATES = (
    "base.html.j2",
    "leaflet.html.j2",
    "level-easy.html.j2",
    "_blocks.html.j2",
    "_icon_array.html.j2",
    "_url.html.j2",
)


HEADER = """\
# The built-in theme's own words and generated sentences in {language} (leaflets, MIT).
# Updated by `make messages` (src/leaflets/catalogs.py); translate the msgstr lines only.
# Placeholders such as %(date)s must stay; docs/translations.md explains each one.
#"""


def extract_messages() -> Catalog:
    """Every msgid the leaflet templates and reader-text code use, with where it is."""
    pot = Catalog(domain=DOMAIN, project="leaflets", fuzzy=False)
    keywords = dict(DEFAULT_KEYWORDS)
    templates = builtin_templates_dir()
    for name in LEAFLET_TEMPLATES:
        path = templates / name
        found = extract_from_file(
            "jinja2.ext:babel_extract",
            path,
            keywords=keywords,
            options={"trimmed": "true", "extensions": "jinja2.ext.i18n"},
        )
        for line, message, comments, context in found:
            where = [(f"templates/{name}", line)]
            pot.add(message, locations=where, auto_comments=comments, context=context)
    package = Path(__file__).parent.parent
    for name in PYTHON_SOURCES:
        for line, message, comments, context in extract_from_file(
            "python", package / name, keywords=keywords
        ):
            where = [(f"src/leaflets/{name}", line)]
            pot.add(message, locations=where, auto_comments=comments, context=context)
    for style, phrases in DEFAULT_CERTAINTY_PHRASES.items():
        for rating, phrase in phrases.items():
            note = f"certainty phrase, style {style}, rating {rating}"
            pot.add(phrase, locations=[("src/leaflets/content/model.py", 0)], auto_comments=[note])
    return pot


def merged_catalog(language: str) -> Catalog:
    """`language`'s catalog updated to the extracted msgids: what `update_catalogs` writes.
    (Babel's `update` keeps the template's message objects, so each language gets its own
    extraction; the header's dates stay as they were, so an unchanged catalog is
    byte-identical.)"""
    with catalog_file(language).open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    created, revised = catalog.creation_date, catalog.revision_date
    catalog.update(extract_messages(), no_fuzzy_matching=False)
    catalog.creation_date, catalog.revision_date = created, revised
    catalog.obsolete.clear()
    if language == SOURCE_LANGUAGE:
        for message in catalog:
            if not message.id:
                continue
            message.string = message.id
            message.flags.discard("fuzzy")
    return catalog


def po_text(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # File names without line numbers: moving a line of a template does not stale a catalog.
    write_po(buffer, catalog, width=100, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def update_catalogs(languages: tuple[str, ...] | None = None) -> list[Path]:
    """Merge the extracted msgids into each catalog; returns the files that changed."""
    changed = []
    for language in languages or catalog_languages():
        path = catalog_file(language)
        text = po_text(merged_catalog(language))
        if path.read_bytes() != text:
            path.write_bytes(text)
            changed.append(path)
    return changed


def new_catalog(language: str) -> Path:
    """Start a catalog for a new language (every msgid untranslated)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = Catalog(
        locale=language,
        domain=DOMAIN,
        project="leaflets",
        copyright_holder="the leaflets contributors (MIT licence)",
        msgid_bugs_address="",
        header_comment=HEADER.format(language=language),
        fuzzy=False,
    )
    path.write_bytes(po_text(catalog))
    return path
