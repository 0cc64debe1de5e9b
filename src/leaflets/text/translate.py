"""Translations (issue 17), the front door: which languages a project builds, and the
translation files of a catalog loaded once (`translations(catalog)`), localised once per
leaflet, language and level.

The parts, in the order the data flows ([translations.md](../../../docs/translations.md)):

* `translation_file.py` -- the file `content/translations/LANG/LEAFLET.yaml` (its model,
  the source segments and fingerprints it is bound to, loading it with located problems);
* `translation_state.py` -- each unit's state (missing, stale, unreviewed, reviewed) and
  the numbers that must survive translation;
* `localise.py` -- the translated `LoadedLeaflet` the whole pipeline reads.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..content.load import Catalog, LoadedLeaflet
from ..errors import Location, Problem, UsageError, did_you_mean
from .localise import localise
from .translation_file import LANGUAGE_PATTERN, LoadedTranslation, translations_for

__all__ = [
    "Translations",
    "check_language",
    "check_translations",
    "is_source_language",
    "language_code",
    "languages_of",
    "plan_languages",
    "translations",
]


def languages_of(catalog: Catalog) -> list[str]:
    """The languages the project builds (outputs.languages; default: its own language)."""
    return list(catalog.project.outputs.languages) or [catalog.project.language]


def is_source_language(catalog: Catalog, language: str) -> bool:
    """`en` names the project's own language when that is `en-GB` (the source)."""
    own = catalog.project.language.lower()
    wanted = language.lower()
    return wanted == own or wanted == own.split("-")[0]


class Translations:
    """The translation files of a catalog, per language, loaded once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.loaded: dict[str, tuple[dict[str, LoadedTranslation], list[Problem]]] = {}
        self.localised: dict[tuple[str, str, str], tuple[Catalog, LoadedLeaflet]] = {}

    def of(self, language: str) -> tuple[dict[str, LoadedTranslation], list[Problem]]:
        if language not in self.loaded:
            self.loaded[language] = translations_for(self.catalog, language)
        return self.loaded[language]

    def localise(
        self, loaded: LoadedLeaflet, language: str, level: str
    ) -> tuple[Catalog, LoadedLeaflet]:
        key = (loaded.leaflet.id, language, level)
        if key not in self.localised:
            translation = self.of(language)[0][loaded.leaflet.id]
            self.localised[key] = localise(self.catalog, loaded, translation, level)
        return self.localised[key]


def translations(catalog: Catalog) -> Translations:
    """The catalog's translation files (loaded once, kept on the catalog)."""
    cached = catalog.translations
    if not isinstance(cached, Translations) or cached.catalog is not catalog:
        catalog.translations = Translations(catalog)
    assert isinstance(catalog.translations, Translations)
    return catalog.translations


def plan_languages(catalog: Catalog, wanted: tuple[str, ...] | None) -> list[str | None]:
    """The languages to build: None for the source language, then each translation's."""
    chosen = [check_language(language, catalog) for language in wanted or languages_of(catalog)]
    return list(dict.fromkeys(None if is_source_language(catalog, x) else x for x in chosen))


def check_language(language: str, catalog: Catalog) -> str:
    """A language the project builds, or a usage error naming the ones it does."""
    known = languages_of(catalog)
    if language in known or is_source_language(catalog, language):
        return language
    raise UsageError(
        Problem(
            Location(Path("leaflets.yaml")),
            f"the project does not build language {language!r}",
            did_you_mean(language, known, f"outputs: languages: {', '.join(known)}"),
        )
    )


def language_code(text: str) -> str:
    if not re.fullmatch(LANGUAGE_PATTERN, text):
        raise UsageError(f"{text!r} is not a language tag like es or pt-BR")
    return text


def check_translations(
    catalog: Catalog, languages: list[str], today: dt.date | None = None
) -> list[Problem]:
    """`leaflets check` for translations: each file's problems, then the one check
    pipeline (check.check_leaflet) on every translated leaflet at every level it is
    built at; a problem found at several levels is reported once."""
    from .check import check_leaflet

    found: dict[tuple[str, str], Problem] = {}
    cache = translations(catalog)
    for language in languages:
        files, problems = cache.of(language)
        for problem in problems:
            found.setdefault((str(problem.location), problem.message), problem)
        for loaded in catalog.leaflets:
            translation = files.get(loaded.leaflet.id)
            if translation is None:
                continue
            for level in translation.levels:
                leaflet_catalog, translated = cache.localise(loaded, language, level)
                for problem in check_leaflet(leaflet_catalog, translated, today=today):
                    found.setdefault((str(problem.location), problem.message), problem)
    return list(found.values())
