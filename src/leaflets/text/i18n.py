"""A language tag in, the words the templates and generated sentences print out.

Every fixed string of the built-in templates ("Words we use", "Page 1 of 2") and every
sentence levels.py makes ("about 12 felt better") comes from a gettext message catalog,
`locale/<language>/LC_MESSAGES/leaflets.po` inside the package (issue 17). The catalogs are
compiled in memory when first used (Babel), so no compiled `.mo` file can go stale.
Dates and numbers are written per locale from CLDR (Babel); the date patterns themselves
are catalog entries (context `date format`), so a translator decides "24 de noviembre
de 2026". The page's script picks its fonts and its writing direction (`dir="rtl"`).

The catalogs are reader text: `template_wording(language)` gives the patterns
reader_text.py matches the templates' own words against, and check.py lints them.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup

from ..errors import Location, Problem, RenderError

__all__ = [
    "DOMAIN",
    "Messages",
    "catalog_file",
    "catalog_languages",
    "messages",
    "template_callables",
]

DOMAIN = "leaflets"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
SOURCE_LANGUAGE = "en"
"""The language the msgids are written in (the English catalog maps each to itself)."""

#: Scripts written right to left (ISO 15924); a language's script comes from CLDR's likely
#: subtags (Babel), so `ar`, `fa`, `ur`, `he` need no table of their own here.
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})


def catalog_languages() -> tuple[str, ...]:
    """The languages the package has a message catalog for (`en`, `es`, `ar`, ...)."""
    return tuple(
        sorted(
            p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
        )
    )


def catalog_file(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_for(tag: str) -> str | None:
    """The catalog that serves a BCP 47 tag: `es-419` -> `es`, `en-GB` -> `en`; None if none.

    A region or script subtag picks a more specific catalog where one exists (`pt-BR`)."""
    parts = tag.replace("_", "-").split("-")
    available = set(catalog_languages())
    for end in range(len(parts), 0, -1):
        candidate = "_".join([parts[0].lower(), *parts[1:end]])
        if candidate in available:
            return candidate
    return None


@functools.cache
def catalog_entries(language: str) -> Catalog:
    """The catalog of `language` as written (msgids, translations, where each is used)."""
    with catalog_file(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


@functools.cache
def _compiled(language: str) -> Translations:
    """The catalog of `language` compiled in memory (fuzzy entries are left out, as msgfmt)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog_entries(language), use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _babel_locale(tag: str, fallback: str) -> Locale:
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(fallback)


@dataclass(frozen=True)
class Messages:
    """The wording of one language: catalog look-ups, dates, numbers, script, direction."""

    language: str
    """The BCP 47 tag the leaflet is in (`es`, `en-GB`, `ar`)."""
    catalog: str
    """The catalog that serves it (`es`, `en`, `ar`)."""
    translations: Translations
    locale: Locale

    def gettext(self, message: str, **variables: object) -> str:
        """`message` in this language, `%(name)s` filled from `variables`."""
        text = self.translations.gettext(message)
        return text % variables if variables else text

    def ngettext(self, singular: str, plural: str, n: int, **variables: object) -> str:
        """The plural form for `n` (CLDR rules: Arabic has six), `%(num)s` is `n`."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": self.number(n), **variables}

    def pgettext(self, context: str, message: str, **variables: object) -> str:
        text = str(self.translations.pgettext(context, message))
        return text % variables if variables else text

    def not_translated(self) -> str:
        """The mark before each string of a draft translation still in the source language
        (translate.localise): reader text of the draft, in the page's language."""
        return self.gettext("[Not translated yet]")

    def number(self, value: int) -> str:
        """A whole number as this locale writes it (`10,000`, `10.000`), Latin digits."""
        return format_decimal(value, locale=self.locale)

    def long_date(self, value: dt.date) -> str:
        """24 November 2026, 24 de noviembre de 2026: never an ambiguous 11/24."""
        return format_date(value, self.pgettext("date format", "d MMMM y"), locale=self.locale)

    def short_date(self, value: dt.date) -> str:
        """24 Nov 2026: for the running footer, where space is short."""
        return format_date(value, self.pgettext("date format", "d MMM y"), locale=self.locale)

    def month_year(self, value: dt.date) -> str:
        """Nov 2026: the large-print footer's review date."""
        return format_date(value, self.pgettext("date format", "MMM y"), locale=self.locale)

    def page_counter(self) -> Markup:
        """The running footer's "Page X of Y" as a CSS `content` value (base.html.j2)."""
        return page_counter_css(self.gettext("Page %(page)s of %(pages)s"))

    @property
    def script(self) -> str:
        """ISO 15924 script of the language (`Latn`, `Arab`): the tag's own script subtag,
        else CLDR's likely subtags (`ar` -> `ar_Arab_EG`)."""
        if self.locale.script:
            return self.locale.script
        likely = get_global("likely_subtags")
        parts = str(likely.get(self.locale.language, "")).split("_")
        return next((p for p in parts[1:] if len(p) == 4 and p.istitle()), "Latn")

    @property
    def direction(self) -> str:
        """`rtl` or `ltr`: the `dir` of the page's `<html>` element."""
        return "rtl" if self.script in RTL_SCRIPTS else "ltr"


@functools.cache
def script_of(tag: str) -> str | None:
    """ISO 15924 script of any BCP 47 tag (`ar` -> `Arab`; no catalog needed); None if
    Babel does not know the language."""
    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None
    return Messages(tag, "", Translations(), locale).script


def text_direction(tag: str) -> str | None:
    """`rtl` or `ltr` for any BCP 47 tag from its script (no catalog needed); None if
    Babel does not know the language."""
    script = script_of(tag)
    if script is None:
        return None
    return "rtl" if script in RTL_SCRIPTS else "ltr"


@functools.cache
def messages(language: str) -> Messages:
    """The `Messages` of a BCP 47 tag; a language with no catalog is a `RenderError`."""
    catalog = catalog_for(language)
    if catalog is None:
        raise RenderError(
            Problem(
                Location(Path("leaflets.yaml")),
                f"no message catalog for language {language!r} "
                f"(the templates' own words exist in: {', '.join(catalog_languages())})",
                "add src/leaflets/locale/<language>/LC_MESSAGES/leaflets.po "
                "(docs/translations.md), or use a language listed",
            )
        )
    return Messages(language, catalog, _compiled(catalog), _babel_locale(language, catalog))


def date_regex(words: Messages) -> str:
    """A regular expression matching any date written with the language's long, short or
    month-year pattern (the catalog's `date format` entries, CLDR month names)."""
    months = {
        width: "|".join(
            re.escape(name)
            for name in sorted(words.locale.months["format"][width].values(), key=len, reverse=True)
        )
        for width in ("wide", "abbreviated")
    }
    alternatives = []
    for msgid in ("d MMMM y", "d MMM y", "MMM y"):
        pattern = words.pgettext("date format", msgid)
        regex = ""
        for token in re.findall(r"'[^']*'|d+|M+|L+|y+|.", pattern):
            if token.startswith("'"):
                regex += re.escape(token[1:-1])
            elif token[0] == "d":
                regex += r"\d{1,2}"
            elif token[0] in "ML":
                regex += f"(?:{months['wide' if len(token) >= 4 else 'abbreviated']})"
            elif token[0] == "y":
                regex += r"\d{4}"
            else:
                regex += re.escape(token)
        alternatives.append(regex)
    return "(?:" + "|".join(alternatives) + ")"


def template_callables(language: str) -> dict[str, Any]:
    """`gettext`, `ngettext`, `pgettext` and `_` for one render, as Jinja's i18n extension
    calls them ("newstyle": `%(name)s` filled and escaped after translation, so a
    translation cannot smuggle markup in and a variable cannot either)."""
    found = messages(language)

    @jinja2.pass_eval_context
    def gettext(eval_ctx: jinja2.nodes.EvalContext, message: str, **variables: Any) -> str:
        return _fill(eval_ctx, found.translations.gettext(message), variables)

    @jinja2.pass_eval_context
    def ngettext(
        eval_ctx: jinja2.nodes.EvalContext, singular: str, plural: str, n: int, **variables: Any
    ) -> str:
        variables.setdefault("num", found.number(n))
        return _fill(eval_ctx, found.translations.ngettext(singular, plural, n), variables)

    @jinja2.pass_eval_context
    def pgettext(
        eval_ctx: jinja2.nodes.EvalContext, context: str, message: str, **variables: Any
    ) -> str:
        return _fill(eval_ctx, str(found.translations.pgettext(context, message)), variables)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "_": gettext}


def _fill(eval_ctx: jinja2.nodes.EvalContext, text: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        return Markup(text) % variables  # escapes each variable, not the catalog's text
    return text % variables


def page_counter_css(pattern: str) -> Markup:
    """ "Page %(page)s of %(pages)s" in a language -> a CSS `content` value with counters:
    `"Página " counter(page) " de " counter(pages)`. The word order is the translator's."""
    from ..render.templates import css_string

    parts: list[str] = []
    for piece in re.split(r"(%\((?:page|pages)\)s)", pattern):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(f'"{css_string(piece.replace("%%", "%"))}"')
    return Markup(" ".join(parts))
